// Primary suppression rules and their protection levels (see suppression.hpp and
// docs/methods/primary_suppression.md).

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "sdcore/error.hpp"
#include "sdcore/suppression.hpp"

namespace sdcore {

const char* to_string(CellStatus s) noexcept {
  switch (s) {
    case CellStatus::kSafe: return "safe";
    case CellStatus::kPrimary: return "primary";
    case CellStatus::kSecondary: return "secondary";
    case CellStatus::kEmpty: return "empty";
  }
  return "?";
}

namespace {

void check_rules(const Tabulation& t, const PrimaryRules& r) {
  const auto bad = [](const std::string& what) { throw InvalidArgument("primary rules: " + what); };
  std::size_t kept = 0;
  bool has_contributors = !t.cells().empty();
  for (const TabularCell& c : t.cells()) {
    kept = std::max(kept, c.top.size());
    has_contributors = has_contributors && c.contributors >= 0;
  }
  // Contributions kept per cell: all of a cell's when it has at most `kept` contributors.
  const auto need = [&](std::size_t n, const std::string& rule) {
    if (!has_contributors) bad(rule + " needs contributions, which a table read in long format does not have");
    for (const TabularCell& c : t.cells()) {
      if (c.top.size() < n && static_cast<std::size_t>(c.contributors) > c.top.size()) {
        bad(rule + " needs the " + std::to_string(n) + " largest contributions of each cell; the table kept " +
            std::to_string(kept) + " (TabulateOptions::top_contributions)");
      }
    }
  };
  if (r.frequency && (r.frequency->max_unsafe < 0 || r.frequency->protection < 0)) {
    bad("the frequency rule needs max_unsafe >= 0 and protection >= 0");
  }
  for (const DominanceRule& d : r.dominance) {
    if (d.n == 0 || !(d.k > 0 && d.k <= 100)) bad("dominance needs n >= 1 and 0 < k <= 100");
    need(d.n, "the (" + std::to_string(d.n) + ", " + format_number(d.k) + ")-dominance rule");
  }
  if (r.p_percent) {
    if (!(r.p_percent->p > 0 && r.p_percent->p < 100)) bad("the p% rule needs 0 < p < 100");
    need(2, "the p% rule");
  }
  if (r.pq) {
    if (!(r.pq->p > 0 && r.pq->p < r.pq->q && r.pq->q <= 100)) bad("the pq rule needs 0 < p < q <= 100");
    need(2, "the pq rule");
  }
  if (r.min_contributors < 0) bad("min_contributors must be >= 0");
  if (r.min_contributors > 0 && !has_contributors) bad("min_contributors needs contributor counts (not in long format)");
  if (r.zero_protection < 0 || r.manual_protection < 0) bad("protection must be >= 0");
  for (const std::vector<std::size_t>* list : {&r.manual_unsafe, &r.manual_safe}) {
    for (std::size_t i : *list) {
      if (i >= t.num_cells()) bad("manual cell " + std::to_string(i) + " is out of range");
    }
  }
  for (std::size_t i : r.manual_unsafe) {
    if (std::find(r.manual_safe.begin(), r.manual_safe.end(), i) != r.manual_safe.end()) {
      bad("cell " + t.label(i) + " is marked both safe and unsafe");
    }
  }
}

// One cell's verdict: protections asked for and the reasons.
struct Verdict {
  bool unsafe = false;
  double upper = 0, lower = 0;
  std::string reason;
  void add(const std::string& why, double up, double down) {
    unsafe = true;
    upper = std::max(upper, up);
    lower = std::max(lower, down);
    reason += (reason.empty() ? "" : "; ") + why;
  }
};

// Applies the rules other than the manual ones to one cell.
Verdict judge(const TabularCell& c, const PrimaryRules& r) {
  Verdict v;
  const double x = c.value;
  const double freq = c.contributors >= 0 ? static_cast<double>(c.contributors) : x;
  const double down = x > 0 ? 1.0 : 0.0;  // a zero cannot be protected downwards
  if (r.frequency) {
    const FrequencyRule& f = *r.frequency;
    if ((freq >= 1 && freq <= static_cast<double>(f.max_unsafe)) || (freq == 0 && f.zeros_unsafe)) {
      v.add("frequency " + format_number(freq) + " <= " + std::to_string(f.max_unsafe), f.protection,
            f.protection * down);
    }
  }
  if (r.min_contributors > 0 && c.contributors > 0 && c.contributors < r.min_contributors) {
    const double p = r.frequency ? r.frequency->protection : 1.0;
    v.add(std::to_string(c.contributors) + " contributors < " + std::to_string(r.min_contributors), p, p);
  }
  if (x > 0) {
    for (const DominanceRule& d : r.dominance) {
      const std::size_t n = std::min(d.n, c.top.size());
      const double top = std::accumulate(c.top.begin(), c.top.begin() + static_cast<std::ptrdiff_t>(n), 0.0);
      if (top > d.k / 100 * x) {
        const double p = 100 * top / d.k - x;
        v.add("(" + std::to_string(d.n) + ", " + format_number(d.k) + ")-dominance", p, p);
      }
    }
    const double x1 = c.top.empty() ? 0 : c.top[0], x2 = c.top.size() < 2 ? 0 : c.top[1];
    const double rest = x - x1 - x2;
    if (r.p_percent && rest < r.p_percent->p / 100 * x1) {
      const double p = r.p_percent->p / 100 * x1 - rest;
      v.add("p% (p = " + format_number(r.p_percent->p) + ")", p, p);
    }
    if (r.pq && rest < r.pq->p / r.pq->q * x1) {
      const double p = r.pq->p / r.pq->q * x1 - rest;
      v.add("pq (p = " + format_number(r.pq->p) + ", q = " + format_number(r.pq->q) + ")", p, p);
    }
  }
  if (r.zeros_unsafe && x == 0) v.add("zero", r.zero_protection, 0);
  return v;
}

}  // namespace

PrimaryResult primary_suppression(const Tabulation& t, const PrimaryRules& rules) {
  check_rules(t, rules);
  const std::size_t n = t.num_cells();
  PrimaryResult out;
  out.status.assign(n, CellStatus::kSafe);
  out.upper.assign(n, 0);
  out.lower.assign(n, 0);
  out.reason.assign(n, "");
  const std::unordered_set<std::size_t> manual_unsafe(rules.manual_unsafe.begin(), rules.manual_unsafe.end());
  const std::unordered_set<std::size_t> manual_safe(rules.manual_safe.begin(), rules.manual_safe.end());
  for (std::size_t i = 0; i < n; ++i) {
    Verdict v = judge(t.cell(i), rules);
    if (manual_unsafe.count(i)) v.add("manual", rules.manual_protection, t.cell(i).value > 0 ? rules.manual_protection : 0);
    if (manual_safe.count(i)) v = Verdict{};
    if (v.unsafe) {
      out.status[i] = CellStatus::kPrimary;
      out.upper[i] = v.upper;
      out.lower[i] = std::min(v.lower, t.cell(i).value);  // the attacker's bound cannot go below 0
      out.reason[i] = std::move(v.reason);
      ++out.num_primary;
    } else if (t.cell(i).value == 0) {
      out.status[i] = CellStatus::kEmpty;
    }
  }
  return out;
}

}  // namespace sdcore
