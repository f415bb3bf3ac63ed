#pragma once
/// \file classes.hpp
/// Equivalence classes: the groups of records sharing the same values of the
/// quasi-identifiers. Every risk measure and privacy model in sdcore starts here.
///
/// For each class: its sample frequency fk (records in it), its weighted frequency Fk (sum of
/// sampling weights, an estimate of the population frequency) and its first record, which
/// carries the key values. Class ids are dense, numbered in order of first appearance, so the
/// result is deterministic and independent of hashing.
///
/// Example:
/// \code
///   auto t = sdcore::read_csv("episodes.csv");
///   auto ec = sdcore::equivalence_classes(t, {"age", "sex", "postcode_district"});
///   std::size_t uniques = 0;
///   for (auto f : ec.frequency) uniques += (f == 1);
/// \endcode
///
/// Thread-safety: the functions are re-entrant; results are plain values.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/span.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

/// How a missing key value takes part in matching.
enum class MissingPolicy : std::uint8_t {
  /// Missing is a value of its own: it matches only another missing value.
  kOwnValue,
  /// Missing matches any value (sdcMicro's freqCalc/measure_risk rule): fk of a record counts
  /// every record that agrees with it on each key where neither is missing. The relation is not
  /// transitive, so classes are still the exact key patterns, but `frequency` and
  /// `weighted_frequency` count all compatible records. As in sdcMicro, one exception: a
  /// record whose keys are all missing matches every record (its fk is n), but does not count
  /// towards records whose keys are complete.
  kMatchAny,
};

/// Integer codes of one key column, viewed without copying. Codes lie in [-1, cardinality),
/// -1 meaning missing. Any signed integer width is accepted so that pandas' int8/int16
/// categorical codes need no conversion.
struct KeyCodes {
  const void* data = nullptr;
  std::uint8_t width = 4;  ///< bytes per code: 1, 2, 4 or 8
  std::int64_t cardinality = 0;

  static KeyCodes of(Span<const std::int32_t> codes, std::int64_t cardinality) {
    return KeyCodes{codes.data(), 4, cardinality};
  }
};

struct ClassOptions {
  MissingPolicy missing = MissingPolicy::kOwnValue;
  /// Aggregated input: when not empty, row i stands for frequency[i] >= 1 records with the same
  /// key (a group-by's counts, a chunk's partial counts), and the weight of row i is the sum of
  /// those records' weights. `count`, `frequency` and `weighted_frequency` then count records,
  /// so every figure equals that of the expanded records. One value per row.
  Span<const std::int64_t> frequency;
  /// Threads counting at most, this one included; 0 = all hardware threads. Large single-pass
  /// counts (at least 2^18 rows per thread) split the rows into contiguous ranges and merge
  /// them in order: the result is identical whatever the number of threads.
  std::size_t threads = 0;
};

/// The classes of a table under a set of quasi-identifiers.
struct EquivalenceClasses {
  /// Records of the input: the number of rows, or the sum of ClassOptions::frequency.
  std::int64_t records = 0;
  /// Class id of every row.
  std::vector<std::int32_t> row_class;
  /// Number of records with exactly the class's key.
  std::vector<std::int64_t> count;
  /// Sample frequency fk. Equals `count` unless MissingPolicy::kMatchAny.
  std::vector<std::int64_t> frequency;
  /// Weighted frequency Fk (sum of weights); empty when no weights were given.
  std::vector<double> weighted_frequency;
  /// First row of each class; its key values are the class's.
  std::vector<std::int64_t> first_row;

  std::size_t num_classes() const noexcept { return count.size(); }
  std::size_t num_rows() const noexcept { return row_class.size(); }
};

/// Classes of `table` under the named quasi-identifier columns, optionally weighted by the
/// numeric column `weight` ("" for none). Numeric quasi-identifiers are grouped by exact value.
/// Throws InvalidArgument for an unknown or repeated column, an empty list of
/// quasi-identifiers, a categorical weight column, or a weight that is missing, negative, zero
/// or infinite (naming the row, 1-based).
EquivalenceClasses equivalence_classes(const Table& table,
                                       const std::vector<std::string>& quasi_identifiers,
                                       const std::string& weight = "",
                                       const ClassOptions& options = {});

/// The kernel on raw code views: `keys` all of length `rows`; `weights` empty or of length
/// `rows`. Validates codes against cardinalities and the weights as above.
EquivalenceClasses equivalence_classes(Span<const KeyCodes> keys, std::size_t rows,
                                       Span<const double> weights,
                                       const ClassOptions& options = {});

/// One line of a class-size distribution.
struct ClassSizeBin {
  std::int64_t frequency;  ///< fk
  std::int64_t classes;    ///< number of classes with this fk
  std::int64_t records;    ///< number of records in them
};

/// Distinct class frequencies in ascending order with how many classes and records have each.
std::vector<ClassSizeBin> class_size_distribution(const EquivalenceClasses& classes);

}  // namespace sdcore
