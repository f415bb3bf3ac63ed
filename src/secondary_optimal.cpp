// Optimal secondary suppression (SecondaryMethod::kOptimal; docs/methods/secondary_suppression.md),
// after Fischetti & Salazar-Gonzalez (2001): binary x_i (suppress cell i) at least total cost,
// subject to every primary cell being protected. Protection is enforced lazily. For a pattern x,
// the attacker's largest upward move of primary p is the linear programme
//
//   max d_p  s.t.  sum_k a_rk d_k = 0 for every relation r,  -D_k x_k <= d_k <= P_k x_k,
//
// (P_k, D_k: how far cell k can move up and down within its a-priori bounds). For any duals y of
// the relations, with reduced costs r = -e_p - A^T y, weak duality gives max d_p <= sum_k w_k x_k,
// w_k = (r_k > 0 ? r_k D_k : -r_k P_k). So every protected pattern satisfies the cut
// sum_k min(w_k, U) x_k >= U (capping is valid for binary x), and the duals of an unprotected
// pattern give a cut that it violates. Downward moves likewise; the sliding protection adds the
// two cuts' coefficients. The master MIP (Cbc) is re-solved with the cuts found until its
// solution is protected: then it is optimal. The kNetwork heuristic supplies the first
// incumbent, and repairs each unprotected master solution into a further one.
//
// Before the first MIP and after each round, the cuts are also separated at fractional points, as Fischetti &
// Salazar-Gonzalez do at the root: the bounds -D_k x_k <= d_k <= P_k x_k and the weak-duality
// argument hold for any x in [0, 1], so the master's LP relaxation is solved, the attacker's LP
// run at its solution, and the violated cuts added, until none is violated. The MIP then starts
// from a relaxation that already protects every primary on average, and needs far fewer rounds.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "detail/lp.hpp"
#include "detail/mip.hpp"
#include "detail/secondary_internal.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {

namespace {

using Clock = std::chrono::steady_clock;

// Up to this many cells, kNetwork's start is computed beside kHypercube's (it is often cheaper);
// beyond, its one LP per primary would take longer than the search has.
constexpr std::size_t kNetworkStartCells = 20000;
// Up to this many cells, a hierarchical table also gets kModular's pattern as a start, with half
// the time limit: it is usually far cheaper than the others there. Beyond, its final whole-table
// kNetwork pass would not keep to the time limit.
constexpr std::size_t kModularStartCells = 200000;

bool hierarchical(const Tabulation& t) {
  for (const Dimension& d : t.dimensions()) {
    for (std::size_t node = 0; node < d.size(); ++node) {
      if (d.depth(node) > 1) return true;
    }
  }
  return false;
}

// The attacker's LP over all cells; a pattern is set through the bounds.
class Attacker {
 public:
  explicit Attacker(const SecondaryInput& in) : in_(in), lp_(make(in)) {
    // Infinite a-priori bounds become a distance no sensible move needs: the cuts then stay
    // finite. A pattern this makes look unprotected is only ever over-protected, never under.
    double big = 0;
    for (const AuditCell& c : in.problem.cells) {
      big += std::abs(c.value) + c.upper_protection + c.lower_protection + c.sliding_protection;
    }
    big_ = 2 * big + 1;
  }

  double up_capacity(std::size_t k) const {
    const AuditCell& c = in_.problem.cells[k];
    return std::isinf(c.upper_bound) ? big_ : std::max(0.0, c.upper_bound - c.value);
  }
  double down_capacity(std::size_t k) const {
    const AuditCell& c = in_.problem.cells[k];
    return std::isinf(c.lower_bound) ? big_ : std::max(0.0, c.value - c.lower_bound);
  }

  // x[k] in [0, 1]: how far cell k is suppressed (fractional at the root of the search).
  void set_pattern(const std::vector<double>& x) {
    for (std::size_t k = 0; k < x.size(); ++k) {
      lp_.set_bounds(static_cast<int>(k), -x[k] * down_capacity(k), x[k] * up_capacity(k));
    }
  }

  // The attacker's largest move of p (sign +1 up, -1 down) under the pattern set, and the cut
  // coefficients w (uncapped) from its duals.
  double move(std::size_t p, int sign, std::vector<double>& w) {
    lp_.set_cost(static_cast<int>(p), -sign);
    const Lp::Status status = lp_.solve();
    lp_.set_cost(static_cast<int>(p), 0);
    if (status != Lp::Status::kOptimal) throw Error("secondary suppression: the attacker's LP has no optimum");
    const std::size_t n = in_.problem.cells.size();
    std::vector<double> r(n, 0.0);
    r[p] = -sign;
    const double* y = lp_.row_duals();
    for (std::size_t j = 0; j < in_.problem.relations.size(); ++j) {
      if (y[j] == 0) continue;
      for (const AuditTerm& t : in_.problem.relations[j].terms) r[t.cell] -= y[j] * t.coefficient;
    }
    w.assign(n, 0.0);
    for (std::size_t k = 0; k < n; ++k) {
      if (std::abs(r[k]) > 1e-12) w[k] = r[k] > 0 ? r[k] * down_capacity(k) : -r[k] * up_capacity(k);
    }
    return -lp_.objective();
  }
  std::size_t solves() const noexcept { return lp_.solves(); }

 private:
  static Lp make(const SecondaryInput& in) {
    const std::size_t n = in.problem.cells.size();
    return Lp(std::vector<double>(n, 0.0), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0),
              relation_rows(in.problem));
  }

  const SecondaryInput& in_;
  Lp lp_;
  double big_ = 0;
};

struct Search {
  const SecondaryInput& in;
  Attacker attacker;
  std::vector<std::size_t> var_cell;     // MIP variable -> cell
  std::vector<std::ptrdiff_t> cell_var;  // cell -> MIP variable, -1 if fixed
  CoverMip mip;
  std::size_t lp_solves = 0;  // of the relaxations
  Clock::time_point deadline;
  // Whether the last separation stopped at the deadline before checking every primary: its cuts
  // are valid, but finding none then proves nothing.
  bool cut_short = false;

  Search(const SecondaryInput& s, Clock::time_point end)
      : in(s), attacker(s), cell_var(s.problem.cells.size(), -1), deadline(end) {
    for (std::size_t i = 0; i < cell_var.size(); ++i) {
      if (!in.candidate[i]) continue;
      cell_var[i] = static_cast<std::ptrdiff_t>(var_cell.size());
      var_cell.push_back(i);
      mip.cost.push_back(in.cost[i]);
    }
  }

  double scale(std::size_t p) const { return in.options.tolerance * std::max(1.0, std::abs(in.problem.cells[p].value)); }

  // Adds sum min(w_k, need) x_k >= need - (fixed suppressed part), which `pattern` must violate.
  // Should rounding in the duals make a 0/1 pattern not do so, the no-good cut "suppress one more
  // of the cells this pattern publishes" is added instead: valid, since suppressing fewer cells
  // never protects more. At a fractional point the capped cut may hold although the uncapped one
  // fails; nothing is added then.
  void add_cut(const std::vector<double>& w, double need, const std::vector<double>& pattern, bool integral) {
    SparseRow row;
    double fixed = 0, at_pattern = 0;
    for (std::size_t k = 0; k < w.size(); ++k) {
      const double c = std::min(w[k], need);
      if (c <= 1e-9 * need) continue;
      if (cell_var[k] >= 0) {
        row.entries.emplace_back(static_cast<int>(cell_var[k]), c);
        at_pattern += pattern[k] * c;
      } else if (in.problem.cells[k].suppressed) {
        fixed += c;
      }
    }
    row.rhs = need - fixed;
    if (at_pattern < row.rhs - 1e-7 * need) {
      mip.rows.push_back(std::move(row));
      return;
    }
    if (!integral) return;
    SparseRow no_good;
    no_good.rhs = 1;
    for (std::size_t j = 0; j < var_cell.size(); ++j) {
      if (!pattern[var_cell[j]]) no_good.entries.emplace_back(static_cast<int>(j), 1.0);
    }
    mip.rows.push_back(std::move(no_good));
  }

  // Cuts that `pattern` (0/1 per cell, or fractional with integral = false) violates; the number
  // added.
  std::size_t separate(const std::vector<double>& pattern, bool integral) {
    attacker.set_pattern(pattern);
    const std::size_t before = mip.rows.size();
    std::vector<double> w_up, w_down;
    cut_short = false;
    for (std::size_t p = 0; p < pattern.size(); ++p) {
      const AuditCell& c = in.problem.cells[p];
      if (!c.suppressed) continue;
      if (Clock::now() >= deadline) {
        cut_short = true;
        break;
      }
      double need_up = c.upper_protection, need_down = std::min(c.lower_protection, attacker.down_capacity(p));
      double need_slide = c.sliding_protection;
      if (need_up + need_down + need_slide <= 10 * scale(p)) need_slide = 10 * scale(p);
      need_up = std::min(need_up, attacker.up_capacity(p));
      const double up = attacker.move(p, +1, w_up);
      const double down = attacker.move(p, -1, w_down);
      if (up < need_up - scale(p)) add_cut(w_up, need_up, pattern, integral);
      if (down < need_down - scale(p)) add_cut(w_down, need_down, pattern, integral);
      if (up + down < need_slide - scale(p)) {
        for (std::size_t k = 0; k < w_up.size(); ++k) w_up[k] += w_down[k];
        add_cut(w_up, need_slide, pattern, integral);
      }
    }
    return mip.rows.size() - before;
  }

  // For each primary p and relation r naming it: r must hold another suppressed cell.
  void initial_cuts() {
    for (const AuditRelation& r : in.problem.relations) {
      for (const AuditTerm& t : r.terms) {
        if (!in.problem.cells[t.cell].suppressed) continue;
        SparseRow row;
        row.rhs = 1;
        bool other_primary = false;
        for (const AuditTerm& u : r.terms) {
          if (u.cell == t.cell) continue;
          other_primary = other_primary || in.problem.cells[u.cell].suppressed;
          if (cell_var[u.cell] >= 0) row.entries.emplace_back(static_cast<int>(cell_var[u.cell]), 1.0);
        }
        if (!other_primary && !row.entries.empty()) mip.rows.push_back(std::move(row));
      }
    }
  }

  std::size_t separate(const std::vector<char>& pattern) {
    return separate(std::vector<double>(pattern.begin(), pattern.end()), true);
  }

  // The master's LP relaxation with the cuts so far (a slack column turns each >= row into the
  // equality rows Lp takes): its solution as a point per cell (primaries 1, published 0), and
  // its value, a lower bound on the optimum.
  double relaxation(std::vector<double>& point) {
    const std::size_t n = var_cell.size(), m = mip.rows.size();
    std::vector<double> lower(n + m, 0.0), upper(n + m, 1.0), cost(n + m, 0.0);
    std::copy(mip.cost.begin(), mip.cost.end(), cost.begin());
    std::fill(upper.begin() + static_cast<std::ptrdiff_t>(n), upper.end(), std::numeric_limits<double>::infinity());
    std::vector<SparseRow> rows = mip.rows;
    for (std::size_t r = 0; r < m; ++r) rows[r].entries.emplace_back(static_cast<int>(n + r), -1.0);
    Lp lp(lower, upper, cost, rows);
    if (lp.solve() != Lp::Status::kOptimal) return -1;  // infeasible: left to the MIP to say
    point.assign(in.problem.cells.size(), 0.0);
    for (std::size_t k = 0; k < point.size(); ++k) point[k] = in.problem.cells[k].suppressed ? 1.0 : 0.0;
    for (std::size_t j = 0; j < n; ++j) point[var_cell[j]] = std::clamp(lp.primal()[j], 0.0, 1.0);
    lp_solves += lp.solves();
    return lp.objective();
  }

  // Cutting planes on the relaxation: separates at its solution until no cut is violated there,
  // 200 rounds, or the deadline. Returns the best relaxation value seen, a lower bound.
  double root_cuts() {
    double bound = 0;
    std::vector<double> point;
    for (int round = 0; round < 200 && Clock::now() < deadline; ++round) {
      const double value = relaxation(point);
      if (value < 0) break;
      bound = std::max(bound, value);
      if (separate(point, false) == 0 && !cut_short) break;
    }
    return bound;
  }

  std::vector<char> to_vars(const std::vector<char>& pattern) const {
    std::vector<char> x(var_cell.size());
    for (std::size_t j = 0; j < x.size(); ++j) x[j] = pattern[var_cell[j]];
    return x;
  }
  double cost_of(const std::vector<char>& pattern) const {
    double c = 0;
    for (std::size_t j = 0; j < var_cell.size(); ++j) c += pattern[var_cell[j]] ? mip.cost[j] : 0.0;
    return c;
  }
};

}  // namespace

void optimal_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result) {
  // (A limit of over 30 years is taken as 30 years: the clock's integer ticks must not overflow.)
  const Clock::time_point deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::min(in.options.time_limit, 1e9)));
  const std::vector<char> primary = suppressed;
  Search s(in, deadline);
  // A protected pattern to start from and to fall back on: kHypercube's when the table's shape is
  // known (it needs no LP, so it is there in time on any size of table), kNetwork's when it is
  // not or the table is small enough for it, kModular's on hierarchical tables; the cheapest.
  std::vector<char> best = primary;
  SecondaryResult heuristic;
  if (in.table != nullptr) hypercube_suppression(in, best, heuristic);
  if (in.table == nullptr || in.problem.cells.size() <= kNetworkStartCells) {
    std::vector<char> network = primary;
    SecondaryResult from_network;
    network_suppression(in, network, from_network);
    from_network.lp_solves += heuristic.lp_solves;
    if (in.table == nullptr || s.cost_of(network) <= s.cost_of(best)) best.swap(network);
    heuristic = std::move(from_network);
  }
  if (in.table != nullptr && in.problem.cells.size() <= kModularStartCells && hierarchical(*in.table)) {
    SecondaryOptions half = in.options;
    half.time_limit = in.options.time_limit / 2;
    half.progress = nullptr;
    const SecondaryInput modular_in{in.problem, half, in.cost, in.candidate, in.table};
    std::vector<char> modular = primary;
    SecondaryResult from_modular;
    modular_suppression(modular_in, modular, from_modular);
    heuristic.lp_solves += from_modular.lp_solves;
    if (s.cost_of(modular) < s.cost_of(best)) best.swap(modular);
  }
  result.unprotectable = heuristic.unprotectable;
  result.lp_solves = heuristic.lp_solves;
  s.initial_cuts();
  double best_cost = s.cost_of(best);
  bool from_master = false;  // whether `best` came from the master programme (or its repair)
  // A cell that no pattern protects would make the master infeasible: the heuristic's pattern,
  // which protects it as far as possible, is kept then.
  const bool all_protectable = result.unprotectable.empty();
  double bound = 0;
  const auto closed = [&] {
    return best_cost - bound <= in.options.relative_gap * best_cost + 1e-9 * std::max(1.0, best_cost);
  };
  // (A start that costs nothing, e.g. primaries that protect one another, is optimal as it is.)
  if (all_protectable && !closed()) bound = s.root_cuts();
  while (all_protectable && !closed()) {
    const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
    if (left <= 0) {
      result.time_limit_reached = true;
      break;
    }
    const MipSolution m = solve_cover_mip(s.mip, s.to_vars(best), left, in.options.relative_gap);
    ++result.iterations;
    if (in.options.progress) in.options.progress(result.iterations, result.iterations + 1);
    bound = std::max(bound, m.bound);
    if (m.status == MipSolution::Status::kUnknown || m.status == MipSolution::Status::kInfeasible) {
      result.time_limit_reached = m.status == MipSolution::Status::kUnknown;
      break;
    }
    std::vector<char> pattern = primary;
    for (std::size_t j = 0; j < m.x.size(); ++j) pattern[s.var_cell[j]] = m.x[j];
    const std::size_t cuts = s.separate(pattern);
    if (s.cut_short) {
      result.time_limit_reached = true;
      break;
    }
    if (cuts == 0) {  // protected: a candidate, optimal if the master was solved
      if (m.objective < best_cost) best = pattern, best_cost = m.objective, from_master = true;
      if (m.status == MipSolution::Status::kOptimal) bound = std::max(bound, m.objective);
      else result.time_limit_reached = true;
      break;
    }
    bound = std::max(bound, s.root_cuts());  // the new cuts' fractional consequences
    SecondaryResult repair;  // the master's pattern made protected: often a better incumbent
    network_suppression(in, pattern, repair);
    result.lp_solves += repair.lp_solves;
    if (repair.unprotectable.empty() && s.cost_of(pattern) < best_cost) {
      best = pattern, best_cost = s.cost_of(pattern), from_master = true;
    }
  }
  // The master may hold cells that no move shifts; they protect nothing and are published. (The
  // heuristics' patterns have none.)
  if (from_master) {
    publish_exact_secondaries(in, best, std::vector<char>(best.size(), 0));
    best_cost = s.cost_of(best);
  }
  suppressed = best;
  result.lower_bound = all_protectable ? std::min(bound, best_cost) : 0;
  result.optimal = all_protectable && best_cost - result.lower_bound <=
                                          in.options.relative_gap * best_cost + 1e-9 * std::max(1.0, best_cost);
  result.lp_solves += s.attacker.solves() + s.lp_solves;
}

}  // namespace sdcore::detail
