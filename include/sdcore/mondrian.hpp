#pragma once
/// \file mondrian.hpp
/// Strict multidimensional Mondrian partitioning for k-anonymity (LeFevre, DeWitt &
/// Ramakrishnan, ICDE 2006), optionally with distinct l-diversity on one sensitive column.
/// Records are split recursively at the median of the quasi-identifier with the widest
/// normalised range, as long as both halves keep at least k records (and l distinct sensitive
/// values); each final partition then publishes one summary per quasi-identifier ("30-39",
/// "{Mixed,White}", or a hierarchy label). Method, choices and references:
/// docs/methods/mondrian.md.
///
/// Example:
/// \code
///   auto t = sdcore::read_csv("episodes.csv");
///   sdcore::MondrianOptions opt;
///   opt.sensitive = "diagnosis_chapter";
///   opt.l = 3;
///   sdcore::MondrianResult r = sdcore::mondrian(t, {"age", "sex", "postcode_district"}, 10, opt);
///   sdcore::write_csv(r.table, "episodes_k10.csv");
/// \endcode
///
/// Thread-safety: `mondrian` is re-entrant; it may run partitions on threads of its own (see
/// MondrianOptions::threads), and its result does not depend on them. Results are plain values.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/hierarchy.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

/// Options of `mondrian`. Thread-safety: a plain value.
struct MondrianOptions {
  /// Column whose distinct values count for l-diversity ("" for none); not a quasi-identifier.
  /// A missing sensitive value counts as one value of its own.
  std::string sensitive;
  /// Distinct l-diversity: a cut is allowed only if both halves keep at least `l` distinct
  /// sensitive values. 1 (default) means no such condition; l > 1 needs `sensitive`.
  std::int64_t l = 1;
  /// Generalisation hierarchies, matched to quasi-identifiers by Hierarchy::attribute(). A
  /// quasi-identifier with a hierarchy is cut only between children of the lowest node that
  /// covers the partition, and published as that node's label (so two partitions may publish
  /// the same labels; their rows then form one published class, still of at least k).
  std::vector<Hierarchy> hierarchies;
  /// Threads to use at most, this one included; 0 = std::thread::hardware_concurrency().
  std::size_t threads = 0;
  /// A part of a cut with at least this many records goes to a thread of its own while one is
  /// free; a table with at least this many rows also has its output passes split between the
  /// threads. The result is the same whatever the threads.
  std::size_t parallel_min_rows = 1'000'000;
  /// Column of record counts ("" for none): each row then stands for that many records with the
  /// same values (an aggregate, e.g. the group-by of a Spark DataFrame), and k, the medians, the
  /// partition sizes, discernibility and NCP all count records, so the result equals that of the
  /// expanded records (docs/methods/mondrian.md). A cut is a threshold on one quasi-identifier,
  /// so rows of equal values are never separated and no aggregated row needs splitting. Each
  /// count must be a whole number from 1 to 2^32 - 1; the column is published unchanged and must
  /// be neither a quasi-identifier nor the sensitive column.
  std::string frequency;
};

/// The partitioned table and measures of its information loss. Thread-safety: a plain value.
struct MondrianResult {
  /// The input table with every quasi-identifier replaced by its partition's summary as a
  /// categorical column (categories in order of first appearance); every other column, and the
  /// row order, unchanged.
  Table table;
  /// Partition of every row, numbered 0, 1, ... in order of first appearance.
  std::vector<std::int32_t> partition;
  /// Number of partitions, and the size of the smallest (at least k; in records, as are the
  /// measures below, when MondrianOptions::frequency is given).
  std::size_t num_partitions = 0;
  std::int64_t min_partition_size = 0;
  /// Discernibility metric: sum over partitions of size^2 (Bayardo & Agrawal 2005).
  std::int64_t discernibility = 0;
  /// Normalised certainty penalty (Xu et al. 2006), averaged over records and quasi-identifiers,
  /// in [0, 1]: 0 when nothing was generalised, 1 when every value became the whole domain.
  double ncp = 0;
};

/// Mondrian k-anonymisation of `table` on the named quasi-identifiers (numeric or categorical).
/// Throws InvalidArgument, before any work, for k < 1, k larger than the number of records, no
/// quasi-identifiers, an unknown or repeated column, a missing quasi-identifier value (naming
/// column and row), l < 1, l > 1 without a sensitive column, a sensitive column that is unknown
/// or a quasi-identifier, l above the number of distinct sensitive values, a hierarchy for a
/// column that is not a quasi-identifier (or two for one), a value a hierarchy does not cover, or
/// a frequency column that is unknown, text, a quasi-identifier or the sensitive column, or holds
/// a count that is not a whole number from 1 to 2^32 - 1 (naming the row).
MondrianResult mondrian(const Table& table, const std::vector<std::string>& quasi_identifiers,
                        std::int64_t k, const MondrianOptions& options = {});

}  // namespace sdcore
