// Secondary suppression: validation, costs, candidates and the choice of method (suppression.hpp,
// docs/methods/secondary_suppression.md). The methods live in src/secondary_*.cpp.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "detail/audit_internal.hpp"
#include "detail/secondary_internal.hpp"
#include "sdcore/error.hpp"
#include "sdcore/suppression.hpp"

namespace sdcore {

const char* to_string(SecondaryMethod m) noexcept {
  switch (m) {
    case SecondaryMethod::kOptimal: return "optimal";
    case SecondaryMethod::kNetwork: return "network";
    case SecondaryMethod::kGauss: return "gauss";
    case SecondaryMethod::kModular: return "modular";
    case SecondaryMethod::kHypercube: return "hypercube";
  }
  return "?";
}

std::optional<SecondaryMethod> secondary_method_from(std::string_view name) noexcept {
  for (SecondaryMethod m : {SecondaryMethod::kOptimal, SecondaryMethod::kNetwork, SecondaryMethod::kGauss,
                            SecondaryMethod::kModular, SecondaryMethod::kHypercube}) {
    if (name == to_string(m)) return m;
  }
  return std::nullopt;
}

namespace {

[[noreturn]] void bad(const std::string& what) { throw InvalidArgument("secondary suppression: " + what); }

void validate_options(const AuditProblem& problem, const SecondaryOptions& o) {
  const std::size_t n = problem.cells.size();
  if (!(o.time_limit > 0)) bad("time_limit must be > 0 seconds, got " + detail::format_number(o.time_limit));
  if (!(o.relative_gap >= 0 && o.relative_gap < 1)) {
    bad("relative_gap must be in [0, 1), got " + detail::format_number(o.relative_gap));
  }
  if (!(o.tolerance > 0 && o.tolerance < 1)) bad("tolerance must be in (0, 1), got " + detail::format_number(o.tolerance));
  if (o.cost == SuppressionCost::kWeights) {
    if (o.weights.size() != n) {
      bad("weights need one entry per cell (" + std::to_string(n) + "), got " + std::to_string(o.weights.size()));
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!(std::isfinite(o.weights[i]) && o.weights[i] > 0)) {
        bad("weight of cell " + detail::cell_name(problem, i) + " must be finite and > 0, got " +
            detail::format_number(o.weights[i]));
      }
    }
  }
  for (std::size_t i : o.never_suppress) {
    if (i >= n) bad("never_suppress names cell " + std::to_string(i) + "; the table has " + std::to_string(n));
    if (problem.cells[i].suppressed) bad("cell " + detail::cell_name(problem, i) + " is primary and in never_suppress");
  }
}

std::vector<double> costs(const AuditProblem& problem, const SecondaryOptions& o) {
  const std::size_t n = problem.cells.size();
  if (o.cost == SuppressionCost::kWeights) return o.weights;
  if (o.cost == SuppressionCost::kCells) return std::vector<double>(n, 1.0);
  // A zero cell costs a little, not nothing: a pattern must not grow by free cells that protect
  // nothing, and the optimum stays one of least suppressed total.
  double smallest = std::numeric_limits<double>::infinity();
  for (const AuditCell& c : problem.cells) {
    if (std::abs(c.value) > 0) smallest = std::min(smallest, std::abs(c.value));
  }
  const double floor = std::isfinite(smallest) ? 1e-3 * smallest : 1.0;
  std::vector<double> cost(n);
  for (std::size_t i = 0; i < n; ++i) cost[i] = std::max(std::abs(problem.cells[i].value), floor);
  return cost;
}

std::vector<char> candidates(const AuditProblem& problem, const SecondaryOptions& o) {
  std::vector<char> c(problem.cells.size(), 1);
  for (std::size_t i = 0; i < c.size(); ++i) {
    const AuditCell& cell = problem.cells[i];
    if (cell.suppressed || (!o.use_zero_cells && cell.value == 0)) c[i] = 0;
  }
  for (std::size_t i : o.never_suppress) c[i] = 0;
  return c;
}

// Both entry points: `table` is the tabulation `problem` was made from, or null.
SecondaryResult solve(const AuditProblem& problem, const SecondaryOptions& options, const Tabulation* table) {
  const auto start = std::chrono::steady_clock::now();
  detail::validate_problem(problem, options.tolerance);
  validate_options(problem, options);
  detail::SecondaryInput in{problem, options, costs(problem, options), candidates(problem, options), table};
  const std::size_t n = problem.cells.size();
  std::vector<char> suppressed(n, 0);
  SecondaryResult result;
  for (std::size_t i = 0; i < n; ++i) {
    suppressed[i] = problem.cells[i].suppressed ? 1 : 0;
    result.num_primary += suppressed[i] ? 1 : 0;
  }
  switch (options.method) {
    case SecondaryMethod::kOptimal: detail::optimal_suppression(in, suppressed, result); break;
    case SecondaryMethod::kNetwork: detail::network_suppression(in, suppressed, result); break;
    case SecondaryMethod::kGauss: detail::gauss_suppression(in, suppressed, result); break;
    case SecondaryMethod::kModular: detail::modular_suppression(in, suppressed, result); break;
    case SecondaryMethod::kHypercube: detail::hypercube_suppression(in, suppressed, result); break;
  }
  result.status.assign(n, CellStatus::kSafe);
  for (std::size_t i = 0; i < n; ++i) {
    if (problem.cells[i].suppressed) {
      result.status[i] = CellStatus::kPrimary;
    } else if (suppressed[i]) {
      result.status[i] = CellStatus::kSecondary;
      ++result.num_secondary;
      result.cost += in.cost[i];
      result.suppressed_total += problem.cells[i].value;
    }
  }
  if (options.method != SecondaryMethod::kOptimal) result.lower_bound = 0;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

SecondaryResult secondary_suppression(const AuditProblem& problem, const SecondaryOptions& options) {
  if (options.method == SecondaryMethod::kModular || options.method == SecondaryMethod::kHypercube) {
    bad(std::string("method ") + to_string(options.method) + " needs a Tabulation (its hierarchies)");
  }
  return solve(problem, options, nullptr);
}

SecondaryResult secondary_suppression(const Tabulation& table, const PrimaryResult& primary,
                                      const SecondaryOptions& options) {
  const std::size_t n = table.num_cells();
  if (primary.status.size() != n) {
    bad("the primary result has " + std::to_string(primary.status.size()) + " cells; the table has " +
        std::to_string(n));
  }
  std::vector<CellStatus> status(primary.status);
  for (CellStatus& s : status) {
    if (s == CellStatus::kSecondary) bad("the primary result already holds secondary cells");
  }
  SecondaryResult r = solve(audit_problem(table, status, primary.upper, primary.lower), options, &table);
  for (std::size_t i = 0; i < n; ++i) {
    if (r.status[i] == CellStatus::kSafe && primary.status[i] == CellStatus::kEmpty) r.status[i] = CellStatus::kEmpty;
  }
  return r;
}

}  // namespace sdcore
