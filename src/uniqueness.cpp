// Population-uniqueness estimators (Zayatz, Pitman, SNB) and Dankar et al.'s decision rule.
// Formulas, numerics and deviations from ARX: docs/methods/population_uniqueness.md.

#include "sdcore/uniqueness.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "detail/uniqueness_common.hpp"
#include "detail/uniqueness_pitman.hpp"
#include "detail/uniqueness_snb.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

using detail::UniquenessHistogram;

// n must stay exactly representable in a double, which every model computes with.
constexpr std::int64_t kMaxRecords = std::int64_t{1} << 53;
// A population is a count too; beyond 2^53 it is not one a double holds exactly.
constexpr double kMaxPopulation = static_cast<double>(kMaxRecords);
// Dankar et al. (2012): Pitman below or at this sampling fraction, Zayatz/SNB above it.
constexpr double kDankarPitmanFraction = 0.1;
// Up to this class size (minus one) the Zayatz ratio is a direct sum of log1p terms.
constexpr double kZayatzDirectSum = 1000;

void add_records(std::int64_t& n, const ClassSizeCount& b, std::size_t index) {
  if (b.size < 1 || b.classes < 0) {
    throw InvalidArgument("class-size histogram entry " + std::to_string(index) +
                          (b.size < 1 ? ": class size must be at least 1"
                                      : ": number of classes must not be negative"));
  }
  if (b.classes > (kMaxRecords - n) / b.size) {
    throw InvalidArgument("the histogram holds more than 2^53 records");
  }
  n += b.size * b.classes;
}

UniquenessHistogram make_histogram(Span<const ClassSizeCount> hist, double population_size) {
  if (hist.empty()) throw InvalidArgument("the class-size histogram is empty");
  std::int64_t n = 0;
  std::vector<ClassSizeCount> bins;
  for (std::size_t i = 0; i < hist.size(); ++i) {
    add_records(n, hist[i], i);
    if (hist[i].classes > 0) bins.push_back(hist[i]);
  }
  if (n == 0) throw InvalidArgument("the class-size histogram holds no records");
  if (!(population_size >= static_cast<double>(n) && population_size <= kMaxPopulation)) {
    throw InvalidArgument("population size must lie between the sample size " + std::to_string(n) +
                          " and 2^53");
  }
  std::sort(bins.begin(), bins.end(), [](const auto& a, const auto& b) { return a.size < b.size; });
  UniquenessHistogram h;
  for (const auto& b : bins) {  // repeated sizes add up
    if (!h.bins.empty() && h.bins.back().size == b.size) {
      h.bins.back().classes += b.classes;
    } else {
      h.bins.push_back(b);
    }
  }
  h.n = static_cast<double>(n);
  for (const auto& b : h.bins) {
    h.u += static_cast<double>(b.classes);
    if (b.size == 1) h.c1 = static_cast<double>(b.classes);
    if (b.size == 2) h.c2 = static_cast<double>(b.classes);
  }
  return h;
}

// Stirling's series for log Gamma(z) beyond (z - 1/2) log z - z + log(2 pi)/2; for z >= 100 the
// omitted terms are below 1e-17.
double stirling_tail(double z) {
  const double r = 1 / (z * z);
  return (1.0 / 12 - r * (1.0 / 360 - r / 1260)) / z;
}

// log of P(f = 1 | F = j) / (j P(f = 1 | F = 1)) for a sample of n from N without replacement:
// the product over i = 1..j-1 of (N-n+1-i)/(N-i), i.e. with d = j-1, x1 = N-n+2-j, x2 = N-j+1,
// log Gamma(x1+d) - log Gamma(x1) - (log Gamma(x2+d) - log Gamma(x2)). -infinity when a class of
// j cannot leave just one member in the sample (j >= N-n+2). Real N extends the factorials.
// Subtracting log-gammas of numbers near N would lose ~N log N * 1e-16 (32 in the log at
// N = 2^52), so small j sum log1p terms and large j combine Stirling's series term by term,
// leaving d log1p(-(n-1)/N) and differences of size ~d: the error stays ~1e-16 d.
double log_hypergeometric_ratio(double j, double n, double N) {
  if (j >= N - n + 2) return -std::numeric_limits<double>::infinity();
  const double d = j - 1, x1 = N - n + 2 - j, x2 = N - j + 1;
  if (d <= kZayatzDirectSum) {
    double sum = 0;
    for (double i = 1; i <= d; ++i) sum += std::log1p(-(n - 1) / (N - i));
    return sum;
  }
  // x1 < 100 < d forces N < 2n + 100 (as j <= n), so the d factors are each about 1/2 or less
  // and the ratio underflows whatever its rounding: plain log-gammas do.
  if (x1 < 100) {
    using detail::log_gamma;
    return log_gamma(x1 + d) - log_gamma(x1) - log_gamma(x2 + d) + log_gamma(x2);
  }
  return (x1 - 0.5) * std::log1p(d / x1) - (x2 - 0.5) * std::log1p(d / x2) +
         d * std::log1p(-(n - 1) / N) + stirling_tail(x1 + d) - stirling_tail(x1) -
         stirling_tail(x2 + d) + stirling_tail(x2);
}

// Zayatz (1991): P(F=1 | f=1) = p1 P(f=1|F=1) / sum_j p_j P(f=1|F=j), with the population's
// share p_j of classes of size j estimated by the sample's; S1 = c1 P(F=1 | f=1) N/n.
double zayatz(const UniquenessHistogram& h, double N, UniquenessEstimate& e) {
  double weighted = 0;
  for (const auto& b : h.bins) {
    const double j = static_cast<double>(b.size);
    weighted += static_cast<double>(b.classes) * j * std::exp(log_hypergeometric_ratio(j, h.n, N));
  }
  e.zayatz_probability = h.c1 / weighted;
  return h.c1 * e.zayatz_probability * N / h.n;
}

double pitman(const UniquenessHistogram& h, double N, UniquenessEstimate& e) {
  const detail::PitmanFit fit = detail::fit_pitman(h);
  e.pitman_theta = fit.theta;
  e.pitman_alpha = fit.alpha;
  e.iterations = fit.iterations;
  e.converged = fit.converged;
  if (!fit.converged) return UniquenessEstimate::kNaN;
  return detail::pitman_expected_uniques(fit.theta, fit.alpha, N);
}

// Without sample doubles E(c2) = c2 = 0 has no solution with alpha > 0: the model cannot fit.
double snb(const UniquenessHistogram& h, double N, UniquenessEstimate& e) {
  const double pi = h.n / N;
  e.snb_classes = detail::shlosser_classes(h, pi, N);
  e.converged = false;
  if (h.c2 == 0) return UniquenessEstimate::kNaN;
  const detail::SnbData data{pi, std::log(pi), std::log(e.snb_classes), std::log(h.c1), std::log(h.c2)};
  const detail::SnbFit fit = detail::fit_snb(data);
  e.snb_alpha = fit.alpha;
  e.snb_beta = fit.beta;
  e.iterations = fit.iterations;
  e.converged = fit.converged;
  if (!fit.converged) return UniquenessEstimate::kNaN;
  return e.snb_classes * std::exp(fit.alpha * std::log(fit.beta));
}

bool usable(double uniques) { return std::isfinite(uniques) && uniques > 0; }

// Dankar et al. (2012), with ARX's fallbacks: Zayatz stands in for a model that failed. Zayatz
// is always evaluated (it is cheap), so its probability is reported alongside.
double dankar(const UniquenessHistogram& h, double N, UniquenessEstimate& e) {
  const double z = zayatz(h, N, e);
  if (h.n / N <= kDankarPitmanFraction) {
    const double p = pitman(h, N, e);
    if (usable(p)) {
      e.model_used = UniquenessModel::kPitman;
      return p;
    }
  } else {
    const double s = snb(h, N, e);
    if (usable(s) && !(z < s)) {
      e.model_used = UniquenessModel::kSnb;
      return s;
    }
  }
  e.model_used = UniquenessModel::kZayatz;
  e.iterations = 0;
  e.converged = true;
  return z;
}

double run(UniquenessModel model, const UniquenessHistogram& h, double N, UniquenessEstimate& e) {
  switch (model) {
    case UniquenessModel::kZayatz: e.converged = true; return zayatz(h, N, e);
    case UniquenessModel::kPitman: return pitman(h, N, e);
    case UniquenessModel::kSnb: return snb(h, N, e);
    case UniquenessModel::kDankar: return dankar(h, N, e);
  }
  throw InvalidArgument("unknown population-uniqueness model");
}

bool known(UniquenessModel model) {
  switch (model) {
    case UniquenessModel::kZayatz:
    case UniquenessModel::kPitman:
    case UniquenessModel::kSnb:
    case UniquenessModel::kDankar: return true;
  }
  return false;
}

}  // namespace

const char* to_string(UniquenessModel model) noexcept {
  switch (model) {
    case UniquenessModel::kZayatz: return "zayatz";
    case UniquenessModel::kPitman: return "pitman";
    case UniquenessModel::kSnb: return "snb";
    case UniquenessModel::kDankar: return "dankar";
  }
  return "unknown";
}

UniquenessEstimate estimate_population_uniques(Span<const ClassSizeCount> histogram,
                                               double population_size, UniquenessModel model) {
  if (!known(model)) throw InvalidArgument("unknown population-uniqueness model");
  const UniquenessHistogram h = make_histogram(histogram, population_size);
  UniquenessEstimate e;
  e.model_used = model;
  double uniques = 0;
  if (h.c1 == 0) {
    e.converged = true;  // no sample uniques: every model answers 0, as ARX does
  } else {
    uniques = run(model, h, population_size, e);
  }
  e.population_uniques = uniques;
  e.fraction_of_population = uniques / population_size;
  e.sample_and_population_uniques = uniques * h.n / population_size;
  return e;
}

UniquenessEstimate estimate_population_uniques(Span<const ClassSizeBin> distribution,
                                               double population_size, UniquenessModel model) {
  std::vector<ClassSizeCount> hist;
  hist.reserve(distribution.size());
  for (const auto& b : distribution) hist.push_back({b.frequency, b.classes});
  return estimate_population_uniques(hist, population_size, model);
}

}  // namespace sdcore
