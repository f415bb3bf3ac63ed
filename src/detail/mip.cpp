#include "detail/mip.hpp"

#include <CbcModel.hpp>
#include <CglClique.hpp>
#include <CglGomory.hpp>
#include <CglKnapsackCover.hpp>
#include <CglProbing.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "detail/coin_lock.hpp"

namespace sdcore::detail {

namespace {

OsiClpSolverInterface make_solver(const CoverMip& mip) {
  const int n = static_cast<int>(mip.cost.size());
  CoinPackedMatrix matrix(false, 0, 0);  // row-ordered
  matrix.setDimensions(0, n);
  std::vector<double> row_lower, row_upper;
  for (const SparseRow& row : mip.rows) {
    std::vector<int> index;
    std::vector<double> value;
    for (const auto& [col, coefficient] : row.entries) index.push_back(col), value.push_back(coefficient);
    matrix.appendRow(static_cast<int>(index.size()), index.data(), value.data());
    row_lower.push_back(row.rhs);
    row_upper.push_back(std::numeric_limits<double>::max());
  }
  OsiClpSolverInterface solver;
  const std::vector<double> col_lower(mip.cost.size(), 0.0), col_upper(mip.cost.size(), 1.0);
  solver.loadProblem(matrix, col_lower.data(), col_upper.data(), mip.cost.data(), row_lower.data(), row_upper.data());
  for (int j = 0; j < n; ++j) solver.setInteger(j);
  solver.messageHandler()->setLogLevel(0);
  solver.setHintParam(OsiDoReducePrint, true, OsiHintTry);
  return solver;
}

}  // namespace

MipSolution solve_cover_mip(const CoverMip& mip, const std::vector<char>& start, double seconds, double relative_gap) {
  std::lock_guard<std::recursive_mutex> lock(coin_mutex());
  OsiClpSolverInterface solver = make_solver(mip);
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.setMaximumSeconds(std::max(seconds, 0.01));
  model.setAllowableFractionGap(relative_gap);
  model.setAllowableGap(1e-9);
  CglProbing probing;
  probing.setUsingObjective(1);
  CglGomory gomory;
  CglKnapsackCover knapsack;
  CglClique clique;
  clique.setStarCliqueReport(false);
  clique.setRowCliqueReport(false);
  model.addCutGenerator(&probing, -1, "Probing");
  model.addCutGenerator(&gomory, -1, "Gomory");
  model.addCutGenerator(&knapsack, -1, "KnapsackCover");
  model.addCutGenerator(&clique, -1, "Clique");
  if (!start.empty()) {
    std::vector<double> x(start.begin(), start.end());
    double objective = 0;
    for (std::size_t j = 0; j < x.size(); ++j) objective += mip.cost[j] * x[j];
    model.setBestSolution(x.data(), static_cast<int>(x.size()), objective, true);
  }
  model.branchAndBound();
  MipSolution out;
  out.bound = model.getBestPossibleObjValue();
  const double* best = model.bestSolution();
  if (best) {
    out.x.resize(mip.cost.size());
    out.objective = 0;
    for (std::size_t j = 0; j < out.x.size(); ++j) {
      out.x[j] = best[j] > 0.5 ? 1 : 0;
      out.objective += out.x[j] ? mip.cost[j] : 0.0;
    }
  }
  if (model.isProvenOptimal() && best) {
    out.status = MipSolution::Status::kOptimal;
    out.bound = std::min(std::max(out.bound, 0.0), out.objective);
  } else if (model.isProvenInfeasible()) {
    out.status = MipSolution::Status::kInfeasible;
  } else {
    out.status = best ? MipSolution::Status::kFeasible : MipSolution::Status::kUnknown;
  }
  return out;
}

}  // namespace sdcore::detail
