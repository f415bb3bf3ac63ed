#pragma once
// A linear programme for the secondary suppression methods: min c^T x subject to equality rows
// and column bounds, on COIN-OR Clp. Kept apart from the audit's own LP (audit_lp.hpp) so that
// the audit stays an independent check of what these methods produce.

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

class ClpSimplex;

namespace sdcore::detail {

/// One equality row: sum(coefficient * x[column]) = rhs.
struct SparseRow {
  std::vector<std::pair<int, double>> entries;  // (column, coefficient)
  double rhs = 0;
};

/// Thread-safety: holds coin_mutex() from construction to destruction.
class Lp {
 public:
  /// Infinite bounds are allowed.
  Lp(const std::vector<double>& lower, const std::vector<double>& upper, const std::vector<double>& cost,
     const std::vector<SparseRow>& rows);
  ~Lp();
  Lp(const Lp&) = delete;
  Lp& operator=(const Lp&) = delete;

  enum class Status { kOptimal, kInfeasible, kUnbounded };
  /// Solves from the current basis (bounds and costs may have changed since the last solve).
  /// Throws Error when the solver stops without an answer.
  Status solve();

  void set_bounds(int column, double lower, double upper);
  void set_cost(int column, double cost);

  double objective() const;
  /// Valid after kOptimal.
  const double* primal() const;
  /// Row duals y after kOptimal: the reduced costs are c - A^T y.
  const double* row_duals() const;
  int num_columns() const;
  int num_rows() const;
  std::size_t solves() const noexcept { return solves_; }

 private:
  std::unique_lock<std::recursive_mutex> lock_;  // first member: taken before the model, released after it
  std::unique_ptr<ClpSimplex> model_;
  std::size_t solves_ = 0;
};

}  // namespace sdcore::detail
