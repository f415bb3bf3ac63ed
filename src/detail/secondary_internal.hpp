#pragma once
// What the secondary suppression methods share (src/secondary*.cpp): the validated input, with
// each cell's cost and whether it may become a secondary suppression. The public entry points
// (suppression.hpp) validate, build this, call one method and fill in the result's totals.

#include <cstddef>
#include <vector>

#include "sdcore/audit.hpp"
#include "sdcore/suppression.hpp"

namespace sdcore::detail {

struct SecondaryInput {
  const AuditProblem& problem;      // validated; cells[i].suppressed marks the primary cells
  const SecondaryOptions& options;  // validated
  std::vector<double> cost;         // per cell, finite and > 0
  std::vector<char> candidate;      // per cell: may become secondary (never a primary cell)
};

// Each method starts from `suppressed` = the primary cells and adds the secondary ones; it sets
// the result's method-specific fields (lower_bound, optimal, time_limit_reached, unprotectable,
// iterations, lp_solves). Totals (num_secondary, cost, suppressed_total, seconds) are filled in
// by the caller.
void network_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result);
void gauss_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result);
void optimal_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result);

}  // namespace sdcore::detail
