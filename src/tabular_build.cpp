// Building tabulations: from records (`tabulate`) and from published long-format tables
// (`tabulation_from_long`), margins included (see tabular.hpp and docs/methods/tabular.md).

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "detail/keys.hpp"
#include "sdcore/error.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore {
namespace {

// Keeps the `k` largest of `from` (descending, ties by holder) in `top`/`holder`.
void keep_top(std::vector<double>& top, std::vector<std::int64_t>& holder, std::size_t k) {
  std::vector<std::size_t> order(top.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return top[a] != top[b] ? top[a] > top[b] : holder[a] < holder[b];
  });
  order.resize(std::min(order.size(), k));
  std::vector<double> t;
  std::vector<std::int64_t> h;
  for (std::size_t i : order) t.push_back(top[i]), h.push_back(holder[i]);
  top = std::move(t);
  holder = std::move(h);
}

// Strides of the cell array (last dimension fastest).
std::vector<std::size_t> strides(const std::vector<Dimension>& dims) {
  std::vector<std::size_t> s(dims.size(), 1);
  for (std::size_t d = dims.size(); d-- > 1;) s[d - 1] = s[d] * dims[d].size();
  return s;
}

// Fills every cell that is not inner from the inner cells, one dimension at a time: after
// dimension d, every cell whose nodes in dimensions > d are leaves is complete. `add(to, from)`
// accumulates one cell into another.
void fill_margins(const std::vector<Dimension>& dims, std::size_t num_cells,
                  const std::function<void(std::size_t, std::size_t)>& add) {
  const auto stride = strides(dims);
  for (std::size_t d = 0; d < dims.size(); ++d) {
    const std::size_t span = dims[d].size() * stride[d];
    for (std::size_t node = 0; node < dims[d].size(); ++node) {  // post-order: children first
      if (dims[d].is_leaf(node)) continue;
      for (std::size_t outer = 0; outer < num_cells; outer += span) {
        for (std::size_t inner = 0; inner < stride[d]; ++inner) {
          bool later_leaves = true;  // nodes of dimensions after d must be leaves
          for (std::size_t e = d + 1; e < dims.size() && later_leaves; ++e) {
            later_leaves = dims[e].is_leaf((inner / stride[e]) % dims[e].size());
          }
          if (!later_leaves) continue;
          const std::size_t to = outer + node * stride[d] + inner;
          for (std::size_t c : dims[d].children(node)) add(to, outer + c * stride[d] + inner);
        }
      }
    }
  }
}

// Dimension of a records column: its leaf node for each row.
struct Axis {
  Dimension dim;
  std::vector<std::size_t> leaf;  // per row
};

Axis axis_of(const Table& records, const DimensionSpec& spec) {
  const Column f = factorize(records.column(spec.column));
  const auto codes = f.codes();
  for (std::size_t r = 0; r < codes.size(); ++r) {
    if (codes[r] < 0) {
      throw InvalidArgument("dimension column '" + spec.column + "' is missing in row " + std::to_string(r + 1) +
                            " (1-based); recode missing values to a category first");
    }
  }
  // Leaves: every category of the column, used or not (an unused one is a zero cell), except
  // unused categories a hierarchy does not cover.
  std::vector<char> used(f.categories().size(), 0);
  for (const std::int32_t c : codes) used[static_cast<std::size_t>(c)] = 1;
  if (spec.hierarchy) spec.hierarchy->require_covers(f);
  std::vector<std::string> present;
  for (std::size_t c = 0; c < f.categories().size(); ++c) {
    if (used[c] || !spec.hierarchy || spec.hierarchy->find(f.categories()[c])) present.push_back(f.categories()[c]);
  }
  Axis a{spec.hierarchy ? Dimension::from_hierarchy(spec.column, *spec.hierarchy, present)
                        : Dimension::flat(spec.column, present, spec.total),
         {}};
  std::vector<std::size_t> node_of(f.categories().size(), 0);
  for (std::size_t c = 0; c < f.categories().size(); ++c) {
    if (const auto node = a.dim.find(f.categories()[c])) node_of[c] = *node;
  }
  a.leaf.resize(codes.size());
  for (std::size_t r = 0; r < codes.size(); ++r) a.leaf[r] = node_of[static_cast<std::size_t>(codes[r])];
  return a;
}

// A numeric column's values, each finite and, unless `negative_ok`, >= 0 (or > 0 if `positive`).
Span<const double> checked_numbers(const Table& t, const std::string& name, const char* role, bool positive) {
  const Column& c = t.column(name);
  if (c.is_categorical()) throw InvalidArgument(std::string(role) + " column '" + name + "' is not numeric");
  const auto v = c.values();
  for (std::size_t r = 0; r < v.size(); ++r) {
    if (!std::isfinite(v[r]) || v[r] < 0 || (positive && v[r] == 0)) {
      throw InvalidArgument(std::string(role) + " column '" + name + "' has " +
                            (std::isnan(v[r]) ? std::string("a missing value") : "the value " + format_number(v[r])) +
                            " in row " + std::to_string(r + 1) + " (1-based); it must be " +
                            (positive ? "positive" : "non-negative"));
    }
  }
  return v;
}

void check_dimension_specs(const Table& records, const std::vector<DimensionSpec>& specs, const TabulateOptions& o) {
  if (specs.empty() || specs.size() > 4) {
    throw InvalidArgument("a table has 1 to 4 dimensions, got " + std::to_string(specs.size()));
  }
  std::vector<std::string> seen;
  for (const auto& s : specs) {
    if (std::find(seen.begin(), seen.end(), s.column) != seen.end()) {
      throw InvalidArgument("dimension column '" + s.column + "' is named twice");
    }
    seen.push_back(s.column);
    records.column(s.column);  // InvalidArgument for an unknown name
  }
  for (const std::string* c : {&o.value, &o.weight, &o.holding, &o.frequency}) {
    if (!c->empty() && std::find(seen.begin(), seen.end(), *c) != seen.end()) {
      throw InvalidArgument("column '" + *c + "' is both a dimension and the value, weight, holding or frequency column");
    }
  }
  if (!o.frequency.empty() && !(o.value.empty() && o.weight.empty() && o.holding.empty())) {
    throw InvalidArgument("a frequency column (aggregated rows) makes a count table only: aggregated rows have lost "
                          "the per-record values, weights and holdings");
  }
}

}  // namespace

Tabulation tabulate(const Table& records, const std::vector<DimensionSpec>& specs, const TabulateOptions& o) {
  check_dimension_specs(records, specs, o);
  const std::size_t n = records.num_rows();
  const Span<const double> value = o.value.empty() ? Span<const double>() : checked_numbers(records, o.value, "value", false);
  const Span<const double> weight = o.weight.empty() ? Span<const double>() : checked_numbers(records, o.weight, "weight", true);
  const std::vector<std::int64_t> frequency =
      o.frequency.empty() ? std::vector<std::int64_t>() : detail::record_counts(records, o.frequency);
  std::vector<std::int32_t> holder;
  if (!o.holding.empty()) {
    const Column h = factorize(records.column(o.holding));
    holder.assign(h.codes().begin(), h.codes().end());
    for (std::size_t r = 0; r < n; ++r) {
      if (holder[r] < 0) throw InvalidArgument("holding column '" + o.holding + "' is missing in row " + std::to_string(r + 1));
    }
  }
  std::vector<Axis> axes;
  std::vector<Dimension> dims;
  for (const auto& s : specs) axes.push_back(axis_of(records, s)), dims.push_back(axes.back().dim);
  const auto stride = strides(dims);
  std::size_t num_cells = 1;
  for (const auto& d : dims) num_cells *= d.size();
  std::vector<TabularCell> cells(num_cells);
  const auto contribution = [&](std::size_t r) {
    return (value.empty() ? 1.0 : value[r]) * (weight.empty() ? 1.0 : weight[r]);
  };
  // Value and record counts: inner cells, then the margins.
  std::vector<std::size_t> inner(n, 0);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t d = 0; d < dims.size(); ++d) inner[r] += axes[d].leaf[r] * stride[d];
    if (frequency.empty()) {
      cells[inner[r]].value += contribution(r);
      ++cells[inner[r]].records;
    } else {
      cells[inner[r]].value += static_cast<double>(frequency[r]);
      cells[inner[r]].records += frequency[r];
    }
  }
  fill_margins(dims, num_cells, [&](std::size_t to, std::size_t from) {
    cells[to].value += cells[from].value;
    cells[to].records += cells[from].records;
  });
  if (!frequency.empty()) {  // every record a contributor of 1; which record is not known
    for (TabularCell& c : cells) {
      c.contributors = c.records;
      const auto k = std::min<std::int64_t>(c.records, static_cast<std::int64_t>(o.top_contributions));
      c.top.assign(static_cast<std::size_t>(k), 1.0);
      c.top_holder.assign(static_cast<std::size_t>(k), -1);
    }
    return Tabulation(std::move(dims), std::move(cells), "count");
  }
  // Contributors and the largest contributions of every cell: each record (or holding's sum)
  // counts in its inner cell and in every cell above it.
  std::vector<std::unordered_map<std::int64_t, double>> by_holder(num_cells);
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<std::size_t> targets = {0};
    for (std::size_t d = 0; d < dims.size(); ++d) {
      std::vector<std::size_t> next;
      for (std::size_t node = axes[d].leaf[r];; node = dims[d].parent(node)) {
        for (std::size_t t : targets) next.push_back(t + node * stride[d]);
        if (node == dims[d].root()) break;
      }
      targets = std::move(next);
    }
    const std::int64_t who = holder.empty() ? static_cast<std::int64_t>(r) : holder[r];
    for (std::size_t t : targets) by_holder[t][who] += contribution(r);
  }
  for (std::size_t i = 0; i < num_cells; ++i) {
    TabularCell& c = cells[i];
    c.contributors = static_cast<std::int64_t>(by_holder[i].size());
    for (const auto& [who, x] : by_holder[i]) c.top.push_back(x), c.top_holder.push_back(who);
    keep_top(c.top, c.top_holder, o.top_contributions);
    by_holder[i] = {};
  }
  return Tabulation(std::move(dims), std::move(cells), o.value.empty() ? "count" : o.value);
}

namespace {

// Problems found in long-format input, reported together (at most kMax).
class Problems {
 public:
  static constexpr std::size_t kMax = 20;
  void add(const std::string& what) {
    if (list_.size() < kMax) list_.push_back(what);
    ++count_;
  }
  void throw_if_any(const std::string& context) const {
    if (count_ == 0) return;
    std::string text = context + ": " + std::to_string(count_) + " problem" + (count_ > 1 ? "s" : "");
    for (const auto& p : list_) text += "\n  " + p;
    if (count_ > list_.size()) text += "\n  ... and " + std::to_string(count_ - list_.size()) + " more";
    throw InvalidArgument(text);
  }

 private:
  std::vector<std::string> list_;
  std::size_t count_ = 0;
};

std::string row_name(std::size_t r) { return "row " + std::to_string(r + 1); }

}  // namespace

Tabulation tabulation_from_long(const Table& table, const std::vector<LongDimension>& dimensions,
                                const std::string& value_column, const LongTableOptions& o) {
  if (dimensions.empty() || dimensions.size() > 4) {
    throw InvalidArgument("a table has 1 to 4 dimensions, got " + std::to_string(dimensions.size()));
  }
  const Column& value_col = table.column(value_column);
  if (value_col.is_categorical()) throw InvalidArgument("value column '" + value_column + "' is not numeric");
  const auto value = value_col.values();
  std::vector<Dimension> dims;
  std::vector<Column> codes;
  for (const auto& d : dimensions) dims.push_back(d.dimension), codes.push_back(factorize(table.column(d.column)));
  const auto stride = strides(dims);
  std::size_t num_cells = 1;
  for (const auto& d : dims) num_cells *= d.size();
  Problems problems;
  std::vector<std::vector<std::size_t>> node_of(dims.size());  // [dim][category] -> node, or npos
  for (std::size_t d = 0; d < dims.size(); ++d) {
    for (const auto& cat : codes[d].categories()) node_of[d].push_back(dims[d].find(cat).value_or(std::string::npos));
  }
  std::vector<std::size_t> given_row(num_cells, std::string::npos);
  std::vector<double> given(num_cells, 0.0);
  for (std::size_t r = 0; r < table.num_rows(); ++r) {
    std::size_t cell = 0;
    bool ok = true;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const std::int32_t c = codes[d].codes()[r];
      const std::size_t node = c < 0 ? std::string::npos : node_of[d][static_cast<std::size_t>(c)];
      if (node == std::string::npos) {
        problems.add(row_name(r) + ": " + (c < 0 ? std::string("missing code") : "code '" + codes[d].categories()[c] + "'") +
                     " is not in dimension '" + dims[d].name() + "'");
        ok = false;
        continue;
      }
      cell += node * stride[d];
    }
    const double v = value[r];
    if (std::isnan(v) && o.missing_is_suppressed) {
      // a suppressed cell: known to be there, its value unknown
    } else if (std::isnan(v)) {
      problems.add(row_name(r) + ": the value is missing");
      ok = false;
    } else if ((!o.allow_negative && v < 0) || (o.integers && v != std::floor(v)) || !std::isfinite(v)) {
      const char* wanted = o.allow_negative ? (o.integers ? "a whole number" : "a finite number")
                                            : (o.integers ? "a non-negative whole number" : "a non-negative number");
      problems.add(row_name(r) + ": the value " + format_number(v) + " is not " + wanted);
      ok = false;
    }
    if (!ok) continue;
    if (given_row[cell] != std::string::npos) {
      problems.add(row_name(r) + ": the same cell as " + row_name(given_row[cell]));
      continue;
    }
    given_row[cell] = r;
    given[cell] = v;
  }
  problems.throw_if_any("long-format table");
  std::vector<TabularCell> cells(num_cells);
  const Tabulation shape(dims, std::vector<TabularCell>(num_cells), value_column);
  std::vector<double> unknown(num_cells, 0.0);  // suppressed inner cells below each cell
  for (std::size_t i = 0; i < num_cells; ++i) {
    cells[i].records = cells[i].contributors = -1;
    if (!shape.is_inner(i)) continue;
    if (std::isnan(given[i])) unknown[i] = 1;
    else cells[i].value = given[i];  // absent inner cells are zeros
  }
  fill_margins(dims, num_cells, [&](std::size_t to, std::size_t from) {
    cells[to].value += cells[from].value;
    unknown[to] += unknown[from];
  });
  const bool all_given = o.margins == Margins::kCheck || o.missing_is_suppressed;
  for (std::size_t i = 0; i < num_cells; ++i) {
    if (shape.is_inner(i)) continue;
    if (given_row[i] == std::string::npos) {
      if (all_given) problems.add("the total " + shape.label(i) + " is missing");
      continue;
    }
    if (std::isnan(given[i]) || unknown[i] > 0) {
      cells[i].value = given[i];  // not checkable here: audit_published finds out whether it fits
      continue;
    }
    if (std::fabs(given[i] - cells[i].value) > o.tolerance) {
      problems.add(row_name(given_row[i]) + ": the total " + shape.label(i) + " is " + format_number(given[i]) +
                   " but its parts sum to " + format_number(cells[i].value));
    }
    // A published table keeps its figures as given, also where they pass the check within the
    // tolerance (a rounded table's totals do not add up, and the audit must see them as published).
    if (o.missing_is_suppressed) cells[i].value = given[i];
  }
  for (std::size_t i = 0; i < num_cells && o.missing_is_suppressed; ++i) {
    if (shape.is_inner(i) && std::isnan(given[i])) cells[i].value = given[i];
  }
  problems.throw_if_any("long-format table '" + value_column + "'");
  return Tabulation(std::move(dims), std::move(cells), value_column);
}

}  // namespace sdcore
