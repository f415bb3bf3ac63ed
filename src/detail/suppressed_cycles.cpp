#include "detail/suppressed_cycles.hpp"

#include <deque>

namespace sdcore::detail {

bool SuppressedCycles::find(std::size_t row, std::size_t col, const Usable& usable, std::vector<Step>& cycle) const {
  // After negating the margins, p moves by s = flip(p) and the cycle's cells alternate: an edge
  // taken from a row to a column moves by -s, one taken from a column to a row by +s. The path
  // runs from p's row to p's column, so it closes the cycle through p. Breadth first: shortest.
  const int s = flip(row, col);
  const std::size_t none = static_cast<std::size_t>(-1);
  const std::size_t start = row, goal = rows_ + col;
  std::vector<std::size_t> from(adjacent_.size(), none);
  std::deque<std::size_t> queue{start};
  from[start] = start;
  while (!queue.empty() && from[goal] == none) {
    const std::size_t u = queue.front();
    queue.pop_front();
    const bool at_row = u < rows_;
    for (std::size_t v : adjacent_[u]) {
      if (from[v] != none) continue;
      const std::size_t r = at_row ? u : v, c = (at_row ? v : u) - rows_;
      if (r == row && c == col) continue;  // p itself
      const int y = at_row ? -s : s;
      if (!usable(r, c, y * flip(r, c))) continue;
      from[v] = u;
      queue.push_back(v);
    }
  }
  if (from[goal] == none) return false;
  cycle.clear();
  for (std::size_t v = goal; v != start; v = from[v]) {
    const std::size_t u = from[v];
    const bool at_row = u < rows_;
    const std::size_t r = at_row ? u : v, c = (at_row ? v : u) - rows_;
    cycle.push_back({r, c, (at_row ? -s : s) * flip(r, c)});
  }
  return true;
}

}  // namespace sdcore::detail
