// The anonymisation spec (see kanon_spec.hpp), parsed with yaml-cpp.

#include "sdcore/kanon_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sdcore/error.hpp"

namespace sdcore {
namespace {

std::string where(const YAML::Node& n) { return " (line " + std::to_string(n.Mark().line + 1) + ")"; }

[[noreturn]] void bad(const YAML::Node& n, const std::string& what) { throw InvalidArgument("spec: " + what + where(n)); }

void only_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& context) {
  if (!map.IsMap()) bad(map, context + " must be a mapping");
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) bad(kv.first, "a key of " + context + " must be a name, not a list or a mapping");
    const auto key = kv.first.Scalar();
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      bad(kv.first, "unknown key '" + key + "' in " + context + " (expected one of: " + list + ")");
    }
  }
}

template <class T>
T get(const YAML::Node& n, const std::string& what) {
  try {
    return n.as<T>();
  } catch (const YAML::Exception&) {
    bad(n, what + " has an invalid value '" + (n.IsScalar() ? n.Scalar() : std::string("<not a scalar>")) + "'");
  }
}

std::vector<std::string> column_values(const Table& data, const std::string& column) {
  const Column& c = data.column(column);
  std::vector<std::string> v;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!c.is_missing(i)) v.push_back(c.format(i));
  }
  return v;
}

std::vector<double> numeric_values(const Table& data, const std::string& column, const YAML::Node& at) {
  std::vector<double> out;
  for (const auto& s : column_values(data, column)) {
    char* end = nullptr;
    const double x = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0') bad(at, "column '" + column + "' has the non-numeric value '" + s + "'");
    out.push_back(x);
  }
  return out;
}

Hierarchy build_hierarchy(const std::string& column, const YAML::Node& n, const Table& data, const std::string& base) {
  if (n["hierarchy"]) {
    std::filesystem::path p = get<std::string>(n["hierarchy"], "hierarchy");
    if (p.is_relative()) p = std::filesystem::path(base) / p;
    const std::string delimiter = n["delimiter"] ? get<std::string>(n["delimiter"], "delimiter") : ";";
    if (delimiter.size() != 1) bad(n["delimiter"], "delimiter must be one character");
    return read_hierarchy(p.string(), column, delimiter[0]);
  }
  if (n["rows"]) {  // explicit grouping: [[value, level 1, ...], ...]
    return Hierarchy::from_rows(column, get<std::vector<std::vector<std::string>>>(n["rows"], "rows"));
  }
  if (!n["builder"]) bad(n, "'" + column + "' needs a 'hierarchy' file, explicit 'rows' or a 'builder'");
  const auto builder = get<std::string>(n["builder"], "builder");
  if (builder == "dates") return hierarchies::dates(column, column_values(data, column));
  if (builder == "postcodes") return hierarchies::postcodes(column, column_values(data, column));
  if (builder == "mask_right") return hierarchies::mask_right(column, column_values(data, column));
  if (builder == "intervals") {
    if (!n["widths"]) bad(n, "the intervals builder of '" + column + "' needs 'widths'");
    const double nan = std::nan("");
    return hierarchies::intervals(column, numeric_values(data, column, n), get<std::vector<double>>(n["widths"], "widths"),
                                  n["origin"] ? get<double>(n["origin"], "origin") : 0.0,
                                  n["bottom"] ? get<double>(n["bottom"], "bottom") : nan,
                                  n["top"] ? get<double>(n["top"], "top") : nan);
  }
  bad(n["builder"], "unknown builder '" + builder + "' (expected intervals, dates, postcodes or mask_right)");
}

// A column the spec names must be in the data: the error gives the spec's line and the columns.
void require_column(const Table& data, const YAML::Node& at, const std::string& column, const std::string& role) {
  std::string list;
  for (std::size_t j = 0; j < data.num_columns(); ++j) {
    if (data.column(j).name() == column) return;
    list += (list.empty() ? "" : ", ") + data.column(j).name();
  }
  bad(at, role + " '" + column + "' is not a column of the data (columns: " + list + ")");
}

void parse_qis(const YAML::Node& node, const Table& data, const std::string& base, AnonymisationSpec& spec) {
  if (!node || !node.IsMap() || node.size() == 0) bad(node, "'quasi_identifiers' must map each column to its hierarchy");
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) bad(kv.first, "a quasi-identifier must be a column name, not a list or a mapping");
    const auto column = kv.first.Scalar();
    const YAML::Node& n = kv.second;
    only_keys(n, {"hierarchy", "rows", "delimiter", "builder", "widths", "origin", "bottom", "top", "min_level", "max_level"},
              "quasi-identifier '" + column + "'");
    require_column(data, kv.first, column, "quasi-identifier");
    QuasiIdentifier qi{column, build_hierarchy(column, n, data, base)};
    if (n["min_level"]) qi.min_level = get<std::size_t>(n["min_level"], "min_level");
    if (n["max_level"]) qi.max_level = get<std::size_t>(n["max_level"], "max_level");
    spec.quasi_identifiers.push_back(std::move(qi));
  }
}

DiversityKind diversity_kind(const YAML::Node& n) {
  const auto s = get<std::string>(n, "kind");
  if (s == "distinct") return DiversityKind::kDistinct;
  if (s == "entropy") return DiversityKind::kEntropy;
  if (s == "recursive") return DiversityKind::kRecursive;
  bad(n, "unknown l-diversity kind '" + s + "' (expected distinct, entropy or recursive)");
}

GroundDistance ground_distance(const YAML::Node& n) {
  const auto s = get<std::string>(n, "distance");
  if (s == "equal") return GroundDistance::kEqual;
  if (s == "ordered") return GroundDistance::kOrdered;
  if (s == "hierarchical") return GroundDistance::kHierarchical;
  bad(n, "unknown ground distance '" + s + "' (expected equal, ordered or hierarchical)");
}

void parse_models(const YAML::Node& m, const Table& data, const std::string& base, AnonymisationSpec& spec) {
  only_keys(m, {"k", "l_diversity", "t_closeness", "k_map", "max_risk", "average_risk"}, "models");
  PrivacyModels& pm = spec.options.models;
  if (m["k"]) pm.k = get<std::int64_t>(m["k"], "k");
  if (m["max_risk"]) pm.max_risk = get<double>(m["max_risk"], "max_risk");
  if (m["average_risk"]) pm.average_risk = get<double>(m["average_risk"], "average_risk");
  for (const auto& l : m["l_diversity"]) {
    only_keys(l, {"column", "kind", "l", "c"}, "l_diversity");
    if (!l["column"] || !l["l"]) bad(l, "l_diversity needs 'column' and 'l'");
    require_column(data, l["column"], get<std::string>(l["column"], "column"), "l_diversity column");
    pm.l_diversity.push_back({get<std::string>(l["column"], "column"), l["kind"] ? diversity_kind(l["kind"]) : DiversityKind::kDistinct,
                              get<double>(l["l"], "l"), l["c"] ? get<double>(l["c"], "c") : 1.0});
  }
  for (const auto& t : m["t_closeness"]) {
    only_keys(t, {"column", "distance", "t", "hierarchy", "rows", "delimiter"}, "t_closeness");
    if (!t["column"] || !t["t"]) bad(t, "t_closeness needs 'column' and 't'");
    require_column(data, t["column"], get<std::string>(t["column"], "column"), "t_closeness column");
    TCloseness tc{get<std::string>(t["column"], "column"), t["distance"] ? ground_distance(t["distance"]) : GroundDistance::kEqual,
                  get<double>(t["t"], "t"), std::nullopt};
    if (t["hierarchy"] || t["rows"]) tc.hierarchy = build_hierarchy(tc.sensitive, t, data, base);
    pm.t_closeness.push_back(std::move(tc));
  }
  if (const YAML::Node km = m["k_map"]) {
    only_keys(km, {"k", "population"}, "k_map");
    if (!km["k"] || !km["population"]) bad(km, "k_map needs 'k' and 'population'");
    pm.k_map = get<std::int64_t>(km["k"], "k_map.k");
    std::filesystem::path p = get<std::string>(km["population"], "population");
    if (p.is_relative()) p = std::filesystem::path(base) / p;
    spec.population_path = p.string();
  }
}

void parse_options(const YAML::Node& root, AnonymisationSpec& spec) {
  AnonymiseOptions& o = spec.options;
  if (root["suppression_limit"]) o.suppression_limit = get<double>(root["suppression_limit"], "suppression_limit");
  if (root["quality"]) {
    try {
      o.quality = parse_quality_model(get<std::string>(root["quality"], "quality"));
    } catch (const InvalidArgument& e) {
      bad(root["quality"], e.what());
    }
  }
  if (root["gs_factor"]) o.gs_factor = get<double>(root["gs_factor"], "gs_factor");
  if (root["threads"]) o.threads = get<std::size_t>(root["threads"], "threads");
  if (root["frequency"]) o.frequency = get<std::string>(root["frequency"], "frequency");
  if (const YAML::Node a = root["aggregate"]) {
    const auto s = get<std::string>(a, "aggregate");
    if (s == "sum") o.aggregate = Aggregate::kSum;
    else if (s == "arithmetic") o.aggregate = Aggregate::kArithmeticMean;
    else if (s == "geometric") o.aggregate = Aggregate::kGeometricMean;
    else if (s == "max") o.aggregate = Aggregate::kMaximum;
    else bad(a, "unknown aggregate '" + s + "' (expected sum, arithmetic, geometric or max)");
  }
  if (const YAML::Node s = root["suppressed"]) {
    const auto v = get<std::string>(s, "suppressed");
    if (v == "star") o.suppressed_output = SuppressedOutput::kStar;
    else if (v == "missing") o.suppressed_output = SuppressedOutput::kMissing;
    else if (v == "drop") o.suppressed_output = SuppressedOutput::kDrop;
    else bad(s, "unknown value '" + v + "' for suppressed (expected star, missing or drop)");
  }
  if (root["suppressed_label"]) o.suppressed_label = get<std::string>(root["suppressed_label"], "suppressed_label");
}

}  // namespace

AnonymisationSpec parse_anonymisation_spec(std::string_view yaml, const Table& data, const std::string& base_dir,
                                           const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw ParseError(name, e.mark.line + 1, e.mark.column + 1, "", "spec: " + e.msg);
  }
  if (data.num_rows() == 0) throw InvalidArgument("the table has no records");
  try {
    only_keys(root, {"quasi_identifiers", "models", "suppression_limit", "quality", "aggregate", "gs_factor", "threads",
                     "frequency", "suppressed", "suppressed_label"},
              "the spec");
    AnonymisationSpec spec;
    parse_qis(root["quasi_identifiers"], data, base_dir, spec);
    if (root["models"]) parse_models(root["models"], data, base_dir, spec);
    parse_options(root, spec);
    return spec;
  } catch (const YAML::Exception& e) {  // a conversion not guarded above: still the spec's fault
    throw InvalidArgument("spec " + name + ": " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
  } catch (const InvalidArgument& e) {  // "spec: ..." names the spec, which may be one of several
    const std::string what = e.what();
    if (what.rfind("spec: ", 0) != 0) throw;
    throw InvalidArgument("spec " + name + ": " + what.substr(6));
  }
}

AnonymisationSpec read_anonymisation_spec(const std::string& path, const Table& data) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, "cannot open the spec file");
  std::ostringstream text;
  text << in.rdbuf();
  const std::string base = std::filesystem::path(path).parent_path().string();
  return parse_anonymisation_spec(text.str(), data, base.empty() ? "." : base, path);
}

}  // namespace sdcore
