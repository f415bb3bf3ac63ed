#pragma once
// Cycles of suppressed cells in a two-way table with margins (used by kHypercube,
// src/secondary_hypercube.cpp).
//
// Number the table's rows 0..R-1 and columns 0..C-1, the totals last. Negating the margin cells
// (the total row and column, not the grand total) turns every relation "total = sum of parts"
// into "the row (column) sums to zero", so a change of the table that keeps its relations is,
// after the same negation, a circulation in the bipartite graph whose nodes are the rows and
// columns and whose edges are the cells. A cycle through cell p that alternates +t and -t is the
// simplest such change: if all its cells are suppressed and can move that far, the attacker
// cannot rule out x_p + t. A rectangle is a cycle of four cells; longer cycles are what lets
// primary cells protect one another without more suppression.

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace sdcore::detail {

class SuppressedCycles {
 public:
  struct Step {
    std::size_t row, col;
    int sign;  // +1 or -1: the cell moves by sign * t when p moves by +t
  };
  // `usable(row, col, sign)`: whether that suppressed cell may move by sign * t.
  using Usable = std::function<bool(std::size_t, std::size_t, int)>;

  SuppressedCycles(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols), adjacent_(rows + cols) {}

  // Marks cell (row, col) suppressed (once).
  void add(std::size_t row, std::size_t col) {
    adjacent_[row].push_back(rows_ + col);
    adjacent_[rows_ + col].push_back(row);
  }

  // The shortest cycle through (row, col), the cell itself excepted, of usable suppressed cells,
  // such that moving (row, col) by +t moves each of them by its sign * t; false if there is none.
  bool find(std::size_t row, std::size_t col, const Usable& usable, std::vector<Step>& cycle) const;

 private:
  // -1 for a margin cell (the total in exactly one dimension), +1 otherwise.
  int flip(std::size_t row, std::size_t col) const {
    return ((row == rows_ - 1) != (col == cols_ - 1)) ? -1 : 1;
  }

  std::size_t rows_, cols_;
  std::vector<std::vector<std::size_t>> adjacent_;  // node (row r, or rows_ + column c) -> nodes
};

}  // namespace sdcore::detail
