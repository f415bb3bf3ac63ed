// `sdcore local-suppress`: key cells blanked until every record has fk >= k, as sdcMicro's
// localSuppression() does it (docs/methods/local_suppression.md; JSON schema
// sdcore.local-suppress/1 in docs/cli.md).

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sdcore/error.hpp"
#include "sdcore/local_suppression.hpp"
#include "sdcore/version.hpp"

namespace sdcore::cli {
namespace {

struct LocalSuppressArgs {
  InputOptions input;
  RecodeOutputOptions out;
  std::string qi;
  std::int64_t k = 0;
  std::vector<int> importance;
  std::vector<std::int64_t> combs;
  std::vector<std::int64_t> combs_k;
};

LocalSuppressionOptions options_of(const LocalSuppressArgs& a) {
  LocalSuppressionOptions opt;
  opt.importance = a.importance;
  for (const auto size : a.combs) {
    if (size < 1) throw InvalidArgument("--combs sizes must be at least 1, got " + std::to_string(size));
    opt.combs.push_back(static_cast<std::size_t>(size));
  }
  opt.combs_k = a.combs_k;
  opt.progress = terminal_progress("key subsets", a.out.quiet);
  return opt;
}

nlohmann::ordered_json to_json(const LocalSuppressArgs& a, const std::vector<std::string>& qis, std::size_t records,
                               const LocalSuppressionResult& r) {
  using json = nlohmann::ordered_json;
  json importance = json::object(), suppressed = json::object();
  for (std::size_t j = 0; j < qis.size(); ++j) {
    importance[qis[j]] = r.importance[j];
    suppressed[qis[j]] = r.suppressed[j];
  }
  return {{"schema", "sdcore.local-suppress/1"},
          {"sdcore_version", version()},
          {"input", a.input.path},
          {"output", a.out.output.empty() || !r.k_anonymous ? json(nullptr) : json(a.out.output)},
          {"records", records},
          {"quasi_identifiers", qis},
          {"k", a.k},
          {"importance", importance},
          {"combs", a.combs},
          {"combs_k", a.combs_k},
          {"suppressed", suppressed},
          {"total_suppressed", r.total_suppressed},
          {"k_anonymous", r.k_anonymous}};
}

std::string to_text(const nlohmann::ordered_json& j) {
  std::ostringstream out;
  out << summary_head(j["input"], j["records"], "quasi-identifiers", j["quasi_identifiers"], j["k"], 20)
      << "importance         ";
  for (const auto& [name, v] : j["importance"].items()) out << " " << name << "=" << v;
  out << " (1 = blanked last)\n\nquasi-identifier    suppressed\n";
  char buf[256];
  for (const auto& [name, v] : j["suppressed"].items()) {
    std::snprintf(buf, sizeof buf, "%-19s %lld\n", name.c_str(), v.get<long long>());
    out << buf;
  }
  const auto cells = j["records"].get<double>() * static_cast<double>(j["quasi_identifiers"].size());
  out << "total               " << j["total_suppressed"] << " (" << pct(j["total_suppressed"].get<double>(), cells)
      << " of key cells)\n"
      << "k-anonymous         " << (j["k_anonymous"].get<bool>() ? "yes" : "no") << "\n";
  return out.str();
}

void run(const LocalSuppressArgs& a) {
  const auto qis = split_list(a.qi, "--qi");
  const LocalSuppressionOptions opt = options_of(a);
  const Table table = read_text_except(a.input, {}, a.out.quiet);
  const LocalSuppressionResult r = local_suppression(table, qis, a.k, opt);
  if (r.k_anonymous && !a.out.output.empty()) write_csv(r.table, a.out.output);
  const auto j = to_json(a, qis, table.num_rows(), r);
  emit(a.out.summary, a.out.want_json() ? j.dump(2) + "\n" : to_text(j));
  if (!r.k_anonymous) {
    throw NoSolution("a later key subset of --combs blanked cells an earlier one needed, so not every subset is "
                     "k-anonymous; nothing was written (try other --combs or --importance)");
  }
}

}  // namespace

void register_local_suppress(CLI::App& app) {
  auto a = std::make_shared<LocalSuppressArgs>();
  CLI::App* sub = app.add_subcommand(
      "local-suppress", "Local suppression to k-anonymity, cell by cell as sdcMicro's localSuppression()");
  a->input.add_to(*sub);
  sub->add_option("--qi", a->qi, "Quasi-identifier columns, comma-separated")->required();
  sub->add_option("-k,--k", a->k, "Every record must match at least k records (missing matches any value)")
      ->required();
  sub->add_option("--importance", a->importance,
                  "One integer per quasi-identifier, 1 = most important (blanked last); default: fewest "
                  "distinct values first")
      ->delimiter(',');
  sub->add_option("--combs", a->combs, "Subset sizes: make every subset of that many keys k-anonymous, in turn")
      ->delimiter(',');
  sub->add_option("--combs-k", a->combs_k, "k for each --combs size (default: -k for all)")->delimiter(',');
  a->out.add_to(*sub, "sdcore.local-suppress/1");
  sub->callback([a] { run(*a); });
}

}  // namespace sdcore::cli
