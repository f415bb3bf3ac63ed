#pragma once
/// \file controlled_rounding.hpp
/// Controlled rounding of tables: every cell, total and subtotal moves to one of the two
/// multiples of a base next to it (a cell that already is a multiple keeps its value), and the
/// rounded table is exactly additive. For one- and two-dimensional tables without hierarchies
/// such a rounding always exists and is found, with the least distance from the table, as a
/// network flow (Cox & Ernst 1982); for three or more dimensions or hierarchical dimensions it is
/// a mixed-integer programme on COIN-OR Cbc, which may prove that no such rounding exists.
/// Method, guarantees and references: docs/methods/controlled_rounding.md.
///
/// Example:
/// \code
///   sdcore::ControlledRoundingOptions o;
///   o.base = 5;
///   sdcore::ControlledRoundingResult r = sdcore::controlled_round(tabulation, o);
///   if (r.status == sdcore::ControlledRoundingResult::Status::kOptimal) {
///     // r.values[i]: the rounded value of cell i, a multiple of 5 next to the original;
///     // every relation of tabulation.relations() holds on r.values.
///   }
/// \endcode
///
/// Thread-safety: functions are re-entrant (the COIN-OR solvers are serialised internally);
/// options and results are plain values.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/tabular.hpp"

namespace sdcore {

/// How controlled_round solves the problem.
enum class ControlledRoundingMethod : std::uint8_t {
  /// The network flow for one- and two-dimensional tables of flat dimensions (when no cell that is
  /// not a multiple of the base is kept exact), the MIP otherwise.
  kAuto,
  /// The network flow; only for one- and two-dimensional tables of flat dimensions.
  kNetwork,
  /// The mixed-integer programme, for any table (also two-dimensional ones, e.g. to compare).
  kMip,
};
const char* to_string(ControlledRoundingMethod m) noexcept;

/// Options of controlled_round. Thread-safety: a plain value.
struct ControlledRoundingOptions {
  /// The rounding base b: finite and > 0 (usually a whole number such as 3, 5 or 10).
  double base = 5;
  ControlledRoundingMethod method = ControlledRoundingMethod::kAuto;
  /// The network flow minimises the distance (a linear programme on Clp) for tables of up to this
  /// many cells; larger ones get a feasible flow by maximum flow (push-relabel, Boost Graph
  /// Library) instead: additive and every cell adjacent as always, but the distance is not
  /// minimised (status kFeasible, method "max flow"). The LP takes about 5 s at 100k cells.
  std::size_t max_optimal_cells = 200000;
  /// Wall-clock seconds (> 0, finite) for the MIP, both solves together when the relaxed
  /// solution is asked for. Results are deterministic unless this limit stops the solver. The
  /// solver checks it between its steps, so it can be overrun on tables of thousands of cells.
  double time_limit_seconds = 60;
  /// When no exactly additive rounding is found (proven infeasible, or the time limit reached
  /// without one): return the rounding (every cell still at a multiple next to it) with the
  /// least total absolute violation of the relations, and the violations. Never done unasked.
  bool relaxed_if_infeasible = false;
  /// Empty, or one flag per cell: a non-zero flag keeps that cell's value unrounded (e.g. national
  /// figures a publication rule says must not change). A kept cell that is not a multiple of the
  /// base makes the relations through it hard or impossible to meet with rounded cells; the MIP
  /// then reports kInfeasible (see the docs page). Kept cells need the MIP when any is not a
  /// multiple (kAuto chooses it).
  std::vector<char> keep_exact;
  /// Empty, or a rounded table (one value per cell, each a multiple next to the original, or the
  /// original for a kept cell) given to the MIP as a starting solution when it is exactly additive.
  std::vector<double> start;
  /// Random seed of the MIP solver (its choices are deterministic for a given seed).
  std::uint32_t seed = 1;
};

/// A relation that the relaxed rounding does not meet.
struct RelationViolation {
  std::size_t relation = 0;  ///< index into the relations (Tabulation::relations() for a table)
  std::size_t total = 0;     ///< the relation's total cell
  double amount = 0;         ///< rounded total minus the sum of its rounded parts (non-zero)
};

/// Result of controlled_round. Thread-safety: a plain value.
struct ControlledRoundingResult {
  enum class Status : std::uint8_t {
    kOptimal,     ///< an additive rounding of least distance (proven)
    kFeasible,    ///< an additive rounding, the best found when the time limit stopped the MIP
    kInfeasible,  ///< proven: no additive rounding exists (possible from three dimensions on)
    kUnknown,     ///< the time limit stopped the MIP before it found an additive rounding or proof
  };
  Status status = Status::kUnknown;
  /// The rounded table, one value per cell: additive (kOptimal, kFeasible), or with kInfeasible or
  /// kUnknown the relaxed rounding when it was asked for (then `relaxed` is true), else empty.
  std::vector<double> values;
  std::string method;  ///< "network flow" or "mip"
  /// Sum over all cells (totals too) of |rounded - original|, for `values` (0 when empty).
  double distance = 0;
  /// A lower bound on the distance of any additive rounding (equal to `distance` when kOptimal;
  /// 0 when nothing is known).
  double bound = 0;
  /// Whether `values` is the relaxed rounding, which breaks the relations in `violations`.
  bool relaxed = false;
  /// Whether the relaxed rounding's total violation was proven least.
  bool relaxed_optimal = false;
  std::vector<RelationViolation> violations;
  double total_violation = 0;  ///< sum of |amount| over `violations`
  double seconds = 0;          ///< wall-clock time
};
const char* to_string(ControlledRoundingResult::Status s) noexcept;

/// Controlled rounding of a tabulation to `options.base`: every cell (inner cells, totals and
/// subtotals) of the result is floor or ceiling of its value to the base, a multiple unchanged,
/// and every relation of table.relations() holds exactly on the result. Among such roundings the
/// one of least distance (sum of absolute changes over all cells) is returned.
///
/// Throws InvalidArgument, before any work, for a base that is not finite and > 0, a time limit
/// that is not finite and > 0, keep_exact or start of another size than the table, a start value
/// that is not a rounding of its cell, a cell value that is negative, NaN or infinite (naming the
/// cell), a table whose relations do not hold on its values (naming the total), or
/// ControlledRoundingMethod::kNetwork on a table it cannot solve. Throws Error when a solver fails.
ControlledRoundingResult controlled_round(const Tabulation& table, const ControlledRoundingOptions& options = {});

/// Controlled rounding of any non-negative values with linear additive relations (each: value of
/// `total` = sum of values of `parts`; Relation::dimension is not used), e.g. linked tables. Always
/// solved by the MIP (kNetwork is refused). Cells are named "cell <index>" in messages. Throws as
/// the overload above, and InvalidArgument for a relation naming a cell out of range.
ControlledRoundingResult controlled_round(const std::vector<double>& values,
                                          const std::vector<Tabulation::Relation>& relations,
                                          const ControlledRoundingOptions& options = {});

}  // namespace sdcore
