// `sdcore suda`: SUDA2 minimal sample uniques, SUDA and DIS-SUDA scores (docs/methods/suda.md).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sdcore/error.hpp"
#include "sdcore/suda.hpp"
#include "sdcore/version.hpp"

namespace sdcore::cli {
namespace {

struct SudaArgs {
  InputOptions input;
  std::string keys;
  int max_msu_size = 0;  // 0: number of keys
  double dis_fraction = 0.01;
  std::string scoring = "original";
  std::string dis_arithmetic = "sdcmicro";
  std::size_t top = 10;
  std::string format = "text";
  std::string output;
  bool quiet = false;
};

std::vector<std::size_t> top_records(const SudaResult& r, std::size_t top) {
  std::vector<std::size_t> order(r.score.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t n = std::min(top, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    [&](std::size_t a, std::size_t b) { return r.score[a] != r.score[b] ? r.score[a] > r.score[b] : a < b; });
  order.resize(n);
  return order;
}

std::string to_json(const SudaArgs& a, const std::vector<std::string>& keys, const SudaResult& r) {
  nlohmann::ordered_json contrib = nlohmann::ordered_json::object();
  for (std::size_t j = 0; j < keys.size(); ++j) contrib[keys[j]] = r.attribute_contribution[j];
  nlohmann::ordered_json top = nlohmann::ordered_json::array();
  for (auto i : top_records(r, a.top)) {
    top.push_back({{"row", i + 1}, {"score", r.score[i]}, {"dis_score", r.dis_score[i]}, {"msus", r.msu_count[i]}});
  }
  std::int64_t scored = 0;
  for (double s : r.score) scored += s > 0;
  nlohmann::ordered_json by_size = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < r.msus_by_size.size(); ++k) by_size[std::to_string(k + 1)] = r.msus_by_size[k];
  nlohmann::ordered_json j = {
      {"schema", "sdcore.suda/1"}, {"sdcore_version", version()}, {"input", a.input.path}, {"keys", keys},
      {"max_msu_size", r.max_msu_size}, {"dis_fraction", a.dis_fraction}, {"scoring", a.scoring},
      {"dis_arithmetic", a.dis_arithmetic}, {"records", r.score.size()}, {"sample_uniques", r.sample_uniques},
      {"records_with_msus", scored}, {"msus_by_size", by_size}, {"attribute_contribution_percent", contrib},
      {"highest_scores", top}};
  return j.dump(2) + "\n";
}

std::string to_text(const SudaArgs& a, const std::vector<std::string>& keys, const SudaResult& r) {
  std::ostringstream out;
  std::int64_t scored = 0;
  for (double s : r.score) scored += s > 0;
  std::string ks;
  for (const auto& k : keys) ks += (ks.empty() ? "" : ", ") + k;
  out << "input                " << a.input.path << "\n"
      << "records              " << r.score.size() << "\n"
      << "keys                 " << ks << "\n"
      << "max MSU size         " << r.max_msu_size << "  (scoring " << a.scoring << ", DIS fraction " << a.dis_fraction << ")\n"
      << "sample uniques       " << r.sample_uniques << "\n"
      << "records with an MSU  " << scored << " (" << pct(static_cast<double>(scored), static_cast<double>(r.score.size())) << ")\n"
      << "MSUs by size        ";
  for (std::size_t k = 0; k < r.msus_by_size.size(); ++k) out << " " << k + 1 << ":" << r.msus_by_size[k];
  out << "\n\nattribute contributions (% of all SUDA scores)\n";
  for (std::size_t j = 0; j < keys.size(); ++j) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  %-24s %7.2f\n", keys[j].c_str(), r.attribute_contribution[j]);
    out << buf;
  }
  out << "\nhighest scores (row: SUDA score, DIS-SUDA score, MSUs)\n";
  for (auto i : top_records(r, a.top)) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "  %8zu: %12.6g %14.6g %6lld\n", i + 1, r.score[i], r.dis_score[i],
                  static_cast<long long>(r.msu_count[i]));
    out << buf;
  }
  return out.str();
}

std::string to_csv(const std::vector<std::string>& keys, const SudaResult& r) {
  Table t;
  t.add_column(Column::numeric("suda_score", r.score));
  t.add_column(Column::numeric("dis_suda_score", r.dis_score));
  t.add_column(Column::numeric("msu_count", std::vector<double>(r.msu_count.begin(), r.msu_count.end())));
  t.add_column(Column::numeric("min_msu_size", std::vector<double>(r.min_msu_size.begin(), r.min_msu_size.end())));
  for (std::size_t j = 0; j < keys.size(); ++j) t.add_column(Column::numeric("contribution_" + keys[j], r.contribution[j]));
  return write_csv_text(t);
}

void run(const SudaArgs& a) {
  const auto keys = split_list(a.keys, "--keys");
  SudaOptions opt;
  if (a.max_msu_size > 0) opt.max_msu_size = a.max_msu_size;
  opt.dis_fraction = a.dis_fraction;
  opt.scoring = a.scoring == "ihsn" ? SudaScoring::kIhsn : SudaScoring::kOriginal;
  opt.dis_arithmetic = a.dis_arithmetic == "exact" ? DisArithmetic::kExact : DisArithmetic::kSdcMicro;
  opt.progress = terminal_progress("SUDA2 search", a.quiet);
  const Table table = read_csv(a.input.path, a.input.to_read_options(a.quiet));
  require_records(table, a.input.path);
  const SudaResult r = suda2(table, keys, opt);
  if (a.format == "json") emit(a.output, to_json(a, keys, r));
  else if (a.format == "csv") emit(a.output, to_csv(keys, r));
  else emit(a.output, to_text(a, keys, r));
}

}  // namespace

void register_suda(CLI::App& app) {
  auto a = std::make_shared<SudaArgs>();
  CLI::App* sub = app.add_subcommand("suda", "SUDA2: minimal sample uniques and SUDA / DIS-SUDA scores per record");
  a->input.add_to(*sub);
  sub->add_option("--keys,--qi", a->keys, "Key variables, comma-separated")->required();
  sub->add_option("--max-msu-size", a->max_msu_size, "Largest MSU searched (default: number of keys)");
  sub->add_option("--dis-fraction", a->dis_fraction, "Sampling fraction for DIS-SUDA, in (0, 1]");
  sub->add_option("--scoring", a->scoring, "original (SUDA2) or ihsn (sdcMicro's original_scores = FALSE)")
      ->check(CLI::IsMember({"original", "ihsn"}));
  sub->add_option("--dis-arithmetic", a->dis_arithmetic, "sdcmicro (bit-compatible) or exact")
      ->check(CLI::IsMember({"sdcmicro", "exact"}));
  sub->add_option("--top", a->top, "How many of the highest-scoring records to list");
  sub->add_option("--format", a->format, "text, json (schema sdcore.suda/1) or csv (one row per record)")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  sub->add_option("-o,--output", a->output, "Write to this file (atomically) instead of stdout");
  sub->add_flag("-q,--quiet", a->quiet, "No progress on stderr");
  sub->callback([a] { run(*a); });
}

}  // namespace sdcore::cli
