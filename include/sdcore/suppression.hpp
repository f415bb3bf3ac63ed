#pragma once
/// \file suppression.hpp
/// Cell suppression of tables: the primary rules that say which cells are sensitive and how much
/// protection each needs, and the secondary suppression that protects them.
/// Rules and protection levels follow tau-Argus's definitions (docs/methods/primary_suppression.md).
///
/// Example:
/// \code
///   sdcore::PrimaryRules rules;
///   rules.frequency = sdcore::FrequencyRule{7};            // 1..7 unsafe, zeros safe
///   rules.p_percent = sdcore::PPercentRule{10};            // p% rule with p = 10
///   sdcore::PrimaryResult p = sdcore::primary_suppression(tabulation, rules);
///   // p.status[i], p.upper[i], p.lower[i], p.reason[i] for every cell of the tabulation
/// \endcode
///
/// Thread-safety: functions are re-entrant; results are plain values.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdcore/audit.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore {

/// Status of a cell in a protected table.
enum class CellStatus : std::uint8_t {
  kSafe,       ///< published
  kPrimary,    ///< sensitive under a primary rule (or marked by the user): suppressed
  kSecondary,  ///< not sensitive, suppressed to protect primary cells
  kEmpty,      ///< zero cell that no rule makes sensitive: published (as 0)
};
const char* to_string(CellStatus s) noexcept;

/// Threshold rule: a cell whose frequency is between 1 and `max_unsafe` is sensitive (the NHS
/// small-number rule "1..7" is `max_unsafe = 7`). The frequency is the number of contributors, or
/// for a count table (records not kept, e.g. read in long format) the count itself.
struct FrequencyRule {
  std::int64_t max_unsafe = 0;
  /// Whether zero cells are sensitive too (a zero can disclose, e.g. "no one in this group").
  bool zeros_unsafe = false;
  /// Required protection (upper and lower) of a cell made sensitive by this rule: how far the
  /// attacker's interval must reach beyond the value. 1 means "not exactly recomputable"
  /// (sdcTable's default); tau-Argus users often set a share of the threshold.
  double protection = 1;
};

/// (n,k)-dominance: sensitive if the n largest contributions exceed k% of the cell total.
/// Required protection (upper and lower): 100 * sum(top n) / k - X.
struct DominanceRule {
  std::size_t n = 1;
  double k = 0;
};

/// p% rule: sensitive if the second-largest contributor could estimate the largest within p%:
/// X - x1 - x2 < (p/100) x1. Required protection: (p/100) x1 - (X - x1 - x2).
struct PPercentRule {
  double p = 0;
};

/// pq rule (prior knowledge q% > p%): sensitive if X - x1 - x2 < (p/q) x1.
/// Required protection: (p/q) x1 - (X - x1 - x2).
struct PqRule {
  double p = 0;
  double q = 100;
};

/// The rules to apply; a cell is sensitive if any rule says so, and needs the largest protection
/// any of them asks for.
struct PrimaryRules {
  std::optional<FrequencyRule> frequency;
  std::vector<DominanceRule> dominance;
  std::optional<PPercentRule> p_percent;
  std::optional<PqRule> pq;
  /// Minimum number of contributors: a non-empty cell with fewer is sensitive (protection as the
  /// frequency rule's). 0: not applied.
  std::int64_t min_contributors = 0;
  /// Zero rule: every zero cell is sensitive, needing `zero_protection` upward (it cannot go below 0).
  bool zeros_unsafe = false;
  double zero_protection = 1;
  /// Cells the user marks sensitive (cell indices) with the protection given, and cells the
  /// user declares safe whatever the rules say.
  std::vector<std::size_t> manual_unsafe;
  double manual_protection = 1;
  std::vector<std::size_t> manual_safe;
};

/// Result of the primary rules, one entry per cell of the tabulation.
struct PrimaryResult {
  std::vector<CellStatus> status;  ///< kPrimary, kSafe or kEmpty
  std::vector<double> upper;       ///< required upper protection (0 for safe cells)
  std::vector<double> lower;       ///< required lower protection (0 for safe cells)
  std::vector<std::string> reason; ///< which rules made the cell sensitive, e.g. "frequency 3 <= 7; p% 10"
  std::size_t num_primary = 0;
};

/// Applies the rules to every cell. Throws InvalidArgument, before any work, for a rule with
/// parameters out of range (n = 0, k outside (0, 100], p outside (0, 100), q <= p or q > 100,
/// negative protection), a dominance or p%/pq rule on a table that kept fewer of the largest
/// contributions than the rule needs (tabulate with TabulateOptions::top_contributions), such a
/// rule or a contributor rule on a table with no contributor information (long format), or a
/// manual cell index out of range or both safe and unsafe.
PrimaryResult primary_suppression(const Tabulation& table, const PrimaryRules& rules);

/// How secondary suppression chooses the cells to suppress with the primary ones.
/// docs/methods/secondary_suppression.md describes each method, what it guarantees and its source.
enum class SecondaryMethod : std::uint8_t {
  /// Fewest cost: the mixed-integer programme of Fischetti & Salazar-Gonzalez (2001), solved by
  /// COIN-OR Cbc with the attacker's linear programmes as the separation problem (Benders
  /// cuts). Meets every protection level; proves optimality, or returns the best pattern found
  /// within the time limit with its gap.
  kOptimal,
  /// One primary cell at a time, the cheapest change of the table that moves it by its
  /// protection level (a minimum-cost linear programme; for a two-dimensional table a network
  /// flow, as in Kelly, Golden & Assad 1992 and Castro 2006). Meets every protection level;
  /// fast on small and medium tables, not optimal.
  kNetwork,
  /// Gaussian elimination (Langsrud 2024): cells are published in order of preference unless
  /// publishing one would make a suppressed cell a linear combination of published cells. Fast on
  /// very large tables; guarantees only that no suppressed cell can be recomputed exactly, not
  /// protection levels or bounds.
  kGauss,
  /// For hierarchical tables (de Wolf's HiTaS, 2002; tau-Argus's "Modular"): the table is cut
  /// into non-hierarchical sub-tables, one per choice of a non-leaf node in every dimension (that
  /// node and its children), protected top-down, each by kOptimal, with the cells suppressed above
  /// counted as primary and the cells published above kept published; a final kNetwork pass over
  /// the whole table then adds what the sub-tables' views missed. Meets every protection level,
  /// as kNetwork; the sub-problems stay small where kOptimal on the whole table would not, but the
  /// pattern is not optimal. Needs the table's hierarchies: only for the Tabulation overload.
  kModular,
  /// The hypercube method (Repsilber's GHMITER; tau-Argus's and sdcTable's "hypercube"): each
  /// suppressed cell gets the cheapest hypercube of cells through it (a rectangle in two
  /// dimensions) whose corners can all move with it, in each non-hierarchical sub-table of the
  /// table (as kModular's). Such a move is itself the proof of protection, found without a
  /// linear programme: fast on tables of millions of cells, but not optimal (it tends to
  /// over-suppress). Primaries whose hypercube is not a move of the whole table (only in
  /// hierarchical tables) are then protected by kNetwork's linear programmes, so every protection
  /// level is met. Needs the table's dimensions: only for the Tabulation overload.
  kHypercube,
};
const char* to_string(SecondaryMethod m) noexcept;
/// The method named by to_string's text ("optimal", "network", ...), or nullopt.
std::optional<SecondaryMethod> secondary_method_from(std::string_view name) noexcept;

/// What a suppressed cell costs.
enum class SuppressionCost : std::uint8_t {
  kValue,    ///< its value (the suppressed total is minimised); a zero cell costs 1e-3 of the smallest positive value
  kCells,    ///< 1 (the number of suppressed cells is minimised)
  kWeights,  ///< SecondaryOptions::weights, one per cell
};

/// Options of secondary_suppression. Thread-safety: a plain value.
struct SecondaryOptions {
  SecondaryMethod method = SecondaryMethod::kNetwork;
  SuppressionCost cost = SuppressionCost::kValue;
  std::vector<double> weights;  ///< with SuppressionCost::kWeights: one per cell, finite, > 0
  /// Cells that must be published whatever the cost (e.g. national figures). A primary cell here
  /// is an error.
  std::vector<std::size_t> never_suppress;
  /// Whether zero cells may be suppressed to protect others (tau-Argus and sdcTable: not by
  /// default, since a published zero usually carries no risk and a suppressed one protects only
  /// upwards).
  bool use_zero_cells = false;
  /// kOptimal: wall-clock seconds for the whole search (> 0); the best pattern found by then is
  /// returned, with its gap. kModular: the same for all sub-tables together, each given an equal
  /// share of the time left; a sub-table reached after it gets kNetwork's pattern. Results are
  /// deterministic when the limit is not reached.
  double time_limit = 60;
  /// kOptimal (and kModular, per sub-table): stop when (cost - lower bound) <= relative_gap * cost.
  /// 0 asks for the optimum.
  double relative_gap = 0;
  /// Relative tolerance, as AuditOptions::tolerance, with which a protection level counts as met.
  double tolerance = 1e-6;
  /// Optional progress: units are primary cells protected (kNetwork), candidate cells decided
  /// (kGauss), rounds of cuts (kOptimal, whose total is an estimate) or sub-tables solved
  /// (kModular, whose total is an estimate; the final whole-table pass is not counted).
  ProgressCallback progress;
};

/// Result of secondary suppression. Thread-safety: a plain value.
struct SecondaryResult {
  /// One per cell: kPrimary, kSecondary, kSafe or kEmpty. Except with kGauss, no kSecondary cell
  /// is one the attacker can compute exactly (it would protect nothing; it is published instead).
  std::vector<CellStatus> status;
  std::size_t num_primary = 0;
  std::size_t num_secondary = 0;
  double suppressed_total = 0;  ///< sum of the values of the secondary cells
  double cost = 0;              ///< sum of the costs of the secondary cells
  /// kOptimal: a lower bound on the cost of any pattern that protects every primary cell, and
  /// whether `cost` was proven to reach it (gap 0, or within relative_gap). 0 and false for the
  /// other methods.
  double lower_bound = 0;
  bool optimal = false;
  bool time_limit_reached = false;
  /// Primary cells that no pattern can protect (their protection exceeds what the bounds,
  /// relations and never_suppress cells allow); every other primary cell is protected.
  std::vector<std::size_t> unprotectable;
  /// Rounds of cuts (kOptimal), protection problems solved (kNetwork), sub-table problems solved
  /// (kModular; a sub-table solved again counts again).
  std::size_t iterations = 0;
  std::size_t lp_solves = 0;
  double seconds = 0;  ///< wall-clock time
  /// (cost - lower_bound) / cost, 0 when cost is 0.
  double gap() const noexcept { return cost > 0 ? (cost - lower_bound) / cost : 0.0; }
};

/// Secondary suppression of a generic table: `problem` as audit.hpp describes it, with the
/// primary cells marked `suppressed` and carrying their protection levels; bounds are what an
/// attacker knows a priori. Every other cell is a candidate for secondary suppression (unless
/// excluded by never_suppress or, with value 0, by use_zero_cells). Linked tables are one problem
/// whose relations are all those of the tables, over their shared cells (see link_tables).
///
/// Throws InvalidArgument, before any work, for a problem `audit` would reject, weights of the
/// wrong size or not finite and positive, a never_suppress index out of range or naming a
/// primary cell, time_limit <= 0, relative_gap outside [0, 1) or tolerance outside (0, 1); and
/// for SecondaryMethod::kModular, which needs the hierarchies of a Tabulation (use the overload
/// below), with the message "secondary suppression: method modular needs a Tabulation (its
/// hierarchies)", and likewise for SecondaryMethod::kHypercube. Throws Error when the solver fails.
SecondaryResult secondary_suppression(const AuditProblem& problem, const SecondaryOptions& options = {});

/// Secondary suppression of a tabulation given its primary cells (primary_suppression); zero cells
/// keep kEmpty unless suppressed. Every method may be used, kModular and kHypercube too. Throws as the overload
/// above (on the problem audit_problem makes of the table), and InvalidArgument for a primary
/// result of another size or holding secondary cells.
///
/// Example (a hierarchical table, protected sub-table by sub-table):
/// \code
///   sdcore::SecondaryOptions o;
///   o.method = sdcore::SecondaryMethod::kModular;
///   sdcore::SecondaryResult r = sdcore::secondary_suppression(tabulation, primary, o);
///   // r.status[i]: kPrimary, kSecondary, kSafe or kEmpty; r.unprotectable as for kNetwork
/// \endcode
SecondaryResult secondary_suppression(const Tabulation& table, const PrimaryResult& primary,
                                      const SecondaryOptions& options = {});

/// The audit problem (audit.hpp) of `table` as published with `status`: every cell, suppressed
/// where the status is kPrimary or kSecondary, with the required protection `upper`/`lower` (one
/// per cell; 0 for cells that need none), a-priori bounds [0, +inf) (counts and sums of
/// non-negative contributions), the cell's largest contributions with their contributors' ids for
/// the insider audit, and one relation per additivity relation of the table (total = sum of parts).
/// Throws InvalidArgument if a vector's size differs from the number of cells.
AuditProblem audit_problem(const Tabulation& table, const std::vector<CellStatus>& status,
                           const std::vector<double>& upper, const std::vector<double>& lower);

}  // namespace sdcore
