#pragma once
// The slide negative binomial (SNB) model of Chen & Keller-McNulty (1998): population classes
// have sizes 1 + NegBin(alpha, beta), records are sampled with probability pi, and (alpha, beta)
// solve E(c1) = c1, E(c2) = c2. The number K of non-empty population classes comes from the
// Haas-Stokes form of Shlosser's estimator. Formulas and tolerances:
// docs/methods/population_uniqueness.md. Private to src/uniqueness.cpp.

#include <algorithm>
#include <cmath>
#include <limits>

#include "detail/uniqueness_common.hpp"

namespace sdcore::detail {

inline constexpr int kSnbMaxIterations = 100;
// Both moment equations are solved in log form, so this is a relative error in E(c1), E(c2).
inline constexpr double kSnbResidualTolerance = 1e-10;

// Shlosser's estimator as modified by Haas & Stokes (1998), as Chen & Keller-McNulty and ARX
// use it: K = u + c1 * [sum j q^2 (1-q^2)^(j-1) c_j / sum (1-q)^j ((1+q)^j - 1) c_j]
//                   * [sum (1-q)^j c_j / sum j q (1-q)^(j-1) c_j]^2, capped at N.
// Needs c1 > 0 (else both denominators can vanish); q = 1 means the sample is the population.
inline double shlosser_classes(const UniquenessHistogram& h, double q, double N) {
  if (q >= 1) return h.u;
  const double log_keep = std::log1p(-q), log_keep2 = std::log1p(-q * q);
  const double log_grow = std::log1p(q);
  double v1 = 0, v2 = 0, v3 = 0, v4 = 0;
  for (const auto& b : h.bins) {
    const double j = static_cast<double>(b.size), c = static_cast<double>(b.classes);
    const double keep = std::exp(j * log_keep);  // (1-q)^j; underflows harmlessly to 0
    v1 += j * q * q * std::exp((j - 1) * log_keep2) * c;
    // (1-q)^j ((1+q)^j - 1) as (1-q^2)^j (1 - (1+q)^-j): nothing overflows for large j, and
    // expm1 keeps the difference accurate when j q is small.
    v2 += std::exp(j * log_keep2) * -std::expm1(-j * log_grow) * c;
    v3 += keep * c;
    v4 += j * q * std::exp((j - 1) * log_keep) * c;
  }
  const double ratio = v3 / v4;
  return std::min(h.u + h.c1 * (v1 / v2) * ratio * ratio, N);
}

// The observed figures the two moment equations match, in logs.
struct SnbData {
  double pi = 0, log_pi = 0, log_k = 0, log_c1 = 0, log_c2 = 0;
};

// Residuals log E(c1) - log c1 and log E(c2) - log c2 at (a, b) = (log alpha, logit beta), which
// keeps alpha > 0 and 0 < beta < 1 without constraints, and optionally their Jacobian. With
// d = (1-pi)(1-beta):
//   E(c1) = K pi (beta/(1-d))^alpha (1 + alpha d/(1-d))
//   E(c2) = K pi^2/2 alpha beta^alpha (1-beta) (2 - (1-alpha) d) / (1-d)^(alpha+2).
inline Vec2 snb_residuals(const SnbData& s, const Vec2& ab, Mat2* jac) {
  const double alpha = std::exp(ab.x);
  const double log_beta = -std::log1p(std::exp(-ab.y)), log_omega = -std::log1p(std::exp(ab.y));
  const double beta = std::exp(log_beta), omega = std::exp(log_omega);  // omega = 1 - beta
  const double d = (1 - s.pi) * omega;
  const double one_d = s.pi + (1 - s.pi) * beta;  // 1 - d without cancellation for small pi
  const double g1 = one_d + alpha * d, g2 = 1 + one_d + alpha * d;  // 1-(1-a)d and 2-(1-a)d
  const double log_one_d = std::log(one_d);
  Vec2 r;
  r.x = s.log_k + s.log_pi + alpha * log_beta - (alpha + 1) * log_one_d + std::log(g1) - s.log_c1;
  r.y = s.log_k + 2 * s.log_pi - std::log(2.0) + ab.x + alpha * log_beta + log_omega +
        std::log(g2) - (alpha + 2) * log_one_d - s.log_c2;
  if (jac != nullptr) {
    // d/da = alpha d/d(alpha); d/db = beta (1-beta) d/d(beta), with d(d)/d(beta) = -(1-pi).
    const double w = (1 - s.pi) * beta * omega;
    jac->a = alpha * (log_beta - log_one_d + d / g1);
    jac->b = alpha * omega - (alpha + 1) * w / one_d + (1 - alpha) * w / g1;
    jac->c = 1 + alpha * (log_beta - log_one_d + d / g2);
    jac->d = alpha * omega - beta - (alpha + 2) * w / one_d + (1 - alpha) * w / g2;
  }
  return r;
}

inline double snb_norm(const Vec2& r) { return r.x * r.x + r.y * r.y; }

// The best point of a fixed grid over alpha in [e^-7, e^7] and logit beta in [-15, 15]: a
// deterministic start that does not depend on where the roots happen to lie.
inline Vec2 snb_start(const SnbData& s) {
  Vec2 best{0, 0};
  double best_norm = std::numeric_limits<double>::infinity();
  for (int i = 0; i <= 56; ++i) {
    for (int k = 0; k <= 60; ++k) {
      const Vec2 ab{-7 + 0.25 * i, -15 + 0.5 * k};
      const double norm = snb_norm(snb_residuals(s, ab, nullptr));
      if (norm < best_norm) {
        best_norm = norm;
        best = ab;
      }
    }
  }
  return best;
}

struct SnbFit {
  double alpha = std::numeric_limits<double>::quiet_NaN();
  double beta = std::numeric_limits<double>::quiet_NaN();
  bool converged = false;
  int iterations = 0;
};

// Newton on the two residuals, halving a step until the residual norm falls.
inline SnbFit fit_snb(const SnbData& s) {
  SnbFit fit;
  Vec2 ab = snb_start(s);
  Mat2 jac;
  Vec2 r = snb_residuals(s, ab, &jac);
  for (int it = 0; it <= kSnbMaxIterations; ++it) {
    fit.iterations = it;
    if (std::max(std::abs(r.x), std::abs(r.y)) <= kSnbResidualTolerance) {
      fit.alpha = std::exp(ab.x);
      fit.beta = 1 / (1 + std::exp(-ab.y));
      fit.converged = true;
      return fit;
    }
    Vec2 step;
    if (it == kSnbMaxIterations || !solve2(jac, {-r.x, -r.y}, step)) return fit;
    bool moved = false;
    for (double lambda = 1; lambda > 1e-18 && !moved; lambda /= 2) {
      const Vec2 q{ab.x + lambda * step.x, ab.y + lambda * step.y};
      Mat2 jq;
      const Vec2 rq = snb_residuals(s, q, &jq);
      if (!(snb_norm(rq) < snb_norm(r))) continue;
      ab = q;
      r = rq;
      jac = jq;
      moved = true;
    }
    if (!moved) return fit;
  }
  return fit;
}

}  // namespace sdcore::detail
