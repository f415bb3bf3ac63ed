#include "detail/lp.hpp"

#include <ClpSimplex.hpp>
#include <CoinFinite.hpp>

#include <cmath>
#include <string>

#include "detail/coin_lock.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {

std::recursive_mutex& coin_mutex() {
  static std::recursive_mutex m;
  return m;
}

namespace {

double to_clp(double bound) {
  if (std::isinf(bound)) return bound > 0 ? COIN_DBL_MAX : -COIN_DBL_MAX;
  return bound;
}

}  // namespace

Lp::Lp(const std::vector<double>& lower, const std::vector<double>& upper, const std::vector<double>& cost,
       const std::vector<SparseRow>& rows)
    : lock_(coin_mutex()), model_(std::make_unique<ClpSimplex>()) {
  const std::size_t num_cols = lower.size();
  // Clp takes the matrix by columns: transpose the rows.
  std::vector<CoinBigIndex> start(num_cols + 1, 0);
  for (const SparseRow& row : rows) {
    for (const auto& entry : row.entries) ++start[static_cast<std::size_t>(entry.first) + 1];
  }
  for (std::size_t c = 0; c < num_cols; ++c) start[c + 1] += start[c];
  std::vector<int> index(static_cast<std::size_t>(start.back()));
  std::vector<double> value(index.size());
  std::vector<CoinBigIndex> fill(start.begin(), start.end() - 1);
  std::vector<double> rhs(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rhs[r] = rows[r].rhs;
    for (const auto& [col, coefficient] : rows[r].entries) {
      const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(col)]++);
      index[at] = static_cast<int>(r);
      value[at] = coefficient;
    }
  }
  std::vector<double> lo(num_cols), hi(num_cols);
  for (std::size_t c = 0; c < num_cols; ++c) lo[c] = to_clp(lower[c]), hi[c] = to_clp(upper[c]);
  model_->setLogLevel(0);
  model_->loadProblem(static_cast<int>(num_cols), static_cast<int>(rows.size()), start.data(), index.data(),
                      value.data(), lo.data(), hi.data(), cost.data(), rhs.data(), rhs.data());
  model_->setOptimizationDirection(1.0);
}

Lp::~Lp() = default;

void Lp::set_bounds(int column, double lower, double upper) {
  model_->setColumnBounds(column, to_clp(lower), to_clp(upper));
}

void Lp::set_cost(int column, double cost) { model_->setObjectiveCoefficient(column, cost); }

Lp::Status Lp::solve() {
  // Between solves only bounds or costs change: the primal simplex restarts from the last basis
  // (its phase 1 repairs primal infeasibility that new bounds cause).
  model_->primal();
  ++solves_;
  // Clp's primal simplex can give up (status 4) on a small infeasible problem with a tiny fixed
  // bound, e.g. a move of 4e-5 that no relation allows; the dual simplex, and failing that a
  // solve from the all-slack basis, then answer it.
  if (model_->status() > 2) model_->dual();
  if (model_->status() > 2) {
    model_->allSlackBasis(true);
    model_->initialSolve();
  }
  switch (model_->status()) {
    case 0: return Status::kOptimal;
    case 1: return Status::kInfeasible;
    case 2: return Status::kUnbounded;
    default:
      throw Error("secondary suppression: COIN-OR Clp stopped without an answer (status " +
                  std::to_string(model_->status()) + ")");
  }
}

double Lp::objective() const { return model_->objectiveValue(); }
const double* Lp::primal() const { return model_->primalColumnSolution(); }
const double* Lp::row_duals() const { return model_->dualRowSolution(); }
int Lp::num_columns() const { return model_->numberColumns(); }
int Lp::num_rows() const { return model_->numberRows(); }

}  // namespace sdcore::detail
