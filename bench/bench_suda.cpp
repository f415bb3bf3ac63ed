// Benchmarks of SUDA2 (sdcore::suda2 on code views) on the synthetic extract of extract.hpp:
// the MSU search, SUDA and DIS-SUDA scores and the per-key contributions. Measured numbers:
// docs/methods/suda.md, "Performance".

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "extract.hpp"
#include "sdcore/suda.hpp"

namespace {

using sdcore::bench::extract;

// SUDA2 of `rows` records under the first `keys` quasi-identifiers; items = rows.
void BM_Suda2(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto num_keys = static_cast<std::size_t>(state.range(1));
  const std::vector<sdcore::KeyCodes> keys = extract(rows).keys(num_keys);
  std::int64_t msus = 0, uniques = 0;
  for (auto _ : state) {
    const sdcore::SudaResult r = sdcore::suda2(sdcore::Span<const sdcore::KeyCodes>(keys), rows);
    msus = 0;
    for (std::int64_t m : r.msus_by_size) msus += m;
    uniques = r.sample_uniques;
    benchmark::DoNotOptimize(r.dis_score.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
  state.counters["keys"] = static_cast<double>(num_keys);
  state.counters["msus"] = static_cast<double>(msus);
  state.counters["sample_uniques"] = static_cast<double>(uniques);
}
BENCHMARK(BM_Suda2)
    ->ArgsProduct({{100'000}, {8, 10}})
    ->ArgNames({"rows", "keys"})
    ->Unit(benchmark::kMillisecond);

// The case sdcMicro users wait longest for: 1M records, 8 keys.
BENCHMARK(BM_Suda2)->Args({1'000'000, 8})->ArgNames({"rows", "keys"})->Unit(benchmark::kMillisecond);

}  // namespace
