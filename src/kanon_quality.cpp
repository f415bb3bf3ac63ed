// Quality models with ARX's definitions (docs/methods/kanon.md): Loss, Discernibility,
// Non-uniform entropy, Precision, Average equivalence class size and Height, each with a lower
// bound that ignores suppression and never decreases up the lattice (used for pruning).

#include <algorithm>
#include <cmath>
#include <limits>

#include "detail/kanon_problem.hpp"

namespace sdcore::detail {
namespace {

double aggregate(Aggregate a, const std::vector<double>& x) {
  if (x.empty()) return 0;
  double r = 0;
  switch (a) {
    case Aggregate::kSum:
      for (const double v : x) r += v;
      return r;
    case Aggregate::kArithmeticMean:
      for (const double v : x) r += v;
      return r / static_cast<double>(x.size());
    case Aggregate::kMaximum:
      return *std::max_element(x.begin(), x.end());
    case Aggregate::kGeometricMean:
    case Aggregate::kDefault:
      r = 1;
      for (const double v : x) r *= std::pow(v + 1.0, 1.0 / static_cast<double>(x.size()));
      return r - 1.0;
  }
  return r;
}

// ARX's Loss of one attribute, from the sum of leaves over unsuppressed records (`kept`, in
// units of 1/domain), the same over suppressed records and their number.
double loss_of(const Problem& p, const EncodedQi& q, std::int64_t kept, std::int64_t out_leaves,
               std::int64_t out_records) {
  const double domain = static_cast<double>(q.domain);
  const double n = static_cast<double>(p.records);
  double sum = p.g_factor * static_cast<double>(kept);
  sum += static_cast<double>(out_leaves) + p.s_factor * (static_cast<double>(out_records) * domain - static_cast<double>(out_leaves));
  sum /= domain;
  const double min = p.g_factor * n / domain;
  if (n - min <= 0) return 0;
  return std::max(0.0, (sum - min) / (n - min));
}

double precision_of(const Problem& p, const EncodedQi& q, std::size_t level, std::int64_t suppressed) {
  const double share = q.height == 0 ? 0.0 : static_cast<double>(level) / static_cast<double>(q.height);
  const double n = static_cast<double>(p.records);
  const double kept = n - static_cast<double>(suppressed);
  return (kept * share * p.g_factor + static_cast<double>(suppressed) * p.s_factor) / n;
}

// Per attribute losses that depend on the levels only, for suppressed = 0 (the bound).
std::vector<double> level_losses(const Problem& p, const Levels& levels) {
  std::vector<double> x(p.qis.size());
  for (std::size_t q = 0; q < p.qis.size(); ++q) {
    const EncodedQi& e = p.qis[q];
    switch (p.quality) {
      case QualityModel::kLoss: x[q] = loss_of(p, e, e.leaf_total[levels[q]], 0, 0); break;
      case QualityModel::kPrecision: x[q] = std::min(precision_of(p, e, levels[q], 0), p.s_factor); break;
      case QualityModel::kNonUniformEntropy: x[q] = p.g_factor * e.entropy[levels[q]]; break;
      case QualityModel::kHeight: x[q] = static_cast<double>(levels[q]); break;
      default: x[q] = 0; break;
    }
  }
  return x;
}

bool multi_dimensional(QualityModel m) {
  return m == QualityModel::kLoss || m == QualityModel::kPrecision || m == QualityModel::kNonUniformEntropy ||
         m == QualityModel::kHeight;
}

}  // namespace

double level_lower_bound(const Problem& p, const Levels& levels) {
  if (!multi_dimensional(p.quality)) return -std::numeric_limits<double>::infinity();
  const Aggregate a = p.quality == QualityModel::kHeight ? Aggregate::kSum : p.aggregate;
  return aggregate(a, level_losses(p, levels));
}

void assess(const Problem& p, const Levels& levels, const Cells& cells, const ClassVerdict& v, TransformationQuality& q,
            bool full) {
  q.levels = levels;
  q.suppressed_records = 0;
  q.classes = 0;
  q.min_class_size = 0;
  std::size_t all_classes = 0;
  double dm_bound = 0, dm = 0;
  const double n = static_cast<double>(p.records);
  for (std::size_t k = 0; k < v.count.size(); ++k) {
    const std::int64_t c = v.count[k];
    if (c == 0) continue;
    ++all_classes;
    const double cd = static_cast<double>(c);
    dm_bound += cd * cd;
    if (v.outlier[k]) {
      q.suppressed_records += c;
      dm += n * cd;
    } else {
      ++q.classes;
      dm += cd * cd;
      q.min_class_size = q.min_class_size == 0 ? c : std::min(q.min_class_size, c);
    }
  }
  const std::int64_t kept = p.records - q.suppressed_records;
  q.average_risk = kept == 0 ? 0.0 : static_cast<double>(q.classes) / static_cast<double>(kept);
  q.anonymous = q.suppressed_records <= p.max_suppressed && q.average_risk <= p.average_risk + 1e-12;

  q.per_attribute = level_losses(p, levels);
  q.lower_bound = level_lower_bound(p, levels);
  q.score = std::numeric_limits<double>::quiet_NaN();
  if (!q.anonymous && !full) {  // the search only needs the bound of a node that fails
    if (p.quality == QualityModel::kDiscernibility) q.lower_bound = dm_bound;
    if (p.quality == QualityModel::kAverageClassSize) {
      const double all = static_cast<double>(all_classes);
      q.lower_bound = n / std::max(all * p.s_factor, (all - 1) * p.s_factor + p.g_factor);
    }
    return;
  }
  switch (p.quality) {
    case QualityModel::kLoss:
      if (q.suppressed_records > 0) {
        for (std::size_t a = 0; a < p.qis.size(); ++a) {
          const EncodedQi& e = p.qis[a];
          std::int64_t out_leaves = 0;
          for (std::size_t c = 0; c < cells.size(); ++c) {
            if (v.outlier[static_cast<std::size_t>(v.cell_class[c])]) {
              out_leaves += cells.count[c] * e.leaves[levels[a]][static_cast<std::size_t>(cells.qi[a][c])];
            }
          }
          q.per_attribute[a] = loss_of(p, e, e.leaf_total[levels[a]] - out_leaves, out_leaves, q.suppressed_records);
        }
      }
      q.score = aggregate(p.aggregate, q.per_attribute);
      break;
    case QualityModel::kPrecision:
      for (std::size_t a = 0; a < p.qis.size(); ++a) q.per_attribute[a] = precision_of(p, p.qis[a], levels[a], q.suppressed_records);
      q.score = aggregate(p.aggregate, q.per_attribute);
      break;
    case QualityModel::kNonUniformEntropy:
      q.score = aggregate(p.aggregate, q.per_attribute);
      break;
    case QualityModel::kHeight:
      q.score = aggregate(Aggregate::kSum, q.per_attribute);
      break;
    case QualityModel::kDiscernibility:
      q.per_attribute.clear();
      q.score = dm;
      q.lower_bound = dm_bound;
      break;
    case QualityModel::kAverageClassSize: {
      q.per_attribute.clear();
      // ARX swaps the factors here: kept classes weigh s_factor, the class of suppressed records g_factor.
      const double groups = static_cast<double>(q.classes) * p.s_factor + (q.suppressed_records > 0 ? p.g_factor : 0.0);
      q.score = groups > 0 ? n / groups : n;
      const double all = static_cast<double>(all_classes);
      q.lower_bound = n / std::max(all * p.s_factor, (all - 1) * p.s_factor + p.g_factor);
      break;
    }
  }
}

}  // namespace sdcore::detail
