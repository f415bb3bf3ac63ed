#include "cli/table_spec.hpp"

#include "cli/spec_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <unordered_map>

#include "detail/text.hpp"
#include "sdcore/error.hpp"
#include "sdcore/hierarchy.hpp"
#include "sdcore/io/csv.hpp"

namespace sdcore::cli {
namespace {

TableDimensionSpec parse_dimension(const SpecReader& in, const YAML::Node& n) {
  in.only_keys(n, {"column", "total", "hierarchy", "delimiter", "parents"}, "a dimension");
  if (!n["column"]) in.bad(n, "a dimension needs 'column'");
  TableDimensionSpec d;
  d.column = in.get<std::string>(n["column"], "column");
  if ((n["total"] ? 1 : 0) + (n["hierarchy"] ? 1 : 0) + (n["parents"] ? 1 : 0) > 1) {
    in.bad(n, "dimension '" + d.column + "' takes one of 'total', 'hierarchy' or 'parents'");
  }
  if (n["total"]) d.total = in.get<std::string>(n["total"], "total");
  if (n["hierarchy"]) d.hierarchy = in.file(n["hierarchy"], "hierarchy");
  if (n["parents"]) d.parents = in.file(n["parents"], "parents");
  if (n["delimiter"]) {
    const auto delim = in.get<std::string>(n["delimiter"], "delimiter");
    if (delim.size() != 1 || d.hierarchy.empty()) in.bad(n["delimiter"], "'delimiter' is one character, with 'hierarchy'");
    d.delimiter = delim[0];
  }
  return d;
}

FrequencyRule parse_frequency(const SpecReader& in, const YAML::Node& n) {
  if (n.IsScalar()) return FrequencyRule{in.get<std::int64_t>(n, "frequency"), false, 1};
  in.only_keys(n, {"max", "zeros_unsafe", "protection"}, "frequency");
  if (!n["max"]) in.bad(n, "frequency needs 'max'");
  FrequencyRule f{in.get<std::int64_t>(n["max"], "frequency.max"), false, 1};
  if (n["zeros_unsafe"]) f.zeros_unsafe = in.get<bool>(n["zeros_unsafe"], "frequency.zeros_unsafe");
  if (n["protection"]) f.protection = in.get<double>(n["protection"], "frequency.protection");
  return f;
}

std::pair<double, double> parse_pair(const SpecReader& in, const YAML::Node& n, const std::string& key) {
  if (!n.IsSequence() || n.size() != 2) in.bad(n, "'" + key + "' takes a pair [a, b]");
  return {in.get<double>(n[0], key), in.get<double>(n[1], key)};
}

PrimaryRules parse_primary(const SpecReader& in, const YAML::Node& n) {
  in.only_keys(n, {"frequency", "dominance", "p", "pq", "min_contributors", "zero_rule", "zero_protection"}, "primary");
  PrimaryRules r;
  if (n["frequency"]) r.frequency = parse_frequency(in, n["frequency"]);
  if (const YAML::Node d = n["dominance"]) {
    if (!d.IsSequence()) in.bad(d, "'dominance' takes a list of [n, k] pairs");
    for (const auto& pair : d) {
      const auto [count, k] = parse_pair(in, pair, "dominance");
      if (count < 1 || count != std::floor(count)) in.bad(pair, "the n of a dominance rule is a whole number >= 1");
      r.dominance.push_back({static_cast<std::size_t>(count), k});
    }
  }
  if (n["p"]) r.p_percent = PPercentRule{in.get<double>(n["p"], "p")};
  if (n["pq"]) {
    const auto [p, q] = parse_pair(in, n["pq"], "pq");
    r.pq = PqRule{p, q};
  }
  if (n["min_contributors"]) r.min_contributors = in.get<std::int64_t>(n["min_contributors"], "min_contributors");
  if (n["zero_rule"]) r.zeros_unsafe = in.get<bool>(n["zero_rule"], "zero_rule");
  if (n["zero_protection"]) r.zero_protection = in.get<double>(n["zero_protection"], "zero_protection");
  return r;
}

SecondaryMethod parse_method(const SpecReader& in, const YAML::Node& n) {
  const auto s = in.get<std::string>(n, "method");
  if (const auto m = secondary_method_from(s)) return *m;
  in.bad(n, "'method' must be optimal, network, gauss, modular or hypercube, got '" + s + "'");
}

void parse_secondary(const SpecReader& in, const YAML::Node& n, TableSpec& spec) {
  in.only_keys(n, {"method", "cost", "time_limit", "relative_gap", "use_zero_cells", "never_suppress"}, "secondary");
  SecondaryOptions& o = spec.secondary;
  if (n["method"]) o.method = parse_method(in, n["method"]);
  parse_secondary_limits(in, n, o);
  if (n["use_zero_cells"]) o.use_zero_cells = in.get<bool>(n["use_zero_cells"], "use_zero_cells");
  if (const YAML::Node never = n["never_suppress"]) {
    if (!never.IsSequence()) in.bad(never, "'never_suppress' takes a list of cells, e.g. [{org_code: All}]");
    for (const auto& cell : never) {
      if (!cell.IsMap()) in.bad(cell, "a never_suppress cell maps dimension columns to codes");
      CellCodes codes;
      for (const auto& kv : cell) {
        codes.emplace_back(in.get<std::string>(kv.first, "never_suppress"), in.get<std::string>(kv.second, "never_suppress"));
      }
      spec.never_suppress.push_back(std::move(codes));
    }
  }
}

void parse_input_kind(const SpecReader& in, const YAML::Node& root, TableSpec& spec) {
  if (!root["input"]) in.bad(root, "the spec needs 'input' (long or records)");
  const auto kind = in.get<std::string>(root["input"], "input");
  if (kind != "long" && kind != "records") in.bad(root["input"], "'input' must be long or records, got '" + kind + "'");
  spec.input = kind == "long" ? TableInput::kLong : TableInput::kRecords;
  const bool records = spec.input == TableInput::kRecords;
  for (const char* key : {"weight", "holding"}) {
    if (root[key] && !records) in.bad(root[key], std::string("'") + key + "' is for input: records");
  }
  for (const char* key : {"margins", "tolerance", "integers", "allow_negative"}) {
    if (root[key] && records) in.bad(root[key], std::string("'") + key + "' is for input: long");
  }
  if (!records && !root["value"]) in.bad(root, "input: long needs 'value', the column of the cells' values");
}

void parse_long_options(const SpecReader& in, const YAML::Node& root, LongTableOptions& o) {
  if (const YAML::Node m = root["margins"]) {
    const auto s = in.get<std::string>(m, "margins");
    if (s != "add" && s != "check") in.bad(m, "'margins' must be add or check, got '" + s + "'");
    o.margins = s == "add" ? Margins::kAdd : Margins::kCheck;
  }
  if (root["tolerance"]) o.tolerance = in.get<double>(root["tolerance"], "tolerance");
  if (root["integers"]) o.integers = in.get<bool>(root["integers"], "integers");
  if (root["allow_negative"]) o.allow_negative = in.get<bool>(root["allow_negative"], "allow_negative");
}

TableSpec parse_spec(const SpecReader& in, const YAML::Node& root, const std::string& path,
                     const std::set<std::string>& extra_keys) {
  std::set<std::string> keys = {"input",          "dimensions", "value",    "weight", "holding", "margins", "tolerance",
                                "integers",       "allow_negative", "primary", "secondary"};
  keys.insert(extra_keys.begin(), extra_keys.end());
  in.only_keys(root, keys, "the spec");
  TableSpec spec;
  spec.path = path;
  parse_input_kind(in, root, spec);
  const YAML::Node dims = root["dimensions"];
  if (!dims || !dims.IsSequence() || dims.size() == 0) in.bad(root, "'dimensions' must list 1 to 4 dimensions");
  for (const auto& d : dims) {
    spec.dimensions.push_back(parse_dimension(in, d));
    if (!spec.dimensions.back().parents.empty() && spec.input == TableInput::kRecords) {
      in.bad(d, "'parents' is for input: long; records take a 'hierarchy'");
    }
  }
  if (root["value"]) spec.value = in.get<std::string>(root["value"], "value");
  if (root["weight"]) spec.weight = in.get<std::string>(root["weight"], "weight");
  if (root["holding"]) spec.holding = in.get<std::string>(root["holding"], "holding");
  parse_long_options(in, root, spec.long_options);
  if (root["primary"]) spec.primary = parse_primary(in, root["primary"]);
  if (root["secondary"]) parse_secondary(in, root["secondary"], spec);
  return spec;
}

// The distinct codes of a text column other than `total`, in order of first appearance.
std::vector<std::string> leaves_of(const Column& c, const std::string& total) {
  std::vector<std::string> out;
  std::vector<char> seen(c.categories().size(), 0);
  for (const std::int32_t code : c.codes()) {
    if (code < 0 || seen[static_cast<std::size_t>(code)]) continue;
    seen[static_cast<std::size_t>(code)] = 1;
    if (c.categories()[static_cast<std::size_t>(code)] != total) out.push_back(c.categories()[static_cast<std::size_t>(code)]);
  }
  return out;
}

Dimension parents_dimension(const TableDimensionSpec& d) {
  CsvReadOptions ro;
  ro.infer_types = false;
  const Table t = read_csv(d.parents, ro);
  const Column& code = t.column("code");
  const Column& parent = t.column("parent");
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    if (code.is_missing(r)) throw InvalidArgument(d.parents + ": row " + std::to_string(r + 1) + " has no code");
    pairs.emplace_back(code.format(r), parent.is_missing(r) ? "" : parent.format(r));
  }
  return Dimension::from_parents(d.column, pairs);
}

Column numeric_column(const Table& text, const std::string& name, char decimal) {
  LongValues v = long_values(text, name, "", decimal);
  return Column::numeric(name, std::move(v.value));
}

}  // namespace

void parse_secondary_limits(const SpecReader& in, const YAML::Node& n, SecondaryOptions& o) {
  if (const YAML::Node c = n["cost"]) {
    const auto s = in.get<std::string>(c, "cost");
    if (s != "value" && s != "cells") in.bad(c, "'cost' must be value or cells, got '" + s + "'");
    o.cost = s == "value" ? SuppressionCost::kValue : SuppressionCost::kCells;
  }
  if (n["time_limit"]) o.time_limit = in.get<double>(n["time_limit"], "time_limit");
  if (n["relative_gap"]) o.relative_gap = in.get<double>(n["relative_gap"], "relative_gap");
}

namespace {

// A yaml-cpp conversion error that no check above caught is still the spec's fault: say so with
// the spec's name and line rather than let yaml-cpp's exception escape.
TableSpec parse_checked(const YAML::Node& root, const std::string& name, const std::set<std::string>& extra_keys) {
  try {
    return parse_spec(SpecReader(name), root, name, extra_keys);
  } catch (const YAML::Exception& e) {
    throw_spec_error(name, e);
  }
}

}  // namespace

TableSpec read_table_spec(const std::string& path, const std::set<std::string>& extra_keys) {
  return parse_checked(load_yaml(path), path, extra_keys);
}

TableSpec parse_table_spec(std::string_view yaml, const std::string& name, const std::set<std::string>& extra_keys) {
  return parse_checked(load_yaml_text(yaml, name), name, extra_keys);
}

Table read_text(const InputOptions& input, bool quiet) {
  CsvReadOptions ro = input.to_read_options(quiet);
  ro.infer_types = false;
  Table text = read_csv(input.path, ro);
  require_records(text, input.path);  // a table of nothing but zeros would pass for a release
  return text;
}

LongValues long_values(const Table& text, const std::string& column, const std::string& symbol, char decimal) {
  const Column& c = text.column(column);
  LongValues out{std::vector<double>(c.size(), std::numeric_limits<double>::quiet_NaN()), std::vector<char>(c.size(), 0)};
  if (!c.is_categorical()) {  // typed numeric by --dtype
    std::copy(c.values().begin(), c.values().end(), out.value.begin());
    return out;
  }
  std::vector<double> number(c.categories().size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t k = 0; k < number.size(); ++k) {
    if (!symbol.empty() && c.categories()[k] == symbol) continue;
    if (!detail::parse_number(c.categories()[k], decimal, number[k])) {
      std::size_t row = 0;
      while (c.codes()[row] != static_cast<std::int32_t>(k)) ++row;
      throw InvalidArgument("row " + std::to_string(row + 1) + ": the value '" + c.categories()[k] + "' in column '" +
                            column + "' is not a number" + (symbol.empty() ? "" : " nor the symbol '" + symbol + "'"));
    }
  }
  for (std::size_t r = 0; r < c.size(); ++r) {
    const std::int32_t code = c.codes()[r];
    if (code >= 0) out.value[r] = number[static_cast<std::size_t>(code)];
    out.suppressed[r] = !symbol.empty() && std::isnan(out.value[r]) ? 1 : 0;
  }
  return out;
}

Tabulation tabulate_input(const TableSpec& spec, const Table& text, char decimal, const std::string& symbol,
                          const std::string& frequency) {
  if (!symbol.empty() && spec.input != TableInput::kLong) {
    throw InvalidArgument("a published table is audited without --original only in long format (input: long)");
  }
  if (spec.input == TableInput::kLong) {
    Table t;
    std::vector<LongDimension> dims;
    for (const TableDimensionSpec& d : spec.dimensions) {
      const Column& c = text.column(d.column);
      t.add_column(c);
      if (!d.hierarchy.empty()) {
        dims.push_back({d.column, Dimension::from_hierarchy(d.column, read_hierarchy(d.hierarchy, d.column, d.delimiter))});
      } else if (!d.parents.empty()) {
        dims.push_back({d.column, parents_dimension(d)});
      } else {
        dims.push_back({d.column, Dimension::flat(d.column, leaves_of(c, d.total), d.total)});
      }
    }
    if (t.find(spec.value)) throw InvalidArgument("column '" + spec.value + "' is both a dimension and the value");
    if (symbol.empty()) {
      t.add_column(numeric_column(text, spec.value, decimal));
      return tabulation_from_long(t, dims, spec.value, spec.long_options);
    }
    t.add_column(Column::numeric(spec.value, long_values(text, spec.value, symbol, decimal).value));
    LongTableOptions published = spec.long_options;
    published.missing_is_suppressed = true;
    return tabulation_from_long(t, dims, spec.value, published);
  }
  std::vector<DimensionSpec> dims;
  Table t;
  for (const TableDimensionSpec& d : spec.dimensions) {
    t.add_column(text.column(d.column));
    dims.push_back(d.hierarchy.empty() ? DimensionSpec(d.column)
                                       : DimensionSpec(d.column, read_hierarchy(d.hierarchy, d.column, d.delimiter)));
    dims.back().total = d.total;
  }
  TabulateOptions o;
  o.value = spec.value;
  o.weight = spec.weight;
  o.holding = spec.holding;
  for (const DominanceRule& r : spec.primary.dominance) o.top_contributions = std::max(o.top_contributions, r.n);
  for (const std::string* name : {&o.value, &o.weight}) {
    if (!name->empty() && !t.find(*name)) t.add_column(numeric_column(text, *name, decimal));
  }
  if (!o.holding.empty() && !t.find(o.holding)) t.add_column(text.column(o.holding));
  if (!frequency.empty()) {
    o.frequency = frequency;
    t.add_column(text.column(frequency));
  }
  return tabulate(t, dims, o);
}

std::vector<std::size_t> cells_of_rows(const Tabulation& table, const Table& text) {
  const auto& dims = table.dimensions();
  std::vector<std::vector<std::size_t>> node_of(dims.size());  // [dim][category] -> node, or npos
  std::vector<const Column*> columns;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    columns.push_back(&text.column(dims[d].name()));
    if (!columns[d]->is_categorical()) throw InvalidArgument("dimension column '" + dims[d].name() + "' must be text");
    for (const auto& cat : columns[d]->categories()) node_of[d].push_back(dims[d].find(cat).value_or(std::string::npos));
  }
  std::vector<std::size_t> cell(text.num_rows());
  std::unordered_map<std::size_t, std::size_t> row_of_cell;
  std::vector<std::size_t> nodes(dims.size());
  for (std::size_t r = 0; r < text.num_rows(); ++r) {
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const std::int32_t c = columns[d]->codes()[r];
      nodes[d] = c < 0 ? std::string::npos : node_of[d][static_cast<std::size_t>(c)];
      if (nodes[d] == std::string::npos) {
        throw InvalidArgument("row " + std::to_string(r + 1) + ": " +
                              (c < 0 ? std::string("missing code") : "code '" + columns[d]->format(r) + "'") +
                              " is not in dimension '" + dims[d].name() + "'");
      }
    }
    cell[r] = table.index(nodes);
    const auto [it, fresh] = row_of_cell.emplace(cell[r], r);
    if (!fresh) throw InvalidArgument("row " + std::to_string(r + 1) + ": the same cell as row " + std::to_string(it->second + 1));
  }
  return cell;
}

std::vector<std::size_t> never_suppress_cells(const TableSpec& spec, const Tabulation& table) {
  const auto& dims = table.dimensions();
  std::vector<std::size_t> out;
  for (const CellCodes& codes : spec.never_suppress) {
    std::vector<std::size_t> nodes;
    for (const Dimension& d : dims) nodes.push_back(d.root());
    for (const auto& [column, code] : codes) {
      const std::string& name = column;  // a lambda cannot capture a structured binding before clang 16
      const auto d = std::find_if(dims.begin(), dims.end(), [&](const Dimension& x) { return x.name() == name; });
      if (d == dims.end()) throw InvalidArgument("spec " + spec.path + ": never_suppress names '" + column + "', not a dimension");
      const auto node = d->find(code);
      if (!node) throw InvalidArgument("spec " + spec.path + ": never_suppress: '" + code + "' is not a code of '" + column + "'");
      nodes[static_cast<std::size_t>(d - dims.begin())] = *node;
    }
    out.push_back(table.index(nodes));
  }
  return out;
}

std::string number(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

Column text_column(const std::string& name, const std::vector<std::optional<std::string>>& values) {
  std::vector<std::int32_t> codes;
  std::vector<std::string> categories;
  std::unordered_map<std::string, std::int32_t> index;
  for (const auto& v : values) {
    if (!v) {
      codes.push_back(-1);
      continue;
    }
    const auto [it, fresh] = index.emplace(*v, static_cast<std::int32_t>(categories.size()));
    if (fresh) categories.push_back(*v);
    codes.push_back(it->second);
  }
  return Column::categorical(name, std::move(codes), std::move(categories));
}

CellCodes codes_of(const Tabulation& table, std::size_t cell) {
  CellCodes out;
  const auto nodes = table.nodes(cell);
  for (std::size_t d = 0; d < nodes.size(); ++d) {
    out.emplace_back(table.dimensions()[d].name(), table.dimensions()[d].code(nodes[d]));
  }
  return out;
}

}  // namespace sdcore::cli
