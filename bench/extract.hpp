#pragma once
// The seeded synthetic extract every benchmark runs on: sdcore::synth::hospital_episodes with
// its quasi-identifiers generalised the way a release would publish them (age in 10-year bands,
// region rather than district, ...), plus a survey-style weight per record. Built once per size
// and cached, so generation is never inside a timed loop.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/table.hpp"

namespace sdcore::bench {

inline constexpr std::uint64_t kSeed = 2026;

// The key of an n-QI benchmark is the first n of these, coarse to fine.
inline const char* const kQuasiIdentifiers[] = {
    "age_band", "sex",      "region", "ethnic_category", "diagnosis_chapter",
    "admission_method", "los_band", "season", "provider", "postcode_district"};

struct Extract {
  Table episodes;
  std::map<std::string, Column> derived;
  std::vector<double> weights;

  const Column& column(const std::string& name) const;
  // Code views of the first `count` quasi-identifiers.
  std::vector<KeyCodes> keys(std::size_t count) const;
};

// The extract of `rows` records, built on first use and kept for the process.
const Extract& extract(std::size_t rows);

}  // namespace sdcore::bench
