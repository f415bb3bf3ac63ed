#pragma once
// Pieces the audit's source files share: validation, the model (suppressed cells as variables),
// the arithmetic of certificates, and one target's interval and verdict.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "detail/audit_lp.hpp"
#include "detail/text.hpp"
#include "sdcore/audit.hpp"

namespace sdcore::detail {

/// Coefficients of a combination this small are floating-point residue, taken as 0.
inline constexpr double kAuditZero = 1e-9;

/// "'label' (index i)", or "index i" for an empty label.
std::string cell_name(const AuditProblem& problem, std::size_t cell);
std::string relation_name(const AuditProblem& problem, std::size_t relation);

/// Throws InvalidArgument for everything audit() documents, checked before any work.
// `sums_with_suppressed`: whether relations that name a suppressed cell must hold for its value
// too (false when those values are unknown, as in audit_published).
void validate_problem(const AuditProblem& problem, double tolerance, bool sums_with_suppressed = true);
void validate_tolerance(double tolerance);

/// The linear programme's view of the problem: suppressed cells are the variables.
struct AuditModel {
  std::vector<std::size_t> var_cell;     // variable -> cell
  std::vector<std::ptrdiff_t> cell_var;  // cell -> variable, -1 when published
  std::vector<std::size_t> row_relation; // LP row -> relation
  std::vector<LpRow> rows;
  std::vector<double> lower, upper;      // a-priori bounds per variable
};
AuditModel build_model(const AuditProblem& problem);

/// Sum of the insiders' contributions to a cell (0 when they contribute nothing).
double insider_amount(const AuditCell& cell, const std::vector<std::int64_t>& insiders);

/// The lower bound an attacker uses for `cell` when auditing `target`: the a-priori bound,
/// raised to the insiders' own contribution, except for the target itself (its protection
/// levels already assume an attacker among its contributors).
double attacker_lower(const AuditProblem& problem, std::size_t cell, std::size_t target,
                      const std::vector<std::int64_t>& insiders);

/// Combines the relations with `multipliers` into h = e_target - sum y_r * relation_r and bounds
/// the result: fills bound, bounds and published_part of `certificate` (whose cell, sense,
/// insiders and relations are read). The bound is infinite when a term needs an infinite bound.
void evaluate_certificate(const AuditProblem& problem, AuditCertificate& certificate);

/// max(1, |x|): the scale of the relative tolerance.
double tolerance_scale(double x);


/// Everything one audit run needs to audit a target.
struct AuditContext {
  const AuditProblem& problem;
  const AuditOptions& options;
  const AuditModel& model;
  AuditLp& lp;
  /// When options.time_limit runs out (time_point::max() without one).
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

/// Throws TimeLimitReached when `deadline` has passed ("audit: the time limit of ... was reached
/// after `done` of `total` ...").
void check_deadline(std::chrono::steady_clock::time_point deadline, double limit, const std::string& what);

/// The attacker's interval for the cell of variable `var`, its verdict and certificates, with
/// the LP as it stands (the caller sets the insiders' bounds).
AuditCellResult audit_target(AuditContext& context, std::size_t var,
                             const std::vector<std::int64_t>& insiders);

/// Which insider scenarios an audit examines: the holders contributing to a suppressed cell
/// (ascending), and how many scenarios (singles, then pairs) fit under the cap.
struct InsiderPlan {
  std::vector<std::int64_t> attackers;
  std::size_t scenarios = 0;  // examined
  std::size_t skipped = 0;    // left out by max_insider_scenarios
};
InsiderPlan plan_insiders(const AuditProblem& problem, const AuditOptions& options);

/// The insider part of audit(): fills insider_failures and the scenario counts of `result`,
/// whose outsider cells are already there. Progress goes on from `done` of `total`.
void audit_insiders(AuditContext& context, const InsiderPlan& plan, AuditResult& result,
                    std::uint64_t done, std::uint64_t total);

}  // namespace sdcore::detail
