#pragma once
// Shared by the controlled rounding files (controlled_rounding.cpp, _flow.cpp, _mip.cpp): the
// problem in units of the base, and what each solver returns.

#include <cstddef>
#include <optional>
#include <vector>

#include "sdcore/controlled_rounding.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore::detail {

// Cell i rounds to base * (low[i] + up[i]) with up[i] in {0, 1} when free[i], else to
// base * low[i] (a multiple: low is the multiple's index; a kept cell: low = value / base).
struct RoundingCells {
  double base = 1;
  std::vector<double> value;     // the original values
  std::vector<double> low;       // see above
  std::vector<double> residual;  // value / base - low, in (0, 1) for free cells, 0 otherwise
  std::vector<char> free;        // not a multiple and not kept: may go down or up
  std::vector<char> kept;        // kept exact and not a multiple
  std::vector<Tabulation::Relation> relations;

  std::size_t size() const noexcept { return value.size(); }
  double rounded(std::size_t i, bool up) const { return base * (low[i] + (free[i] && up ? 1.0 : 0.0)); }
  double rounded_value(std::size_t i, bool up) const { return kept[i] ? value[i] : rounded(i, up); }
  // A relation's right-hand side in units of the base: low[total] - sum low[parts], an integer
  // when no cell of it is kept (snapped to one when rounding error alone keeps it from being one).
  double rhs(const Tabulation::Relation& r) const;
};

// One solve's outcome: which free cells go up, and a lower bound on the distance (value units).
struct RoundingSolve {
  ControlledRoundingResult::Status status = ControlledRoundingResult::Status::kUnknown;
  std::vector<char> up;  // one per cell; empty when no rounding was found
  double bound = 0;
  bool proven = false;  // relaxed solve: whether its total violation was proven least
};

// The network flow for a one- or two-dimensional table of flat dimensions with no kept cell;
// nullopt when the flow LP gives no integral solution (only if the table is additive merely up to
// rounding error): the caller then uses the MIP.
std::optional<std::vector<char>> solve_rounding_flow(const Tabulation& table, const RoundingCells& cells);

// The same network's feasible flow by maximum flow (push-relabel): an additive rounding, distance
// not minimised; for tables too large for the LP. nullopt as solve_rounding_flow.
std::optional<std::vector<char>> solve_rounding_max_flow(const Tabulation& table, const RoundingCells& cells);

// Whether solve_rounding_flow applies to the table.
bool network_applies(const Tabulation& table);

// The MIP: an additive rounding of least distance within `seconds`, from `start` (up flags,
// or empty).
RoundingSolve solve_rounding_mip(const RoundingCells& cells, const std::vector<char>& start, double seconds,
                                 std::uint32_t seed);

// The relaxed MIP: the rounding of least total absolute violation of the relations (ties broken
// by distance) within `seconds`; always finds one (it starts from rounding to the nearest).
RoundingSolve solve_relaxed_mip(const RoundingCells& cells, double seconds, std::uint32_t seed);

}  // namespace sdcore::detail
