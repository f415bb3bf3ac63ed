// Certificates: the arithmetic that turns multipliers into a bound (shared by the audit, which
// builds certificates from the LP's duals, and by verify_certificate, which re-checks them
// without any LP), and their description in words.

#include <algorithm>
#include <cmath>
#include <sstream>

#include "detail/audit_internal.hpp"
#include "sdcore/audit.hpp"

namespace sdcore {

namespace detail {

double insider_amount(const AuditCell& cell, const std::vector<std::int64_t>& insiders) {
  double sum = 0;
  for (const AuditContribution& x : cell.contributions) {
    if (std::find(insiders.begin(), insiders.end(), x.holder) != insiders.end()) sum += x.amount;
  }
  return sum;
}

double attacker_lower(const AuditProblem& problem, std::size_t cell, std::size_t target,
                      const std::vector<std::int64_t>& insiders) {
  const AuditCell& c = problem.cells[cell];
  if (insiders.empty() || cell == target) return c.lower_bound;
  const bool contributes = std::any_of(c.contributions.begin(), c.contributions.end(), [&](const auto& x) {
    return std::find(insiders.begin(), insiders.end(), x.holder) != insiders.end();
  });
  // Contributions are >= 0, so a cell is at least what the insiders put into it themselves.
  return contributes ? std::max(c.lower_bound, insider_amount(c, insiders)) : c.lower_bound;
}

void evaluate_certificate(const AuditProblem& problem, AuditCertificate& certificate) {
  // h = e_target - sum_r y_r * relation_r, as (cell, coefficient) pieces merged by cell.
  std::vector<std::pair<std::size_t, double>> h{{certificate.cell, 1.0}};
  for (const AuditMultiplier& m : certificate.relations) {
    for (const AuditTerm& t : problem.relations[m.relation].terms) {
      h.emplace_back(t.cell, -m.multiplier * t.coefficient);
    }
  }
  std::stable_sort(h.begin(), h.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  certificate.bounds.clear();
  certificate.published_part = 0;
  double bounded = 0;
  for (std::size_t i = 0; i < h.size();) {
    const std::size_t k = h[i].first;
    double coefficient = 0;
    for (; i < h.size() && h[i].first == k; ++i) coefficient += h[i].second;
    if (std::abs(coefficient) <= kAuditZero) continue;
    const AuditCell& cell = problem.cells[k];
    if (!cell.suppressed) {
      certificate.published_part += coefficient * cell.value;
      continue;
    }
    // The term coefficient * value[k] is bounded in the direction of the certificate.
    const bool upper = (certificate.sense == AuditSense::kUpper) == (coefficient > 0);
    const double bound = upper ? cell.upper_bound : attacker_lower(problem, k, certificate.cell, certificate.insiders);
    certificate.bounds.push_back({k, coefficient, upper, bound});
    bounded += coefficient * bound;  // all infinite terms have the same sign: no inf - inf
  }
  certificate.bound = certificate.published_part + bounded;
}

namespace {

bool close(double a, double b, double tolerance) {
  return a == b || std::abs(a - b) <= tolerance * tolerance_scale(std::max(std::abs(a), std::abs(b)));
}

// Why `given` does not list what the combination gives, or "" when it does.
std::string compare_bounds(const AuditProblem& problem, const std::vector<AuditBoundTerm>& given,
                           const std::vector<AuditBoundTerm>& redone, double tolerance) {
  for (std::size_t i = 0; i < std::max(given.size(), redone.size()); ++i) {
    if (i >= given.size()) {
      return "the combination uses the bound of cell " + cell_name(problem, redone[i].cell) +
             ", which the certificate does not list";
    }
    if (i >= redone.size() || given[i].cell != redone[i].cell || given[i].upper != redone[i].upper ||
        !close(given[i].coefficient, redone[i].coefficient, tolerance) ||
        !close(given[i].bound, redone[i].bound, tolerance)) {
      return "the certificate's bound term for cell " + cell_name(problem, given[i].cell) +
             " is not what the combination gives";
    }
  }
  return "";
}

}  // namespace

}  // namespace detail

CertificateCheck verify_certificate(const AuditProblem& problem, const AuditCertificate& certificate,
                                    double tolerance) {
  detail::validate_tolerance(tolerance);
  detail::validate_problem(problem, tolerance);
  CertificateCheck out;
  auto fail = [&out](std::string reason) {
    out.valid = false;
    out.reason = std::move(reason);
    return out;
  };
  if (certificate.cell >= problem.cells.size() || !problem.cells[certificate.cell].suppressed) {
    return fail("the target " + detail::cell_name(problem, certificate.cell) + " is not a suppressed cell");
  }
  for (const AuditMultiplier& m : certificate.relations) {
    if (m.relation >= problem.relations.size()) {
      return fail("names relation " + std::to_string(m.relation) + ", but the problem has " +
                  std::to_string(problem.relations.size()));
    }
    if (!std::isfinite(m.multiplier)) return fail("a multiplier is not finite");
  }
  AuditCertificate redone = certificate;
  detail::evaluate_certificate(problem, redone);
  out.implied_bound = redone.bound;
  const bool lower = certificate.sense == AuditSense::kLower;
  if (!std::isfinite(redone.bound)) {
    return fail("the combination leaves a suppressed cell with an infinite bound, so it proves nothing");
  }
  const double slack = tolerance * detail::tolerance_scale(certificate.bound);
  if (lower ? redone.bound < certificate.bound - slack : redone.bound > certificate.bound + slack) {
    return fail(std::string("the combination proves value ") + (lower ? ">= " : "<= ") +
                detail::format_number(redone.bound) + ", not " + detail::format_number(certificate.bound));
  }
  if (!detail::close(redone.published_part, certificate.published_part, tolerance)) {
    return fail("the published cells give " + detail::format_number(redone.published_part) + ", not " +
                detail::format_number(certificate.published_part));
  }
  std::string why = detail::compare_bounds(problem, certificate.bounds, redone.bounds, tolerance);
  if (!why.empty()) return fail(std::move(why));
  out.valid = true;
  return out;
}

std::string describe_certificate(const AuditProblem& problem, const AuditCertificate& certificate) {
  auto cell_label = [&](std::size_t k) {
    return k < problem.cells.size() && !problem.cells[k].label.empty() ? problem.cells[k].label
                                                                       : "cell " + std::to_string(k);
  };
  auto signed_number = [](double x) { return (x >= 0 ? "+" : "") + detail::format_number(x); };
  std::ostringstream out;
  if (!certificate.insiders.empty()) {
    out << "insiders";
    for (std::int64_t h : certificate.insiders) out << ' ' << h;
    out << ": ";
  }
  out << cell_label(certificate.cell) << (certificate.sense == AuditSense::kLower ? " >= " : " <= ")
      << detail::format_number(certificate.bound) << " from";
  if (certificate.relations.empty()) out << " no relation";
  for (const AuditMultiplier& m : certificate.relations) {
    const bool named = m.relation < problem.relations.size() && !problem.relations[m.relation].label.empty();
    out << ' ' << signed_number(m.multiplier) << " ["
        << (named ? problem.relations[m.relation].label : "relation " + std::to_string(m.relation)) << ']';
  }
  out << "; published cells give " << detail::format_number(certificate.published_part);
  if (!certificate.bounds.empty()) out << "; bounds used:";
  for (const AuditBoundTerm& b : certificate.bounds) {
    out << ' ' << signed_number(b.coefficient) << " x " << (b.upper ? "upper(" : "lower(")
        << cell_label(b.cell) << ")=" << detail::format_number(b.bound);
  }
  return out.str();
}

}  // namespace sdcore
