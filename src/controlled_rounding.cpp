// Controlled rounding (docs/methods/controlled_rounding.md): validation, the problem in units of
// the base, the choice between the network flow (controlled_rounding_flow.cpp) and the MIP
// (controlled_rounding_mip.cpp), and the check that what is returned is what was promised.

#include "sdcore/controlled_rounding.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "detail/controlled_rounding_internal.hpp"
#include "sdcore/error.hpp"

namespace sdcore {

const char* to_string(ControlledRoundingMethod m) noexcept {
  switch (m) {
    case ControlledRoundingMethod::kAuto: return "auto";
    case ControlledRoundingMethod::kNetwork: return "network";
    case ControlledRoundingMethod::kMip: return "mip";
  }
  return "?";
}

const char* to_string(ControlledRoundingResult::Status s) noexcept {
  switch (s) {
    case ControlledRoundingResult::Status::kOptimal: return "optimal";
    case ControlledRoundingResult::Status::kFeasible: return "feasible";
    case ControlledRoundingResult::Status::kInfeasible: return "infeasible";
    case ControlledRoundingResult::Status::kUnknown: return "unknown";
  }
  return "?";
}

namespace detail {

double RoundingCells::rhs(const Tabulation::Relation& r) const {
  double sum = low[r.total], scale = std::abs(low[r.total]) + 1;
  for (std::size_t p : r.parts) sum -= low[p], scale += std::abs(low[p]);
  const double whole = std::round(sum);
  return std::abs(sum - whole) <= 1e-9 * scale ? whole : sum;
}

}  // namespace detail

namespace {

using Status = ControlledRoundingResult::Status;
using Label = std::function<std::string(std::size_t)>;

[[noreturn]] void fail(const std::string& what) { throw InvalidArgument("controlled rounding: " + what); }

std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

void check_options(const ControlledRoundingOptions& o, std::size_t cells) {
  if (!std::isfinite(o.base) || o.base <= 0) fail("base must be finite and > 0, got " + number(o.base));
  if (!std::isfinite(o.time_limit_seconds) || o.time_limit_seconds <= 0) {
    fail("time_limit_seconds must be finite and > 0, got " + number(o.time_limit_seconds));
  }
  if (!o.keep_exact.empty() && o.keep_exact.size() != cells) {
    fail("keep_exact has " + std::to_string(o.keep_exact.size()) + " flags for " + std::to_string(cells) + " cells");
  }
  if (!o.start.empty() && o.start.size() != cells) {
    fail("start has " + std::to_string(o.start.size()) + " values for " + std::to_string(cells) + " cells");
  }
}

// Relations whose rounded (or original) values break them, with a tolerance for rounding error.
std::vector<RelationViolation> violations_of(const std::vector<Tabulation::Relation>& relations,
                                             const std::vector<double>& v, double base) {
  std::vector<RelationViolation> out;
  for (std::size_t r = 0; r < relations.size(); ++r) {
    const Tabulation::Relation& rel = relations[r];
    double diff = v[rel.total], scale = std::abs(v[rel.total]) + base;
    for (std::size_t p : rel.parts) diff -= v[p], scale += std::abs(v[p]);
    if (std::abs(diff) > 1e-9 * scale) out.push_back({r, rel.total, diff});
  }
  return out;
}

void check_values(const std::vector<double>& values, const std::vector<Tabulation::Relation>& relations,
                  const ControlledRoundingOptions& o, const Label& label) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]) || values[i] < 0) {
      fail(label(i) + " has value " + number(values[i]) + "; values must be finite and >= 0");
    }
  }
  for (const Tabulation::Relation& r : relations) {
    bool inside = r.total < values.size();
    for (std::size_t p : r.parts) inside = inside && p < values.size();
    if (!inside) fail("a relation names a cell beyond the " + std::to_string(values.size()) + " cells");
  }
  const auto broken = violations_of(relations, values, o.base);
  if (!broken.empty()) {
    fail("the values are not additive: " + label(broken[0].total) + " differs from the sum of its parts by " +
         number(broken[0].amount));
  }
}

detail::RoundingCells make_cells(const std::vector<double>& values, std::vector<Tabulation::Relation> relations,
                                 const ControlledRoundingOptions& o) {
  detail::RoundingCells c;
  c.base = o.base;
  c.value = values;
  c.relations = std::move(relations);
  const std::size_t n = values.size();
  c.low.assign(n, 0);
  c.residual.assign(n, 0);
  c.free.assign(n, 0);
  c.kept.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double q = values[i] / o.base, whole = std::round(q);
    if (std::abs(q - whole) <= 1e-9 * std::max(1.0, q)) {
      c.low[i] = whole;  // a multiple (up to rounding error): unchanged
    } else if (!o.keep_exact.empty() && o.keep_exact[i]) {
      c.low[i] = q;
      c.kept[i] = 1;
    } else {
      c.low[i] = std::floor(q);
      c.residual[i] = q - c.low[i];
      c.free[i] = 1;
    }
  }
  return c;
}

// The start as up flags; InvalidArgument for a value that is not a rounding of its cell.
std::vector<char> start_flags(const detail::RoundingCells& c, const std::vector<double>& start, const Label& label) {
  std::vector<char> up(start.size(), 0);
  for (std::size_t i = 0; i < start.size(); ++i) {
    const double tol = 1e-9 * (std::abs(c.value[i]) + c.base);
    if (std::abs(start[i] - c.rounded_value(i, false)) <= tol) continue;
    if (c.free[i] && std::abs(start[i] - c.rounded(i, true)) <= tol) {
      up[i] = 1;
      continue;
    }
    fail("start value " + number(start[i]) + " of " + label(i) + " is not a rounding of " + number(c.value[i]));
  }
  return up;
}

void fill_values(const detail::RoundingCells& c, const std::vector<char>& up, ControlledRoundingResult& r) {
  r.values.resize(c.size());
  r.distance = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    r.values[i] = c.rounded_value(i, up[i] != 0);
    r.distance += std::abs(r.values[i] - c.value[i]);
  }
  r.violations = violations_of(c.relations, r.values, c.base);
  r.total_violation = 0;
  for (const RelationViolation& v : r.violations) r.total_violation += std::abs(v.amount);
}

void check_additive(const ControlledRoundingResult& r, const Label& label) {
  if (r.violations.empty()) return;
  throw Error("controlled rounding: internal error: the " + r.method + " solution breaks the relation of " +
              label(r.violations[0].total) + " by " + number(r.violations[0].amount));
}

// The MIP, and the relaxed MIP when asked for and no additive rounding was found.
void run_mip(const detail::RoundingCells& c, const ControlledRoundingOptions& o, const Label& label,
             std::chrono::steady_clock::time_point began, ControlledRoundingResult& r) {
  r.method = "mip";
  const std::vector<char> start = start_flags(c, o.start, label);
  const detail::RoundingSolve s = detail::solve_rounding_mip(c, start, o.time_limit_seconds, o.seed);
  r.status = s.status;
  if (!s.up.empty()) {
    fill_values(c, s.up, r);
    r.bound = std::min(s.bound, r.distance);
    check_additive(r, label);
    return;
  }
  if (!o.relaxed_if_infeasible) return;
  const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  const detail::RoundingSolve relaxed = detail::solve_relaxed_mip(c, o.time_limit_seconds - spent, o.seed);
  fill_values(c, relaxed.up, r);
  r.relaxed = !r.violations.empty();
  r.relaxed_optimal = relaxed.proven;
  // The time limit stopped the first solve, and the relaxed one found an additive rounding.
  if (!r.relaxed) r.status = Status::kFeasible;
}

ControlledRoundingResult round_cells(const detail::RoundingCells& c, const ControlledRoundingOptions& o,
                                     const Tabulation* table, const Label& label) {
  const auto began = std::chrono::steady_clock::now();
  ControlledRoundingResult r;
  const bool any_kept = std::any_of(c.kept.begin(), c.kept.end(), [](char k) { return k != 0; });
  const bool network = table != nullptr && o.method != ControlledRoundingMethod::kMip &&
                       detail::network_applies(*table) && !any_kept;
  std::optional<std::vector<char>> up;
  const bool large = network && table->num_cells() > o.max_optimal_cells;
  if (network) up = large ? detail::solve_rounding_max_flow(*table, c) : detail::solve_rounding_flow(*table, c);
  if (up) {
    r.method = large ? "max flow" : "network flow";
    r.status = large ? Status::kFeasible : Status::kOptimal;
    fill_values(c, *up, r);
    r.bound = large ? 0 : r.distance;
    check_additive(r, label);
  } else {
    run_mip(c, o, label, began, r);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return r;
}

}  // namespace

ControlledRoundingResult controlled_round(const Tabulation& table, const ControlledRoundingOptions& options) {
  check_options(options, table.num_cells());
  std::vector<double> values(table.num_cells());
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = table.cell(i).value;
  const Label label = [&table](std::size_t i) { return "cell " + table.label(i); };
  std::vector<Tabulation::Relation> relations = table.relations();
  check_values(values, relations, options, label);
  detail::RoundingCells cells = make_cells(values, std::move(relations), options);
  if (options.method == ControlledRoundingMethod::kNetwork) {
    if (!detail::network_applies(table)) {
      fail("method network needs a one- or two-dimensional table of flat dimensions (use kAuto or kMip)");
    }
    if (std::any_of(cells.kept.begin(), cells.kept.end(), [](char k) { return k != 0; })) {
      fail("method network cannot keep a cell exact that is not a multiple of the base (use kAuto or kMip)");
    }
  }
  start_flags(cells, options.start, label);
  return round_cells(cells, options, &table, label);
}

ControlledRoundingResult controlled_round(const std::vector<double>& values,
                                          const std::vector<Tabulation::Relation>& relations,
                                          const ControlledRoundingOptions& options) {
  check_options(options, values.size());
  if (options.method == ControlledRoundingMethod::kNetwork) {
    fail("method network needs a Tabulation (its dimensions); use kAuto or kMip");
  }
  const Label label = [](std::size_t i) { return "cell " + std::to_string(i); };
  check_values(values, relations, options, label);
  detail::RoundingCells cells = make_cells(values, relations, options);
  start_flags(cells, options.start, label);
  return round_cells(cells, options, nullptr, label);
}

}  // namespace sdcore
