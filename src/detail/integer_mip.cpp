#include "detail/integer_mip.hpp"

#include <CbcHeuristicFPump.hpp>
#include <CbcHeuristicLocal.hpp>
#include <CbcModel.hpp>
#include <CglGomory.hpp>
#include <CglMixedIntegerRounding2.hpp>
#include <CglProbing.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "detail/coin_lock.hpp"

namespace sdcore::detail {

namespace {

OsiClpSolverInterface make_solver(const IntegerMip& mip, std::uint32_t seed) {
  const int n = static_cast<int>(mip.cost.size());
  CoinPackedMatrix matrix(false, 0, 0);  // row-ordered
  matrix.setDimensions(0, n);
  std::vector<double> rhs;
  for (const SparseRow& row : mip.rows) {
    std::vector<int> index;
    std::vector<double> value;
    for (const auto& [col, coefficient] : row.entries) index.push_back(col), value.push_back(coefficient);
    matrix.appendRow(static_cast<int>(index.size()), index.data(), value.data());
    rhs.push_back(row.rhs);
  }
  OsiClpSolverInterface solver;
  solver.loadProblem(matrix, mip.lower.data(), mip.upper.data(), mip.cost.data(), rhs.data(), rhs.data());
  for (int j = 0; j < n; ++j) {
    if (mip.integer[static_cast<std::size_t>(j)]) solver.setInteger(j);
  }
  solver.messageHandler()->setLogLevel(0);
  solver.setHintParam(OsiDoReducePrint, true, OsiHintTry);
  solver.getModelPtr()->setRandomSeed(static_cast<int>(seed % 2147483647U));
  return solver;
}

IntegerMipSolution::Status status_of(const CbcModel& model, bool found) {
  using S = IntegerMipSolution::Status;
  if (model.isProvenOptimal() && found) return S::kOptimal;
  if (model.isProvenInfeasible()) return S::kInfeasible;
  return found ? S::kFeasible : S::kUnknown;
}

}  // namespace

IntegerMipSolution solve_integer_mip(const IntegerMip& mip, const std::vector<double>& start, double seconds,
                                     std::uint32_t seed) {
  std::lock_guard<std::recursive_mutex> lock(coin_mutex());
  OsiClpSolverInterface solver = make_solver(mip, seed);
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.setNumberThreads(0);
  model.setRandomSeed(static_cast<int>(seed % 2147483647U));
  model.setMaximumSeconds(std::max(seconds, 0.01));
  model.setAllowableGap(1e-7);
  model.setAllowableFractionGap(0);
  CglProbing probing;
  probing.setUsingObjective(1);
  CglGomory gomory;
  CglMixedIntegerRounding2 mir;
  model.addCutGenerator(&probing, -1, "Probing");
  model.addCutGenerator(&gomory, -1, "Gomory");
  model.addCutGenerator(&mir, -1, "MixedIntegerRounding2");
  // Equality rows over binaries: the feasibility pump finds a first solution where plain
  // branching may take long; local search improves it.
  CbcHeuristicFPump pump(model);
  CbcHeuristicLocal local(model);
  model.addHeuristic(&pump);
  model.addHeuristic(&local);
  if (!start.empty()) {
    double objective = 0;
    for (std::size_t j = 0; j < start.size(); ++j) objective += mip.cost[j] * start[j];
    model.setBestSolution(start.data(), static_cast<int>(start.size()), objective, true);
  }
  model.branchAndBound();
  IntegerMipSolution out;
  const double* best = model.bestSolution();
  if (best) {
    out.x.assign(best, best + mip.cost.size());
    out.objective = 0;
    for (std::size_t j = 0; j < out.x.size(); ++j) {
      if (mip.integer[j]) out.x[j] = std::round(out.x[j]);
      out.objective += mip.cost[j] * out.x[j];
    }
  }
  out.status = status_of(model, best != nullptr);
  out.bound = model.getBestPossibleObjValue();
  if (best) out.bound = std::min(out.bound, out.objective);
  if (out.status == IntegerMipSolution::Status::kOptimal) out.bound = out.objective;
  return out;
}

}  // namespace sdcore::detail
