#pragma once
// A general mixed-integer programme on COIN-OR Cbc: min c^T x subject to equality rows, column
// bounds and integrality of chosen columns, within a time limit. Used by controlled rounding; the
// only file that includes Cbc for it is integer_mip.cpp.

#include <cstdint>
#include <vector>

#include "detail/lp.hpp"

namespace sdcore::detail {

struct IntegerMip {
  std::vector<double> lower, upper, cost;  // one per column; bounds finite
  std::vector<char> integer;               // one per column: whether it must be integral
  std::vector<SparseRow> rows;             // sum(coefficient * x) = rhs
};

struct IntegerMipSolution {
  enum class Status {
    kOptimal,     // proven optimal
    kFeasible,    // stopped by the time limit with a solution
    kInfeasible,  // proven infeasible
    kUnknown,     // stopped by the time limit without a solution
  };
  Status status = Status::kUnknown;
  std::vector<double> x;  // the solution (kOptimal, kFeasible); integer columns rounded
  double objective = 0;   // its cost
  double bound = 0;       // a lower bound on the optimum (meaningful for kOptimal and kFeasible)
};

/// Solves `mip` with Cbc (single-threaded, random seed `seed`) within `seconds`, from `start` (a
/// feasible solution, or empty). Deterministic unless the time limit stops it. Holds coin_mutex()
/// while it runs.
IntegerMipSolution solve_integer_mip(const IntegerMip& mip, const std::vector<double>& start, double seconds,
                                     std::uint32_t seed);

}  // namespace sdcore::detail
