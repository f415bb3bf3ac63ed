// The risk report as a JSON document (schema sdcore.risk/1): every summary figure, the
// class-size and risk distributions, the attacker models and the attribute contributions.

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "detail/json_number.hpp"
#include "detail/keys.hpp"
#include "sdcore/error.hpp"
#include "sdcore/report.hpp"
#include "sdcore/version.hpp"

namespace sdcore {
namespace {

using nlohmann::ordered_json;

ordered_json optional_number(const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

ordered_json attacker_json(const AttackerRisks& a) {
  auto model = [](const AttackerRisk& m) {
    return ordered_json{{"records_at_risk", m.records_at_risk}, {"highest_risk", m.highest},
                        {"success_rate", m.success_rate}};
  };
  return {{"threshold", a.threshold}, {"population_source", a.population_source},
          {"prosecutor", model(a.prosecutor)}, {"journalist", model(a.journalist)},
          {"marketer", a.marketer}};
}

// NaN (a model that did not fit) becomes null.
ordered_json finite_or_null(double v) { return detail::finite_or_null<ordered_json>(v); }

ordered_json uniqueness_json(const std::optional<PopulationUniqueness>& u) {
  if (!u) return nullptr;
  auto one = [](const UniquenessEstimate& e) {
    return ordered_json{{"population_uniques", finite_or_null(e.population_uniques)},
                        {"fraction_of_population", finite_or_null(e.fraction_of_population)},
                        {"sample_and_population_uniques", finite_or_null(e.sample_and_population_uniques)},
                        {"converged", e.converged}, {"model_used", to_string(e.model_used)}};
  };
  return {{"population_size", u->population_size}, {"population_size_source", u->population_size_source},
          {"zayatz", one(u->zayatz)}, {"pitman", one(u->pitman)}, {"snb", one(u->snb)},
          {"dankar", one(u->dankar)}};
}

// Records per band of individual risk; the bands an auditor reads risk in.
// Taken per class (every record of a class has its risk), so aggregated rows count as records.
ordered_json risk_distribution(const RiskResult& result) {
  static const double kEdges[] = {0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.5};
  constexpr std::size_t kBands = std::size(kEdges);
  std::int64_t counts[kBands] = {};
  const EquivalenceClasses& ec = result.classes;
  for (std::size_t c = 0; c < ec.num_classes(); ++c) {
    const double r = result.records.risk[static_cast<std::size_t>(ec.first_row[c])];
    std::size_t b = kBands - 1;
    while (b > 0 && r < kEdges[b]) --b;
    counts[b] += ec.count[c];
  }
  ordered_json out = ordered_json::array();
  for (std::size_t b = 0; b < kBands; ++b) {
    out.push_back({{"from", kEdges[b]}, {"to", b + 1 < kBands ? ordered_json(kEdges[b + 1]) : ordered_json(nullptr)},
                   {"records", counts[b]}});
  }
  return out;
}

}  // namespace

std::vector<AttributeContribution> attribute_contributions(Span<const KeyCodes> keys, std::size_t rows,
                                                           const std::vector<std::string>& names,
                                                           MissingPolicy missing,
                                                           Span<const std::int64_t> frequency) {
  if (names.size() != keys.size()) throw InvalidArgument("one name per key is needed");
  std::vector<AttributeContribution> out;
  ClassOptions opt;
  opt.missing = missing;
  opt.frequency = frequency;
  std::int64_t records = static_cast<std::int64_t>(rows);
  if (!frequency.empty()) {
    records = 0;
    for (auto f : frequency) records += f;
  }
  for (std::size_t j = 0; j < keys.size(); ++j) {
    std::vector<KeyCodes> rest;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i != j) rest.push_back(keys[i]);
    }
    std::int64_t uniques = 0;
    if (!rest.empty()) {
      const auto ec = equivalence_classes(Span<const KeyCodes>(rest), rows, {}, opt);
      for (std::size_t c = 0; c < ec.num_classes(); ++c) uniques += ec.frequency[c] == 1 ? ec.count[c] : 0;
    } else {
      uniques = records == 1 ? 1 : 0;  // no key: one class of every record
    }
    out.push_back({names[j], uniques});
  }
  return out;
}

std::vector<AttributeContribution> attribute_contributions(const Table& table,
                                                           const std::vector<std::string>& quasi_identifiers,
                                                           MissingPolicy missing) {
  std::vector<Column> keep;
  const std::vector<KeyCodes> keys = detail::key_views(table, quasi_identifiers, keep);
  return attribute_contributions(Span<const KeyCodes>(keys), table.num_rows(), quasi_identifiers, missing);
}

std::string risk_report_json(const RiskResult& result, const RiskReportInfo& info,
                             const std::vector<AttributeContribution>& contributions,
                             const LogLinearRisk* loglinear) {
  const RiskSummary& s = result.summary;
  ordered_json below = ordered_json::object();
  for (const auto& [k, n] : s.records_below_k) below[std::to_string(k)] = n;
  ordered_json dist = ordered_json::array();
  for (const auto& b : class_size_distribution(result.classes)) {
    dist.push_back({{"fk", b.frequency}, {"classes", b.classes}, {"records", b.records}});
  }
  ordered_json contrib = ordered_json::array();
  for (const auto& c : contributions) {
    contrib.push_back({{"attribute", c.attribute}, {"sample_uniques_without", c.sample_uniques_without},
                       {"uniques_explained", s.sample_uniques - c.sample_uniques_without}});
  }
  auto name_or_null = [](const std::string& v) { return v.empty() ? ordered_json(nullptr) : ordered_json(v); };
  ordered_json j = {
      {"schema", "sdcore.risk/1"},
      {"sdcore_version", version()},
      {"input", info.input},
      {"quasi_identifiers", info.quasi_identifiers},
      {"weight", name_or_null(info.weight)},
      {"household", name_or_null(info.household)},
      {"missing", info.missing},
      {"method", info.weight.empty() ? "1/fk" : info.method},
      {"records", s.records},
      {"classes", s.classes},
      {"sample_uniques", s.sample_uniques},
      {"records_in_classes_smaller_than", below},
      {"expected_reidentifications", s.expected_reidentifications},
      {"global_risk", s.global_risk},
      {"max_individual_risk", s.max_risk},
      {"high_risk_records", s.high_risk_records},
      {"max_global_risk", s.max_global_risk},
      {"threshold", optional_number(s.threshold)},
      {"household_expected_reidentifications", optional_number(s.household_expected_reidentifications)},
      {"household_global_risk", optional_number(s.household_global_risk)},
      {"attacker", attacker_json(s.attacker)},
      {"population_uniqueness", uniqueness_json(s.population_uniqueness)},
      {"class_size_distribution", dist},
      {"risk_distribution", risk_distribution(result)},
      {"attribute_contributions", contrib},
      {"loglinear", nullptr},
  };
  if (loglinear != nullptr) {
    j["loglinear"] = {{"tau1", loglinear->tau1}, {"tau2", loglinear->tau2},
                      {"sampling_fraction", loglinear->sampling_fraction}, {"cells", loglinear->cells},
                      {"parameters", loglinear->parameters}, {"iterations", loglinear->iterations},
                      {"converged", loglinear->converged}, {"deviance", loglinear->deviance}};
  }
  return j.dump(2) + "\n";
}

}  // namespace sdcore
