// The cell key method for magnitude tables: noise on the largest contributions of each cell,
// scaled by a flex function (cellKey's ck_flexparams; tau-Argus's <SCALING> F(...)). See
// cellkey.hpp and docs/methods/cell_key.md ("Magnitudes") for the formula and its sources.

#include <algorithm>
#include <cmath>

#include "sdcore/cellkey.hpp"
#include "sdcore/error.hpp"

namespace sdcore {

double FlexFunction::share(double x) const noexcept {
  if (x < flex_point) return p_small;
  const double f1 = (p_small * x - p_large * flex_point) / (p_large * flex_point);
  return p_large * (1 + f1 * std::pow(2 * flex_point / (flex_point + x), q));
}

namespace {

void check_params(const MagnitudeParams& m) {
  const auto bad = [](const std::string& what) { throw InvalidArgument("magnitude cell key method: " + what); };
  if (m.top_k < 1 || m.top_k > 6) bad("top_k must be in 1..6, got " + std::to_string(m.top_k));
  if (m.epsilon.size() != m.top_k) {
    bad("epsilon needs top_k = " + std::to_string(m.top_k) + " values, got " + std::to_string(m.epsilon.size()));
  }
  if (m.epsilon[0] != 1) bad("the first epsilon must be 1, got " + format_number(m.epsilon[0]));
  for (std::size_t k = 1; k < m.epsilon.size(); ++k) {
    if (!(m.epsilon[k] >= 0 && m.epsilon[k] <= m.epsilon[k - 1])) {
      bad("epsilon must descend within [0, 1]; epsilon[" + std::to_string(k) + "] = " + format_number(m.epsilon[k]));
    }
  }
  const FlexFunction& f = m.flex;
  if (!(f.p_small > 0 && f.p_small <= 1)) bad("p_small must be in (0, 1], got " + format_number(f.p_small));
  if (!(f.p_large > 0 && f.p_large <= f.p_small)) bad("p_large must be in (0, p_small], got " + format_number(f.p_large));
  if (!(f.flex_point > 0) || !std::isfinite(f.flex_point)) bad("flex_point must be positive, got " + format_number(f.flex_point));
  if (!(f.q >= 1) || !std::isfinite(f.q)) bad("q must be >= 1, got " + format_number(f.q));
  if (!(m.mu_c >= 0) || !std::isfinite(m.mu_c)) bad("mu_c must be >= 0, got " + format_number(m.mu_c));
  if (m.digits < 1 || m.digits > 15) bad("digits must be in 1..15, got " + std::to_string(m.digits));
}

void check_ptable(const PerturbationTable& p, const MagnitudeParams& m) {
  const bool parity = p.has(PTableType::kEven) || p.has(PTableType::kOdd);
  if (parity && !(p.has(PTableType::kEven) && p.has(PTableType::kOdd))) {
    throw InvalidArgument("magnitude cell key method: the p-table has even rows without odd ones or the reverse");
  }
  if (parity && m.top_k != 1) throw InvalidArgument("magnitude cell key method: even/odd p-tables need top_k = 1");
  if (!parity && !p.has(PTableType::kAll)) throw InvalidArgument("magnitude cell key method: the p-table has no rows of type all");
}

// Separation point z_s: contributions below it get noise in absolute units from the small_cells rows.
double separation_point(const PerturbationTable& p, const MagnitudeParams& m) {
  if (!p.has(PTableType::kSmallCells)) return 0;
  const double top = p.max_i(PTableType::kSmallCells);
  double m1sq = 0;
  for (const PTableEntry& e : p.entries()) {
    if (e.type == PTableType::kSmallCells && e.i == top) m1sq += e.v * e.v * e.p;
  }
  double e2 = 0;
  for (double eps : m.epsilon) e2 += eps * eps;
  return std::sqrt(m1sq) / (std::sqrt(e2) * m.flex.p_small);
}

// Noise for ratio a = |x| / x_delta: row a if it exists, the largest row above it, else the
// linear interpolation of the noises of the two rows around a (same cell key).
double interpolated(const PerturbationTable& p, double a, double ck, PTableType type) {
  const std::vector<double> rows = p.rows(type);
  if (a >= rows.back()) return p.lookup(rows.back(), ck, type);
  if (a <= rows.front()) return p.lookup(rows.front(), ck, type);
  const auto hi = std::lower_bound(rows.begin(), rows.end(), a);
  if (*hi == a) return p.lookup(a, ck, type);
  const double a0 = *(hi - 1), a1 = *hi, lambda = (a - a0) / (a1 - a0);
  return (1 - lambda) * p.lookup(a0, ck, type) + lambda * p.lookup(a1, ck, type);
}

// The key for the next contribution: the first of the `digits` decimals moved to the end.
std::uint64_t rotate(std::uint64_t key, int digits) {
  std::uint64_t high = 1;
  for (int k = 1; k < digits; ++k) high *= 10;
  return (key % high) * 10 + key / high;
}

double key_value(std::uint64_t key, int digits) {
  double m = 1;
  for (int k = 0; k < digits; ++k) m *= 10;
  return static_cast<double>(key) / m;
}

}  // namespace

double magnitude_noise(double value, Span<const double> top, std::int64_t contributors, double cell_key,
                       const PerturbationTable& ptable, const MagnitudeParams& m) {
  check_params(m);
  check_ptable(ptable, m);
  if (!(value >= 0) || !std::isfinite(value)) {
    throw InvalidArgument("magnitude cell key method: cell value " + format_number(value) + " is not a number >= 0");
  }
  std::uint64_t key = fixed_point_keys(std::vector<double>{cell_key}, m.digits)[0];
  const PTableType base = !ptable.has(PTableType::kEven) ? PTableType::kAll
                          : contributors % 2 == 0        ? PTableType::kEven
                                                         : PTableType::kOdd;
  const double zs = separation_point(ptable, m), p_sm = m.flex.p_small;
  double xo = value, total = 0;
  const std::size_t k = std::min(m.top_k, top.size());
  for (std::size_t j = 0; j < k && xo != 0; ++j) {
    if (j > 0) key = rotate(key, m.digits);
    double xj = std::fabs(top[j]), delta = 0;
    PTableType type = base;
    if (xj < zs) delta = 1, type = PTableType::kSmallCells;
    else delta = m.epsilon[j] * m.flex.share(xj) * xj;
    if (std::fabs(xo) < delta) {  // the noise would exceed what is left of the cell: rescale
      delta = std::fabs(xo);
      xj = std::fabs(xo) / (p_sm * m.epsilon[j]);
      if (xj < zs) {
        if (j > 0) continue;  // a second or later small contribution gets no noise
        delta = 1, type = PTableType::kSmallCells;
      }
    }
    if (delta == 0) continue;  // epsilon_j = 0
    const double v = interpolated(ptable, xj / delta, key_value(key, m.digits), type);
    double x_hat = v == 0 ? 0 : delta * (v > 0 ? m.mu_c + v : -(m.mu_c - v));
    if (xo > 0) x_hat = std::max(x_hat, -xo);  // never below zero
    xo += x_hat;
    total += x_hat;
  }
  return total;
}

CellKeyResult perturb_magnitudes(const Tabulation& t, const std::vector<double>& keys, const PerturbationTable& ptable,
                                 const MagnitudeParams& m) {
  check_params(m);
  check_ptable(ptable, m);
  if (keys.size() != t.num_cells()) {
    throw InvalidArgument("magnitude cell key method: " + std::to_string(keys.size()) + " cell keys for " +
                          std::to_string(t.num_cells()) + " cells");
  }
  fixed_point_keys(keys, m.digits);  // InvalidArgument naming the first bad key
  for (std::size_t c = 0; c < t.num_cells(); ++c) {
    const TabularCell& cell = t.cell(c);
    if (cell.contributors < 0) throw InvalidArgument("magnitude cell key method needs contributions (not in long format)");
    if (cell.top.size() < m.top_k && static_cast<std::size_t>(cell.contributors) > cell.top.size()) {
      throw InvalidArgument("magnitude cell key method needs the " + std::to_string(m.top_k) +
                            " largest contributions of each cell; cell " + t.label(c) + " kept " +
                            std::to_string(cell.top.size()) + " (TabulateOptions::top_contributions)");
    }
  }
  CellKeyResult r;
  for (std::size_t c = 0; c < t.num_cells(); ++c) {
    const TabularCell& cell = t.cell(c);
    r.noise.push_back(magnitude_noise(cell.value, cell.top, cell.contributors, keys[c], ptable, m));
    r.value.push_back(cell.value + r.noise.back());
  }
  return r;
}

}  // namespace sdcore
