#include "cli/publish_spec.hpp"

#include <cmath>

#include "cli/spec_reader.hpp"
#include "sdcore/cellkey.hpp"
#include "sdcore/error.hpp"

namespace sdcore::cli {
namespace {

SecondaryOptions parse_rule_secondary(const SpecReader& in, const YAML::Node& n) {
  in.only_keys(n, {"method", "cost", "time_limit", "relative_gap"}, "the rule's secondary");
  SecondaryOptions o;
  o.method = SecondaryMethod::kOptimal;
  if (const YAML::Node m = n["method"]) {
    // Not gauss: a publication rule must meet every protection level, which gauss does not promise.
    const auto s = in.get<std::string>(m, "method");
    const auto method = secondary_method_from(s);
    if (!method || *method == SecondaryMethod::kGauss)
      in.bad(m, "'method' must be optimal, network, modular or hypercube, got '" + s + "'");
    o.method = *method;
  }
  parse_secondary_limits(in, n, o);
  return o;
}

// The cell key method's p-table: a file, or parameters of the maximum-entropy construction.
void parse_ptable(const SpecReader& in, const YAML::Node& n, PublishSpec& spec) {
  const YAML::Node p = n["ptable"];
  if (!p) in.bad(n, "the cell key method needs 'ptable': a p-table file, or {D, V, js, pstay}");
  if (p.IsScalar()) {
    spec.ptable_file = in.file(p, "ptable");
    spec.rule.ptable = read_perturbation_table(spec.ptable_file);
  } else {
    in.only_keys(p, {"D", "V", "js", "pstay"}, "ptable");
    if (!p["D"] || !p["V"]) in.bad(p, "'ptable' needs D (largest noise) and V (variance)");
    PTableParams q;
    q.max_deviation = in.get<int>(p["D"], "D");
    q.variance = in.get<double>(p["V"], "V");
    if (p["js"]) q.js = in.get<int>(p["js"], "js");
    if (p["pstay"]) q.pstay = in.get<double>(p["pstay"], "pstay");
    spec.ptable_params = q;
    spec.rule.ptable = generate_perturbation_table(q);
  }
  if (n["record_key"]) spec.record_key = in.get<std::string>(n["record_key"], "record_key");
}

void parse_rounding(const SpecReader& in, const YAML::Node& n, PublishSpec& spec) {
  PublicationRule& r = spec.rule;
  if (n.IsScalar() && n.Scalar() == "none") return;
  in.only_keys(n, {"method", "base", "tie", "totals", "seed", "time_limit", "ptable", "record_key"}, "rounding");
  if (!n["method"]) in.bad(n, "rounding needs 'method' (nearest, random, controlled or cellkey)");
  const auto m = in.get<std::string>(n["method"], "method");
  if (m == "nearest") r.rounding = PublicationRounding::kNearest;
  else if (m == "random") r.rounding = PublicationRounding::kRandom;
  else if (m == "controlled") r.rounding = PublicationRounding::kControlled;
  else if (m == "cellkey") r.rounding = PublicationRounding::kCellKey;
  else in.bad(n["method"], "rounding 'method' must be nearest, random, controlled or cellkey, got '" + m + "'");
  if (r.rounding == PublicationRounding::kCellKey) parse_ptable(in, n, spec);
  else if (n["ptable"] || n["record_key"]) in.bad(n, "'ptable' and 'record_key' are for method: cellkey");
  if (n["time_limit"]) r.time_limit = in.get<double>(n["time_limit"], "time_limit");
  if (n["base"]) r.base = in.get<double>(n["base"], "base");
  if (!std::isfinite(r.base) || r.base <= 0) in.bad(n["base"], "'base' must be > 0");
  if (const YAML::Node t = n["tie"]) {
    const auto s = in.get<std::string>(t, "tie");
    const auto tie = tie_rule_from(s);
    if (!tie) in.bad(t, "'tie' must be up, down or even, got '" + s + "'");
    r.tie = *tie;
  }
  if (const YAML::Node t = n["totals"]) {
    const auto s = in.get<std::string>(t, "totals");
    const auto totals = totals_rule_from(s);
    if (!totals) in.bad(t, "'totals' must be independent (rounded from unrounded values) or sum, got '" + s + "'");
    r.totals = *totals;
  }
  if (n["seed"]) r.seed = in.get<std::uint64_t>(n["seed"], "seed");
}

void parse_rule(const SpecReader& in, const YAML::Node& n, PublishSpec& spec) {
  in.only_keys(n, {"name", "description", "source", "symbol", "suppress", "secondary", "rounding"}, "the rule");
  PublicationRule& r = spec.rule;
  if (!n["name"]) in.bad(n, "the rule needs a 'name'");
  r.name = in.get<std::string>(n["name"], "name");
  if (n["source"]) spec.rule_source = in.get<std::string>(n["source"], "source");
  if (n["symbol"]) r.symbol = in.get<std::string>(n["symbol"], "symbol");
  if (r.symbol.empty()) in.bad(n["symbol"], "'symbol' must not be empty");
  if (const YAML::Node s = n["suppress"]) {
    in.only_keys(s, {"min", "max"}, "suppress");
    if (!s["min"] || !s["max"]) in.bad(s, "'suppress' needs 'min' and 'max' (the small counts, inclusive)");
    r.suppress_min = in.get<double>(s["min"], "min");
    r.suppress_max = in.get<double>(s["max"], "max");
    if (r.suppress_min < 0 || r.suppress_max < r.suppress_min) in.bad(s, "'suppress' needs 0 <= min <= max");
  }
  if (const YAML::Node s = n["secondary"]; s && !(s.IsScalar() && s.Scalar() == "none")) r.secondary = parse_rule_secondary(in, s);
  if (const YAML::Node s = n["rounding"]) parse_rounding(in, s, spec);
}

}  // namespace

namespace {

PublishSpec read_publish_spec_unchecked(const std::string& path) {
  PublishSpec spec;
  spec.table = read_table_spec(path, {"rule", "national", "seed", "percent_of", "percent_decimals", "mean", "median",
                                          "mean_decimals", "audit_rounded"});
  const YAML::Node root = load_yaml(path);
  const SpecReader in(path);
  const YAML::Node rule = root["rule"];
  if (!rule) in.bad(root, "the spec needs a 'rule' (a preset file, e.g. rule: presets/nhs_hes_ecds_2018.yaml, or a mapping)");
  if (rule.IsScalar()) {
    spec.rule_file = in.file(rule, "rule");
    parse_rule(SpecReader(spec.rule_file), load_yaml(spec.rule_file), spec);
  } else {
    parse_rule(in, rule, spec);
  }
  if (const YAML::Node s = root["seed"]) spec.rule.seed = in.get<std::uint64_t>(s, "seed");
  if (const YAML::Node x = root["percent_of"]) {
    spec.percent_of = in.get<std::string>(x, "percent_of");
    bool known = false;
    for (const auto& dim : spec.table.dimensions) known = known || dim.column == spec.percent_of;
    if (!known) in.bad(x, "'percent_of' names '" + spec.percent_of + "', which is not a dimension of the table");
  }
  if (const YAML::Node x = root["percent_decimals"]) spec.percent_decimals = in.get<int>(x, "percent_decimals");
  if (spec.percent_decimals < 0 || spec.percent_decimals > 6) in.bad(root, "'percent_decimals' must be 0..6");
  for (const char* key : {"mean", "median"}) {
    const YAML::Node x = root[key];
    if (!x) continue;
    (std::string(key) == "mean" ? spec.mean : spec.median) = in.get<std::string>(x, key);
    if (spec.table.input != TableInput::kRecords) in.bad(x, std::string("'") + key + "' needs record-level input (input: records)");
    if (!spec.table.value.empty()) in.bad(x, std::string("'") + key + "' publishes counts beside it: leave 'value' out");
  }
  if (const YAML::Node x = root["mean_decimals"]) spec.mean_decimals = in.get<int>(x, "mean_decimals");
  if (spec.mean_decimals < 0 || spec.mean_decimals > 6) in.bad(root, "'mean_decimals' must be 0..6");
  if (const YAML::Node x = root["audit_rounded"]) spec.audit_rounded = in.get<bool>(x, "audit_rounded");
  if (const YAML::Node nat = root["national"]) {
    if (!nat.IsSequence()) in.bad(nat, "'national' lists dimension columns, e.g. [org_code]");
    for (const auto& d : nat) {
      const auto name = in.get<std::string>(d, "national");
      bool known = false;
      for (const auto& dim : spec.table.dimensions) known = known || dim.column == name;
      if (!known) in.bad(d, "'national' names '" + name + "', which is not a dimension of the table");
      spec.national.push_back(name);
    }
  }
  return spec;
}

}  // namespace

PublishSpec read_publish_spec(const std::string& path) {
  try {
    return read_publish_spec_unchecked(path);
  } catch (const YAML::Exception& e) {  // a conversion no check caught: still the spec's fault
    throw_spec_error(path, e);
  }
}

std::vector<std::size_t> national_cells(const PublishSpec& spec, const Tabulation& table) {
  std::vector<std::size_t> dims;
  for (const std::string& name : spec.national) {
    for (std::size_t d = 0; d < table.dimensions().size(); ++d)
      if (table.dimensions()[d].name() == name) dims.push_back(d);
  }
  std::vector<std::size_t> out;
  if (dims.empty()) return out;
  for (std::size_t c = 0; c < table.num_cells(); ++c) {
    const auto nodes = table.nodes(c);
    bool national = true;
    for (std::size_t d : dims) national = national && nodes[d] == table.dimensions()[d].root();
    if (national) out.push_back(c);
  }
  return out;
}

}  // namespace sdcore::cli
