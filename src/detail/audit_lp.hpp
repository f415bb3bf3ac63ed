#pragma once
// The audit's linear programme, the only place that knows COIN-OR Clp. Variables are the
// suppressed cells, rows the relations that name at least one of them (published cells are
// constants on the right-hand side). The model is built once; each target then only changes the
// objective (and, for an insider, some lower bounds) and re-solves from the previous basis.

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

class ClpSimplex;

namespace sdcore::detail {

/// One equality row: sum(coefficient * x[var]) = rhs.
struct LpRow {
  std::vector<std::pair<int, double>> entries;  // (variable, coefficient)
  double rhs = 0;
};

/// Minimises +-x[var] over {x : rows hold, lower <= x <= upper}. Infinite bounds are allowed.
/// Thread-safety: COIN-OR Clp documents no thread-safety guarantee, so every AuditLp holds a
/// process-wide lock from construction to destruction: concurrent audits run one after another.
class AuditLp {
 public:
  AuditLp(const std::vector<double>& lower, const std::vector<double>& upper,
          const std::vector<LpRow>& rows);
  ~AuditLp();
  AuditLp(const AuditLp&) = delete;
  AuditLp& operator=(const AuditLp&) = delete;

  struct Solution {
    bool unbounded = false;     // the objective has no finite minimum
    double objective = 0;       // the minimum of sign * x[var] when bounded
    std::vector<double> duals;  // one per row: y with c - A^T y >= 0 at lower bounds, etc.
  };

  /// Minimises sign * x[var], sign = +1 or -1. Throws Error when the programme is infeasible
  /// or the solver stops without an answer.
  Solution minimise(int var, double sign);

  /// A point of {x : rows hold, lower <= x <= upper}, or nothing if there is none.
  std::optional<std::vector<double>> feasible_point();

  /// Changes a variable's lower bound (for an insider's knowledge).
  void set_lower(int var, double lower);

  std::size_t solves() const noexcept { return solves_; }

 private:
  std::unique_lock<std::recursive_mutex> lock_;  // first member: taken before the model, released after it
  std::unique_ptr<ClpSimplex> model_;
  int objective_var_ = -1;
  std::size_t solves_ = 0;
};

}  // namespace sdcore::detail
