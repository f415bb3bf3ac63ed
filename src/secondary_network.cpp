// Secondary suppression one primary cell at a time (SecondaryMethod::kNetwork; see
// docs/methods/secondary_suppression.md). For a primary cell p and its upper protection U, the
// cheapest change d of the table that keeps every relation, moves p up by U and stays within the
// a-priori bounds is a linear programme:
//
//   min sum_i cost_i (up_i + down_i)   s.t.  sum_k a_rk (up_k - down_k) = 0 for every relation r,
//   up_p = U, down_p = 0,   0 <= up_i <= ub_i - value_i,   0 <= down_i <= value_i - lb_i,
//
// with cost 0 for cells already suppressed and up_i = down_i = 0 for cells that must stay
// published. Every cell the change touches is suppressed: then an attacker cannot rule out the
// table value + d, whose p is value_p + U, so the upper protection is met; suppressing more later
// only widens intervals. The same with down_p = L for the lower protection. For a two-dimensional
// table the rows form a network matrix and this is a minimum-cost flow (Kelly, Golden & Assad
// 1992; Castro 2006); in general it is a linear programme, solved with COIN-OR Clp.

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <numeric>

#include "detail/lp.hpp"
#include "detail/secondary_internal.hpp"

namespace sdcore::detail {

namespace {

// The protection LP over a set of cells S (every other cell keeps its value): columns 2k and
// 2k+1 move the k-th cell of S up and down; a row per relation that names a cell of S, over its
// cells in S. Any solution is a change of the whole table that keeps every relation.
class LocalLp {
 public:
  LocalLp(const SecondaryInput& in, const std::vector<char>& suppressed, const std::vector<std::size_t>& cells,
          const std::vector<std::vector<std::size_t>>& relations_of, std::vector<std::ptrdiff_t>& column)
      : cells_(cells), lp_(build(in, suppressed, relations_of, column)) {}

  // Moves S's cell `at` by amount (sign +1 up, -1 down); the cells of S the move touches, or
  // nothing when it is impossible within S.
  bool solve(std::size_t at, double amount, int sign, std::vector<std::size_t>& touched) {
    const int up = static_cast<int>(2 * at), down = up + 1;
    lp_.set_bounds(sign > 0 ? up : down, amount, amount);
    lp_.set_bounds(sign > 0 ? down : up, 0, 0);
    if (lp_.solve() != Lp::Status::kOptimal) return false;
    const double* x = lp_.primal();
    const double tiny = 1e-9 * std::max(1.0, amount);
    for (std::size_t k = 0; k < cells_.size(); ++k) {
      if (x[2 * k] > tiny || x[2 * k + 1] > tiny) touched.push_back(cells_[k]);
    }
    return true;
  }
  std::size_t solves() const noexcept { return lp_.solves(); }

 private:
  Lp build(const SecondaryInput& in, const std::vector<char>& suppressed,
           const std::vector<std::vector<std::size_t>>& relations_of, std::vector<std::ptrdiff_t>& column) {
    const std::size_t m = cells_.size();
    std::vector<double> lower(2 * m, 0.0), upper(2 * m, 0.0), cost(2 * m, 0.0);
    for (std::size_t k = 0; k < m; ++k) {
      const std::size_t i = cells_[k];
      column[i] = static_cast<std::ptrdiff_t>(k);
      if (!suppressed[i] && !in.candidate[i]) continue;
      upper[2 * k] = up_capacity(in.problem.cells[i]);
      upper[2 * k + 1] = down_capacity(in.problem.cells[i]);
      if (!suppressed[i]) cost[2 * k] = cost[2 * k + 1] = in.cost[i];
    }
    std::vector<SparseRow> rows;
    std::vector<std::size_t> seen;
    for (std::size_t i : cells_) {
      for (std::size_t r : relations_of[i]) seen.push_back(r);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (std::size_t r : seen) {
      SparseRow row;
      for (const AuditTerm& t : in.problem.relations[r].terms) {
        const std::ptrdiff_t k = column[t.cell];
        if (k < 0) continue;
        row.entries.emplace_back(static_cast<int>(2 * k), t.coefficient);
        row.entries.emplace_back(static_cast<int>(2 * k + 1), -t.coefficient);
      }
      rows.push_back(std::move(row));
    }
    for (std::size_t i : cells_) column[i] = -1;
    return Lp(lower, upper, cost, rows);
  }

  const std::vector<std::size_t>& cells_;
  Lp lp_;
};

// Protects primary cells one at a time. The LP is first solved over a small neighbourhood of
// the primary cell (see neighbourhood()); only when that admits no move does it grow, and at
// last the whole table is used. A move found in a neighbourhood is a
// move of the whole table, so the guarantee does not depend on the neighbourhood.
class Network {
 public:
  Network(const SecondaryInput& in, std::vector<char>& suppressed)
      : in_(in), suppressed_(suppressed), relations_of_(in.problem.cells.size()),
        by_cost_(in.problem.relations.size()), hidden_(in.problem.relations.size()),
        column_(in.problem.cells.size(), -1), in_set_(in.problem.cells.size(), 0),
        relation_mark_(in.problem.relations.size(), 0), count_(in.problem.cells.size(), 0) {
    for (std::size_t r = 0; r < in.problem.relations.size(); ++r) {
      for (const AuditTerm& t : in.problem.relations[r].terms) {
        relations_of_[t.cell].push_back(r);
        if (suppressed[t.cell]) hidden_[r].push_back(t.cell);
        else if (in.candidate[t.cell]) by_cost_[r].push_back(t.cell);
      }
      std::stable_sort(by_cost_[r].begin(), by_cost_[r].end(),
                       [&](std::size_t a, std::size_t b) { return in.cost[a] < in.cost[b]; });
    }
  }

  // Moves primary p by `amount` up (sign +1) or down (-1) at least cost and suppresses what the
  // move touches. False when no such move exists.
  bool protect(std::size_t p, double amount, int sign) {
    static constexpr std::size_t kRounds[] = {2, 3, 4};
    static constexpr std::size_t kCheapest[] = {2, 8, 32};
    for (std::size_t level = 0; level < 4; ++level) {
      const std::vector<std::size_t> set =
          level == 0 ? hidden_closure(p, kHiddenCap) : neighbourhood(p, kRounds[level - 1], kCheapest[level - 1]);
      if (set.size() == in_.problem.cells.size()) break;  // the whole table: solve it once below
      std::vector<std::size_t> touched;
      LocalLp lp(in_, suppressed_, set, relations_of_, column_);
      const bool ok = lp.solve(static_cast<std::size_t>(std::find(set.begin(), set.end(), p) - set.begin()),
                               amount, sign, touched);
      solves_ += lp.solves();
      if (ok) {
        for (std::size_t i : touched) hide(i);
        return true;
      }
    }
    std::vector<std::size_t> all(in_.problem.cells.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::vector<std::size_t> touched;
    LocalLp lp(in_, suppressed_, all, relations_of_, column_);
    const bool ok = lp.solve(p, amount, sign, touched);
    solves_ += lp.solves();
    for (std::size_t i : touched) hide(i);
    return ok;
  }

  std::size_t solves() const noexcept { return solves_; }

 private:
  static constexpr std::size_t kHiddenCap = 4096;

  void hide(std::size_t i) {
    if (suppressed_[i]) return;
    suppressed_[i] = 1;
    for (std::size_t r : relations_of_[i]) hidden_[r].push_back(i);
  }

  void add(std::size_t i, std::vector<std::size_t>& set, std::vector<std::size_t>& next) {
    if (in_set_[i] || (!suppressed_[i] && !in_.candidate[i])) return;
    in_set_[i] = 1;
    set.push_back(i);
    next.push_back(i);
  }

  // The suppressed cells linked to p through relations with suppressed cells, breadth first, at
  // most `cap`: when p can move within them, it is protected without suppressing more.
  std::vector<std::size_t> hidden_closure(std::size_t p, std::size_t cap) {
    std::vector<std::size_t> set{p}, touched;
    in_set_[p] = 1;
    for (std::size_t head = 0; head < set.size() && set.size() < cap; ++head) {
      for (std::size_t r : relations_of_[set[head]]) {
        if (relation_mark_[r]) continue;
        relation_mark_[r] = 1;
        touched.push_back(r);
        for (std::size_t i : hidden_[r]) {
          if (in_set_[i] || set.size() >= cap) continue;
          in_set_[i] = 1;
          set.push_back(i);
        }
      }
    }
    for (std::size_t r : touched) relation_mark_[r] = 0;
    for (std::size_t i : set) in_set_[i] = 0;
    return set;
  }

  // The relations' suppressed cells and `cheapest` cheapest candidates, from p outwards for
  // `rounds` rounds; then every cell that lies in two of the relations reached (in a
  // two-dimensional table: the corners that close rectangles through p).
  std::vector<std::size_t> neighbourhood(std::size_t p, std::size_t rounds, std::size_t cheapest) {
    std::vector<std::size_t> set{p}, frontier{p}, next, touched;
    in_set_[p] = 1;
    for (std::size_t round = 0; round < rounds; ++round) {
      for (std::size_t u : frontier) {
        for (std::size_t r : relations_of_[u]) {
          if (relation_mark_[r]) continue;
          relation_mark_[r] = 1;
          touched.push_back(r);
          for (std::size_t i : hidden_[r]) add(i, set, next);
          std::size_t added = 0;
          for (auto it = by_cost_[r].begin(); it != by_cost_[r].end() && added < cheapest; ++it) {
            if (!in_set_[*it]) add(*it, set, next), ++added;
          }
        }
      }
      frontier.swap(next);
      next.clear();
    }
    std::vector<std::size_t> corners;
    for (std::size_t r : touched) {
      for (const AuditTerm& t : in_.problem.relations[r].terms) {
        if (in_set_[t.cell] || (!suppressed_[t.cell] && !in_.candidate[t.cell])) continue;
        if (count_[t.cell]++ == 1) corners.push_back(t.cell);
      }
    }
    for (std::size_t r : touched) {
      relation_mark_[r] = 0;
      for (const AuditTerm& t : in_.problem.relations[r].terms) count_[t.cell] = 0;
    }
    for (std::size_t i : corners) add(i, set, next);
    for (std::size_t i : set) in_set_[i] = 0;
    return set;
  }

  const SecondaryInput& in_;
  std::vector<char>& suppressed_;
  std::vector<std::vector<std::size_t>> relations_of_;  // cell -> relations naming it
  std::vector<std::vector<std::size_t>> by_cost_;       // relation -> its candidate cells, cheapest first
  std::vector<std::vector<std::size_t>> hidden_;        // relation -> its suppressed cells (grows)
  std::vector<std::ptrdiff_t> column_;                  // scratch for LocalLp
  std::vector<char> in_set_;                            // scratch for neighbourhood
  std::vector<char> relation_mark_;                     // scratch for neighbourhood
  std::vector<std::uint32_t> count_;                    // scratch for neighbourhood
  std::size_t solves_ = 0;
};

}  // namespace

void network_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result,
                         const std::vector<char>* proven) {
  const auto& cells = in.problem.cells;
  std::vector<std::size_t> primaries;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].suppressed && !(proven != nullptr && (*proven)[i])) primaries.push_back(i);
  }
  // Largest protection first: its move tends to suppress cells that smaller ones can reuse.
  std::stable_sort(primaries.begin(), primaries.end(), [&](std::size_t a, std::size_t b) {
    return cells[a].upper_protection + cells[a].lower_protection > cells[b].upper_protection + cells[b].lower_protection;
  });
  Network m(in, suppressed);
  std::size_t done = 0;
  for (std::size_t p : primaries) {
    const PrimaryMoves a = primary_moves(cells[p], in.options.tolerance);
    bool ok = a.enough;
    if (a.down > 0) ok = m.protect(p, a.down, -1) && ok;
    if (a.up > 0) ok = m.protect(p, a.up, +1) && ok;
    result.iterations += (a.down > 0 ? 1 : 0) + (a.up > 0 ? 1 : 0);
    if (!ok) result.unprotectable.push_back(p);
    if (in.options.progress) in.options.progress(++done, primaries.size());
  }
  std::sort(result.unprotectable.begin(), result.unprotectable.end());
  result.lp_solves = m.solves();
}

}  // namespace sdcore::detail
