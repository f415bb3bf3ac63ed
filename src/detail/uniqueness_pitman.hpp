#pragma once
// Pitman's sampling formula fitted to a class-size histogram by maximum likelihood (Hoshino
// 2001), and the expected number of population uniques under the fitted model. Formulas and
// tolerances: docs/methods/population_uniqueness.md. Private to src/uniqueness.cpp.

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>

#include "detail/uniqueness_common.hpp"

namespace sdcore::detail {

inline constexpr int kPitmanMaxIterations = 200;
// A Newton step this small relative to theta (absolute for alpha) ends the iteration.
inline constexpr double kPitmanStepTolerance = 1e-10;

struct PitmanFit {
  double theta = std::numeric_limits<double>::quiet_NaN();
  double alpha = std::numeric_limits<double>::quiet_NaN();
  bool converged = false;
  int iterations = 0;
};

// Log-likelihood (without the terms free of theta and alpha), score and Hessian.
struct PitmanTerms {
  double loglik = 0;
  Vec2 score;
  Mat2 hessian;
};

// Hoshino's parameter space for microdata, 0 < alpha < 1 and theta > -alpha, with alpha kept
// above kPitmanMinAlpha: closer to the Ewens boundary alpha = 0 the closed forms in theta/alpha
// lose their digits. The boundary itself is handled by ewens_theta below.
inline constexpr double kPitmanMinAlpha = 1e-6;
inline bool pitman_in_domain(double theta, double alpha) {
  return alpha >= kPitmanMinAlpha && alpha < 1 && theta > -alpha && std::isfinite(theta);
}

// The sums over i = 1..u-1 of log(theta + i alpha) and its derivatives collapse to digamma and
// trigamma differences at x = theta/alpha, so a fit costs O(bins), not O(n), per iteration.
inline PitmanTerms pitman_terms(const UniquenessHistogram& h, double theta, double alpha) {
  const double x = theta / alpha, m = h.u - 1, a2 = alpha * alpha;
  const double inv = (digamma(x + h.u) - digamma(x + 1)) / alpha;     // sum 1/(t + i a)
  const double inv_sq = (trigamma(x + 1) - trigamma(x + h.u)) / a2;   // sum 1/(t + i a)^2
  const double i_inv = (m - theta * inv) / alpha;                     // sum i/(t + i a)
  const double i_inv_sq = (inv - theta * inv_sq) / alpha;             // sum i/(t + i a)^2
  const double i2_inv_sq = (m - 2 * theta * inv + theta * theta * inv_sq) / a2;
  const double log_prod = m * std::log(alpha) + log_gamma(x + h.u) - log_gamma(x + 1);

  // log (theta+1)(theta+2)...(theta+n-1) and its derivatives.
  const double rising = log_gamma(theta + h.n) - log_gamma(theta + 1);
  const double rising_d1 = digamma(theta + h.n) - digamma(theta + 1);
  const double rising_d2 = trigamma(theta + 1) - trigamma(theta + h.n);

  // Each class of size j contributes log (1-alpha)(2-alpha)...(j-1-alpha).
  const double lg1 = log_gamma(1 - alpha), dg1 = digamma(1 - alpha), tg1 = trigamma(1 - alpha);
  double cls = 0, cls_d1 = 0, cls_d2 = 0;
  for (const auto& b : h.bins) {
    if (b.size < 2) continue;
    const double j = static_cast<double>(b.size), c = static_cast<double>(b.classes);
    cls += c * (log_gamma(j - alpha) - lg1);
    cls_d1 += c * (digamma(j - alpha) - dg1);
    cls_d2 += c * (tg1 - trigamma(j - alpha));
  }
  PitmanTerms t;
  t.loglik = log_prod - rising + cls;
  t.score = {inv - rising_d1, i_inv - cls_d1};
  t.hessian = {rising_d2 - inv_sq, -i_inv_sq, -i_inv_sq, -i2_inv_sq - cls_d2};
  return t;
}

// Moment-type start from two Good-Turing identities: the chance that the next record opens a
// new class, (theta + u alpha)/(theta + n), is estimated by c1/n, and the chance that it joins
// a current singleton, c1 (1 - alpha)/(theta + n), by 2 c2/n. Solved exactly for (theta, alpha);
// (NaN, NaN) when the solution leaves the parameter space.
inline Vec2 pitman_moment_start(const UniquenessHistogram& h) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double denom = h.c1 * (h.n - h.c1) - 2 * h.c2 * h.u;
  if (!(h.c2 > 0 && denom > 0)) return {nan, nan};
  const double one_minus_alpha = 2 * h.c2 * (h.n - h.u) / denom;
  const Vec2 p{h.c1 * h.n * one_minus_alpha / (2 * h.c2) - h.n, 1 - one_minus_alpha};
  return pitman_in_domain(p.x, p.y) ? p : Vec2{nan, nan};
}

// The theta that maximises the likelihood for a fixed alpha: the root of the theta score, found
// by bisection on log(theta + alpha). The score is positive near theta = -alpha (the 1/(theta +
// alpha) term dominates) and negative for large theta when u < n. NaN without a sign change.
inline double pitman_profile_theta(const UniquenessHistogram& h, double alpha) {
  const auto score = [&](double log_shift) {
    const double theta = std::exp(log_shift) - alpha, x = theta / alpha;
    return (digamma(x + h.u) - digamma(x + 1)) / alpha - (digamma(theta + h.n) - digamma(theta + 1));
  };
  double lo = std::log(1e-9), hi = std::log(1e15);
  if (!(score(lo) > 0 && score(hi) < 0)) return std::numeric_limits<double>::quiet_NaN();
  for (int k = 0; k < 100 && hi - lo > 1e-9; ++k) {
    const double mid = (lo + hi) / 2;
    (score(mid) > 0 ? lo : hi) = mid;
  }
  return std::exp((lo + hi) / 2) - alpha;
}

// The best of the moment-type start and the profile maxima at alpha = 0.05, 0.10, ..., 0.95.
// The moment start alone can land far from the maximum (theta off by orders of magnitude when
// c2 is small), where Newton crawls; the profile grid makes the start robust.
inline Vec2 pitman_start(const UniquenessHistogram& h) {
  Vec2 best = pitman_moment_start(h);
  double best_ll = std::isnan(best.x) ? -std::numeric_limits<double>::infinity()
                                      : pitman_terms(h, best.x, best.y).loglik;
  for (int k = 1; k <= 19; ++k) {
    const double alpha = 0.05 * k, theta = pitman_profile_theta(h, alpha);
    if (!pitman_in_domain(theta, alpha)) continue;
    const double ll = pitman_terms(h, theta, alpha).loglik;
    if (ll > best_ll) {
      best_ll = ll;
      best = {theta, alpha};
    }
  }
  return std::isnan(best.x) ? Vec2{h.u, 0.5} : best;
}

// Newton's ascent step -H^-1 g when H is negative definite ("pure"). Otherwise H, scaled to unit
// diagonal magnitudes so that theta (~1e3) and alpha (~0.5) count alike, is shifted until it is
// negative definite: a Levenberg-Marquardt step, still uphill.
inline bool pitman_direction(const PitmanTerms& t, Vec2& step, bool& pure) {
  const Mat2& m = t.hessian;
  pure = m.a < 0 && m.a * m.d - m.b * m.c > 0;
  if (pure) return solve2(m, {-t.score.x, -t.score.y}, step);
  const double sx = 1 / std::sqrt(std::max(std::abs(m.a), 1e-300));
  const double sy = 1 / std::sqrt(std::max(std::abs(m.d), 1e-300));
  Mat2 k{m.a * sx * sx, m.b * sx * sy, m.c * sx * sy, m.d * sy * sy};
  const double half_gap = (k.a - k.d) / 2;
  const double shift = (k.a + k.d) / 2 + std::sqrt(half_gap * half_gap + k.b * k.b) + 1e-3;
  k.a -= shift;
  k.d -= shift;
  Vec2 scaled;
  if (!solve2(k, {-t.score.x * sx, -t.score.y * sy}, scaled)) return false;
  step = {scaled.x * sx, scaled.y * sy};
  return true;
}

// Halves the step until it stays in the domain and does not lower the likelihood beyond the
// rounding of the log-gamma sums (~1e-12 relative); returns the step fraction taken, 0 if none.
inline double pitman_line_search(const UniquenessHistogram& h, Vec2& p, PitmanTerms& t,
                                 const Vec2& step) {
  const double slack = 1e-12 * (std::abs(t.loglik) + h.n);
  double lambda = 1;
  for (int k = 0; k < 60; ++k, lambda /= 2) {
    const Vec2 q{p.x + lambda * step.x, p.y + lambda * step.y};
    if (!pitman_in_domain(q.x, q.y)) continue;
    const PitmanTerms tq = pitman_terms(h, q.x, q.y);
    if (!(tq.loglik >= t.loglik - slack)) continue;
    p = q;
    t = tq;
    return lambda;
  }
  return 0;
}

// Ewens' model, Pitman's boundary alpha = 0: theta solves (u-1)/theta = sum_{i<n} 1/(theta+i),
// i.e. u = sum_{i=0}^{n-1} theta/(theta+i), which increases with theta, so the root is unique;
// found by bisection on log theta.
inline double ewens_theta(const UniquenessHistogram& h) {
  const auto score = [&](double log_theta) {
    const double t = std::exp(log_theta);
    return (h.u - 1) / t - (digamma(t + h.n) - digamma(t + 1));
  };
  double lo = std::log(1e-9), hi = std::log(1e15);
  if (!(score(lo) > 0 && score(hi) < 0)) return std::numeric_limits<double>::quiet_NaN();
  for (int k = 0; k < 200 && hi - lo > 1e-15; ++k) {
    const double mid = (lo + hi) / 2;
    (score(mid) > 0 ? lo : hi) = mid;
  }
  return std::exp((lo + hi) / 2);
}

// The alpha score at alpha = 0: sum_{i<u} i/theta - sum_j c_j (1 + 1/2 + ... + 1/(j-1)).
inline double ewens_alpha_score(const UniquenessHistogram& h, double theta) {
  double harmonic = 0;
  for (const auto& b : h.bins) {
    harmonic += static_cast<double>(b.classes) * (digamma(static_cast<double>(b.size)) - digamma(1));
  }
  return (h.u - 1) * h.u / (2 * theta) - harmonic;
}

// Damped Newton on the log-likelihood. Converged when a full, pure Newton step is below
// kPitmanStepTolerance: Newton converges quadratically there, so the error is far smaller still.
// Without an interior maximum, the maximum over the closed space alpha in [0, 1) is Ewens' fit
// when the likelihood falls as alpha leaves 0 (alpha score <= 0 there); else there is no fit.
inline PitmanFit fit_pitman(const UniquenessHistogram& h) {
  PitmanFit fit;
  if (h.u >= h.n) return fit;  // all classes singletons: the likelihood grows without bound
  Vec2 p = pitman_start(h);
  PitmanTerms t = pitman_terms(h, p.x, p.y);
  for (int it = 1; it <= kPitmanMaxIterations; ++it) {
    fit.iterations = it;
    Vec2 step;
    bool pure = false;
    if (!pitman_direction(t, step, pure)) break;
    const double lambda = pitman_line_search(h, p, t, step);
    if (lambda == 0) break;
    const bool small = std::abs(step.x) <= kPitmanStepTolerance * std::max(1.0, std::abs(p.x)) &&
                       std::abs(step.y) <= kPitmanStepTolerance;
    if (pure && lambda == 1 && small) {
      fit.theta = p.x;
      fit.alpha = p.y;
      fit.converged = true;
      return fit;
    }
  }
  const double theta = ewens_theta(h);
  if (std::isfinite(theta) && ewens_alpha_score(h, theta) <= 0) {
    fit.theta = theta;
    fit.alpha = 0;
    fit.converged = true;
  }
  return fit;
}

// E(S1) = N (theta+alpha)_{N-1} / (theta+1)_{N-1}: each of the N people is alone in its class
// with the probability that none of the other N-1 joins it in Pitman's sequential construction.
// Written with Gamma ratios, which Boost evaluates without overflow for any N.
inline double pitman_expected_uniques(double theta, double alpha, double N) {
  namespace bm = boost::math;
  return N * bm::tgamma_delta_ratio(theta + alpha + N - 1, 1 - alpha, QuietMath()) /
         bm::tgamma_delta_ratio(theta + alpha, 1 - alpha, QuietMath());
}

}  // namespace sdcore::detail
