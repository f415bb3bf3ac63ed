#pragma once
/// \file publication.hpp
/// Publication rules for count tables, as health services publish them: small counts replaced by a
/// symbol, optional secondary suppression, the rest rounded; some cells (national figures) left
/// unaltered. A rule is data (PublicationRule; the CLI reads it from a preset file users can copy
/// and change, examples/presets/). What a published figure tells anyone about the true value is the
/// rule read backwards (implied_interval): under the NHS HES/ECDS 2018 rule a `*` means 1..7 and a
/// published 10 means 8..12. audit_publication combines these intervals with the table's
/// additivity, by linear programming, to show how tightly each hidden value can still be bounded:
/// the residual risk of the rule. Definitions and sources: docs/methods/publication.md.
///
/// Example:
/// \code
///   sdcore::PublicationRule rule;            // the NHS HES/ECDS rule of September 2018
///   rule.suppress_min = 1;
///   rule.suppress_max = 7;
///   rule.rounding = sdcore::PublicationRounding::kNearest;
///   rule.base = 5;
///   sdcore::PublishedTable pub = sdcore::apply_publication_rule(table, rule, national_cells);
///   sdcore::PublicationAudit risk = sdcore::audit_publication(table, rule, pub);
/// \endcode
///
/// Thread-safety: functions are re-entrant; all types are plain values.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdcore/audit.hpp"
#include "sdcore/cellkey.hpp"
#include "sdcore/rounding.hpp"
#include "sdcore/suppression.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore {

/// How the figures that are not suppressed are published.
enum class PublicationRounding : std::uint8_t {
  kNone,     ///< unaltered
  kNearest,  ///< rounded to the nearest multiple of the base (round_to_base)
  kRandom,   ///< unbiased random rounding to the base (random_round)
  kCellKey,  ///< the cell key method (cellkey.hpp): each count perturbed by the p-table's noise
  /// Controlled rounding (controlled_rounding.hpp): every cell to an adjacent multiple, the table
  /// exactly additive; exact cells are kept. Not with suppression.
  kControlled,
};
const char* to_string(PublicationRounding r) noexcept;

/// A publication rule. Thread-safety: a plain value.
struct PublicationRule {
  std::string name;           ///< e.g. "nhs-hes-ecds-2018", for the certificate and messages
  std::string symbol = "*";   ///< what a suppressed figure is published as
  /// Small-count rule: a cell whose frequency is in [suppress_min, suppress_max] is suppressed
  /// (primary). The frequency is the count itself in a count table, else the number of records.
  /// suppress_max < suppress_min: no small-count rule.
  double suppress_min = 1;
  double suppress_max = 0;
  /// Secondary suppression protecting the small cells (the pre-2018 NHS rule, ONS's rules); none
  /// when empty. Its never_suppress list is extended by the exact cells.
  std::optional<SecondaryOptions> secondary;
  PublicationRounding rounding = PublicationRounding::kNone;
  double base = 5;
  TieRule tie = TieRule::kUp;
  /// kRoundIndependently: a total is rounded from its unrounded value (NHS 2018); kSumOfRounded:
  /// it is the sum of the published inner cells (only without suppression).
  TotalsRule totals = TotalsRule::kRoundIndependently;
  std::uint64_t seed = 0;  ///< for kRandom
  /// For kCellKey: the perturbation table (its largest |noise| bounds what a figure implies).
  std::optional<PerturbationTable> ptable;
  /// For kControlled: seconds for the MIP (3-D and hierarchical tables).
  double time_limit = 60;
};

/// What a published figure is.
enum class PublishedKind : std::uint8_t {
  kExact,      ///< published unaltered: an exact cell (national figure), or no rounding asked
  kRounded,    ///< published rounded or perturbed (it may equal the true value)
  kPrimary,    ///< suppressed by the small-count rule
  kSecondary,  ///< suppressed to protect the small cells
};
const char* to_string(PublishedKind k) noexcept;

/// A table as published. One entry per cell of the tabulation, in cell order.
struct PublishedTable {
  std::vector<PublishedKind> kind;
  std::vector<double> value;  ///< the published figure; NaN for a suppressed cell
  std::size_t exact = 0, rounded = 0, primary = 0, secondary = 0;  ///< cells of each kind
  std::size_t changed = 0;  ///< rounded cells whose published figure differs from the true value
};

/// Applies `rule` to `table`, whose values must be counts (whole numbers >= 0). Cells listed in
/// `exact_cells` (e.g. every national figure) are published unaltered and never suppressed. Throws
/// InvalidArgument for: a value that is not a count; an exact cell out of range; base not finite
/// and > 0; kSumOfRounded together with suppression (a total would give away suppressed cells);
/// kCellKey without a p-table or without one cell key per cell (`cell_keys`, from cellkey.hpp's
/// cell_keys); kControlled with suppression; and what secondary_suppression refuses. Throws Error
/// when secondary suppression cannot protect every small cell (naming them), and when no
/// controlled rounding is found (proven infeasible, e.g. with exact cells, or the time limit).
PublishedTable apply_publication_rule(const Tabulation& table, const PublicationRule& rule,
                                      const std::vector<std::size_t>& exact_cells = {},
                                      const std::vector<double>& cell_keys = {});

/// The smallest and largest true value a published figure allows under `rule` (a closed interval;
/// for counts with integer ends; kCellKey: within the p-table's largest |noise| of the figure).
/// `in_small_rule`: whether the small-count rule applied to the cell
/// (a rounded figure then also says the true value is outside [suppress_min, suppress_max]). A
/// suppressed cell under a rule without secondary suppression lies in [suppress_min,
/// suppress_max]; with it, anywhere in [0, +inf). Throws InvalidArgument when no count is
/// consistent with the figure (e.g. a rounded figure that is not a multiple of the base).
struct ValueInterval {
  double lower = 0;
  double upper = 0;
};
ValueInterval implied_interval(const PublicationRule& rule, PublishedKind kind, double published, bool in_small_rule = true);

/// Percentages as the NHS 2018 rule publishes them: from the published (rounded) numerator and
/// denominator. For each cell, 100 * published(cell) / published(the cell with `dimension` at its
/// total), rounded to `decimals` decimals (half away from zero); NaN where either figure is
/// suppressed or the denominator is 0. Throws InvalidArgument for an unknown dimension, decimals
/// outside 0..6, or `published` not of the table's size.
std::vector<double> published_percentages(const Tabulation& shape, const std::vector<double>& published,
                                          const std::string& dimension, int decimals = 1);

/// Means as the NHS 2018 rule publishes them: sum / records for each cell (NaN for an empty cell),
/// and NaN (shown as the symbol) where the number of records is within the rule's small-count
/// range, except in `exact_cells` (national figures). `counts` and `sums` must be tabulations of
/// the same records by the same dimensions (a count table and a table of sums of the variable).
/// Throws InvalidArgument when their shapes or counts differ.
std::vector<double> published_means(const Tabulation& counts, const Tabulation& sums, const PublicationRule& rule,
                                    const std::vector<std::size_t>& exact_cells = {});

/// Medians as the NHS 2018 rule publishes them: the median of `column` over the records in each
/// cell (the mean of the two middle values for an even number; NaN for an empty cell), NaN where
/// the cell's number of records is within the rule's small-count range, except in `exact_cells`.
/// `counts` must be the count table of `records` by its dimensions' columns. Throws
/// InvalidArgument for a column that is not numeric or has a missing value (naming the row).
std::vector<double> published_medians(const Tabulation& counts, const Table& records, const std::string& column,
                                      const PublicationRule& rule, const std::vector<std::size_t>& exact_cells = {});

/// The residual risk of one hidden figure (suppressed or rounded): what the rule alone says, and
/// what the rule with the table's additivity says.
struct HiddenCell {
  std::size_t cell = 0;
  PublishedKind kind = PublishedKind::kRounded;
  double rule_lower = 0, rule_upper = 0;  ///< implied_interval
  double lower = 0, upper = 0;            ///< the attacker's interval from the whole published table
  bool exact = false;                     ///< lower == upper: the true value is recomputable
};

/// Result of audit_publication.
struct PublicationAudit {
  std::vector<HiddenCell> cells;  ///< every suppressed cell and (unless not asked) every rounded cell, in cell order
  std::size_t exact_suppressed = 0;  ///< suppressed cells whose value is recomputable
  std::size_t exact_rounded = 0;     ///< rounded cells whose true value is recomputable
  /// The narrowest attacker interval among the suppressed cells (upper - lower); +inf if none.
  double narrowest_suppressed = 0;
  std::size_t lp_solves = 0;
};

/// The attacker's view of a published table: every exact cell as published, every other cell
/// within its implied_interval, and the table's relations (additivity of the true values), solved
/// by linear programming (audit_published, audit.hpp) for the smallest and largest value of each
/// hidden cell. Uses only the published figures and the rule, so `sdcore verify` can redo it from
/// the published file. The small-count rule is taken to apply to every cell that is not kExact.
/// Throws InvalidArgument when the published figures contradict the rule or the relations.
/// With `rounded` false only the suppressed figures get intervals (the rounded ones still bound
/// them, as unknowns): two LPs per suppressed cell instead of per hidden cell, and exact_rounded
/// is then 0 without having been looked for.
PublicationAudit audit_publication(const Tabulation& shape, const PublicationRule& rule, const PublishedTable& published,
                                   const AuditOptions& options = {}, bool rounded = true);

}  // namespace sdcore
