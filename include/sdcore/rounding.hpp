#pragma once
/// \file rounding.hpp
/// Rounding of tables to a base: deterministic (to the nearest multiple, with a stated tie rule),
/// unbiased random rounding, and the small-count perturbations used for census tables (small cell
/// adjustment and Barnardisation). Controlled rounding, which keeps a table additive, is in
/// controlled_rounding.hpp; the cell key method in cellkey.hpp.
/// Methods, guarantees and references: docs/methods/rounding.md.
///
/// Example: the NHS "round to the nearest 5" with totals rounded from their unrounded values.
/// \code
///   sdcore::BaseRoundingOptions opt;
///   opt.base = 5;
///   opt.totals = sdcore::TotalsRule::kRoundIndependently;
///   std::vector<double> published = sdcore::round_to_base(tabulation, opt);
/// \endcode
///
/// Thread-safety: functions are re-entrant; options and results are plain values.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sdcore/tabular.hpp"

namespace sdcore {

/// Which multiple a value exactly half-way between two multiples goes to.
enum class TieRule : std::uint8_t {
  kUp,    ///< the larger multiple (12.5 -> 15 with base 5 when values may be fractional; 5 -> 10 with base 10)
  kDown,  ///< the smaller multiple
  kEven,  ///< the multiple q * base with q even (banker's rounding, no drift on average)
};

/// How the totals and subtotals of a table are rounded.
enum class TotalsRule : std::uint8_t {
  /// Every cell, inner or total, is rounded from its own unrounded value (the NHS HES/ECDS rule:
  /// "totals are calculated from unrounded values, then rounded"). The rounded table need not add up.
  kRoundIndependently,
  /// Inner cells are rounded; each total is the sum of the rounded inner cells below it. The table
  /// adds up, but a total may be far (up to half a base per inner cell) from its true value.
  kSumOfRounded,
};

/// "up", "down", "even"; "independent", "sum" (the names the CLI spec and Python use).
const char* to_string(TieRule tie) noexcept;
const char* to_string(TotalsRule totals) noexcept;
/// The rule named by to_string's text, or nullopt.
std::optional<TieRule> tie_rule_from(std::string_view name) noexcept;
std::optional<TotalsRule> totals_rule_from(std::string_view name) noexcept;

/// Options of round_to_base. Thread-safety: a plain value.
struct BaseRoundingOptions {
  double base = 5;  ///< > 0 and finite
  TieRule tie = TieRule::kUp;
  TotalsRule totals = TotalsRule::kRoundIndependently;
};

/// `value` rounded to the nearest multiple of `base` under `tie`. Multiples stay unchanged. Works
/// for negative values too (ties by the rule on the number line: kUp goes towards +infinity).
/// Throws InvalidArgument for a base that is not finite and > 0, or a value that is not finite.
double round_to_base(double value, double base, TieRule tie = TieRule::kUp);

/// Every cell of `table` rounded to the nearest multiple of the base (one value per cell, in cell
/// order). Throws InvalidArgument for a bad base or a cell whose value is not finite (naming it).
std::vector<double> round_to_base(const Tabulation& table, const BaseRoundingOptions& options = {});

/// Options of random_round. Thread-safety: a plain value.
struct RandomRoundingOptions {
  double base = 5;  ///< > 0 and finite
  /// The same seed gives the same rounding on every platform.
  std::uint64_t seed = 0;
  TotalsRule totals = TotalsRule::kSumOfRounded;
};

/// Unbiased random rounding: a value q*b + r (0 <= r < b) becomes (q+1)*b with probability r/b and
/// q*b otherwise, so its expectation is the value itself. Multiples stay unchanged. The decision
/// for cell i depends only on (seed, i, value), not on the other cells, so a cell's rounding does
/// not change when another cell does. Throws InvalidArgument as round_to_base.
std::vector<double> random_round(const Tabulation& table, const RandomRoundingOptions& options = {});

/// One value's unbiased random rounding as random_round does it for cell `index` under `seed`
/// (e.g. for a cell of a table built some other way). Throws InvalidArgument as round_to_base.
double random_round(double value, double base, std::uint64_t seed, std::uint64_t index);

/// Options of small_cell_adjustment. Thread-safety: a plain value.
struct SmallCellOptions {
  /// Inner cells with 0 < value < base become 0 or base (the 2001 Census of England and Wales used
  /// base 3: counts 1 and 2 became 0 or 3). Whole number >= 2.
  double base = 3;
  std::uint64_t seed = 0;
  /// kSumOfRounded: totals are sums of the adjusted inner cells (the table adds up).
  /// kRoundIndependently: a total keeps its true value unless it is itself small, when it is
  /// adjusted as an inner cell would be.
  TotalsRule totals = TotalsRule::kSumOfRounded;
};

/// Small cell adjustment: inner cells with a value strictly between 0 and `base` are randomly
/// rounded to 0 or `base` (unbiased); other inner cells are unchanged; totals follow `totals`
/// (with kRoundIndependently a total is left at its true value when it is not small, and adjusted
/// as an inner cell would be when it is). Values must be whole numbers >= 0 (counts).
/// Throws InvalidArgument for a bad base or a value that is not a count (naming the cell).
std::vector<double> small_cell_adjustment(const Tabulation& table, const SmallCellOptions& options = {});

/// Options of barnardise. Thread-safety: a plain value.
struct BarnardOptions {
  /// Probability in [0, 1] that a non-zero inner cell is changed; it then moves by +1 or -1 with
  /// equal chance (a 1 may thus become 0 or 2). Zero cells are never changed.
  double probability = 0.1;
  std::uint64_t seed = 0;
};

/// Barnardisation (as in the 2001 Census of Northern Ireland and in small-area health tables):
/// each non-zero inner cell is changed by +1 or -1 with probability `probability` (half each),
/// unbiased; totals are the sums of the changed inner cells, so the table stays additive. Values
/// must be whole numbers >= 0. Throws InvalidArgument for a probability outside [0, 1] or a value
/// that is not a count (naming the cell).
std::vector<double> barnardise(const Tabulation& table, const BarnardOptions& options = {});

/// The totals of `table` recomputed as sums of `inner` values: `values` has one entry per cell
/// of `table`; every entry of a cell that is not inner is replaced by the sum of the entries of
/// the inner cells below it. Used by TotalsRule::kSumOfRounded; public so that callers who change
/// inner cells themselves can rebuild an additive table.
void sum_totals_from_inner(const Tabulation& table, std::vector<double>& values);

}  // namespace sdcore
