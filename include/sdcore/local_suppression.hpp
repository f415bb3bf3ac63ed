#pragma once
/// \file local_suppression.hpp
/// Local suppression to k-anonymity, as sdcMicro's `localSuppression()` / `kAnon()` does it
/// (its default "heuristic" sweep): key cells are blanked, one per record below k per pass,
/// until every record's sample frequency fk (missing matching any value,
/// MissingPolicy::kMatchAny) is at least k. Which cell is blanked follows sdcMicro's rule
/// exactly, so the output matches sdcMicro's on the same data; the rule, where it was read and
/// the few deliberate differences are in docs/methods/local_suppression.md.
///
/// Example:
/// \code
///   auto t = sdcore::read_csv("testdata.csv");
///   sdcore::LocalSuppressionOptions opt;
///   opt.importance = {1, 2, 3, 4, 5};  // urbrur is kept longest, sex blanked first
///   auto r = sdcore::local_suppression(t, {"urbrur", "roof", "walls", "water", "sex"}, 3, opt);
///   std::cout << r.total_suppressed << " cells suppressed\n";
///   sdcore::write_csv(r.table, "testdata_k3.csv");
/// \endcode
///
/// Thread-safety: the function is re-entrant; results are plain values.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/progress.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

/// Parameters of local_suppression beyond the table, the keys and k.
struct LocalSuppressionOptions {
  /// One integer per quasi-identifier in [1, number of quasi-identifiers]: 1 = most important
  /// (blanked last), larger = blanked sooner; equal values are ordered by position in the list.
  /// Empty means sdcMicro's default: the key with the fewest distinct values present is 1, the
  /// next 2, ... (ties by position).
  std::vector<int> importance;
  /// sdcMicro's `combs`: subset sizes. When not empty, k-anonymity is established on every
  /// subset of that many quasi-identifiers, for each size in turn, in the order given (subsets
  /// of one size in lexicographic order of their positions), each subset working on the result
  /// of the one before. Empty means the full key only.
  std::vector<std::size_t> combs;
  /// k for each entry of `combs` (sdcMicro's vector `k`); empty means the `k` argument for all.
  std::vector<std::int64_t> combs_k;
  /// Optional progress report: key subsets finished, of their number (1 without `combs`).
  ProgressCallback progress;
};

/// One suppressed cell.
struct SuppressedCell {
  std::size_t row;  ///< 0-based row of the table
  std::size_t key;  ///< index into the quasi_identifiers list
};

/// What local_suppression did.
struct LocalSuppressionResult {
  /// The input table with the suppressed cells set to missing: categorical codes to -1 (the
  /// categories are kept), numeric values to NaN (the column stays numeric). Every other
  /// column, the column order and the row order are unchanged.
  Table table;
  /// New suppressions per quasi-identifier (cells missing before are not counted).
  std::vector<std::int64_t> suppressed;
  /// Sum of `suppressed`.
  std::int64_t total_suppressed = 0;
  /// Every new suppression, in the order it was made.
  std::vector<SuppressedCell> cells;
  /// The importance used: the given one, or sdcMicro's default as computed.
  std::vector<int> importance;
  /// Whether the result has fk >= k for every record on every key subset asked for. Always
  /// true without `combs`; with `combs` a later subset can (rarely) undo an earlier one, as in
  /// sdcMicro, and this says whether that happened.
  bool k_anonymous = true;
};

/// Suppresses key cells of `table` until every record has fk >= k on `quasi_identifiers`
/// (fk with a missing value matching any value, as equivalence_classes with
/// MissingPolicy::kMatchAny counts it). Numeric quasi-identifiers are grouped by exact value.
///
/// Throws InvalidArgument, before doing any work, for: an empty, repeated or unknown
/// quasi-identifier; more than 64 quasi-identifiers; k < 1 or k larger than the number of rows
/// (sdcMicro's rule; an empty table is returned unchanged); an importance of the wrong length
/// or with a value outside [1, number of quasi-identifiers]; a `combs` size of 0 or larger than
/// the number of quasi-identifiers, or more than 100,000 key subsets in all; `combs_k` of a
/// length other than that of `combs`, or with a value out of range as for k.
LocalSuppressionResult local_suppression(const Table& table,
                                         const std::vector<std::string>& quasi_identifiers,
                                         std::int64_t k,
                                         const LocalSuppressionOptions& options = {});

}  // namespace sdcore
