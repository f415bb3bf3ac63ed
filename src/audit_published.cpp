// The audit of a table published by anyone, without its original (audit.hpp: audit_published).
// The attacker's interval of a suppressed cell depends only on the published cells, the relations
// and the bounds, not on the true values: so any values of the suppressed cells that make the
// table consistent (found here by Clp) stand in for the unknown true ones, and audit() does the
// rest. What needs the true values is left out: protection levels relative to the value (upper,
// lower) and the insider audit (contributions).

#include <algorithm>
#include <cmath>
#include <limits>

#include "detail/audit_internal.hpp"
#include "detail/audit_lp.hpp"
#include "sdcore/audit.hpp"
#include "sdcore/error.hpp"

namespace sdcore {

AuditResult audit_published(AuditProblem problem, const AuditOptions& options) {
  detail::validate_tolerance(options.tolerance);
  if (options.insiders) {
    throw InvalidArgument("audit: the insider audit needs the true contributions; audit with the original values");
  }
  for (AuditCell& c : problem.cells) {
    if (!c.suppressed) continue;
    // A placeholder within the bounds, for the checks; the consistent filling replaces it.
    c.value = std::isfinite(c.lower_bound) ? c.lower_bound : std::isfinite(c.upper_bound) ? c.upper_bound : 0.0;
    c.upper_protection = c.lower_protection = 0;
    c.contributions.clear();
  }
  detail::validate_problem(problem, options.tolerance, false);
  const detail::AuditModel model = detail::build_model(problem);
  if (!model.var_cell.empty()) {
    detail::AuditLp lp(model.lower, model.upper, model.rows);
    const auto x = lp.feasible_point();
    if (!x) {
      throw InvalidArgument("audit: no values of the suppressed cells make the published table add up within "
                            "its bounds: the published cells contradict the table's relations");
    }
    for (std::size_t v = 0; v < model.var_cell.size(); ++v) {
      AuditCell& c = problem.cells[model.var_cell[v]];
      c.value = std::min(std::max((*x)[v], c.lower_bound), c.upper_bound);
    }
  }
  return audit(problem, options);
}

}  // namespace sdcore
