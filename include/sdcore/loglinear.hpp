#pragma once
/// \file loglinear.hpp
/// Re-identification risk from a Poisson log-linear model of the key-variable table (Skinner &
/// Shlomo 2008, "Assessing identification risk in survey microdata using log-linear models",
/// JASA 103:989-1001).
///
/// The sample counts f_k of all cells k of the contingency table of the quasi-identifiers are
/// modelled as Poisson with log(mu_k) = x_k' beta (main effects plus chosen interactions), fitted
/// by iteratively reweighted least squares. With sampling fraction pi, the population rate is
/// lambda_k = mu_k / pi and, for each sample unique (f_k = 1):
///   P(F_k = 1 | f_k = 1)  = exp(-(1 - pi) lambda_k)
///   E(1/F_k | f_k = 1)    = (1 - exp(-(1 - pi) lambda_k)) / ((1 - pi) lambda_k)
/// and the global measures tau1 = sum of the first over sample uniques (expected population
/// uniques among them) and tau2 = sum of the second (expected correct matches).
///
/// Example:
/// \code
///   sdcore::LogLinearOptions opt;
///   opt.interactions = {{"sex", "age_band"}};
///   auto r = sdcore::loglinear_risk(table, {"sex", "age_band", "region"}, "weight", opt);
///   double expected_matches = r.tau2;
/// \endcode
///
/// Thread-safety: re-entrant.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/span.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

struct LogLinearOptions {
  /// Interaction terms, each a list of two or more quasi-identifier names (all lower-order terms
  /// are implied only through main effects; list them if you want them).
  std::vector<std::vector<std::string>> interactions;
  /// pi in (0, 1]; NaN means n / (sum of weights), which needs weights.
  double sampling_fraction = std::numeric_limits<double>::quiet_NaN();
  int max_iterations = 100;
  /// Stop when |deviance change| / (|deviance| + 0.1) falls below this (as R's glm does).
  double tolerance = 1e-10;
  /// Refuse tables with more cells than this (the full table is enumerated).
  std::size_t max_cells = 20'000'000;
};

struct LogLinearRisk {
  /// Per record: P(F = 1 | f = 1) and E(1/F | f = 1) for sample uniques, NaN for other records.
  std::vector<double> prob_population_unique;
  std::vector<double> expected_inverse_frequency;
  double tau1 = 0;  ///< expected number of sample uniques that are population unique
  double tau2 = 0;  ///< expected number of correct matches of sample uniques
  double sampling_fraction = 0;
  std::size_t cells = 0;
  std::size_t parameters = 0;
  int iterations = 0;
  bool converged = false;
  double deviance = 0;
  /// Fitted mean sample count mu_k of each record's cell.
  std::vector<double> fitted;
};

/// The model on the named quasi-identifiers (a missing value is a category of its own), with
/// an optional weight column used only to estimate the sampling fraction. Throws
/// InvalidArgument for unknown columns, an interaction naming a non-key or fewer than two
/// columns, a sampling fraction outside (0, 1], no weights and no sampling fraction, or a table
/// above max_cells.
LogLinearRisk loglinear_risk(const Table& table, const std::vector<std::string>& quasi_identifiers,
                             const std::string& weight = "", const LogLinearOptions& options = {});

/// The same on code views; interactions are given as key indices.
LogLinearRisk loglinear_risk(Span<const KeyCodes> keys, std::size_t rows, Span<const double> weights,
                             const std::vector<std::vector<std::size_t>>& interactions,
                             const LogLinearOptions& options = {});

}  // namespace sdcore
