// The insider audit: each holder that contributes to a suppressed cell (and each coalition of
// two) knows its own contributions, so those cells' lower bounds rise to them. A scenario whose
// raised bounds are all below the outsider's minima changes nothing and is not solved.

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "detail/audit_internal.hpp"
#include "sdcore/audit.hpp"

namespace sdcore::detail {

namespace {

using Coalition = std::vector<std::int64_t>;

// Holder -> (variable, amount) for the suppressed cells it contributes to, amounts summed.
using Holdings = std::map<std::int64_t, std::map<std::size_t, double>>;

Holdings holdings_of(const AuditProblem& problem, const AuditModel& model) {
  Holdings out;
  for (std::size_t v = 0; v < model.var_cell.size(); ++v) {
    for (const AuditContribution& x : problem.cells[model.var_cell[v]].contributions) {
      out[x.holder][v] += x.amount;
    }
  }
  return out;
}

// The scenario number `index` (singles first, then pairs (i < j) in order).
Coalition scenario(const std::vector<std::int64_t>& attackers, std::size_t index) {
  const std::size_t n = attackers.size();
  if (index < n) return {attackers[index]};
  index -= n;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const std::size_t pairs = n - 1 - i;
    if (index < pairs) return {attackers[i], attackers[i + 1 + index]};
    index -= pairs;
  }
  return {};
}

// The raised lower bounds of a coalition, per variable, where they exceed the outsider minimum
// of that variable (elsewhere the raise is implied already). Empty when nothing changes.
std::map<std::size_t, double> effective_raises(const AuditContext& cx, const AuditResult& result,
                                               const Holdings& holdings, const Coalition& coalition) {
  std::map<std::size_t, double> raised;
  for (std::int64_t h : coalition) {
    for (const auto& [var, amount] : holdings.at(h)) raised[var] += amount;
  }
  bool effective = false;
  for (auto& [var, amount] : raised) {
    amount = std::max(amount, cx.model.lower[var]);
    const double floor = result.cells[var].lower;
    effective |= amount > floor + cx.options.tolerance * tolerance_scale(floor);
  }
  if (!effective) raised.clear();
  return raised;
}

}  // namespace

InsiderPlan plan_insiders(const AuditProblem& problem, const AuditOptions& options) {
  InsiderPlan plan;
  std::set<std::int64_t> attackers;
  for (const AuditCell& c : problem.cells) {
    if (!c.suppressed) continue;
    for (const AuditContribution& x : c.contributions) attackers.insert(x.holder);
  }
  plan.attackers.assign(attackers.begin(), attackers.end());
  const std::size_t n = plan.attackers.size();
  // In long double, so that n (n - 1) / 2 cannot overflow.
  const long double pairs = options.insider_pairs && n > 1 ? 0.5L * n * (n - 1) : 0.0L;
  const long double all = static_cast<long double>(n) + pairs;
  const auto cap = static_cast<long double>(options.max_insider_scenarios);
  plan.scenarios = static_cast<std::size_t>(std::min(all, cap));
  plan.skipped = static_cast<std::size_t>(all - static_cast<long double>(plan.scenarios));
  return plan;
}

void audit_insiders(AuditContext& cx, const InsiderPlan& plan, AuditResult& result, std::uint64_t done,
                    std::uint64_t total) {
  const Holdings holdings = holdings_of(cx.problem, cx.model);
  std::set<std::pair<std::int64_t, std::size_t>> single_failures;  // (holder, variable)
  for (std::size_t s = 0; s < plan.scenarios; ++s) {
    check_deadline(cx.deadline, cx.options.time_limit, std::to_string(plan.scenarios) + " insider scenarios");
    const Coalition coalition = scenario(plan.attackers, s);
    const std::map<std::size_t, double> raised = effective_raises(cx, result, holdings, coalition);
    for (const auto& [var, lower] : raised) cx.lp.set_lower(static_cast<int>(var), lower);
    for (std::size_t t = 0; t < cx.model.var_cell.size() && !raised.empty(); ++t) {
      const AuditCell& target = cx.problem.cells[cx.model.var_cell[t]];
      // Failures against an outsider are reported once, there; a cell that is all the
      // coalition's own holds nobody else's data; a pair is listed only if no member alone breaks it.
      if (result.cells[t].verdict != AuditVerdict::kProtected) continue;
      if (insider_amount(target, coalition) >= target.value - cx.options.tolerance * tolerance_scale(target.value)) continue;
      const bool member_fails = std::any_of(coalition.begin(), coalition.end(), [&](std::int64_t h) {
        return single_failures.count({h, t}) > 0;
      });
      if (coalition.size() > 1 && member_fails) continue;
      // The target's own bound stays a priori: its protection levels already assume an
      // attacker among its contributors (tau-Argus derives them so).
      const auto own = raised.find(t);
      if (own != raised.end()) cx.lp.set_lower(static_cast<int>(t), cx.model.lower[t]);
      AuditCellResult r = audit_target(cx, t, coalition);
      if (own != raised.end()) cx.lp.set_lower(static_cast<int>(t), own->second);
      if (r.verdict == AuditVerdict::kProtected) continue;
      if (coalition.size() == 1) single_failures.insert({coalition[0], t});
      result.insider_failures.push_back(std::move(r));
    }
    for (const auto& [var, lower] : raised) cx.lp.set_lower(static_cast<int>(var), cx.model.lower[var]);
    if (cx.options.progress) cx.options.progress(done + s + 1, total);
  }
  result.insider_scenarios = plan.scenarios;
  result.insider_scenarios_skipped = plan.skipped;
}

}  // namespace sdcore::detail
