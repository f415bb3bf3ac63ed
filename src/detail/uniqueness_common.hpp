#pragma once
// What the population-uniqueness models share: the validated class-size histogram, the 2x2
// linear algebra of their Newton solvers and quiet special functions. Private to
// src/uniqueness.cpp (and its tests).

#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include "sdcore/uniqueness.hpp"

namespace sdcore::detail {

// Bins sorted by size, merged, without empty bins; the summary counts as doubles because every
// model works in floating point (n <= 2^53 is checked, so they are exact).
struct UniquenessHistogram {
  std::vector<ClassSizeCount> bins;
  double n = 0;   // records
  double u = 0;   // classes
  double c1 = 0;  // classes of size 1 (sample uniques)
  double c2 = 0;  // classes of size 2
};

struct Vec2 {
  double x = 0, y = 0;
};

// Symmetric or general 2x2 matrix [[a, b], [c, d]].
struct Mat2 {
  double a = 0, b = 0, c = 0, d = 0;
};

// Solves M s = r by Cramer's rule; false when M is singular to working precision, which the
// Newton solvers treat as a failed step rather than dividing by (almost) zero.
inline bool solve2(const Mat2& m, const Vec2& r, Vec2& s) {
  const double det = m.a * m.d - m.b * m.c;
  const double scale = std::abs(m.a * m.d) + std::abs(m.b * m.c);
  if (!(std::abs(det) > 1e-14 * scale) || !std::isfinite(det)) return false;
  s.x = (r.x * m.d - m.b * r.y) / det;
  s.y = (m.a * r.y - r.x * m.c) / det;
  return std::isfinite(s.x) && std::isfinite(s.y);
}

// Special functions report trouble as NaN or infinity, never by throwing: a bad trial point is
// then just a rejected Newton step, and no Boost exception escapes sdcore.
using QuietMath = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

inline double log_gamma(double z) { return boost::math::lgamma(z, QuietMath()); }
inline double digamma(double z) { return boost::math::digamma(z, QuietMath()); }
inline double trigamma(double z) { return boost::math::trigamma(z, QuietMath()); }

}  // namespace sdcore::detail
