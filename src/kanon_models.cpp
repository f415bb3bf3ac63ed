// Class-level privacy models: k-anonymity, k-map, l-diversity (distinct, entropy, recursive) and
// t-closeness (equal, ordered, hierarchical ground distance). See docs/methods/kanon.md.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "detail/kanon_problem.hpp"
#include "sdcore/classes.hpp"

namespace sdcore::detail {

double emd_equal(const std::vector<double>& p, const std::vector<double>& q) {
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) sum += std::fabs(p[i] - q[i]);
  return 0.5 * sum;
}

// Li et al. 2007, ordered distance: (1 / (m - 1)) * sum_i |sum_{j <= i} (p_j - q_j)| over the values in
// order. m counts the values of the whole table (q > 0).
double emd_ordered(const std::vector<double>& p, const std::vector<double>& q, const std::vector<std::int32_t>& rank) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank[a] < rank[b]; });
  double running = 0, sum = 0;
  std::size_t m = 0;
  for (const std::size_t i : order) {
    if (q[i] <= 0 && p[i] <= 0) continue;
    ++m;
    running += p[i] - q[i];
    sum += std::fabs(running);
  }
  return m <= 1 ? 0.0 : sum / static_cast<double>(m - 1);
}

// Li et al. 2007, hierarchical distance: each internal node N of height h contributes
// (h / H) * min(positive extra, negative extra) of its children, where a child's extra is the
// sum of p - q over the leaves below it.
double emd_hierarchical(const std::vector<double>& p, const std::vector<double>& q,
                        const std::vector<std::vector<std::int32_t>>& tree, const std::vector<std::int32_t>& tree_labels) {
  const std::size_t height = tree.size() - 1;
  if (height == 0) return 0;
  std::vector<double> extra(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) extra[i] = p[i] - q[i];
  // extra is indexed by label at the level below; level 0 labels are the codes' own labels.
  std::vector<double> below(static_cast<std::size_t>(tree_labels[0]), 0.0);
  for (std::size_t i = 0; i < p.size(); ++i) below[static_cast<std::size_t>(tree[0][i])] += extra[i];
  double cost = 0;
  for (std::size_t l = 1; l <= height; ++l) {
    std::vector<double> pos(static_cast<std::size_t>(tree_labels[l]), 0.0), neg(pos.size(), 0.0);
    // Children of a level-l label are the level-(l-1) labels mapping to it; find the parent through
    // any code with that child label.
    std::vector<std::int32_t> parent(below.size(), -1);
    for (std::size_t i = 0; i < p.size(); ++i) parent[static_cast<std::size_t>(tree[l - 1][i])] = tree[l][i];
    for (std::size_t c = 0; c < below.size(); ++c) {
      if (parent[c] < 0) continue;
      (below[c] > 0 ? pos : neg)[static_cast<std::size_t>(parent[c])] += std::fabs(below[c]);
    }
    std::vector<double> next(pos.size());
    for (std::size_t n = 0; n < pos.size(); ++n) {
      cost += static_cast<double>(l) / static_cast<double>(height) * std::min(pos[n], neg[n]);
      next[n] = pos[n] - neg[n];
    }
    below = std::move(next);
  }
  return cost;
}

namespace {

bool diverse(const LDiversity& m, std::vector<std::int64_t>& counts) {
  std::int64_t total = 0;
  for (const auto c : counts) total += c;
  switch (m.kind) {
    case DiversityKind::kDistinct:
      return static_cast<double>(counts.size()) >= m.l;
    case DiversityKind::kEntropy: {
      double h = 0;
      for (const auto c : counts) {
        const double f = static_cast<double>(c) / static_cast<double>(total);
        h -= f * std::log(f);
      }
      return h >= std::log(m.l) - 1e-12;
    }
    case DiversityKind::kRecursive: {
      const auto l = static_cast<std::size_t>(m.l);
      if (counts.size() < l) return false;
      std::sort(counts.begin(), counts.end(), std::greater<>());
      std::int64_t tail = 0;
      for (std::size_t i = l - 1; i < counts.size(); ++i) tail += counts[i];
      return static_cast<double>(counts[0]) < m.c * static_cast<double>(tail);
    }
  }
  return false;
}

bool close(const EncodedSensitive& s, const TCloseness& m, const std::vector<double>& dist) {
  double d = 0;
  switch (m.distance) {
    case GroundDistance::kEqual: d = emd_equal(dist, s.global); break;
    case GroundDistance::kOrdered: d = emd_ordered(dist, s.global, s.rank); break;
    case GroundDistance::kHierarchical: d = emd_hierarchical(dist, s.global, s.tree, s.tree_labels); break;
  }
  return d <= m.t + 1e-12;
}

// Sensitive-value checks of one class, whose cells are cells[order[begin..end)].
// `hist` is scratch of each attribute's cardinality, all zero on entry and on return.
bool sensitive_ok(const Problem& p, const Cells& cells, const std::vector<std::size_t>& order, std::size_t begin,
                  std::size_t end, std::int64_t class_count, std::vector<std::vector<std::int64_t>>& hist) {
  bool ok = true;
  for (std::size_t s = 0; s < p.sensitive.size() && ok; ++s) {
    const EncodedSensitive& e = p.sensitive[s];
    std::vector<std::int64_t>& h = hist[s];
    std::vector<std::int64_t> present;
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t c = order[i];
      if (cells.count[c] > 0) h[static_cast<std::size_t>(cells.sens[s][c])] += cells.count[c];
    }
    for (std::size_t i = begin; i < end; ++i) {
      auto& slot = h[static_cast<std::size_t>(cells.sens[s][order[i]] < 0 ? 0 : cells.sens[s][order[i]])];
      if (cells.count[order[i]] > 0 && slot > 0) present.push_back(std::exchange(slot, 0));
    }
    for (const auto& m : e.l_diversity) ok = ok && diverse(m, present);
    if (ok && !e.t_closeness.empty()) {
      std::vector<double> dist(h.size(), 0.0);
      for (std::size_t i = begin; i < end; ++i) {
        const std::size_t c = order[i];
        if (cells.count[c] > 0) dist[static_cast<std::size_t>(cells.sens[s][c])] += static_cast<double>(cells.count[c]);
      }
      for (auto& d : dist) d /= static_cast<double>(class_count);
      for (const auto& m : e.t_closeness) ok = ok && close(e, m, dist);
    }
  }
  return ok;
}

}  // namespace

ClassVerdict judge_classes(const Problem& p, const Cells& cells, bool distinct) {
  ClassVerdict v;
  const std::size_t n = cells.size();
  std::vector<std::int64_t> pop;
  if (p.sensitive.empty() && distinct) {
    v.cell_class.resize(n);
    std::iota(v.cell_class.begin(), v.cell_class.end(), 0);
    v.count = cells.count;
    pop = cells.pop;
  } else {
    std::vector<KeyCodes> keys;
    for (std::size_t q = 0; q < p.qis.size(); ++q) {
      const auto& col = cells.qi[q];
      const std::int32_t top = col.empty() ? 0 : *std::max_element(col.begin(), col.end());
      keys.push_back(KeyCodes{col.data(), 4, std::int64_t{top} + 1});
    }
    EquivalenceClasses ec = equivalence_classes(Span<const KeyCodes>(keys.data(), keys.size()), n, {});
    v.cell_class = std::move(ec.row_class);
    v.count.assign(ec.num_classes(), 0);
    if (!cells.pop.empty()) pop.assign(ec.num_classes(), 0);
    for (std::size_t c = 0; c < n; ++c) {
      v.count[static_cast<std::size_t>(v.cell_class[c])] += cells.count[c];
      if (!pop.empty()) pop[static_cast<std::size_t>(v.cell_class[c])] += cells.pop[c];
    }
  }
  const std::size_t classes = v.count.size();
  v.outlier.assign(classes, 0);
  for (std::size_t k = 0; k < classes; ++k) {
    if (v.count[k] == 0) continue;
    bool ok = v.count[k] >= p.k;
    if (p.k_map > 0) ok = ok && pop[k] >= p.k_map;
    v.outlier[k] = ok ? 0 : 1;
  }
  if (p.sensitive.empty()) return v;
  // Cells of each class contiguously (counting sort), then the sensitive-value models.
  std::vector<std::size_t> start(classes + 1, 0);
  for (const auto c : v.cell_class) ++start[static_cast<std::size_t>(c) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::size_t> order(n), fill(start.begin(), start.end() - 1);
  for (std::size_t c = 0; c < n; ++c) order[fill[static_cast<std::size_t>(v.cell_class[c])]++] = c;
  std::vector<std::vector<std::int64_t>> hist;
  for (const auto& e : p.sensitive) hist.emplace_back(static_cast<std::size_t>(e.cardinality), 0);
  for (std::size_t k = 0; k < classes; ++k) {
    if (v.count[k] == 0 || v.outlier[k]) continue;
    if (!sensitive_ok(p, cells, order, start[k], start[k + 1], v.count[k], hist)) v.outlier[k] = 1;
  }
  return v;
}

}  // namespace sdcore::detail
