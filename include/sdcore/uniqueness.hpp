#pragma once
/// \file uniqueness.hpp
/// Population uniqueness: how many people are unique on their quasi-identifiers in the whole
/// population, estimated from a sample's class-size histogram (how many equivalence classes
/// have 1, 2, 3, ... records), the sample size n and the population size N.
///
/// Four estimators, as the ARX tool offers them (formulas, numerics and the places where sdcore
/// departs from ARX: docs/methods/population_uniqueness.md):
///  - Zayatz (1991): Bayes' rule with hypergeometric sampling probabilities;
///  - Pitman (Hoshino 2001): maximum-likelihood fit of Pitman's sampling formula;
///  - SNB (Chen & Keller-McNulty 1998): the slide negative binomial model;
///  - Dankar et al. (2012): a decision rule choosing among the three by the sampling fraction.
///
/// Example:
/// \code
///   auto ec = sdcore::equivalence_classes(table, {"age", "sex", "postcode_district"});
///   auto est = sdcore::estimate_population_uniques(sdcore::class_size_distribution(ec),
///                                                  /*population_size=*/2.5e6);
///   double share = est.fraction_of_population;  // est.model_used says which model answered
/// \endcode
///
/// Thread-safety: the functions are re-entrant and deterministic (no randomness; the same input
/// gives the same output); results are plain values.

#include <cstdint>
#include <limits>

#include "sdcore/classes.hpp"
#include "sdcore/span.hpp"

namespace sdcore {

/// One line of a sample's class-size histogram: `classes` equivalence classes of `size` records.
struct ClassSizeCount {
  std::int64_t size = 0;     ///< records per class, >= 1
  std::int64_t classes = 0;  ///< number of such classes, >= 0
};

/// Which population-uniqueness estimator to use.
enum class UniquenessModel : std::uint8_t {
  kZayatz,  ///< Zayatz (1991), hypergeometric Bayes estimate
  kPitman,  ///< Pitman's sampling formula fitted by maximum likelihood (Hoshino 2001)
  kSnb,     ///< slide negative binomial model (Chen & Keller-McNulty 1998)
  /// Dankar et al. (2012): Pitman when n/N <= 0.1 (Zayatz if Pitman fails), otherwise the
  /// smaller of Zayatz and SNB (Zayatz if SNB fails).
  kDankar,
};

/// "zayatz", "pitman", "snb" or "dankar".
const char* to_string(UniquenessModel model) noexcept;

/// The estimate and the fitted parameters behind it. Fields a model does not use stay NaN.
struct UniquenessEstimate {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  /// Estimated number of population uniques (classes of size 1 in the population). NaN when the
  /// model could not be fitted (then `converged` is false). 0 when the sample has no uniques.
  double population_uniques = kNaN;
  /// population_uniques / N.
  double fraction_of_population = kNaN;
  /// Estimated number of sample uniques that are population uniques: population_uniques * n/N
  /// (each population unique is in the sample with probability n/N, and is then a sample unique).
  double sample_and_population_uniques = kNaN;
  /// False when a Newton solve failed to converge or the model has no fit for this histogram.
  bool converged = false;
  /// The model that produced the figures: the requested one, or for kDankar the one the rule
  /// chose (kDankar itself when the sample has no uniques and no model was needed).
  UniquenessModel model_used = UniquenessModel::kDankar;
  /// Newton iterations of the model that answered (0 for Zayatz).
  int iterations = 0;

  double zayatz_probability = kNaN;  ///< Zayatz: P(population unique | sample unique)
  double pitman_theta = kNaN;        ///< Pitman: fitted theta (> -alpha)
  double pitman_alpha = kNaN;        ///< Pitman: fitted alpha, in [0, 1) (0: Ewens' model)
  double snb_alpha = kNaN;           ///< SNB: fitted shape alpha (> 0)
  double snb_beta = kNaN;            ///< SNB: fitted probability beta, in (0, 1)
  double snb_classes = kNaN;         ///< SNB: estimated non-empty population classes K (Shlosser)
};

/// Estimated population uniques from the sample's class-size histogram and the population size
/// N (the sampling fraction is n/N, n = sum of size * classes). Sizes may repeat (their counts
/// add up) and need not be sorted. Throws InvalidArgument for an empty histogram, a size < 1, a
/// negative count, a histogram with no records, n above 2^53, an unknown model, or a
/// population size outside [n, 2^53] (NaN included). For kDankar the fields of every
/// model the rule ran are filled in.
UniquenessEstimate estimate_population_uniques(Span<const ClassSizeCount> histogram,
                                               double population_size,
                                               UniquenessModel model = UniquenessModel::kDankar);

/// The same from class_size_distribution() output (fk = size, classes = count).
UniquenessEstimate estimate_population_uniques(Span<const ClassSizeBin> distribution,
                                               double population_size,
                                               UniquenessModel model = UniquenessModel::kDankar);

}  // namespace sdcore
