// `sdcore microaggregate`: MDAV microaggregation of numeric quasi-identifiers
// (docs/methods/microaggregation.md; JSON schema sdcore.microaggregate/1 in docs/cli.md).

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sdcore/error.hpp"
#include "sdcore/microaggregation.hpp"
#include "sdcore/version.hpp"

namespace sdcore::cli {
namespace {

struct MicroaggregateArgs {
  InputOptions input;
  RecodeOutputOptions out;
  std::string columns;
  std::int64_t k = 0;
  bool no_standardise = false;
  bool median = false;
  bool exclude_missing = false;
};

nlohmann::ordered_json to_json(const MicroaggregateArgs& a, const std::vector<std::string>& columns,
                               std::size_t records, const MicroaggregationResult& r) {
  using json = nlohmann::ordered_json;
  return {{"schema", "sdcore.microaggregate/1"},
          {"sdcore_version", version()},
          {"input", a.input.path},
          {"output", a.out.output.empty() ? json(nullptr) : json(a.out.output)},
          {"records", records},
          {"columns", columns},
          {"k", a.k},
          {"standardisation", a.no_standardise ? "none" : "zscore"},
          {"measure", a.median ? "median" : "mean"},
          {"exclude_missing", a.exclude_missing},
          {"groups", r.num_groups},
          {"excluded_records", r.excluded_rows.size()},
          {"sse", r.sse},
          {"sst", r.sst},
          {"information_loss", r.information_loss}};
}

std::string to_text(const nlohmann::ordered_json& j) {
  std::ostringstream out;
  char buf[160];
  out << summary_head(j["input"], j["records"], "columns", j["columns"], j["k"], 19)
      << "standardisation    " << (j["standardisation"] == "none" ? "none (raw units)" : "z-scores") << "\n"
      << "measure            " << j["measure"].get<std::string>() << "\n"
      << "groups             " << j["groups"] << "\n"
      << "excluded records   " << j["excluded_records"] << "\n";
  std::snprintf(buf, sizeof buf, "SSE                %.6g\nSST                %.6g\n", j["sse"].get<double>(),
                j["sst"].get<double>());
  out << buf;
  std::snprintf(buf, sizeof buf, "information loss   %.6g (SSE/SST on z-scores, ", j["information_loss"].get<double>());
  out << buf << pct(j["information_loss"].get<double>(), 1) << ")\n";
  return out.str();
}

void run(const MicroaggregateArgs& a) {
  const auto columns = split_list(a.columns, "--columns");
  MdavOptions opt;
  opt.standardisation = a.no_standardise ? Standardisation::kNone : Standardisation::kZScore;
  opt.measure = a.median ? AggregationMeasure::kMedian : AggregationMeasure::kMean;
  opt.exclude_missing = a.exclude_missing;
  const Table table = read_text_except(a.input, columns, a.out.quiet);
  const MicroaggregationResult r = mdav(table, columns, a.k, opt);
  if (!a.out.output.empty()) write_csv(r.table, a.out.output);
  const auto j = to_json(a, columns, table.num_rows(), r);
  emit(a.out.summary, a.out.want_json() ? j.dump(2) + "\n" : to_text(j));
}

}  // namespace

void register_microaggregate(CLI::App& app) {
  auto a = std::make_shared<MicroaggregateArgs>();
  CLI::App* sub = app.add_subcommand(
      "microaggregate", "MDAV microaggregation: numeric columns replaced by group means of at least k records");
  a->input.add_to(*sub);
  sub->add_option("--columns", a->columns, "Numeric columns to microaggregate together, comma-separated")->required();
  sub->add_option("-k,--k", a->k, "Minimum group size (at least 2)")->required();
  sub->add_flag("--no-standardise", a->no_standardise, "Distances in the columns' own units, not z-scores");
  sub->add_flag("--median", a->median, "Publish each group's median instead of its mean");
  sub->add_flag("--exclude-missing", a->exclude_missing,
                "Leave records with a missing value out (unchanged) instead of failing");
  a->out.add_to(*sub, "sdcore.microaggregate/1");
  sub->callback([a] { run(*a); });
}

}  // namespace sdcore::cli
