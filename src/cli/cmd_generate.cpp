// `sdcore generate`: the seeded synthetic data sets used by the examples and benchmarks.

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/synth.hpp"

namespace sdcore::cli {
namespace {

void write_table(const Table& t, const std::string& output) {
  if (output.empty() || output == "-") emit(output, write_csv_text(t));
  else write_csv(t, output);  // streams to disk atomically, without the whole text in memory
}

}  // namespace

void register_generate(CLI::App& app) {
  CLI::App* gen = app.add_subcommand("generate", "Write a seeded synthetic data set as CSV");
  gen->require_subcommand(1);

  struct HospitalArgs {
    std::size_t rows = 10000;
    std::uint64_t seed = 1;
    std::string output;
  };
  auto h = std::make_shared<HospitalArgs>();
  CLI::App* hosp = gen->add_subcommand("hospital", "Record-level hospital-episode extract");
  hosp->add_option("--rows", h->rows, "Number of episodes")->check(CLI::PositiveNumber);
  hosp->add_option("--seed", h->seed, "Random seed (same seed, same file, on every platform)");
  hosp->add_option("-o,--output", h->output, "Output CSV (default: stdout)");
  hosp->callback([h] {
    write_table(synth::hospital_episodes(h->rows, h->seed), h->output);
  });

  struct AeArgs {
    std::size_t providers = 40;
    std::size_t months = 12;
    std::uint64_t seed = 1;
    std::string output;
  };
  auto a = std::make_shared<AeArgs>();
  CLI::App* ae = gen->add_subcommand("ae", "Published A&E attendance counts by month, provider and type");
  ae->add_option("--providers", a->providers, "Number of providers")->check(CLI::PositiveNumber);
  ae->add_option("--months", a->months, "Number of months from April 2023")->check(CLI::PositiveNumber);
  ae->add_option("--seed", a->seed, "Random seed");
  ae->add_option("-o,--output", a->output, "Output CSV (default: stdout)");
  ae->callback([a] {
    write_table(synth::ae_attendances(a->providers, a->months, a->seed), a->output);
  });
}

}  // namespace sdcore::cli
