#include "sdcore/audit.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <functional>
#include <sstream>
#include <thread>

#include "detail/audit_internal.hpp"
#include "sdcore/error.hpp"

namespace sdcore {

namespace detail {

double tolerance_scale(double x) { return std::max(1.0, std::abs(x)); }

std::size_t audit_threads(std::size_t requested) {
  return requested > 0 ? requested : std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

std::string cell_name(const AuditProblem& problem, std::size_t cell) {
  if (cell >= problem.cells.size() || problem.cells[cell].label.empty()) {
    return "index " + std::to_string(cell);
  }
  return "'" + problem.cells[cell].label + "' (index " + std::to_string(cell) + ")";
}

std::string relation_name(const AuditProblem& problem, std::size_t relation) {
  if (relation >= problem.relations.size() || problem.relations[relation].label.empty()) {
    return "index " + std::to_string(relation);
  }
  return "'" + problem.relations[relation].label + "' (index " + std::to_string(relation) + ")";
}

void check_deadline(std::chrono::steady_clock::time_point deadline, double limit, const std::string& what) {
  if (deadline == std::chrono::steady_clock::time_point::max() || std::chrono::steady_clock::now() < deadline) return;
  throw TimeLimitReached("audit: the time limit of " + format_number(limit) + " s was reached before the audit of " +
                         what + " was complete; an audit cut short proves nothing, so nothing is certified");
}

void validate_tolerance(double tolerance) {
  if (!(tolerance > 0 && tolerance < 1)) {
    throw InvalidArgument("audit: tolerance must be in (0, 1), got " + format_number(tolerance));
  }
}

namespace {

void check_protection(const std::string& where, const char* name, double level) {
  if (!(std::isfinite(level) && level >= 0)) {
    throw InvalidArgument(where + name + " must be finite and >= 0, got " + format_number(level));
  }
}

void validate_cell(const AuditProblem& problem, std::size_t i, double tolerance) {
  const AuditCell& c = problem.cells[i];
  const std::string where = "audit: cell " + cell_name(problem, i) + ": ";
  if (!std::isfinite(c.value)) {
    throw InvalidArgument(where + "value must be finite, got " + format_number(c.value));
  }
  if (std::isnan(c.lower_bound) || std::isnan(c.upper_bound)) {
    throw InvalidArgument(where + "bounds must not be NaN");
  }
  if (c.lower_bound > c.upper_bound) {
    throw InvalidArgument(where + "lower bound " + format_number(c.lower_bound) +
                          " exceeds upper bound " + format_number(c.upper_bound));
  }
  const double slack = tolerance * tolerance_scale(c.value);
  if (c.value < c.lower_bound - slack || c.value > c.upper_bound + slack) {
    throw InvalidArgument(where + "value " + format_number(c.value) + " is outside its bounds [" +
                          format_number(c.lower_bound) + ", " + format_number(c.upper_bound) + "]");
  }
  check_protection(where, "upper_protection", c.upper_protection);
  check_protection(where, "lower_protection", c.lower_protection);
  check_protection(where, "sliding_protection", c.sliding_protection);
  double sum = 0;
  for (const AuditContribution& x : c.contributions) {
    if (!(std::isfinite(x.amount) && x.amount >= 0)) {
      throw InvalidArgument(where + "contribution of holder " + std::to_string(x.holder) +
                            " must be finite and >= 0, got " + format_number(x.amount));
    }
    sum += x.amount;
  }
  if (sum > c.value + slack) {
    throw InvalidArgument(where + "contributions add up to " + format_number(sum) +
                          ", more than the value " + format_number(c.value));
  }
}

// Checks the relation's form and returns its sum over the cells' values when that exceeds the
// tolerance (0 otherwise), so that every relation that does not hold can be reported at once.
double validate_relation(const AuditProblem& problem, std::size_t r, double tolerance) {
  const AuditRelation& rel = problem.relations[r];
  const std::string where = "audit: relation " + relation_name(problem, r) + " ";
  if (rel.terms.empty()) throw InvalidArgument(where + "has no terms");
  std::vector<std::size_t> cells;
  double sum = 0, magnitude = 0;
  for (const AuditTerm& t : rel.terms) {
    if (t.cell >= problem.cells.size()) {
      throw InvalidArgument(where + "names cell " + std::to_string(t.cell) + ", but the problem has " +
                            std::to_string(problem.cells.size()) + " cells");
    }
    if (!std::isfinite(t.coefficient) || t.coefficient == 0) {
      throw InvalidArgument(where + "has coefficient " + format_number(t.coefficient) + " for cell " +
                            cell_name(problem, t.cell) + "; coefficients must be finite and not 0");
    }
    cells.push_back(t.cell);
    const double term = t.coefficient * problem.cells[t.cell].value;
    sum += term;
    magnitude = std::max(magnitude, std::abs(term));
  }
  std::sort(cells.begin(), cells.end());
  const auto twice = std::adjacent_find(cells.begin(), cells.end());
  if (twice != cells.end()) {
    throw InvalidArgument(where + "names cell " + cell_name(problem, *twice) + " twice");
  }
  return std::abs(sum) > tolerance * tolerance_scale(magnitude) ? sum : 0.0;
}

void report_broken(const AuditProblem& problem, const std::vector<std::pair<std::size_t, double>>& broken,
                   double tolerance) {
  if (broken.size() == 1) {
    throw InvalidArgument("audit: relation " + relation_name(problem, broken[0].first) +
                          " does not hold for the cells' values: sum of coefficient * value = " +
                          format_number(broken[0].second) + " instead of 0 (tolerance " +
                          format_number(tolerance) + " relative to its largest term)");
  }
  constexpr std::size_t kShown = 10;
  std::string list;
  for (std::size_t i = 0; i < std::min(broken.size(), kShown); ++i) {
    list += (i ? ", " : "") + relation_name(problem, broken[i].first) + " = " + format_number(broken[i].second);
  }
  if (broken.size() > kShown) list += ", and " + std::to_string(broken.size() - kShown) + " more";
  throw InvalidArgument("audit: " + std::to_string(broken.size()) +
                        " relations do not hold for the cells' values (sum of coefficient * value, "
                        "instead of 0): " + list);
}

}  // namespace

void validate_problem(const AuditProblem& problem, double tolerance, bool sums_with_suppressed) {
  for (std::size_t i = 0; i < problem.cells.size(); ++i) validate_cell(problem, i, tolerance);
  std::vector<std::pair<std::size_t, double>> broken;
  for (std::size_t r = 0; r < problem.relations.size(); ++r) {
    const double sum = validate_relation(problem, r, tolerance);
    const auto& terms = problem.relations[r].terms;
    const bool unknown = !sums_with_suppressed && std::any_of(terms.begin(), terms.end(), [&](const AuditTerm& t) {
      return problem.cells[t.cell].suppressed;
    });
    if (sum != 0 && !unknown) broken.emplace_back(r, sum);
  }
  if (!broken.empty()) report_broken(problem, broken, tolerance);
}

AuditModel build_model(const AuditProblem& problem) {
  AuditModel m;
  m.cell_var.assign(problem.cells.size(), -1);
  for (std::size_t i = 0; i < problem.cells.size(); ++i) {
    if (!problem.cells[i].suppressed) continue;
    m.cell_var[i] = static_cast<std::ptrdiff_t>(m.var_cell.size());
    m.var_cell.push_back(i);
    m.lower.push_back(problem.cells[i].lower_bound);
    m.upper.push_back(problem.cells[i].upper_bound);
  }
  if (m.var_cell.size() > static_cast<std::size_t>(INT_MAX) ||
      problem.relations.size() > static_cast<std::size_t>(INT_MAX)) {
    throw InvalidArgument("audit: more suppressed cells or relations than the LP solver takes (" +
                          std::to_string(INT_MAX) + ")");
  }
  for (std::size_t r = 0; r < problem.relations.size(); ++r) {
    LpRow row;
    for (const AuditTerm& t : problem.relations[r].terms) {
      const std::ptrdiff_t var = m.cell_var[t.cell];
      if (var >= 0) {
        row.entries.emplace_back(static_cast<int>(var), t.coefficient);
      } else {
        row.rhs -= t.coefficient * problem.cells[t.cell].value;  // published: a constant
      }
    }
    // A relation among published cells only tells the attacker nothing new (and was checked).
    if (row.entries.empty()) continue;
    m.rows.push_back(std::move(row));
    m.row_relation.push_back(r);
  }
  return m;
}

namespace {

// Integral multipliers are the rule (tables have coefficients +-1); snapping the solver's
// 0.9999999999 to 1 makes the combination cancel exactly.
double snap(double y) {
  const double rounded = std::round(y);
  return std::abs(y - rounded) <= kAuditZero * tolerance_scale(y) ? rounded : y;
}

struct End {
  double value = 0;
  std::optional<AuditCertificate> certificate;
};

End solve_end(AuditContext& cx, std::size_t var, AuditSense sense,
              const std::vector<std::int64_t>& insiders) {
  const double sign = sense == AuditSense::kLower ? 1.0 : -1.0;
  const AuditLp::Solution s = cx.lp.minimise(static_cast<int>(var), sign);
  End end;
  if (s.unbounded) {
    end.value = sign * -std::numeric_limits<double>::infinity();
    return end;
  }
  end.value = sign * s.objective;
  AuditCertificate c;
  c.cell = cx.model.var_cell[var];
  c.sense = sense;
  c.insiders = insiders;
  for (std::size_t r = 0; r < s.duals.size(); ++r) {
    // Minimising -x for the upper end: its multipliers are the negated duals.
    const double y = snap(sign * s.duals[r]);
    if (y != 0) c.relations.push_back({cx.model.row_relation[r], y});
  }
  evaluate_certificate(cx.problem, c);
  // By LP duality the certificate's bound is the optimum; it is reported when it agrees, as it
  // is exact arithmetic on the (snapped) multipliers rather than the solver's rounded optimum.
  if (std::isfinite(c.bound) &&
      std::abs(c.bound - end.value) <= cx.options.tolerance * tolerance_scale(end.value)) {
    end.value = c.bound;
  }
  if (cx.options.certificates) end.certificate = std::move(c);
  return end;
}

void judge(const AuditCell& cell, double tolerance, AuditCellResult& r) {
  const double slack = tolerance * tolerance_scale(cell.value);
  r.upper_failed = r.upper < cell.value + cell.upper_protection - slack;
  r.lower_failed = r.lower > cell.value - cell.lower_protection + slack;
  r.sliding_failed = r.upper - r.lower < cell.sliding_protection - slack;
  if (r.upper - r.lower <= slack) {
    r.verdict = AuditVerdict::kExact;
  } else if (r.upper_failed || r.lower_failed || r.sliding_failed) {
    r.verdict = AuditVerdict::kUnderProtected;
  } else {
    r.verdict = AuditVerdict::kProtected;
  }
}

}  // namespace

AuditCellResult audit_target(AuditContext& cx, std::size_t var,
                             const std::vector<std::int64_t>& insiders) {
  AuditCellResult r;
  r.cell = cx.model.var_cell[var];
  r.insiders = insiders;
  End lower = solve_end(cx, var, AuditSense::kLower, insiders);
  End upper = solve_end(cx, var, AuditSense::kUpper, insiders);
  r.lower = lower.value;
  r.upper = upper.value;
  r.lower_certificate = std::move(lower.certificate);
  r.upper_certificate = std::move(upper.certificate);
  judge(cx.problem.cells[r.cell], cx.options.tolerance, r);
  return r;
}

}  // namespace detail

AuditResult audit(const AuditProblem& problem, const AuditOptions& options) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  detail::validate_tolerance(options.tolerance);
  if (!std::isfinite(options.time_limit) || options.time_limit < 0) {
    throw InvalidArgument("audit: time_limit must be finite and >= 0 seconds (0: none), got " +
                          detail::format_number(options.time_limit));
  }
  // Beyond a century the limit is as good as none (and start + it could overflow).
  const Clock::time_point deadline =
      options.time_limit > 0 && options.time_limit < 3e9
          ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.time_limit))
          : Clock::time_point::max();
  if (options.max_insider_scenarios == 0) {
    throw InvalidArgument("audit: max_insider_scenarios must be >= 1");
  }
  detail::validate_problem(problem, options.tolerance);
  const detail::AuditModel model = detail::build_model(problem);
  AuditResult result;
  if (model.var_cell.empty()) return result;
  detail::InsiderPlan plan;
  if (options.insiders) plan = detail::plan_insiders(problem, options);
  const std::uint64_t total = (options.targets.empty() ? model.var_cell.size() : options.targets.size()) + plan.scenarios;

  std::vector<std::size_t> vars;  // the variables to audit, in cell order
  if (options.insiders && !options.targets.empty())
    throw InvalidArgument("audit: targets and the insider audit cannot be combined (insiders are judged on every cell)");
  if (options.targets.empty()) {
    for (std::size_t v = 0; v < model.var_cell.size(); ++v) vars.push_back(v);
  } else {
    for (std::size_t k = 0; k < options.targets.size(); ++k) {
      const std::size_t c = options.targets[k];
      if (c >= problem.cells.size() || model.cell_var[c] < 0 || (k > 0 && c <= options.targets[k - 1]))
        throw InvalidArgument("audit: target " + std::to_string(c) + " is not a suppressed cell, or targets are not ascending");
      vars.push_back(static_cast<std::size_t>(model.cell_var[c]));
    }
  }
  // Contiguous blocks of targets, fixed by the problem alone; each starts from a fresh model and
  // solves its targets in order, so the result does not depend on the threads (audit.md, "Threads").
  const std::size_t blocks = (vars.size() + detail::kAuditBlockTargets - 1) / detail::kAuditBlockTargets;
  std::vector<std::size_t> solves(blocks, 0);
  result.cells.resize(vars.size());
  const std::string what = std::to_string(vars.size()) + " suppressed cells";
  const auto solve_block = [&](std::size_t b, const std::function<void()>& tick) {
    detail::AuditLp lp(model.lower, model.upper, model.rows);
    detail::AuditContext cx{problem, options, model, lp, deadline};
    const std::size_t end = std::min(vars.size(), (b + 1) * detail::kAuditBlockTargets);
    for (std::size_t k = b * detail::kAuditBlockTargets; k < end; ++k) {
      detail::check_deadline(deadline, options.time_limit, what);
      result.cells[k] = detail::audit_target(cx, vars[k], {});
      tick();
    }
    solves[b] = lp.solves();
  };
  std::function<void(std::uint64_t)> report;
  if (options.progress) report = [&](std::uint64_t done) { options.progress(done, total); };
  detail::run_blocks(blocks, detail::audit_threads(options.threads), solve_block, report);
  for (const std::size_t n : solves) result.lp_solves += n;
  if (options.insiders) {
    detail::AuditLp lp(model.lower, model.upper, model.rows);  // fresh: as on any number of threads
    detail::AuditContext cx{problem, options, model, lp, deadline};
    detail::audit_insiders(cx, plan, result, vars.size(), total);
    result.lp_solves += lp.solves();
  }
  return result;
}

bool AuditResult::all_protected() const noexcept {
  return insider_failures.empty() && insider_scenarios_skipped == 0 &&
         std::all_of(cells.begin(), cells.end(),
                     [](const AuditCellResult& c) { return c.verdict == AuditVerdict::kProtected; });
}

const char* to_string(AuditVerdict verdict) noexcept {
  switch (verdict) {
    case AuditVerdict::kProtected: return "protected";
    case AuditVerdict::kExact: return "exact";
    case AuditVerdict::kUnderProtected: return "under-protected";
  }
  return "unknown";
}

}  // namespace sdcore
