// Poisson log-linear model of the key-variable table fitted by IRLS, and the Skinner-Shlomo
// per-record risk measures (see loglinear.hpp). The design matrix is never materialised: each
// cell's row has a handful of ones (intercept, one dummy per main effect, one per interaction),
// generated on the fly while X'WX is accumulated.

#include "sdcore/loglinear.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <string>

#include "detail/keys.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

struct Design {
  std::vector<std::size_t> levels;                  // per key: categories (+1 if missing occurs)
  std::vector<std::size_t> main_offset;             // first column of each key's dummies
  std::vector<std::vector<std::size_t>> terms;      // interaction terms (key indices)
  std::vector<std::size_t> term_offset;
  std::size_t columns = 0;
  std::size_t cells = 1;

  // Columns with a one in the row of the cell whose levels are `lv` (level 0 is the baseline).
  void active(const std::vector<std::size_t>& lv, std::vector<std::size_t>& out) const {
    out.clear();
    out.push_back(0);
    for (std::size_t j = 0; j < levels.size(); ++j) {
      if (lv[j] > 0) out.push_back(main_offset[j] + lv[j] - 1);
    }
    for (std::size_t t = 0; t < terms.size(); ++t) {
      std::size_t index = 0;
      bool on = true;
      for (std::size_t j : terms[t]) {
        on &= lv[j] > 0;
        index = index * (levels[j] - 1) + (lv[j] > 0 ? lv[j] - 1 : 0);
      }
      if (on) out.push_back(term_offset[t] + index);
    }
  }
};

Design make_design(Span<const KeyCodes> keys, std::size_t rows,
                   const std::vector<std::vector<std::size_t>>& interactions, std::size_t max_cells) {
  Design d;
  d.columns = 1;
  for (std::size_t j = 0; j < keys.size(); ++j) {
    bool missing = false;
    for (std::size_t i = 0; i < rows && !missing; ++i) missing = detail::code_at(keys[j], i) < 0;
    const auto L = static_cast<std::size_t>(keys[j].cardinality) + (missing ? 1 : 0);
    if (L == 0) throw InvalidArgument("key " + std::to_string(j) + " has no categories");
    d.levels.push_back(L);
    d.main_offset.push_back(d.columns);
    d.columns += L - 1;
    if (d.cells > max_cells / L) {
      throw InvalidArgument("the key table has more than " + std::to_string(max_cells) +
                            " cells; use fewer or coarser quasi-identifiers, or raise max_cells");
    }
    d.cells *= L;
  }
  for (const auto& term : interactions) {
    if (term.size() < 2) throw InvalidArgument("an interaction needs at least two quasi-identifiers");
    std::size_t size = 1;
    for (std::size_t j : term) {
      if (j >= keys.size()) throw InvalidArgument("interaction names a key that is not a quasi-identifier");
      size *= d.levels[j] - 1;
    }
    d.terms.push_back(term);
    d.term_offset.push_back(d.columns);
    d.columns += size;
  }
  return d;
}

// Cell index of every record (mixed radix over the levels; missing is the last level).
std::vector<std::size_t> record_cells(Span<const KeyCodes> keys, std::size_t rows, const Design& d) {
  std::vector<std::size_t> cell(rows, 0);
  for (std::size_t j = 0; j < keys.size(); ++j) {
    for (std::size_t i = 0; i < rows; ++i) {
      const auto c = detail::code_at(keys[j], i);
      const auto level = c < 0 ? d.levels[j] - 1 : static_cast<std::size_t>(c);
      cell[i] = cell[i] * d.levels[j] + level;
    }
  }
  return cell;
}

// Calls f(cell, levels) for every cell in index order.
template <class F>
void for_each_cell(const Design& d, F&& f) {
  std::vector<std::size_t> lv(d.levels.size(), 0);
  for (std::size_t cell = 0; cell < d.cells; ++cell) {
    f(cell, lv);
    for (std::size_t j = lv.size(); j-- > 0;) {
      if (++lv[j] < d.levels[j]) break;
      lv[j] = 0;
    }
  }
}

double deviance(const std::vector<double>& f, const std::vector<double>& mu) {
  double dev = 0;
  for (std::size_t k = 0; k < f.size(); ++k) {
    dev += (f[k] > 0 ? f[k] * std::log(f[k] / mu[k]) : 0.0) - (f[k] - mu[k]);
  }
  return 2 * dev;
}

// IRLS for the Poisson log-linear model; returns mu per cell.
std::vector<double> fit(const Design& d, const std::vector<double>& f, const LogLinearOptions& opt,
                        LogLinearRisk& out) {
  std::vector<double> mu(d.cells), eta(d.cells);
  for (std::size_t k = 0; k < d.cells; ++k) {
    mu[k] = f[k] + 0.5;  // R's glm start for the Poisson family
    eta[k] = std::log(mu[k]);
  }
  std::vector<std::size_t> cols;
  double dev = deviance(f, mu);
  for (out.iterations = 1; out.iterations <= opt.max_iterations; ++out.iterations) {
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d.columns), static_cast<Eigen::Index>(d.columns));
    Eigen::VectorXd b = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d.columns));
    for_each_cell(d, [&](std::size_t k, const std::vector<std::size_t>& lv) {
      d.active(lv, cols);
      const double w = mu[k], z = eta[k] + (f[k] - mu[k]) / mu[k];
      for (std::size_t a : cols) {
        b(static_cast<Eigen::Index>(a)) += w * z;
        for (std::size_t c : cols) A(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(c)) += w;
      }
    });
    const Eigen::VectorXd beta = A.ldlt().solve(b);
    for_each_cell(d, [&](std::size_t k, const std::vector<std::size_t>& lv) {
      d.active(lv, cols);
      double e = 0;
      for (std::size_t a : cols) e += beta(static_cast<Eigen::Index>(a));
      eta[k] = e;
      mu[k] = std::exp(e);
    });
    const double next = deviance(f, mu);
    const bool done = std::abs(next - dev) / (std::abs(next) + 0.1) < opt.tolerance;
    dev = next;
    if (done) {
      out.converged = true;
      break;
    }
  }
  out.iterations = std::min(out.iterations, opt.max_iterations);
  out.deviance = dev;
  return mu;
}

}  // namespace

LogLinearRisk loglinear_risk(Span<const KeyCodes> keys, std::size_t rows, Span<const double> weights,
                             const std::vector<std::vector<std::size_t>>& interactions,
                             const LogLinearOptions& opt) {
  if (keys.empty()) throw InvalidArgument("no quasi-identifiers given");
  if (rows == 0) throw InvalidArgument("the table has no records");
  if (!weights.empty() && weights.size() != rows) throw InvalidArgument("one weight per record is needed");
  double pi = opt.sampling_fraction;
  if (std::isnan(pi)) {
    if (weights.empty()) throw InvalidArgument("give weights or a sampling fraction");
    double total = 0;
    for (double w : weights) {
      if (!(w > 0) || !std::isfinite(w)) throw InvalidArgument("weights must be positive and finite");
      total += w;
    }
    pi = static_cast<double>(rows) / total;
  }
  if (!(pi > 0 && pi <= 1)) throw InvalidArgument("the sampling fraction must lie in (0, 1]");
  if (opt.max_iterations < 1 || !(opt.tolerance > 0)) throw InvalidArgument("bad iteration limits");

  const Design d = make_design(keys, rows, interactions, opt.max_cells);
  const auto cell = record_cells(keys, rows, d);
  std::vector<double> f(d.cells, 0.0);
  for (std::size_t k : cell) f[k] += 1;

  LogLinearRisk out;
  out.sampling_fraction = pi;
  out.cells = d.cells;
  out.parameters = d.columns;
  const auto mu = fit(d, f, opt, out);
  out.fitted.resize(rows);
  out.prob_population_unique.assign(rows, std::numeric_limits<double>::quiet_NaN());
  out.expected_inverse_frequency.assign(rows, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < rows; ++i) {
    out.fitted[i] = mu[cell[i]];
    if (f[cell[i]] != 1) continue;
    const double x = (1 - pi) * mu[cell[i]] / pi;  // expected unseen population members
    out.prob_population_unique[i] = std::exp(-x);
    out.expected_inverse_frequency[i] = x > 0 ? -std::expm1(-x) / x : 1.0;
    out.tau1 += out.prob_population_unique[i];
    out.tau2 += out.expected_inverse_frequency[i];
  }
  return out;
}

LogLinearRisk loglinear_risk(const Table& table, const std::vector<std::string>& quasi_identifiers,
                             const std::string& weight, const LogLinearOptions& opt) {
  std::vector<Column> keep;
  const std::vector<KeyCodes> keys = detail::key_views(table, quasi_identifiers, keep);
  std::vector<std::vector<std::size_t>> terms;
  for (const auto& term : opt.interactions) {
    std::vector<std::size_t> idx;
    for (const auto& name : term) {
      std::size_t j = 0;
      while (j < quasi_identifiers.size() && quasi_identifiers[j] != name) ++j;
      if (j == quasi_identifiers.size()) {
        throw InvalidArgument("interaction names '" + name + "', which is not a quasi-identifier");
      }
      idx.push_back(j);
    }
    terms.push_back(std::move(idx));
  }
  Span<const double> w;
  if (!weight.empty()) {
    const Column& wc = table.column(weight);
    if (wc.is_categorical()) throw InvalidArgument("weight column '" + weight + "' is not numeric");
    w = wc.values();
  }
  return loglinear_risk(Span<const KeyCodes>(keys), table.num_rows(), w, terms, opt);
}

}  // namespace sdcore
