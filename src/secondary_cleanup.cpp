// A secondary cell that the attacker can compute exactly from the published cells protects nothing:
// every change of the table the attacker cannot rule out leaves it as it is, so publishing it
// changes no other cell's interval (the attacker's feasible set is the same). Such cells arise
// where a method picks cells for reasons other than a move that shifts them (kOptimal's master
// programme, kModular's sub-tables, hypercubes of a sub-table that are not moves of the whole
// table); each is published again here, so that no suppressed cell of a pattern is exact (what
// the audit checks of every suppressed cell) and the pattern costs less.

#include <algorithm>
#include <cmath>

#include "detail/lp.hpp"
#include "detail/secondary_internal.hpp"

namespace sdcore::detail {

void publish_exact_secondaries(const SecondaryInput& in, std::vector<char>& suppressed, std::vector<char> moved) {
  const auto& cells = in.problem.cells;
  const std::size_t n = cells.size();
  std::vector<std::size_t> unknown;
  for (std::size_t i = 0; i < n; ++i) {
    if (suppressed[i] && !cells[i].suppressed && !moved[i]) unknown.push_back(i);
  }
  if (unknown.empty()) return;
  // Moves within [-1, 1] (or the bounds, if closer): whether a cell can move at all does not depend
  // on how far, as the set of moves is convex and holds 0; the box keeps the LP bounded and scaled.
  std::vector<double> lower(n, 0.0), upper(n, 0.0), cost(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!suppressed[i]) continue;
    lower[i] = -std::min(1.0, down_capacity(cells[i]));
    upper[i] = std::min(1.0, up_capacity(cells[i]));
  }
  Lp lp(lower, upper, cost, relation_rows(in.problem));
  constexpr double kMoves = 1e-7;  // of the at most unit box
  for (std::size_t k : unknown) {
    for (const int sign : {+1, -1}) {
      if (moved[k]) break;
      lp.set_cost(static_cast<int>(k), -sign);
      const Lp::Status status = lp.solve();
      lp.set_cost(static_cast<int>(k), 0);
      if (status != Lp::Status::kOptimal) continue;
      const double* x = lp.primal();  // every cell this move shifts is not exact either
      for (std::size_t j = 0; j < n; ++j) moved[j] = moved[j] || std::abs(x[j]) > kMoves;
    }
    if (!moved[k]) {
      suppressed[k] = 0;
      lp.set_bounds(static_cast<int>(k), 0, 0);
    }
  }
}

}  // namespace sdcore::detail
