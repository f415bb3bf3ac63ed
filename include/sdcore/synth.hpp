#pragma once
/// \file synth.hpp
/// Seeded generators of realistic synthetic health data, for examples, tests and benchmarks.
/// No real person is in them. The same seed gives the same table on every platform: the
/// generators use std::mt19937_64 (whose output the C++ standard fixes) and map its raw output
/// to values themselves, never through std::*_distribution, whose output is
/// implementation-defined.
///
/// Example:
/// \code
///   sdcore::Table episodes = sdcore::synth::hospital_episodes(100000, 42);
///   sdcore::write_csv(episodes, "episodes.csv");
/// \endcode
///
/// Thread-safety: re-entrant.

#include <cstddef>
#include <cstdint>

#include "sdcore/table.hpp"

namespace sdcore::synth {

/// A record-level hospital-episode extract, one row per admission, columns in this order:
///  - episode_id (categorical, "E0000001"...),
///  - age (numeric, whole years 0..105: many births, a peak over 65),
///  - sex (categorical: Female, Male, Indeterminate (rare), Not known (rare)),
///  - ethnic_group (categorical: the 19 ONS 2021 census groups plus "Not stated", with
///    England-like shares, so several groups are rare),
///  - postcode_district (categorical, e.g. "LS6", ~500 districts in a few areas, sizes skewed),
///  - admission_date (categorical ISO date in one financial year, fewer admissions at weekends),
///  - diagnosis_chapter (categorical ICD-10 chapter "I".."XXII", frequencies depending on age),
///  - provider (categorical NHS-trust-style code, providers serve their local areas),
///  - admission_method (categorical: Elective, Emergency, Maternity, Transfer),
///  - length_of_stay (numeric, days, many same-day cases, long tail rising with age).
/// Rare combinations (a rare ethnic group in a small district with a rare chapter) arise
/// naturally, as in real extracts. Throws InvalidArgument if rows is 0.
Table hospital_episodes(std::size_t rows, std::uint64_t seed);

/// A published count table shaped like NHS England's monthly A&E attendances
/// (`period, org_code, type, attendances, breaches, admissions`): one row per month, provider
/// and department type (1, 2, other), with small counts at small departments.
/// `providers` providers over `months` months from April 2023.
Table ae_attendances(std::size_t providers, std::size_t months, std::uint64_t seed);

}  // namespace sdcore::synth
