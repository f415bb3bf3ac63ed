// Dimensions as trees of codes, and the Tabulation's cell indexing, relations and long format
// (see tabular.hpp and docs/methods/tabular.md).

#include "sdcore/tabular.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sdcore/error.hpp"

namespace sdcore {

Dimension Dimension::build(std::string name, std::vector<std::string> codes, const std::vector<std::size_t>& parent,
                           std::size_t root) {
  const std::size_t n = codes.size();
  std::vector<std::vector<std::size_t>> children(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i != root) children[parent[i]].push_back(i);
  }
  // Post-order from the root (iterative: hierarchies may be deep): children before parents.
  std::vector<std::size_t> order;
  order.reserve(n);
  std::vector<std::pair<std::size_t, std::size_t>> stack = {{root, 0}};
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < children[node].size()) {
      const std::size_t child = children[node][next++];
      stack.emplace_back(child, 0);
    } else {
      order.push_back(node);
      stack.pop_back();
    }
  }
  Dimension d;
  d.name_ = std::move(name);
  std::vector<std::size_t> renumber(n);
  for (std::size_t p = 0; p < n; ++p) renumber[order[p]] = p;
  d.code_.resize(n);
  d.parent_.resize(n);
  d.children_.resize(n);
  d.depth_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t p = renumber[i];
    d.code_[p] = std::move(codes[i]);
    d.parent_[p] = renumber[i == root ? root : parent[i]];
    for (std::size_t c : children[i]) d.children_[p].push_back(renumber[c]);
  }
  for (std::size_t p = n; p-- > 0;) {  // parents come after children, so walk down from the root
    for (std::size_t c : d.children_[p]) d.depth_[c] = d.depth_[p] + 1;
  }
  for (std::size_t p = 0; p < n; ++p) d.index_.emplace(d.code_[p], p);
  return d;
}

Dimension Dimension::flat(std::string name, const std::vector<std::string>& leaves, std::string total) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& leaf : leaves) pairs.emplace_back(leaf, total);
  pairs.emplace_back(total, "");
  return from_parents(std::move(name), pairs);
}

Dimension Dimension::from_parents(std::string name, const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string> codes;
  for (const auto& [code, parent] : pairs) {
    if (code.empty()) throw InvalidArgument("dimension '" + name + "': an empty code");
    if (!index.emplace(code, codes.size()).second) {
      throw InvalidArgument("dimension '" + name + "': code '" + code + "' is given twice");
    }
    codes.push_back(code);
  }
  std::vector<std::size_t> parent(codes.size());
  std::vector<std::string> roots;
  std::size_t root = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const std::string& p = pairs[i].second;
    if (p.empty()) {
      roots.push_back(codes[i]);
      root = parent[i] = i;
      continue;
    }
    const auto it = index.find(p);
    if (it == index.end()) {
      throw InvalidArgument("dimension '" + name + "': the parent '" + p + "' of '" + codes[i] + "' is not a code");
    }
    parent[i] = it->second;
  }
  if (roots.size() != 1) {
    std::string list;
    for (const auto& r : roots) list += (list.empty() ? "'" : ", '") + r + "'";
    throw InvalidArgument("dimension '" + name + "' must have exactly one total (a code with no parent), has " +
                          std::to_string(roots.size()) + (roots.empty() ? "" : ": " + list));
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {  // every walk up must reach the root
    std::size_t at = i, steps = 0;
    while (at != root && steps++ <= codes.size()) at = parent[at];
    if (at != root) throw InvalidArgument("dimension '" + name + "': '" + codes[i] + "' is on a cycle of parents");
  }
  return build(std::move(name), std::move(codes), parent, root);
}

Dimension Dimension::from_hierarchy(std::string name, const Hierarchy& h, const std::vector<std::string>& present) {
  const std::size_t top = h.levels() - 1;
  std::vector<std::size_t> values;
  if (present.empty()) {
    for (std::size_t v = 0; v < h.num_values(); ++v) values.push_back(v);
  } else {
    for (const auto& p : present) {
      const auto v = h.find(p);
      if (!v) throw InvalidArgument("dimension '" + name + "': the hierarchy does not cover the value '" + p + "'");
      values.push_back(*v);
    }
  }
  // Nodes are (level, label). A node that is the only child of a node with the same label is that
  // node (ARX hierarchies repeat a value that is not grouped at the next level); other repeated
  // labels are refused by from_parents as a code given twice.
  std::map<std::pair<std::size_t, std::string>, std::size_t> id;
  std::vector<std::string> label;
  std::vector<std::size_t> up, level;  // up: parent id (itself for the top level)
  for (const std::size_t v : values) {
    std::size_t below = 0;
    for (std::size_t l = 0; l <= top; ++l) {
      const auto [it, fresh] = id.emplace(std::make_pair(l, h.label(v, l)), label.size());
      if (fresh) {
        label.push_back(h.label(v, l));
        up.push_back(label.size() - 1);
        level.push_back(l);
      }
      if (l > 0) up[below] = it->second;
      below = it->second;
    }
  }
  std::vector<std::size_t> children(label.size(), 0);
  for (std::size_t n = 0; n < label.size(); ++n) children[up[n]] += up[n] != n;
  std::vector<std::size_t> order(label.size());
  for (std::size_t n = 0; n < order.size(); ++n) order[n] = n;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return level[a] < level[b]; });
  std::vector<bool> absorbed(label.size(), false);
  std::vector<std::size_t> rep(label.size());
  for (std::size_t n = 0; n < rep.size(); ++n) rep[n] = n;
  const auto find_rep = [&](std::size_t n) {
    while (rep[n] != n) n = rep[n];
    return n;
  };
  for (const std::size_t n : order) {
    const std::size_t p = up[n];
    if (p != n && label[p] == label[n] && children[p] == 1) absorbed[n] = true, rep[n] = p;
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::size_t n : order) {
    if (absorbed[n]) continue;
    const std::size_t p = find_rep(up[n]);
    pairs.emplace_back(label[n], p == n ? std::string() : label[p]);
  }
  return from_parents(std::move(name), pairs);
}

std::optional<std::size_t> Dimension::find(const std::string& code) const {
  const auto it = index_.find(code);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Tabulation::Tabulation(std::vector<Dimension> dimensions, std::vector<TabularCell> cells, std::string value_name)
    : dims_(std::move(dimensions)), cells_(std::move(cells)), value_name_(std::move(value_name)) {
  if (dims_.empty() || dims_.size() > 4) {
    throw InvalidArgument("a table has 1 to 4 dimensions, got " + std::to_string(dims_.size()));
  }
  stride_.assign(dims_.size(), 1);
  std::size_t total = 1;
  for (std::size_t d = dims_.size(); d-- > 0;) {
    stride_[d] = total;
    total *= dims_[d].size();
  }
  if (cells_.size() != total) {
    throw InvalidArgument("a table of these dimensions has " + std::to_string(total) + " cells, got " +
                          std::to_string(cells_.size()));
  }
}

std::size_t Tabulation::index(const std::vector<std::size_t>& nodes) const {
  if (nodes.size() != dims_.size()) throw InvalidArgument("one node per dimension is needed");
  std::size_t i = 0;
  for (std::size_t d = 0; d < nodes.size(); ++d) {
    if (nodes[d] >= dims_[d].size()) throw InvalidArgument("node out of range in dimension '" + dims_[d].name() + "'");
    i += nodes[d] * stride_[d];
  }
  return i;
}

std::vector<std::size_t> Tabulation::nodes(std::size_t index) const {
  std::vector<std::size_t> out(dims_.size());
  for (std::size_t d = 0; d < dims_.size(); ++d) out[d] = (index / stride_[d]) % dims_[d].size();
  return out;
}

std::string Tabulation::label(std::size_t index) const {
  const auto n = nodes(index);
  std::string s;
  for (std::size_t d = 0; d < n.size(); ++d) s += (d ? ", " : "") + dims_[d].name() + "=" + dims_[d].code(n[d]);
  return s;
}

bool Tabulation::is_inner(std::size_t index) const {
  const auto n = nodes(index);
  for (std::size_t d = 0; d < n.size(); ++d) {
    if (!dims_[d].is_leaf(n[d])) return false;
  }
  return true;
}

std::vector<Tabulation::Relation> Tabulation::relations() const {
  std::vector<Relation> out;
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    const Dimension& dim = dims_[d];
    const std::size_t span = dim.size() * stride_[d];
    for (std::size_t node = 0; node < dim.size(); ++node) {
      if (dim.is_leaf(node)) continue;
      // Every cell with `node` in dimension d: the other dimensions' nodes vary freely.
      for (std::size_t outer = 0; outer < cells_.size(); outer += span) {
        for (std::size_t inner = 0; inner < stride_[d]; ++inner) {
          Relation r{outer + node * stride_[d] + inner, {}, d};
          for (std::size_t c : dim.children(node)) r.parts.push_back(outer + c * stride_[d] + inner);
          out.push_back(std::move(r));
        }
      }
    }
  }
  return out;
}

Table Tabulation::to_table() const {
  Table t;
  const std::size_t n = cells_.size();
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    std::vector<std::int32_t> codes(n);
    for (std::size_t i = 0; i < n; ++i) codes[i] = static_cast<std::int32_t>((i / stride_[d]) % dims_[d].size());
    std::vector<std::string> categories;
    for (std::size_t c = 0; c < dims_[d].size(); ++c) categories.push_back(dims_[d].code(c));
    t.add_column(Column::categorical(dims_[d].name(), std::move(codes), std::move(categories)));
  }
  std::vector<double> value(n), records(n), contributors(n);
  for (std::size_t i = 0; i < n; ++i) {
    value[i] = cells_[i].value;
    records[i] = cells_[i].records < 0 ? std::nan("") : static_cast<double>(cells_[i].records);
    contributors[i] = cells_[i].contributors < 0 ? std::nan("") : static_cast<double>(cells_[i].contributors);
  }
  t.add_column(Column::numeric(value_name_, std::move(value)));
  t.add_column(Column::numeric("records", std::move(records)));
  t.add_column(Column::numeric("contributors", std::move(contributors)));
  return t;
}

}  // namespace sdcore
