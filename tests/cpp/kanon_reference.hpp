#pragma once
// A deliberately plain second implementation of the anonymisation rules, for the tests: records
// grouped with std::map on label strings produced by Hierarchy::generalise, the privacy models and
// the quality formulas written directly from docs/methods/kanon.md (ARX's definitions), with no
// code shared with src/kanon_*.cpp. It supports what the random tests generate: categorical
// columns without missing values, one optional sensitive column.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sdcore/kanon.hpp"

namespace sdcore::test {

struct ReferenceNode {
  bool anonymous = false;
  std::int64_t suppressed = 0;
  double score = 0;
};

inline std::vector<std::string> column_text(const Table& t, const std::string& name) {
  const Column& c = t.column(name);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < c.size(); ++i) out.push_back(c.format(i));
  return out;
}

// Number of hierarchy values whose label at `level` is `label`.
inline double leaves_under(const Hierarchy& h, std::size_t level, const std::string& label) {
  double n = 0;
  for (std::size_t v = 0; v < h.num_values(); ++v) n += h.label(v, level) == label;
  return n;
}

inline bool reference_class_ok(const std::vector<std::string>& sens, const AnonymiseOptions& opt,
                               const std::vector<std::string>& categories, const std::map<std::string, double>& global) {
  std::map<std::string, double> hist;
  for (const auto& s : sens) hist[s] += 1;
  const double n = static_cast<double>(sens.size());
  for (const auto& m : opt.models.l_diversity) {
    if (m.kind == DiversityKind::kDistinct && static_cast<double>(hist.size()) < m.l) return false;
    if (m.kind == DiversityKind::kEntropy) {
      double e = 0;
      for (const auto& [v, c] : hist) e -= c / n * std::log(c / n);
      if (e < std::log(m.l) - 1e-12) return false;
    }
    if (m.kind == DiversityKind::kRecursive) {
      std::vector<double> r;
      for (const auto& [v, c] : hist) r.push_back(c);
      std::sort(r.rbegin(), r.rend());
      const auto l = static_cast<std::size_t>(m.l);
      if (r.size() < l) return false;
      double tail = 0;
      for (std::size_t i = l - 1; i < r.size(); ++i) tail += r[i];
      if (!(r[0] < m.c * tail)) return false;
    }
  }
  for (const auto& m : opt.models.t_closeness) {
    double d = 0;
    if (m.distance == GroundDistance::kEqual) {
      for (const auto& [v, q] : global) d += 0.5 * std::fabs((hist.count(v) ? hist[v] / n : 0.0) - q);
    } else {  // ordered, in category order, over the values present in the table
      double running = 0, m1 = -1;
      for (const auto& v : categories) {
        if (!global.count(v)) continue;
        running += (hist.count(v) ? hist[v] / n : 0.0) - global.at(v);
        d += std::fabs(running);
        m1 += 1;
      }
      d = m1 > 0 ? d / m1 : 0.0;
    }
    if (d > m.t + 1e-12) return false;
  }
  return true;
}

// Evaluates one transformation by brute force.
inline ReferenceNode reference_node(const Table& t, const std::vector<QuasiIdentifier>& qis, const AnonymiseOptions& opt,
                                    const std::vector<std::size_t>& levels, const std::string& sensitive) {
  const std::size_t n = t.num_rows();
  std::vector<std::vector<std::string>> values, labels;
  for (std::size_t q = 0; q < qis.size(); ++q) {
    values.push_back(column_text(t, qis[q].column));
    labels.emplace_back();
    for (const auto& v : values[q]) labels[q].push_back(qis[q].hierarchy.generalise(v, levels[q]));
  }
  std::vector<std::string> sens = sensitive.empty() ? std::vector<std::string>(n) : column_text(t, sensitive);
  std::map<std::string, double> global;
  for (const auto& s : sens) global[s] += 1.0 / static_cast<double>(n);
  const std::vector<std::string> categories = sensitive.empty() ? std::vector<std::string>{} : t.column(sensitive).categories();
  std::map<std::vector<std::string>, std::vector<std::size_t>> classes;
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<std::string> key;
    for (std::size_t q = 0; q < qis.size(); ++q) key.push_back(labels[q][r]);
    classes[key].push_back(r);
  }
  const std::int64_t k = std::max<std::int64_t>(opt.models.k, static_cast<std::int64_t>(std::ceil(1 / opt.models.max_risk - 1e-9)));
  std::vector<char> out(n, 0);
  ReferenceNode node;
  double dm = 0, kept_classes = 0;
  for (const auto& [key, rows] : classes) {
    std::vector<std::string> s;
    for (auto r : rows) s.push_back(sens[r]);
    const bool ok = static_cast<std::int64_t>(rows.size()) >= k && reference_class_ok(s, opt, categories, global);
    const double size = static_cast<double>(rows.size());
    if (ok) {
      dm += size * size;
      kept_classes += 1;
    } else {
      node.suppressed += static_cast<std::int64_t>(rows.size());
      dm += static_cast<double>(n) * size;
      for (auto r : rows) out[r] = 1;
    }
  }
  const double kept = static_cast<double>(n) - static_cast<double>(node.suppressed);
  const double avg = kept == 0 ? 0 : kept_classes / kept;
  node.anonymous = node.suppressed <= static_cast<std::int64_t>(std::floor(opt.suppression_limit * static_cast<double>(n) + 1e-9)) &&
                   avg <= opt.models.average_risk + 1e-12;
  const double g = opt.gs_factor <= 0.5 ? 1 : 1 - 2 * (opt.gs_factor - 0.5);
  const double sf = opt.gs_factor < 0.5 ? 2 * opt.gs_factor : 1;
  const double N = static_cast<double>(n);
  std::vector<double> per;
  for (std::size_t q = 0; q < qis.size(); ++q) {
    const Hierarchy& h = qis[q].hierarchy;
    const double dom = static_cast<double>(h.num_values());
    const double height = static_cast<double>(h.levels() - 1);
    double x = 0;
    switch (opt.quality) {
      case QualityModel::kLoss: {
        for (std::size_t r = 0; r < n; ++r) {
          const double share = leaves_under(h, levels[q], labels[q][r]) / dom;
          x += out[r] ? share + sf * (1 - share) : g * share;
        }
        const double min = g * N / dom;
        x = N - min <= 0 ? 0 : std::max(0.0, (x - min) / (N - min));
        break;
      }
      case QualityModel::kPrecision:
        x = (kept * (height == 0 ? 0 : static_cast<double>(levels[q]) / height) * g + static_cast<double>(node.suppressed) * sf) / N;
        break;
      case QualityModel::kNonUniformEntropy: {
        std::map<std::string, double> f0, fl;
        for (std::size_t r = 0; r < n; ++r) {
          f0[values[q][r]] += 1;
          fl[labels[q][r]] += 1;
        }
        for (std::size_t r = 0; r < n; ++r) x += g * std::log2(fl[labels[q][r]] / f0[values[q][r]]);
        break;
      }
      case QualityModel::kHeight: x = static_cast<double>(levels[q]); break;
      default: break;
    }
    per.push_back(x);
  }
  switch (opt.quality) {
    case QualityModel::kLoss: {
      double prod = 1;
      for (double x : per) prod *= std::pow(x + 1, 1.0 / static_cast<double>(per.size()));
      node.score = prod - 1;
      break;
    }
    case QualityModel::kPrecision:
      for (double x : per) node.score += x / static_cast<double>(per.size());
      break;
    case QualityModel::kNonUniformEntropy:
    case QualityModel::kHeight:
      for (double x : per) node.score += x;
      break;
    case QualityModel::kDiscernibility: node.score = dm; break;
    case QualityModel::kAverageClassSize:
      node.score = N / (kept_classes * sf + (node.suppressed > 0 ? g : 0.0));
      break;
  }
  return node;
}

}  // namespace sdcore::test
