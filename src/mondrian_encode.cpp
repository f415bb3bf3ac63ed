// Mondrian's arguments and the encoding of quasi-identifiers as ordinals (see
// detail/mondrian_parts.hpp and docs/methods/mondrian.md).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>

#include "detail/keys.hpp"
#include "detail/mondrian_parts.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail::mondrian {

double width(const Dim& d, Ord lo, Ord hi) {
  if (d.kind == Kind::kNumeric) {
    const double span = d.values.back() - d.values.front();
    return span > 0 ? (d.values[hi] - d.values[lo]) / span : 0.0;
  }
  if (d.kind == Kind::kOrdered) return d.card > 1 ? double(hi - lo) / double(d.card - 1) : 0.0;
  const std::size_t level = lca_level(d, lo, hi);
  if (level == 0) return 0.0;
  const Ord n = d.node[level][lo];
  const Ord first = n == 0 ? 0 : d.last[level][n - 1] + 1;
  return double(d.last[level][n] - first + 1) / double(d.card);
}

namespace {

// Marks the entries of `rank` that are 1 with their rank among them; returns how many.
Ord rank_present(std::vector<Ord>& rank) {
  Ord next = 0;
  for (Ord& r : rank) r = r != 0 ? next++ : 0;
  return next;
}

// Distinct values of a numeric column (no NaN) in ascending order, and its mapping.
void encode_numeric(Span<const double> v, Dim& dim, Mapping& m) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  bool whole = true;
  for (double x : v) lo = std::min(lo, x), hi = std::max(hi, x), whole &= x == std::floor(x);
  m.values = v;
  m.search = !(whole && hi - lo < double(std::size_t{1} << 22));
  if (m.search) {
    dim.values.reserve(v.size());
    for (double x : v) dim.values.push_back(x + 0.0);  // -0 + 0 = +0: one zero, published as "0"
    std::sort(dim.values.begin(), dim.values.end());
    dim.values.erase(std::unique(dim.values.begin(), dim.values.end()), dim.values.end());
  } else {
    m.base = lo;
    m.lookup.assign(static_cast<std::size_t>(hi - lo) + 1, 0);
    for (double x : v) m.lookup[static_cast<std::size_t>(x - lo)] = 1;
    for (std::size_t i = 0; i < m.lookup.size(); ++i) {
      if (m.lookup[i] != 0) dim.values.push_back(lo + double(i));
    }
    rank_present(m.lookup);
  }
  dim.card = static_cast<Ord>(dim.values.size());
}

// The categories present (none missing), in code order, and the mapping of codes.
void encode_categorical(const Column& c, Dim& dim, Mapping& m) {
  m.codes = c.codes();
  m.lookup.assign(c.categories().size(), 0);
  for (std::int32_t x : m.codes) m.lookup[static_cast<std::size_t>(x)] = 1;
  for (std::size_t i = 0; i < m.lookup.size(); ++i) {
    if (m.lookup[i] != 0) dim.names.push_back(c.categories()[i]);
  }
  dim.card = rank_present(m.lookup);
}

// Reorders a dim's ordinals depth-first through `h` (siblings in order of their smallest
// original ordinal) and builds its nodes.
void build_tree(const Hierarchy& h, Dim& dim, Mapping& m) {
  const std::size_t top = h.levels(), card = dim.card;
  std::vector<std::size_t> index(card);
  for (std::size_t o = 0; o < card; ++o) index[o] = *h.find(dim.names[o]);
  std::vector<std::vector<Ord>> key(top, std::vector<Ord>(card));
  for (std::size_t level = 1; level < top; ++level) {
    std::unordered_map<std::string, Ord> first;
    for (std::size_t o = 0; o < card; ++o) {
      key[level][o] = first.emplace(h.label(index[o], level), static_cast<Ord>(o)).first->second;
    }
  }
  std::vector<Ord> order(card);
  std::iota(order.begin(), order.end(), Ord{0});
  std::sort(order.begin(), order.end(), [&](Ord a, Ord b) {
    for (std::size_t level = top - 1; level >= 1; --level) {
      if (key[level][a] != key[level][b]) return key[level][a] < key[level][b];
    }
    return a < b;
  });
  std::vector<Ord> renumber(card);
  for (std::size_t p = 0; p < card; ++p) renumber[order[p]] = static_cast<Ord>(p);
  if (m.search) m.remap = renumber;
  for (Ord& o : m.lookup) o = renumber[o];  // codes absent from the data map to 0: unused
  dim.node.assign(top + 1, std::vector<Ord>(card, 0));
  dim.last.assign(top + 1, {});
  dim.label.assign(top + 1, {});
  for (std::size_t level = 0; level < top; ++level) {
    for (std::size_t p = 0; p < card; ++p) {
      const std::string& text = h.label(index[order[p]], level);
      if (p == 0 || text != dim.label[level].back()) {
        dim.label[level].push_back(text);
        dim.last[level].push_back(0);
      }
      dim.node[level][p] = static_cast<Ord>(dim.label[level].size() - 1);
      dim.last[level].back() = static_cast<Ord>(p);
    }
  }
  dim.last[top] = {static_cast<Ord>(card - 1)};
  dim.label[top] = {"*"};
  std::vector<std::string> names(card);
  for (std::size_t p = 0; p < card; ++p) names[p] = dim.names[order[p]];
  dim.names = std::move(names);
  dim.kind = Kind::kHierarchy;
}

Sensitive sensitive_codes(const Column& c) {
  const Column f = factorize(c);
  Sensitive s;
  s.code.reserve(f.size());
  s.card = static_cast<Ord>(f.categories().size() + 1);
  std::vector<char> present(s.card, 0);
  for (std::int32_t x : f.codes()) s.code.push_back(static_cast<Ord>(x + 1)), present[s.code.back()] = 1;
  s.distinct = static_cast<std::size_t>(std::count(present.begin(), present.end(), 1));
  return s;
}

void check_missing(const Column& c) {
  const Span<const std::int32_t> codes = c.is_categorical() ? c.codes() : Span<const std::int32_t>();
  const Span<const double> values = c.is_categorical() ? Span<const double>() : c.values();
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.is_categorical() ? codes[i] < 0 : std::isnan(values[i])) {
      throw InvalidArgument("quasi-identifier '" + c.name() + "' is missing in row " + std::to_string(i) +
                            "; Mondrian needs every quasi-identifier value (impute or recode missing "
                            "values first)");
    }
  }
}

// Matches the hierarchies to QIs and checks that each QI is complete and covered.
void check_hierarchies(const std::vector<std::string>& qis, const MondrianOptions& opt, Plan& plan) {
  plan.hierarchy.assign(qis.size(), nullptr);
  for (const Hierarchy& h : opt.hierarchies) {
    const auto j = static_cast<std::size_t>(std::find(qis.begin(), qis.end(), h.attribute()) - qis.begin());
    if (j == qis.size()) {
      throw InvalidArgument("a hierarchy is given for '" + h.attribute() +
                            "', which is not a quasi-identifier");
    }
    if (plan.hierarchy[j] != nullptr) {
      throw InvalidArgument("two hierarchies are given for '" + h.attribute() + "'");
    }
    plan.hierarchy[j] = &h;
  }
  for (std::size_t j = 0; j < qis.size(); ++j) {
    check_missing(*plan.qi[j]);
    if (plan.hierarchy[j] != nullptr) plan.hierarchy[j]->require_covers(*plan.qi[j]);
  }
}

}  // namespace

Mapping encode(const Column& c, const Hierarchy* h, Dim& dim) {
  Mapping m;
  if (c.is_categorical()) {
    encode_categorical(c, dim, m);
  } else {
    encode_numeric(c.values(), dim, m);
    dim.kind = Kind::kNumeric;
  }
  if (h == nullptr) return m;
  if (!c.is_categorical()) {
    for (double v : dim.values) dim.names.push_back(format_number(v));
  }
  build_tree(*h, dim, m);
  return m;
}

Plan check_arguments(const Table& table, const std::vector<std::string>& qis, std::int64_t k,
                     const MondrianOptions& opt) {
  if (k < 1) throw InvalidArgument("k must be at least 1, got " + std::to_string(k));
  if (qis.empty()) throw InvalidArgument("no quasi-identifiers given");
  if (table.num_rows() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw InvalidArgument("too many rows for Mondrian (at most 2^31-1)");
  }
  Plan plan;
  std::uint64_t records = table.num_rows();
  if (!opt.frequency.empty()) {
    if (std::find(qis.begin(), qis.end(), opt.frequency) != qis.end() || opt.frequency == opt.sensitive) {
      throw InvalidArgument("frequency column '" + opt.frequency + "' is also a quasi-identifier or the sensitive column");
    }
    const std::vector<std::int64_t> counts = detail::record_counts(table, opt.frequency);
    plan.frequency.resize(counts.size());
    records = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] > std::int64_t{std::numeric_limits<Ord>::max()}) {
        throw InvalidArgument("frequency column '" + opt.frequency + "' has " + std::to_string(counts[i]) +
                              " records in row " + std::to_string(i + 1) +
                              " (1-based); Mondrian takes at most 2^32 - 1 per row");
      }
      plan.frequency[i] = static_cast<Ord>(counts[i]);
      records += static_cast<std::uint64_t>(counts[i]);
    }
  }
  if (static_cast<std::uint64_t>(k) > records) {
    throw InvalidArgument("k = " + std::to_string(k) + " is larger than the " + std::to_string(records) +
                          (opt.frequency.empty() ? " rows of the table" : " records of the table"));
  }
  for (const std::string& name : qis) {
    if (std::count(qis.begin(), qis.end(), name) > 1) {
      throw InvalidArgument("quasi-identifier '" + name + "' is named twice");
    }
    plan.qi.push_back(&table.column(name));  // InvalidArgument for an unknown name
  }
  check_hierarchies(qis, opt, plan);
  if (opt.l < 1) throw InvalidArgument("l must be at least 1, got " + std::to_string(opt.l));
  if (opt.sensitive.empty() && opt.l > 1) {
    throw InvalidArgument("l-diversity (l = " + std::to_string(opt.l) + ") needs a sensitive column");
  }
  if (opt.sensitive.empty()) return plan;
  if (std::find(qis.begin(), qis.end(), opt.sensitive) != qis.end()) {
    throw InvalidArgument("sensitive column '" + opt.sensitive + "' is also a quasi-identifier");
  }
  const Column& sensitive = table.column(opt.sensitive);  // InvalidArgument for an unknown name
  if (opt.l == 1) return plan;
  plan.sensitive = sensitive_codes(sensitive);
  if (static_cast<std::uint64_t>(opt.l) > plan.sensitive->distinct) {
    throw InvalidArgument("l = " + std::to_string(opt.l) + " is more than the " +
                          std::to_string(plan.sensitive->distinct) +
                          " distinct values of sensitive column '" + opt.sensitive + "'");
  }
  return plan;
}

}  // namespace sdcore::detail::mondrian
