#pragma once
/// \file
/// How anonymous a table is as it stands: k, and for each sensitive attribute the l-diversity,
/// (alpha, k), t-closeness, beta-likeness and delta-disclosure figures, the checks an auditor runs
/// on a release (the measures pycanon computes; definitions and sources in docs/methods/kanon.md,
/// "Measuring a release"). One pass of the class kernel, then one pass over the records grouped by
/// class; nothing is generalised or suppressed.
///
///   auto m = sdcore::measure_anonymity(release, {"age", "sex", "lsoa"}, {{"diagnosis"}});
///   // m.k, m.sensitive[0].l_distinct, m.sensitive[0].t, ...
///
/// Classes are exact key patterns (a missing key value matches only another missing value). A
/// missing sensitive value counts as a value of its own.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/span.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

/// Ground distance of the t-closeness figure (Li, Li & Venkatasubramanian 2007).
enum class GroundDistance : std::uint8_t {
  /// Every two values are at distance 1: EMD = half the L1 distance of the distributions.
  kEqual,
  /// Values in order (numbers by value, categories in their order) at distance |i - j| / (m - 1),
  /// m the number of distinct values of the table.
  kOrdered,
};

struct SensitiveAttribute {
  std::string column;
  GroundDistance distance = GroundDistance::kEqual;
};

/// The figures of one sensitive attribute; p is a value's share in the whole table, q its share
/// within a class. Each is the worst over the classes, so the table satisfies the model for every
/// parameter at least as strict as the figure (e.g. it is t-close for every t >= `t`).
struct SensitiveMeasures {
  std::string column;
  /// Distinct l-diversity: the fewest distinct values in a class.
  std::int64_t l_distinct = 0;
  /// Entropy l-diversity: exp of the smallest entropy -sum q ln q of a class. The table is
  /// entropy-l-diverse for every l up to this (pycanon reports it rounded down).
  double l_entropy = 0;
  /// Recursive (c, l)-diversity for l = l_distinct (Machanavajjhala et al. 2007): the largest
  /// r_1 / (r_l + ... + r_m) over classes, r_1 >= r_2 >= ... >= r_m a class's value counts. The
  /// table is recursive (c, l)-diverse for every c greater than this.
  double recursive_c = 0;
  /// (alpha, k)-anonymity: the largest share of one value in a class.
  double alpha = 0;
  /// t-closeness: the largest earth mover's distance between a class's distribution and the
  /// table's, under `distance`.
  double t = 0;
  GroundDistance distance = GroundDistance::kEqual;
  /// Basic beta-likeness: the largest (q - p) / p over classes and values with q > p (0 if none).
  double beta = 0;
  /// Enhanced beta-likeness ((q - p) / p <= min(beta, -ln p) for every q > p): the smallest such
  /// beta, which is `beta` when every (q - p) / p is within -ln p, and infinity otherwise.
  double enhanced_beta = 0;
  /// delta-disclosure privacy: the largest |ln(q / p)| over the values present in a class.
  double delta = 0;
};

struct AnonymityMeasures {
  std::int64_t records = 0;
  std::int64_t classes = 0;
  /// The smallest class.
  std::int64_t k = 0;
  std::vector<SensitiveMeasures> sensitive;
};

/// The measures of `table` under the quasi-identifier columns (any type; numbers grouped by
/// exact value). An ordered distance takes a numeric column's values in numeric order and a
/// categorical column's categories in their order. `threads` as ClassOptions::threads. Throws
/// InvalidArgument for no quasi-identifiers, an unknown or repeated column, a sensitive column
/// that is also a quasi-identifier, or a table without records.
AnonymityMeasures measure_anonymity(const Table& table, const std::vector<std::string>& quasi_identifiers,
                                    const std::vector<SensitiveAttribute>& sensitive, std::size_t threads = 0);

/// The same on code views: `sensitive[j]` holds the codes of sensitive attribute j, whose order is
/// the order of an ordered distance; `attributes[j]` names it and gives its distance.
AnonymityMeasures measure_anonymity(Span<const KeyCodes> keys, std::size_t rows, Span<const KeyCodes> sensitive,
                                    const std::vector<SensitiveAttribute>& attributes, std::size_t threads = 0);

}  // namespace sdcore
