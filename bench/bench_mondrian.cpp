// Benchmarks of Mondrian partitioning (sdcore::mondrian) on the seeded synthetic hospital extract
// (bench/extract.hpp). The quasi-identifiers are the raw numeric age and length_of_stay (whole
// numbers, many ties) and categorical columns from the extract, coarse and fine; the table
// handed over holds just those columns, built once per size outside the timed loop, so the
// timing is the algorithm and not copying episode_id strings.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "extract.hpp"
#include "sdcore/mondrian.hpp"
#include "sdcore/table.hpp"

namespace {

using sdcore::bench::extract;

// The first 5 or all 8: two numeric, then categorical from 2 to 40 categories.
const std::vector<std::string> kQis = {"age", "sex", "region", "ethnic_category", "length_of_stay",
                                       "diagnosis_chapter", "admission_method", "provider"};

const sdcore::Table& qi_table(std::size_t rows) {
  static std::map<std::size_t, sdcore::Table> cache;
  auto it = cache.find(rows);
  if (it != cache.end()) return it->second;
  sdcore::Table t;
  for (const std::string& name : kQis) t.add_column(extract(rows).column(name));
  return cache.emplace(rows, std::move(t)).first->second;
}

// Mondrian with k = 10 on `rows` records and the first `qis` QIs, on `threads` threads (parts of
// 1M+ rows run in parallel); items = rows.
void BM_Mondrian(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto qis = static_cast<std::size_t>(state.range(1));
  sdcore::MondrianOptions opt;
  opt.threads = static_cast<std::size_t>(state.range(2));
  const sdcore::Table& t = qi_table(rows);
  const std::vector<std::string> names(kQis.begin(), kQis.begin() + static_cast<std::ptrdiff_t>(qis));
  sdcore::MondrianResult r;
  for (auto _ : state) {
    r = sdcore::mondrian(t, names, 10, opt);
    benchmark::DoNotOptimize(r.partition.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
  state.counters["partitions"] = static_cast<double>(r.num_partitions);
  state.counters["NCP"] = r.ncp;
}
BENCHMARK(BM_Mondrian)
    ->ArgsProduct({{1'000'000, 10'000'000}, {5, 8}, {1, 2}})
    ->ArgNames({"rows", "qis", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
