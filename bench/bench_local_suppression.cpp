// Benchmarks of local suppression (sdcore::local_suppression, sdcMicro's sweep; see
// docs/methods/local_suppression.md) on sdcMicro's testdata and on the seeded synthetic
// hospital extract (extract.hpp). Only the call is timed; it includes copying the table into
// the result.
//
// testdata.csv is looked for in $SDCORE_SHARED_DATA/sdcmicro, else in shared/data/sdcmicro
// next to the current folder or one of its parents (running from the repository root finds
// ../shared/data); the benchmark reports an error when it is not there.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "extract.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/local_suppression.hpp"
#include "sdcore/table.hpp"

namespace {

// The seven categorical keys of sdcMicro's examples on testdata/testdata2.
const std::vector<std::string> kTestdataKeys = {"urbrur", "roof", "walls", "water",
                                                "electcon", "relat", "sex"};

std::string testdata_path() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("SDCORE_SHARED_DATA")) return std::string(env) + "/sdcmicro/testdata.csv";
  for (fs::path dir = fs::current_path(); !dir.empty(); dir = dir.parent_path()) {
    const fs::path candidate = dir / "shared" / "data" / "sdcmicro" / "testdata.csv";
    if (fs::exists(candidate)) return candidate.string();
    if (dir == dir.parent_path()) break;
  }
  return "";
}

void run(benchmark::State& state, const sdcore::Table& table, const std::vector<std::string>& keys,
         std::int64_t k) {
  std::int64_t cells = 0;
  for (auto _ : state) {
    const sdcore::LocalSuppressionResult r = sdcore::local_suppression(table, keys, k);
    cells = r.total_suppressed;
    benchmark::DoNotOptimize(r.cells.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(table.num_rows()) * state.iterations());
  state.counters["rows"] = static_cast<double>(table.num_rows());
  state.counters["QIs"] = static_cast<double>(keys.size());
  state.counters["suppressed"] = static_cast<double>(cells);
}

// sdcMicro's testdata (4,580 rows) on its seven keys; items = rows.
void BM_LocalSuppressionTestdata(benchmark::State& state) {
  static const std::string path = testdata_path();
  if (path.empty()) {
    state.SkipWithError("testdata.csv not found: set SDCORE_SHARED_DATA to the shared data folder");
    return;
  }
  static const sdcore::Table table = sdcore::read_csv(path);
  run(state, table, kTestdataKeys, state.range(0));
}
BENCHMARK(BM_LocalSuppressionTestdata)->Arg(2)->Arg(3)->Arg(5)->ArgNames({"k"})->Unit(benchmark::kMillisecond);

// The first `qis` quasi-identifiers of the synthetic extract of `rows` records.
sdcore::Table extract_table(std::size_t rows, std::size_t qis) {
  sdcore::Table t;
  for (std::size_t j = 0; j < qis; ++j) t.add_column(sdcore::bench::extract(rows).column(sdcore::bench::kQuasiIdentifiers[j]));
  return t;
}

void BM_LocalSuppressionExtract(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto qis = static_cast<std::size_t>(state.range(1));
  const sdcore::Table table = extract_table(rows, qis);
  std::vector<std::string> keys(sdcore::bench::kQuasiIdentifiers, sdcore::bench::kQuasiIdentifiers + qis);
  run(state, table, keys, state.range(2));
}
BENCHMARK(BM_LocalSuppressionExtract)
    ->ArgsProduct({{100'000}, {5, 6}, {3, 5}})
    ->Args({1'000'000, 6, 3})
    ->Args({1'000'000, 6, 5})
    ->ArgNames({"rows", "qis", "k"})
    ->Unit(benchmark::kMillisecond);

}  // namespace
