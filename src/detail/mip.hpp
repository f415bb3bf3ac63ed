#pragma once
// The master problem of the optimal suppression on COIN-OR Cbc: min c^T x over binary x subject
// to rows sum(a x) >= b. The only file that includes Cbc is mip.cpp.

#include <cstddef>
#include <vector>

#include "detail/lp.hpp"

namespace sdcore::detail {

struct CoverMip {
  std::vector<double> cost;     // one per binary variable
  std::vector<SparseRow> rows;  // sum(coefficient * x) >= rhs
};

struct MipSolution {
  enum class Status {
    kOptimal,     // proven optimal (within the allowed gap)
    kFeasible,    // stopped by the time limit with a solution
    kInfeasible,  // proven infeasible
    kUnknown,     // stopped by the time limit without a solution
  };
  Status status = Status::kUnknown;
  std::vector<char> x;   // the solution (kOptimal, kFeasible)
  double objective = 0;  // its cost
  double bound = 0;      // a lower bound on the optimum
};

/// Solves `mip` with Cbc within `seconds`, from `start` (a feasible 0/1 vector, or empty), stopping
/// when the relative gap is at most `relative_gap`. Deterministic unless the time limit stops it.
/// Holds coin_mutex() while it runs.
MipSolution solve_cover_mip(const CoverMip& mip, const std::vector<char>& start, double seconds, double relative_gap);

}  // namespace sdcore::detail
