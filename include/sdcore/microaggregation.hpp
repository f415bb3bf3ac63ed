#pragma once
/// \file microaggregation.hpp
/// MDAV microaggregation (Domingo-Ferrer & Mateo-Sanz 2002; the "MDAV-generic" formulation of
/// Domingo-Ferrer & Torra 2005) of numeric quasi-identifiers: records are partitioned into
/// groups of between k and 2k-1 records that are close on all the named variables together, and
/// each record's values are replaced by its group's mean (or median). Every published
/// combination of those values is then shared by at least k records. Method, options and
/// references: docs/methods/microaggregation.md.
///
/// Example:
/// \code
///   auto t = sdcore::read_csv("testdata.csv");
///   sdcore::MicroaggregationResult m = sdcore::mdav(t, {"expend", "income", "savings"}, 3);
///   sdcore::write_csv(m.table, "testdata_ma.csv");
///   std::cout << m.num_groups << " groups, information loss " << m.information_loss << "\n";
/// \endcode
///
/// Thread-safety: `mdav` is re-entrant; results are plain values.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/table.hpp"

namespace sdcore {

/// The value a group publishes for each microaggregated variable.
enum class AggregationMeasure : std::uint8_t {
  /// Arithmetic mean of the group's values (sdcMicro's default `measure = "mean"`).
  kMean,
  /// Median of the group's values; the mean of the two middle values for an even group size.
  kMedian,
};

/// How variables are scaled before distances between records are taken.
enum class Standardisation : std::uint8_t {
  /// z-scores: (x - mean) / sd, sd with divisor n (the population standard deviation), over the
  /// records taking part. Distances are then those of sdcMicro's MDAV, which divides each
  /// squared difference by that variance. A variable with sd 0 is left unscaled.
  kZScore,
  /// Raw values: distances in the variables' own units.
  kNone,
};

/// Options of `mdav`. Thread-safety: a plain value.
struct MdavOptions {
  /// Scaling of the variables for the distances (not for the published values).
  Standardisation standardisation = Standardisation::kZScore;
  /// The value each group publishes.
  AggregationMeasure measure = AggregationMeasure::kMean;
  /// false (default): a missing (NaN) value in a named column is an error. true: records with a
  /// missing value in any named column take no part; their values are left as they are and they
  /// are listed in `MicroaggregationResult::excluded_rows`.
  bool exclude_missing = false;
};

/// The microaggregated table and how it was grouped. Thread-safety: a plain value.
struct MicroaggregationResult {
  /// The input table with the named columns replaced by their group aggregates; every other
  /// column, and the row order, unchanged.
  Table table;
  /// Group of every row, numbered 0, 1, ... in the order MDAV formed the groups; -1 for an
  /// excluded row.
  std::vector<std::int32_t> group;
  /// Number of groups; each has between k and 2k-1 records.
  std::size_t num_groups = 0;
  /// Within-group sum of squares (around each group's mean) and total sum of squares (around
  /// the overall mean) of the named variables as z-scores, whatever `standardisation` was, so
  /// that each variable weighs the same. information_loss = sse / sst (0 when sst is 0).
  double sse = 0;
  double sst = 0;
  double information_loss = 0;
  /// Rows left out because of a missing value (only with `exclude_missing`), ascending.
  std::vector<std::int64_t> excluded_rows;
};

/// MDAV microaggregation of the numeric `columns` of `table` (all together, multivariate) with
/// minimum group size `k`. Deterministic: ties between equal distances go to the lower row.
/// Throws InvalidArgument, before any work, for k < 2, no columns, an unknown, repeated or
/// categorical column, a missing value (naming column and row) unless `exclude_missing`, or
/// fewer than k records taking part.
MicroaggregationResult mdav(const Table& table, const std::vector<std::string>& columns,
                            std::int64_t k, const MdavOptions& options = {});

}  // namespace sdcore
