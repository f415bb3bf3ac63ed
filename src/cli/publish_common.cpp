#include "cli/publish_common.hpp"

#include <algorithm>
#include <cmath>

#include "cli/table_spec.hpp"

namespace sdcore::cli {

namespace {
ojson finite_or_null(double x) { return std::isfinite(x) ? ojson(x) : ojson(nullptr); }
}  // namespace

ojson rule_json(const PublishSpec& spec) {
  const PublicationRule& r = spec.rule;
  ojson j{{"name", r.name}, {"source", spec.rule_source}, {"symbol", r.symbol}};
  j["suppress"] = r.suppress_max >= r.suppress_min ? ojson{{"min", r.suppress_min}, {"max", r.suppress_max}} : ojson(nullptr);
  j["secondary"] = r.secondary ? ojson{{"method", to_string(r.secondary->method)}} : ojson(nullptr);
  if (r.rounding == PublicationRounding::kNone) {
    j["rounding"] = nullptr;
  } else if (r.rounding == PublicationRounding::kCellKey) {
    double d = 0;
    for (const PTableEntry& e : r.ptable->entries()) d = std::max(d, std::fabs(e.v));
    ojson params = nullptr;
    if (spec.ptable_params)
      params = {{"D", spec.ptable_params->max_deviation}, {"V", spec.ptable_params->variance},
                {"js", spec.ptable_params->js}, {"pstay", spec.ptable_params->pstay}};
    j["rounding"] = {{"method", "cellkey"}, {"max_noise", d}, {"ptable_params", params},
                     {"record_key", spec.record_key.empty() ? ojson(nullptr) : ojson(spec.record_key)},
                     {"seed", spec.record_key.empty() ? ojson(r.seed) : ojson(nullptr)}};
  } else {
    j["rounding"] = {{"method", to_string(r.rounding)}, {"base", r.base}, {"tie", to_string(r.tie)},
                     {"totals", to_string(r.totals)},
                     {"seed", r.rounding == PublicationRounding::kRandom ? ojson(r.seed) : ojson(nullptr)}};
    if (r.rounding == PublicationRounding::kControlled) j["rounding"]["time_limit"] = r.time_limit;
  }
  j["national"] = spec.national;
  return j;
}

ojson statistics_json(const PublishSpec& spec) {
  return {{"percent_of", spec.percent_of.empty() ? ojson(nullptr) : ojson(spec.percent_of)},
          {"percent_decimals", spec.percent_decimals},
          {"mean", spec.mean.empty() ? ojson(nullptr) : ojson(spec.mean)},
          {"median", spec.median.empty() ? ojson(nullptr) : ojson(spec.median)},
          {"mean_decimals", spec.mean_decimals}};
}

std::string derived_text(double x, int decimals, const std::string& symbol) {
  if (std::isnan(x)) return symbol;
  const double scale = std::pow(10.0, decimals);
  return number(std::round(x * scale) / scale);
}

PublishedTable published_from_values(const Tabulation& published, const PublicationRule& rule,
                                     const std::vector<std::size_t>& national) {
  const std::size_t n = published.num_cells();
  PublishedTable p;
  p.kind.assign(n, rule.rounding == PublicationRounding::kNone ? PublishedKind::kExact : PublishedKind::kRounded);
  p.value.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    p.value[c] = published.cell(c).value;
    if (std::isnan(p.value[c])) p.kind[c] = PublishedKind::kPrimary;
  }
  for (std::size_t c : national) {
    if (p.kind[c] != PublishedKind::kPrimary) p.kind[c] = PublishedKind::kExact;
  }
  for (std::size_t c = 0; c < n; ++c) {
    switch (p.kind[c]) {
      case PublishedKind::kExact: ++p.exact; break;
      case PublishedKind::kRounded: ++p.rounded; break;
      default: ++p.primary; break;
    }
  }
  return p;
}

ojson suppressed_cells_json(const Tabulation& t, const PublicationAudit& audit) {
  ojson out = ojson::array();
  for (const HiddenCell& h : audit.cells) {
    if (h.kind != PublishedKind::kPrimary && h.kind != PublishedKind::kSecondary) continue;
    ojson codes = ojson::object();
    for (const auto& [dim, code] : codes_of(t, h.cell)) codes[dim] = code;
    out.push_back({{"label", t.label(h.cell)}, {"codes", codes}, {"rule_lower", finite_or_null(h.rule_lower)},
                   {"rule_upper", finite_or_null(h.rule_upper)}, {"lower", finite_or_null(h.lower)},
                   {"upper", finite_or_null(h.upper)}, {"exact", h.exact}});
  }
  return out;
}

}  // namespace sdcore::cli
