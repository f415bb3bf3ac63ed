// `sdcore risk`: re-identification risk of a record-level file (see docs/methods/risk.md).

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "detail/keys.hpp"
#include "sdcore/error.hpp"
#include "sdcore/report.hpp"
#include "sdcore/risk.hpp"
#include "sdcore/stream.hpp"

namespace sdcore::cli {
namespace {

struct RiskArgs {
  InputOptions input;
  std::string qi;
  std::string weight;
  std::string household;
  std::string missing = "own";
  std::string method = "approx";
  std::vector<std::int64_t> ks{2, 3, 5};
  double max_global_risk = 0.01;
  double attacker_threshold = 0.2;
  std::string population;
  std::string population_count;
  double population_size = std::numeric_limits<double>::quiet_NaN();
  bool loglinear = false;
  std::vector<std::string> interactions;  // "a*b" terms
  double sampling_fraction = std::numeric_limits<double>::quiet_NaN();
  std::string format = "text";
  std::string output;
  bool quiet = false;
  bool stream = false;
  std::size_t block_rows = std::size_t{1} << 20;
};

std::string summary_text(const RiskArgs& a, const std::vector<std::string>& qi, const RiskSummary& s) {
  std::ostringstream out;
  const auto n = static_cast<double>(s.records);
  std::string qis;
  for (const auto& q : qi) qis += (qis.empty() ? "" : ", ") + q;
  out << "input                         " << a.input.path << "\n"
      << "records                       " << s.records << "\n"
      << "quasi-identifiers             " << qis << "\n"
      << "weight                        " << (a.weight.empty() ? "(none: risk is 1/fk)" : a.weight) << "\n";
  if (!a.weight.empty()) out << "individual risk method        " << a.method << "\n";
  out << "classes                       " << s.classes << "\n"
      << "sample uniques                " << s.sample_uniques << " (" << pct(static_cast<double>(s.sample_uniques), n) << ")\n";
  for (const auto& [k, below] : s.records_below_k) {
    char label[40];
    std::snprintf(label, sizeof label, "records with fk < %lld", static_cast<long long>(k));
    out << label << std::string(30 - std::string(label).size(), ' ') << below << " ("
        << pct(static_cast<double>(below), n) << ")\n";
  }
  char buf[128];
  std::snprintf(buf, sizeof buf, "%.4f (%s of records)", s.expected_reidentifications,
                pct(s.expected_reidentifications, n).c_str());
  out << "expected re-identifications   " << buf << "\n";
  std::snprintf(buf, sizeof buf, "%.6g", s.max_risk);
  out << "highest individual risk       " << buf << "\n"
      << "records with higher risk than the main part  " << s.high_risk_records << "\n";
  if (s.threshold) {
    std::snprintf(buf, sizeof buf, "%.6g", *s.threshold);
    out << "risk threshold for a global risk of " << pct(s.max_global_risk, 1) << ": " << buf << "\n";
  } else {
    out << "risk threshold for a global risk of " << pct(s.max_global_risk, 1)
        << ": none needed (the file is below it)\n";
  }
  if (s.household_expected_reidentifications) {
    std::snprintf(buf, sizeof buf, "%.4f (%s of records)", *s.household_expected_reidentifications,
                  pct(*s.household_expected_reidentifications, n).c_str());
    out << "household: expected re-identifications  " << buf << "\n";
  }
  const auto& at = s.attacker;
  std::snprintf(buf, sizeof buf, "%.6g", at.threshold);
  out << "\nattacker models (records at risk: probability above " << buf << "; population from "
      << at.population_source << ")\n"
      << "               records at risk   highest risk   success rate\n";
  auto line = [&](const char* name, double at_risk, double highest, double success) {
    std::snprintf(buf, sizeof buf, "  %-12s %16s %14.6g %14s\n", name, pct(at_risk, 1).c_str(), highest,
                  pct(success, 1).c_str());
    out << buf;
  };
  line("prosecutor", at.prosecutor.records_at_risk, at.prosecutor.highest, at.prosecutor.success_rate);
  line("journalist", at.journalist.records_at_risk, at.journalist.highest, at.journalist.success_rate);
  std::snprintf(buf, sizeof buf, "  %-12s %16s %14s %14s\n", "marketer", "", "", pct(at.marketer, 1).c_str());
  out << buf;
  if (s.population_uniqueness) {
    const auto& u = *s.population_uniqueness;
    std::snprintf(buf, sizeof buf, "\npopulation uniqueness (population size %.0f, %s)\n", u.population_size,
                  u.population_size_source.c_str());
    out << buf;
    auto line_u = [&](const char* name, const UniquenessEstimate& e) {
      if (!e.converged && std::isnan(e.population_uniques)) {
        std::snprintf(buf, sizeof buf, "  %-22s no fit\n", name);
      } else {
        std::snprintf(buf, sizeof buf, "  %-22s %12.1f population uniques (%s)\n", name, e.population_uniques,
                      pct(e.fraction_of_population, 1).c_str());
      }
      out << buf;
    };
    const std::string dankar = std::string("dankar (") + to_string(u.dankar.model_used) + ")";
    line_u(dankar.c_str(), u.dankar);
    line_u("zayatz", u.zayatz);
    line_u("pitman", u.pitman);
    line_u("snb", u.snb);
  }
  return out.str();
}

std::string records_csv(const RiskResult& r) {
  Table t;
  const auto& rec = r.records;
  t.add_column(Column::numeric("fk", std::vector<double>(rec.fk.begin(), rec.fk.end())));
  t.add_column(Column::numeric("Fk", rec.Fk));
  t.add_column(Column::numeric("risk", rec.risk));
  if (!rec.household_risk.empty()) t.add_column(Column::numeric("household_risk", rec.household_risk));
  return write_csv_text(t);
}

// Leave-one-out contributions of the quasi-identifiers, of records or of aggregated rows.
std::vector<AttributeContribution> contributions(const Table& table, const std::vector<std::string>& qi,
                                                 MissingPolicy missing, Span<const std::int64_t> frequency) {
  if (frequency.empty()) return attribute_contributions(table, qi, missing);
  std::vector<Column> keep;
  return attribute_contributions(detail::key_views(table, qi, keep), table.num_rows(), qi, missing, frequency);
}

void run(const RiskArgs& a) {
  const auto qi = split_list(a.qi, "--qi");
  RiskOptions opt;
  opt.missing = a.missing == "any" ? MissingPolicy::kMatchAny : MissingPolicy::kOwnValue;
  opt.method = a.method == "exact" ? RiskMethod::kExact : RiskMethod::kApprox;
  opt.ks = a.ks;
  opt.max_global_risk = a.max_global_risk;
  opt.attacker_threshold = a.attacker_threshold;
  opt.population_size = a.population_size;
  // The records, or with --stream their distinct key combinations with counts (and weight sums),
  // which give the same figures (RiskOptions::frequency).
  Table table;
  std::vector<std::int64_t> counts;
  std::string weight = a.weight;
  if (a.stream) {
    if (!a.household.empty() || a.loglinear || a.format == "csv") {
      throw InvalidArgument("--stream keeps only the distinct key combinations, so it cannot give --household, "
                            "--loglinear or --format csv, which need the records");
    }
    CombinationCountOptions co;
    co.read = a.input.to_read_options(a.quiet);
    co.block_rows = a.block_rows;
    co.count_column = unused_name("n", qi);
    co.weight_column = unused_name("weight_sum", qi);
    table = count_combinations_csv(a.input.path, qi, a.weight, co);
    counts = whole_counts(table, co.count_column);
    opt.frequency = counts;
    if (!weight.empty()) weight = co.weight_column;
  } else {
    table = read_csv(a.input.path, a.input.to_read_options(a.quiet, a.weight));
    require_records(table, a.input.path);
  }
  Table population;
  if (!a.population.empty()) {
    if (a.population_count.empty()) throw InvalidArgument("--population needs --population-count");
    population = read_csv(a.population, a.input.to_read_options(true));
    opt.population = &population;
    opt.population_count = a.population_count;
  }
  const RiskResult res = measure_risk(table, qi, weight, a.household, opt);
  std::optional<LogLinearRisk> ll;
  if (a.loglinear) {
    LogLinearOptions lo;
    lo.sampling_fraction = a.sampling_fraction;
    for (const auto& term : a.interactions) {
      std::vector<std::string> names;
      std::size_t start = 0;
      for (std::size_t star; (star = term.find('*', start)) != std::string::npos; start = star + 1) {
        names.push_back(term.substr(start, star - start));
      }
      names.push_back(term.substr(start));
      lo.interactions.push_back(names);
    }
    ll = loglinear_risk(table, qi, a.weight, lo);
  }
  if (a.format == "json" || a.format == "html") {
    const RiskReportInfo info{a.input.path, qi, a.weight, a.household, a.missing, a.method};
    const std::string doc = risk_report_json(res, info, contributions(table, qi, opt.missing, opt.frequency),
                                             ll ? &*ll : nullptr);
    emit(a.output, a.format == "json" ? doc : risk_report_html(doc));
  } else if (a.format == "csv") {
    emit(a.output, records_csv(res));
  } else {
    std::string text = summary_text(a, qi, res.summary);
    if (ll) {
      char buf[512];
      std::snprintf(buf, sizeof buf,
                    "\nlog-linear model (Skinner & Shlomo), sampling fraction %.6g, %zu parameters, %s\n"
                    "  sample uniques expected to be population unique (tau1)  %.4f\n"
                    "  expected correct matches of sample uniques (tau2)        %.4f\n",
                    ll->sampling_fraction, ll->parameters, ll->converged ? "converged" : "NOT converged",
                    ll->tau1, ll->tau2);
      text += buf;
    }
    emit(a.output, text);
  }
}

}  // namespace

void register_risk(CLI::App& app) {
  auto a = std::make_shared<RiskArgs>();
  CLI::App* sub = app.add_subcommand(
      "risk", "Re-identification risk: individual (Benedetti-Franconi), household and global");
  a->input.add_to(*sub);
  sub->add_option("--qi", a->qi, "Quasi-identifier columns, comma-separated")->required();
  sub->add_option("--weight", a->weight, "Numeric sampling-weight column (without: risk = 1/fk)");
  sub->add_option("--household", a->household, "Household (cluster) id column: adds household risk");
  sub->add_option("--missing", a->missing, "own: missing matches only missing; any: matches every value")
      ->check(CLI::IsMember({"own", "any"}));
  sub->add_option("--method", a->method, "Individual risk: approx (sdcMicro's default) or exact")
      ->check(CLI::IsMember({"approx", "exact"}));
  sub->add_option("--k", a->ks, "Report records in classes smaller than each k")->delimiter(',');
  sub->add_option("--max-global-risk", a->max_global_risk,
                  "Global risk for the mu-Argus risk threshold, in (0, 1)");
  sub->add_option("--attacker-threshold", a->attacker_threshold,
                  "Attacker models: a record is at risk above this re-identification probability");
  sub->add_option("--population", a->population,
                  "Population table CSV (quasi-identifiers and a count column) for journalist/marketer risk")
      ->check(CLI::ExistingFile);
  sub->add_option("--population-count", a->population_count, "Count column of --population");
  sub->add_option("--population-size", a->population_size,
                  "Population size N for the population-uniqueness estimators (default: sum of weights)");
  sub->add_flag("--loglinear", a->loglinear,
                "Add Skinner & Shlomo's log-linear model measures (tau1, tau2); needs --weight or "
                "--sampling-fraction");
  sub->add_option("--interaction", a->interactions, "Log-linear interaction term, e.g. sex*age (repeatable)");
  sub->add_option("--sampling-fraction", a->sampling_fraction,
                  "Sampling fraction for the log-linear model (default: records / sum of weights)");
  sub->add_option("--format", a->format,
                  "text, json (every figure, schema sdcore.risk/1), html (report page with charts), "
                  "csv (one row per record: fk, Fk, risk)")
      ->check(CLI::IsMember({"text", "json", "html", "csv"}));
  sub->add_option("-o,--output", a->output, "Write to this file (atomically) instead of stdout");
  sub->add_flag("-q,--quiet", a->quiet, "No progress on stderr");
  sub->add_flag("--stream", a->stream,
                "Read the file once in blocks and keep only its distinct key combinations, for files larger "
                "than memory: the same figures, quasi-identifiers compared as text; not with --household, "
                "--loglinear or --format csv");
  sub->add_option("--block-rows", a->block_rows, "Records per block with --stream (default 1048576)")
      ->check(CLI::PositiveNumber);
  sub->callback([a] { run(*a); });
}

}  // namespace sdcore::cli
