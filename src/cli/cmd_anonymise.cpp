// `sdcore anonymise`: optimal generalisation and suppression of a record-level file under a spec
// (see docs/methods/kanon.md and the schema sdcore.anonymise/1 in docs/cli.md).

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sdcore/error.hpp"
#include "sdcore/kanon_spec.hpp"
#include "sdcore/risk.hpp"

namespace sdcore::cli {
namespace {

struct AnonymiseArgs {
  InputOptions input;
  std::string spec;
  std::string output;
  std::string report;
  std::string format = "text";
  std::string summary;
  bool quiet = false;
  std::string frequency;
};

// Prosecutor-risk figures of a release (records grouped on the quasi-identifier values), from
// the risk module; without weights an individual risk is 1/fk.
struct RiskFigures {
  std::int64_t records = 0, classes = 0, uniques = 0, below_k = 0;
  double highest = 0, average = 0;
};

// `frequency`: the column of record counts of aggregated input ("" for none).
RiskFigures risk_of(const Table& t, const std::vector<std::string>& qis, std::int64_t k, const std::string& frequency) {
  RiskFigures f;
  if (t.num_rows() == 0) return f;  // every record dropped
  RiskOptions opt;
  opt.ks = {k};
  std::vector<std::int64_t> counts;
  if (!frequency.empty()) {
    for (const double v : t.column(frequency).values()) counts.push_back(static_cast<std::int64_t>(v));
    opt.frequency = Span<const std::int64_t>(counts);
  }
  const RiskSummary s = measure_risk(t, qis, "", "", opt).summary;
  f.records = s.records;
  f.classes = s.classes;
  f.uniques = s.sample_uniques;
  f.below_k = s.records_below_k.at(0).second;
  f.highest = s.max_risk;
  f.average = static_cast<double>(f.classes) / static_cast<double>(f.records);
  return f;
}

nlohmann::ordered_json risk_json(const RiskFigures& f) {
  return {{"records", f.records}, {"classes", f.classes}, {"sample_uniques", f.uniques},
          {"records_below_k", f.below_k}, {"highest_prosecutor_risk", f.highest},
          {"average_prosecutor_risk", f.average}};
}

nlohmann::ordered_json report_json(const AnonymiseArgs& a, const AnonymisationSpec& spec, const AnonymiseResult& r,
                           const RiskFigures& before, const RiskFigures& after, double seconds) {
  using json = nlohmann::ordered_json;
  json j;
  j["schema"] = "sdcore.anonymise/1";
  j["input"] = a.input.path;
  j["spec"] = a.spec;
  j["found"] = r.found;
  j["k"] = spec.options.models.k;
  j["suppression_limit"] = spec.options.suppression_limit;
  j["quality_model"] = to_string(spec.options.quality);
  j["lattice_size"] = r.lattice_size;
  j["nodes_evaluated"] = r.nodes_evaluated;
  j["seconds"] = seconds;
  j["risk_before"] = risk_json(before);
  if (!r.found) return j;
  json levels = json::object(), loss = json::object();
  for (std::size_t q = 0; q < spec.quasi_identifiers.size(); ++q) {
    const auto& qi = spec.quasi_identifiers[q];
    levels[qi.column] = {{"level", r.best.levels[q]}, {"levels", qi.hierarchy.levels()}};
    if (q < r.best.per_attribute.size()) loss[qi.column] = r.best.per_attribute[q];
  }
  j["levels"] = levels;
  j["suppressed_records"] = r.best.suppressed_records;
  j["classes"] = r.best.classes;
  j["smallest_class"] = r.best.min_class_size;
  j["information_loss"] = {{"score", r.best.score}, {"lower_bound", r.best.lower_bound}, {"per_attribute", loss}};
  j["risk_after"] = risk_json(after);
  return j;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

// A self-contained page: the figures of the JSON report as tables.
std::string report_html(const nlohmann::ordered_json& j) {
  std::ostringstream h;
  h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sdcore anonymisation report</title>"
       "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
       "padding:4px 8px;text-align:left}</style></head><body><h1>Anonymisation report</h1><table>";
  for (const char* key : {"input", "spec", "found", "k", "suppression_limit", "quality_model", "suppressed_records",
                          "classes", "smallest_class", "lattice_size", "nodes_evaluated"}) {
    if (j.contains(key)) h << "<tr><th>" << key << "</th><td>" << html_escape(j[key].dump()) << "</td></tr>";
  }
  h << "</table>";
  if (j.contains("levels")) {
    h << "<h2>Levels chosen</h2><table><tr><th>quasi-identifier</th><th>level</th><th>of</th><th>loss</th></tr>";
    for (const auto& [name, v] : j["levels"].items()) {
      const auto& pa = j["information_loss"]["per_attribute"];
      h << "<tr><td>" << html_escape(name) << "</td><td>" << v["level"] << "</td><td>" << v["levels"] << "</td><td>"
        << (pa.contains(name) ? pa[name].dump() : "") << "</td></tr>";
    }
    h << "</table><p>Information loss (" << html_escape(j["quality_model"].get<std::string>())
      << "): " << j["information_loss"]["score"] << "</p>";
  }
  h << "<h2>Risk before and after</h2><table><tr><th></th><th>before</th><th>after</th></tr>";
  for (const char* key : {"records", "classes", "sample_uniques", "records_below_k", "highest_prosecutor_risk",
                          "average_prosecutor_risk"}) {
    h << "<tr><th>" << key << "</th><td>" << j["risk_before"][key] << "</td><td>"
      << (j.contains("risk_after") ? j["risk_after"][key].dump() : "") << "</td></tr>";
  }
  h << "</table></body></html>\n";
  return h.str();
}

std::string text_summary(const nlohmann::ordered_json& j) {
  std::ostringstream out;
  char buf[160];
  out << "input                   " << j["input"].get<std::string>() << "\n";
  if (!j["found"].get<bool>()) {
    out << "no transformation in the lattice (" << j["lattice_size"] << " nodes) satisfies the models within the "
        << "suppression limit\n";
    return out.str();
  }
  out << "levels chosen          ";
  for (const auto& [name, v] : j["levels"].items()) out << " " << name << "=" << v["level"] << "/" << (v["levels"].get<int>() - 1);
  const auto records = j["risk_before"]["records"].get<double>();
  out << "\nrecords suppressed      " << j["suppressed_records"] << " ("
      << pct(j["suppressed_records"].get<double>(), records) << ")\n"
      << "k reached               " << j["smallest_class"] << " (smallest class of released records)\n"
      << "classes                 " << j["classes"] << "\n";
  std::snprintf(buf, sizeof buf, "%.6g", j["information_loss"]["score"].get<double>());
  out << "information loss        " << buf << " (" << j["quality_model"].get<std::string>() << ")\n";
  std::snprintf(buf, sizeof buf, "%llu of %llu transformations evaluated in %.3f s",
                j["nodes_evaluated"].get<unsigned long long>(), j["lattice_size"].get<unsigned long long>(),
                j["seconds"].get<double>());
  out << "search                  " << buf << "\n\nrisk                    before      after\n";
  for (const char* key : {"sample_uniques", "records_below_k", "highest_prosecutor_risk", "average_prosecutor_risk"}) {
    std::snprintf(buf, sizeof buf, "%-23s %-11.6g %.6g\n", key, j["risk_before"][key].get<double>(),
                  j["risk_after"][key].get<double>());
    out << buf;
  }
  return out.str();
}

void run(const AnonymiseArgs& a) {
  CsvReadOptions ro = a.input.to_read_options(a.quiet);
  ro.infer_types = false;  // values travel as text, so every other column is written back unchanged
  const Table table = read_csv(a.input.path, ro);
  require_records(table, a.input.path);
  AnonymisationSpec spec = read_anonymisation_spec(a.spec, table);
  Table population;
  if (spec.options.models.k_map > 0) {
    CsvReadOptions po = ro;
    po.progress = {};
    population = read_csv(spec.population_path, po);
    spec.options.models.population = &population;
  }
  spec.options.progress = terminal_progress("searching the lattice", a.quiet);
  const auto start = std::chrono::steady_clock::now();
  if (!a.frequency.empty()) spec.options.frequency = a.frequency;  // overrides the spec's
  const std::string& frequency = spec.options.frequency;
  const std::optional<Table> with_frequency = with_counts(table, frequency, a.input.path);
  const Table& counted = with_frequency ? *with_frequency : table;
  AnonymiseResult r = anonymise(counted, spec.quasi_identifiers, spec.options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<std::string> names;
  for (const auto& q : spec.quasi_identifiers) names.push_back(q.column);
  const std::int64_t k = std::max<std::int64_t>(spec.options.models.k, 2);
  const RiskFigures before = risk_of(counted, names, k, frequency);
  const RiskFigures after = r.found ? risk_of(r.table, names, k, frequency) : RiskFigures{};
  if (r.found) r.table = restore_text(std::move(r.table), table, frequency, r.suppressed);
  const nlohmann::ordered_json j = report_json(a, spec, r, before, after, seconds);
  if (r.found && !a.output.empty()) write_csv(r.table, a.output);
  if (!a.report.empty()) {
    const bool html = a.report.size() >= 5 && a.report.substr(a.report.size() - 5) == ".html";
    emit(a.report, html ? report_html(j) : j.dump(2) + "\n");
  }
  emit(a.summary, a.format == "json" ? j.dump(2) + "\n" : text_summary(j));
  if (!r.found) throw NoSolution("no anonymous transformation found; relax the models or raise the suppression limit");
}

}  // namespace

void register_anonymise(CLI::App& app) {
  auto a = std::make_shared<AnonymiseArgs>();
  CLI::App* sub = app.add_subcommand(
      "anonymise", "Optimal generalisation and suppression (k-anonymity, l-diversity, t-closeness, k-map)");
  a->input.add_to(*sub);
  sub->add_option("--spec", a->spec, "YAML spec: quasi-identifiers with hierarchies, models, limit, quality")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", a->output, "Write the anonymised CSV here (atomically)");
  sub->add_option("--report", a->report, "Write the report: HTML if the name ends in .html, else JSON");
  sub->add_option("--format", a->format, "Summary on stdout: text or json (schema sdcore.anonymise/1)")
      ->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--summary", a->summary, "Write the summary to this file instead of stdout");
  sub->add_flag("-q,--quiet", a->quiet, "No progress on stderr");
  sub->add_option("--frequency", a->frequency,
                  "Aggregated input: the column of record counts (overrides the spec's 'frequency'; the "
                  "search, k and the limit count records; the column is written back as read)");
  sub->callback([a] { run(*a); });
}

}  // namespace sdcore::cli
