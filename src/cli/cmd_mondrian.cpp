// `sdcore mondrian`: Mondrian k-anonymisation by multidimensional partitioning, optionally with
// distinct l-diversity (docs/methods/mondrian.md; JSON schema sdcore.mondrian/1 in docs/cli.md).

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sdcore/error.hpp"
#include "sdcore/hierarchy.hpp"
#include "sdcore/mondrian.hpp"
#include "sdcore/version.hpp"

namespace sdcore::cli {
namespace {

struct MondrianArgs {
  InputOptions input;
  RecodeOutputOptions out;
  std::string qi;
  std::int64_t k = 0;
  std::string sensitive;
  std::int64_t l = 1;
  std::vector<std::string> hierarchies;  // COLUMN=FILE
  std::string hierarchy_delimiter = ";";
  std::int64_t threads = 0;
  std::string frequency;
};

// One --hierarchy COLUMN=FILE: the column and the file.
std::pair<std::string, std::string> split_hierarchy(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    throw InvalidArgument("--hierarchy takes COLUMN=FILE, got '" + spec + "'");
  }
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

MondrianOptions options_of(const MondrianArgs& a) {
  if (a.threads < 0) throw InvalidArgument("--threads must be 0 (every core) or more, got " + std::to_string(a.threads));
  if (a.hierarchy_delimiter.size() != 1) {
    throw InvalidArgument("--hierarchy-delimiter must be one character, got '" + a.hierarchy_delimiter + "'");
  }
  MondrianOptions opt;
  opt.sensitive = a.sensitive;
  opt.l = a.l;
  opt.threads = static_cast<std::size_t>(a.threads);
  opt.frequency = a.frequency;
  for (const auto& spec : a.hierarchies) {
    const auto [column, path] = split_hierarchy(spec);
    opt.hierarchies.push_back(read_hierarchy(path, column, a.hierarchy_delimiter[0]));
  }
  return opt;
}

nlohmann::ordered_json to_json(const MondrianArgs& a, const std::vector<std::string>& qis, std::size_t records,
                               const MondrianResult& r) {
  using json = nlohmann::ordered_json;
  json hierarchies = json::object();
  for (const auto& spec : a.hierarchies) {
    const auto [column, path] = split_hierarchy(spec);
    hierarchies[column] = path;
  }
  return {{"schema", "sdcore.mondrian/1"},
          {"sdcore_version", version()},
          {"input", a.input.path},
          {"output", a.out.output.empty() ? json(nullptr) : json(a.out.output)},
          {"records", records},
          {"quasi_identifiers", qis},
          {"k", a.k},
          {"sensitive", a.sensitive.empty() ? json(nullptr) : json(a.sensitive)},
          {"l", a.l},
          {"hierarchies", hierarchies},
          {"frequency", a.frequency.empty() ? json(nullptr) : json(a.frequency)},
          {"partitions", r.num_partitions},
          {"smallest_partition", r.min_partition_size},
          {"discernibility", r.discernibility},
          {"ncp", r.ncp}};
}

std::string to_text(const nlohmann::ordered_json& j) {
  std::ostringstream out;
  out << summary_head(j["input"], j["records"], "quasi-identifiers", j["quasi_identifiers"], j["k"], 20)
      << "l-diversity         ";
  if (j["sensitive"].is_null()) out << "none\n";
  else out << j["l"] << " distinct values of " << j["sensitive"].get<std::string>() << "\n";
  char ncp[64];
  std::snprintf(ncp, sizeof ncp, "%.6g", j["ncp"].get<double>());
  out << "partitions          " << j["partitions"] << "\n"
      << "smallest partition  " << j["smallest_partition"] << "\n"
      << "discernibility      " << j["discernibility"] << " (sum of squared partition sizes)\n"
      << "NCP                 " << ncp << " (0: nothing generalised, 1: every value the whole domain)\n";
  return out.str();
}

void run(const MondrianArgs& a) {
  const auto qis = split_list(a.qi, "--qi");
  const MondrianOptions opt = options_of(a);
  const Table table = read_text_except(a.input, qis, a.out.quiet);
  const std::optional<Table> counted = with_counts(table, a.frequency, a.input.path);
  MondrianResult r = mondrian(counted ? *counted : table, qis, a.k, opt);
  r.table = restore_text(std::move(r.table), table, a.frequency);
  if (!a.out.output.empty()) write_csv(r.table, a.out.output);
  const auto j = to_json(a, qis, table.num_rows(), r);
  emit(a.out.summary, a.out.want_json() ? j.dump(2) + "\n" : to_text(j));
}

}  // namespace

void register_mondrian(CLI::App& app) {
  auto a = std::make_shared<MondrianArgs>();
  CLI::App* sub = app.add_subcommand(
      "mondrian", "Mondrian multidimensional partitioning to k-anonymity (optionally l-diverse)");
  a->input.add_to(*sub);
  sub->add_option("--qi", a->qi, "Quasi-identifier columns, comma-separated")->required();
  sub->add_option("-k,--k", a->k, "Minimum partition size")->required();
  sub->add_option("--sensitive", a->sensitive, "Sensitive column for distinct l-diversity");
  sub->add_option("--l", a->l, "Distinct sensitive values each partition must hold (default 1: none)");
  sub->add_option("--hierarchy", a->hierarchies, "COLUMN=FILE: ARX-format hierarchy for a quasi-identifier (repeatable)");
  sub->add_option("--hierarchy-delimiter", a->hierarchy_delimiter, "Field delimiter of the hierarchy files (default ;)");
  sub->add_option("--threads", a->threads, "Threads to use at most (default 0: every core)");
  sub->add_option("--frequency", a->frequency,
                  "Aggregated input: the column of record counts (each row stands for that many records; "
                  "k, partitions and measures count records; the column is written back as read)");
  a->out.add_to(*sub, "sdcore.mondrian/1");
  sub->callback([a] { run(*a); });
}

}  // namespace sdcore::cli
