// Count p-tables by maximum entropy, as the ptable package builds them (Giessing 2016; Enderle,
// Giessing & Tent 2018); see cellkey.hpp and docs/methods/cell_key.md ("Generating p-tables").
//
// Each row maximises -sum p log p subject to sum p = 1, sum p v = 0, sum p v^2 = V. The
// Lagrangian makes p_v proportional to exp(l1 v + l2 v^2); (l1, l2) minimise the convex dual
// log Z(l) - l2 V, found by Newton's method with backtracking. The dual has a minimum exactly
// when (0, V) is inside the convex hull of the points (v, v^2); on its boundary only two support
// points remain and the distribution is unique, so it is returned directly.

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "sdcore/cellkey.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

// The support split into blocks of equal probability (ties forced by the monotony constraint):
// a block is an atom with the mean features of its members and their number as multiplicity.
struct Block {
  std::size_t begin, end;
};

struct Moments {
  double log_z = 0;      // log of the normaliser
  std::vector<double> p;  // per support value
  Eigen::Vector2d mean;  // E v, E v^2
  Eigen::Matrix2d cov;   // covariance of (v, v^2)
};

Moments moments(const std::vector<double>& v, const std::vector<Block>& blocks, const Eigen::Vector2d& l) {
  std::vector<Eigen::Vector2d> f;
  std::vector<double> s;
  for (const Block& b : blocks) {
    Eigen::Vector2d t(0, 0);
    for (std::size_t k = b.begin; k < b.end; ++k) t += Eigen::Vector2d(v[k], v[k] * v[k]);
    f.push_back(t / static_cast<double>(b.end - b.begin));
    s.push_back(l.dot(f.back()));
  }
  const double top = *std::max_element(s.begin(), s.end());
  double z = 0;
  for (std::size_t b = 0; b < blocks.size(); ++b) z += static_cast<double>(blocks[b].end - blocks[b].begin) * std::exp(s[b] - top);
  Moments m;
  m.log_z = top + std::log(z);
  m.mean.setZero();
  m.p.resize(v.size());
  Eigen::Matrix2d second = Eigen::Matrix2d::Zero();
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const double each = std::exp(s[b] - top) / z, mass = each * static_cast<double>(blocks[b].end - blocks[b].begin);
    for (std::size_t k = blocks[b].begin; k < blocks[b].end; ++k) m.p[k] = each;
    m.mean += mass * f[b];
    second += mass * f[b] * f[b].transpose();
  }
  m.cov = second - m.mean * m.mean.transpose();
  return m;
}

// Newton on the dual for fixed blocks.
std::vector<double> solve_blocks(const std::vector<double>& v, const std::vector<Block>& blocks, double var) {
  Eigen::Vector2d l(0, 0);
  const auto dual = [&](const Moments& m, const Eigen::Vector2d& at) { return m.log_z - at[1] * var; };
  Moments m = moments(v, blocks, l);
  for (int iter = 0; iter < 500; ++iter) {
    const Eigen::Vector2d g(m.mean[0], m.mean[1] - var);
    if (g.cwiseAbs().maxCoeff() <= 1e-13 * std::max(1.0, var)) return m.p;
    const Eigen::Vector2d step = m.cov.ldlt().solve(-g);
    double t = 1;
    Moments next = moments(v, blocks, l + step);
    while (dual(next, l + t * step) > dual(m, l) + 1e-4 * t * g.dot(step) && t > 1e-12) {
      t /= 2;
      next = moments(v, blocks, l + t * step);
    }
    l += t * step;
    m = std::move(next);
  }
  const Eigen::Vector2d g(m.mean[0], m.mean[1] - var);
  if (g.cwiseAbs().maxCoeff() <= 1e-10 * std::max(1.0, var)) return m.p;
  throw Error("p-table generation: Newton's method did not converge (variance " + format_number(var) + ")");
}

// Maximum-entropy distribution on the support `v` (contains negative and positive values) with
// mean 0 and second moment `var`, strictly inside the attainable range, and with
// p[0] <= p[1] <= ... <= p[chain - 1] (ptable's monotony: non-decreasing up to noise 0). The
// chain is enforced by pooling adjacent violators into blocks of equal probability and solving
// again, until none is left.
std::vector<double> max_entropy(const std::vector<double>& v, double var, std::size_t chain) {
  std::vector<Block> blocks;
  for (std::size_t k = 0; k < v.size(); ++k) blocks.push_back({k, k + 1});
  for (;;) {
    const std::vector<double> p = solve_blocks(v, blocks, var);
    bool merged = false;
    for (std::size_t b = 0; b + 1 < blocks.size() && blocks[b + 1].end <= chain; ++b) {
      if (p[blocks[b].begin] > p[blocks[b + 1].begin] * (1 + 1e-12)) {
        blocks[b].end = blocks[b + 1].end;
        blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(b) + 1);
        merged = true;
        break;
      }
    }
    if (!merged) return p;
  }
}

// The distribution of one row over the noise values `v` (ascending), or InvalidArgument naming
// the row when the variance is out of reach.
std::vector<double> solve_row(const std::vector<double>& v, double var, int row, bool monotone) {
  const bool has_zero = std::find(v.begin(), v.end(), 0.0) != v.end();
  const auto first_pos = std::find_if(v.begin(), v.end(), [](double x) { return x > 0; });
  const bool two_sided = v.front() < 0 && first_pos != v.end();
  const double lower = has_zero ? 0 : two_sided ? -*(first_pos - 1) * *first_pos : 0;
  const double upper = two_sided ? -v.front() * v.back() : 0;
  const double tol = 1e-12 * std::max(1.0, var);
  if (!two_sided || var < lower - tol || var > upper + tol) {
    throw InvalidArgument("p-table row i = " + std::to_string(row) + ": its noise values " + format_number(v.front()) +
                          ".." + format_number(v.back()) + " reach variances " + format_number(lower) + " to " +
                          format_number(upper) + " only, not V = " + format_number(var) +
                          " (lower js or raise D or V)");
  }
  std::vector<double> p(v.size(), 0.0);
  const auto two_point = [&](std::size_t a, std::size_t b) {  // the only distribution left
    p[a] = v[b] / (v[b] - v[a]);
    p[b] = -v[a] / (v[b] - v[a]);
    return p;
  };
  if (std::fabs(var - lower) <= tol && !has_zero) {
    const auto b = static_cast<std::size_t>(first_pos - v.begin());
    return two_point(b - 1, b);
  }
  if (std::fabs(var - upper) <= tol) return two_point(0, v.size() - 1);
  const auto negatives = static_cast<std::size_t>(first_pos - v.begin()) - (has_zero ? 1 : 0);
  return max_entropy(v, var, !monotone ? 0 : negatives + (has_zero ? 1 : 0));
}

// Row i: noise values and their probabilities, with p(v=0) >= pstay.
std::vector<double> row_probabilities(const std::vector<double>& v, const PTableParams& par, int i) {
  std::vector<double> p = solve_row(v, par.variance, i, par.monotone);
  const auto zero = std::find(v.begin(), v.end(), 0.0);
  if (zero == v.end() || par.pstay <= 0 || p[static_cast<std::size_t>(zero - v.begin())] >= par.pstay) return p;
  // The bound is active: p(0) = pstay and the rest, scaled to 1 - pstay, again maximum entropy
  // (the KKT conditions keep the exponential form on the other values).
  std::vector<double> rest(v.begin(), zero);
  rest.insert(rest.end(), zero + 1, v.end());
  const std::vector<double> q = solve_row(rest, par.variance / (1 - par.pstay), i, par.monotone);
  std::size_t k = 0;
  for (std::size_t at = 0; at < v.size(); ++at) p[at] = v[at] == 0 ? par.pstay : (1 - par.pstay) * q[k++];
  return p;
}

void check_params(const PTableParams& p) {
  if (p.max_deviation < 1 || p.max_deviation > 1000) {
    throw InvalidArgument("p-table: D (max_deviation) must be in 1..1000, got " + std::to_string(p.max_deviation));
  }
  if (!(p.variance > 0) || !std::isfinite(p.variance)) {
    throw InvalidArgument("p-table: V (variance) must be positive, got " + format_number(p.variance));
  }
  if (p.js < 0 || p.js > 1000) throw InvalidArgument("p-table: js must be in 0..1000, got " + std::to_string(p.js));
  if (!(p.pstay >= 0 && p.pstay < 1)) throw InvalidArgument("p-table: pstay must be in [0, 1), got " + format_number(p.pstay));
}

}  // namespace

PerturbationTable generate_perturbation_table(const PTableParams& par) {
  check_params(par);
  const int d = par.max_deviation;
  std::vector<PTableEntry> out = {{0, 0, 1, 0, 1, PTableType::kAll}};
  for (int i = 1; i <= d + par.js + 1; ++i) {
    std::vector<double> v;
    for (int j = std::max(0, i - d); j <= i + d; ++j) {
      if (j < 1 || j > par.js) v.push_back(j - i);
    }
    const std::vector<double> p = row_probabilities(v, par, i);
    double cumulative = 0;
    for (std::size_t k = 0; k < v.size(); ++k) {
      cumulative = k + 1 == v.size() ? 1.0 : cumulative + p[k];
      out.push_back({static_cast<double>(i), i + v[k], p[k], v[k], cumulative, PTableType::kAll});
    }
  }
  return PerturbationTable(std::move(out), 1e-9);
}

}  // namespace sdcore
