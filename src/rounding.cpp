// Rounding to a base: deterministic, unbiased random, small cell adjustment and Barnardisation
// (docs/methods/rounding.md). Every random decision is a counter-based draw on (seed, cell), so a
// cell's outcome does not depend on any other cell.

#include "sdcore/rounding.hpp"

#include <cmath>
#include <string>

#include "detail/counter_rng.hpp"
#include "detail/text.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

void check_base(double base) {
  if (!std::isfinite(base) || base <= 0) throw InvalidArgument("rounding base must be finite and > 0, got " + detail::format_number(base));
}

void check_finite(const Tabulation& table) {
  for (std::size_t i = 0; i < table.num_cells(); ++i) {
    if (!std::isfinite(table.cell(i).value))
      throw InvalidArgument("cannot round cell " + table.label(i) + ": its value is not a finite number");
  }
}

void check_counts(const Tabulation& table) {
  for (std::size_t i = 0; i < table.num_cells(); ++i) {
    const double v = table.cell(i).value;
    if (!std::isfinite(v) || v < 0 || v != std::floor(v))
      throw InvalidArgument("cell " + table.label(i) + " holds " + detail::format_number(v) +
                            ", which is not a count (a whole number >= 0)");
  }
}

// Random rounding of one value given a uniform draw u in [0, 1): up with probability r / base.
double random_round_one(double value, double base, double u) {
  const double q = std::floor(value / base);
  const double lower = q * base;
  const double r = value - lower;
  if (r <= 0) return value;
  return u < r / base ? lower + base : lower;
}

}  // namespace

const char* to_string(TieRule tie) noexcept {
  switch (tie) {
    case TieRule::kUp: return "up";
    case TieRule::kDown: return "down";
    case TieRule::kEven: return "even";
  }
  return "?";
}

const char* to_string(TotalsRule totals) noexcept {
  return totals == TotalsRule::kRoundIndependently ? "independent" : "sum";
}

std::optional<TieRule> tie_rule_from(std::string_view name) noexcept {
  for (TieRule t : {TieRule::kUp, TieRule::kDown, TieRule::kEven})
    if (name == to_string(t)) return t;
  return std::nullopt;
}

std::optional<TotalsRule> totals_rule_from(std::string_view name) noexcept {
  for (TotalsRule t : {TotalsRule::kRoundIndependently, TotalsRule::kSumOfRounded})
    if (name == to_string(t)) return t;
  return std::nullopt;
}

double round_to_base(double value, double base, TieRule tie) {
  check_base(base);
  if (!std::isfinite(value)) throw InvalidArgument("cannot round a value that is not finite");
  const double q = std::floor(value / base);
  const double lower = q * base;
  const double upper = lower + base;
  const double below = value - lower;
  const double above = upper - value;
  if (below == 0) return value;
  if (below < above) return lower;
  if (above < below) return upper;
  switch (tie) {
    case TieRule::kUp: return upper;
    case TieRule::kDown: return lower;
    case TieRule::kEven: return std::fmod(q, 2.0) == 0 ? lower : upper;
  }
  return upper;
}

void sum_totals_from_inner(const Tabulation& table, std::vector<double>& values) {
  if (values.size() != table.num_cells()) throw InvalidArgument("one value per cell is needed");
  const auto& dims = table.dimensions();
  // Dimension by dimension, each non-leaf node from its children (post-order: children come
  // first). After dimension d, every cell whose nodes in the later dimensions are leaves is right.
  std::vector<std::size_t> nodes;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    for (std::size_t i = 0; i < table.num_cells(); ++i) {
      nodes = table.nodes(i);
      const std::size_t node = nodes[d];
      if (dims[d].is_leaf(node)) continue;
      double sum = 0;
      for (std::size_t child : dims[d].children(node)) {
        nodes[d] = child;
        sum += values[table.index(nodes)];
      }
      values[i] = sum;
    }
  }
}

std::vector<double> round_to_base(const Tabulation& table, const BaseRoundingOptions& options) {
  check_base(options.base);
  check_finite(table);
  std::vector<double> out(table.num_cells());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = round_to_base(table.cell(i).value, options.base, options.tie);
  if (options.totals == TotalsRule::kSumOfRounded) sum_totals_from_inner(table, out);
  return out;
}

double random_round(double value, double base, std::uint64_t seed, std::uint64_t index) {
  check_base(base);
  if (!std::isfinite(value)) throw InvalidArgument("cannot round a value that is not finite");
  return random_round_one(value, base, detail::counter_uniform(seed, index));
}

std::vector<double> random_round(const Tabulation& table, const RandomRoundingOptions& options) {
  check_base(options.base);
  check_finite(table);
  std::vector<double> out(table.num_cells());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = random_round_one(table.cell(i).value, options.base, detail::counter_uniform(options.seed, i));
  if (options.totals == TotalsRule::kSumOfRounded) sum_totals_from_inner(table, out);
  return out;
}

std::vector<double> small_cell_adjustment(const Tabulation& table, const SmallCellOptions& options) {
  if (!std::isfinite(options.base) || options.base < 2 || options.base != std::floor(options.base))
    throw InvalidArgument("small cell adjustment base must be a whole number >= 2, got " + detail::format_number(options.base));
  check_counts(table);
  std::vector<double> out(table.num_cells());
  const bool sum_totals = options.totals == TotalsRule::kSumOfRounded;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double v = table.cell(i).value;
    const bool small = v > 0 && v < options.base;
    const bool adjust = small && (table.is_inner(i) || !sum_totals);
    out[i] = adjust ? random_round_one(v, options.base, detail::counter_uniform(options.seed, i)) : v;
  }
  if (sum_totals) sum_totals_from_inner(table, out);
  return out;
}

std::vector<double> barnardise(const Tabulation& table, const BarnardOptions& options) {
  if (!(options.probability >= 0 && options.probability <= 1))
    throw InvalidArgument("Barnardisation probability must be in [0, 1], got " + detail::format_number(options.probability));
  check_counts(table);
  const std::size_t n = table.num_cells();
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = table.cell(i).value;
    out[i] = v;
    if (v == 0 || !table.is_inner(i)) continue;
    // Two independent draws per cell: whether it changes (index i) and which way (index n + i).
    if (detail::counter_uniform(options.seed, i) < options.probability)
      out[i] += detail::counter_uniform(options.seed, n + i) < 0.5 ? -1.0 : 1.0;
  }
  sum_totals_from_inner(table, out);
  return out;
}

}  // namespace sdcore
