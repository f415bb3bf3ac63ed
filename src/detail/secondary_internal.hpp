#pragma once
// What the secondary suppression methods share (src/secondary*.cpp): the validated input, with
// each cell's cost and whether it may become a secondary suppression. The public entry points
// (suppression.hpp) validate, build this, call one method and fill in the result's totals.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "detail/lp.hpp"
#include "sdcore/audit.hpp"
#include "sdcore/suppression.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore::detail {

struct SecondaryInput {
  const AuditProblem& problem;      // validated; cells[i].suppressed marks the primary cells
  const SecondaryOptions& options;  // validated
  std::vector<double> cost;         // per cell, finite and > 0
  std::vector<char> candidate;      // per cell: may become secondary (never a primary cell)
  // The tabulation `problem` was made from by audit_problem (cell i is its cell i, relation r is
  // its relations()[r]), or null for a generic problem. kModular needs it for the hierarchies.
  const Tabulation* table = nullptr;
};

inline double up_capacity(const AuditCell& c) { return std::max(0.0, c.upper_bound - c.value); }
inline double down_capacity(const AuditCell& c) { return std::max(0.0, c.value - c.lower_bound); }

// The moves a primary cell is protected by: down by `down` and up by `up` (each within the cell's
// a-priori bounds), which together leave the attacker an interval at least up + down wide. When
// the bounds do not allow the required protection, the moves go as far as they can and `enough`
// is false: the cell is then reported unprotectable.
struct PrimaryMoves {
  double up = 0, down = 0;
  bool enough = true;
};
inline PrimaryMoves primary_moves(const AuditCell& c, double tolerance) {
  const double slack = tolerance * std::max(1.0, std::abs(c.value));
  double up = c.upper_protection, down = c.lower_protection;
  if (up + down + c.sliding_protection <= 10 * slack) up = 10 * slack;  // at least not exact
  PrimaryMoves m;
  if (down > 0) {
    m.down = std::min(down, down_capacity(c));
    m.enough = m.down >= down - slack;
  }
  up = std::max(up, c.sliding_protection - m.down);
  if (up > 0) {
    m.up = std::min(up, up_capacity(c));
    m.enough = m.enough && m.up >= up - slack;
  }
  return m;
}

// The problem's relations as LP rows over every cell (column i is cell i), right-hand side 0: the
// changes of the table that keep them.
inline std::vector<SparseRow> relation_rows(const AuditProblem& problem) {
  std::vector<SparseRow> rows;
  for (const AuditRelation& r : problem.relations) {
    SparseRow row;
    for (const AuditTerm& t : r.terms) row.entries.emplace_back(static_cast<int>(t.cell), t.coefficient);
    rows.push_back(std::move(row));
  }
  return rows;
}

// Each method starts from `suppressed` = the primary cells and adds the secondary ones; it sets
// the result's method-specific fields (lower_bound, optimal, time_limit_reached, unprotectable,
// iterations, lp_solves). Totals (num_secondary, cost, suppressed_total, seconds) are filled in
// by the caller.
// `proven`, if given, marks primary cells (by cell index) already protected in the whole table
// by both of their moves (primary_moves); kNetwork leaves them be.
void network_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result,
                         const std::vector<char>* proven = nullptr);
void gauss_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result);
void optimal_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result);
// Need in.table (src/secondary_modular.cpp, src/secondary_hypercube.cpp).
void modular_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result);
void hypercube_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result);

// Publishes again every secondary cell (suppressed, not primary) that the attacker can compute
// exactly, skipping those `moved` marks as shifted by some change of the table the attacker cannot
// rule out (src/secondary_cleanup.cpp).
void publish_exact_secondaries(const SecondaryInput& in, std::vector<char>& suppressed, std::vector<char> moved);

// One sub-table of kModular: one non-leaf node n_d chosen per dimension (the root for a dimension
// with no other node), and every cell whose node in each dimension d is n_d or a child of n_d.
struct ModularSubTable {
  std::vector<std::size_t> nodes;      // n_d per dimension
  std::size_t depth = 0;               // sum of the depths of the nodes
  std::vector<std::size_t> cells;      // the tabulation's cells in it, ascending
  std::vector<std::size_t> relations;  // indices into Tabulation::relations() lying wholly inside, ascending
};
// Every sub-table of `table`, in the order kModular protects them: increasing depth, ties in
// lexicographic order of `nodes` (the dimensions' node numbers, first dimension slowest).
std::vector<ModularSubTable> modular_subtables(const Tabulation& table);

// The passes of kModular and kHypercube over those sub-tables: which are done, which sub-tables
// hold each cell, and reopening a done sub-table when one of its published cells is suppressed
// later (it is then done again in a later pass; suppression only grows, so the passes end).
class SubTablePasses {
 public:
  static constexpr std::size_t kMaxPasses = 10;  // beyond, the methods' whole-table steps repair

  SubTablePasses(const Tabulation& table, std::size_t num_cells)
      : subs_(modular_subtables(table)), member_(num_cells), done_(subs_.size(), 0), left_(subs_.size()) {
    for (std::size_t s = 0; s < subs_.size(); ++s) {
      for (std::size_t c : subs_[s].cells) member_[c].push_back(s);
    }
  }

  const std::vector<ModularSubTable>& subs() const noexcept { return subs_; }
  // Sub-tables not done (in this pass or reopened for the next).
  std::size_t left() const noexcept { return left_; }

  // protect(s) for each sub-table not done, in order, pass after pass; after() once s is done.
  template <class Protect, class After>
  void run(Protect&& protect, After&& after) {
    for (std::size_t pass = 0; pass < kMaxPasses && left_ > 0; ++pass) {
      for (std::size_t s = 0; s < subs_.size(); ++s) {
        if (done_[s]) continue;
        protect(s);
        done_[s] = 1;
        --left_;
        after();
      }
    }
  }

  // Whether cell c is published by a sub-table other than s that is done and not reopened.
  bool held(std::size_t c, std::size_t s, const std::vector<char>& suppressed) const {
    if (suppressed[c]) return false;
    return std::any_of(member_[c].begin(), member_[c].end(), [&](std::size_t t) { return t != s && done_[t]; });
  }

  // Cell c has just been suppressed by sub-table s: every other done sub-table holding it reopens.
  void reopen(std::size_t c, std::size_t s) {
    for (std::size_t t : member_[c]) {
      if (t != s && done_[t]) done_[t] = 0, ++left_;
    }
  }

 private:
  std::vector<ModularSubTable> subs_;
  std::vector<std::vector<std::size_t>> member_;  // cell -> the sub-tables holding it
  std::vector<char> done_;                        // sub-table done and not reopened since
  std::size_t left_ = 0;                          // sub-tables not done
};

}  // namespace sdcore::detail
