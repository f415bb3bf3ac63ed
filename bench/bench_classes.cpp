// Benchmarks of the equivalence-class kernel on the seeded synthetic hospital extract
// (sdcore::synth::hospital_episodes). How to run them and the measured numbers: README.md.
//
// The data (extract.hpp) are generalised so that the 8-QI key of 1M rows has under 100k classes,
// the case the project's throughput target is stated for; only the kernel call is timed.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "extract.hpp"
#include "sdcore/classes.hpp"
#include "sdcore/synth.hpp"
#include "sdcore/table.hpp"

namespace {

using sdcore::bench::extract;
using sdcore::bench::kSeed;

void report(benchmark::State& state, std::size_t rows, std::size_t qis, std::size_t classes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
  state.counters["QIs"] = static_cast<double>(qis);
  state.counters["classes"] = static_cast<double>(classes);
}

std::size_t run_kernel(benchmark::State& state, std::size_t rows, std::size_t qis,
                       sdcore::Span<const double> weights, std::size_t threads = 1) {
  const std::vector<sdcore::KeyCodes> keys = extract(rows).keys(qis);
  std::size_t classes = 0;
  sdcore::ClassOptions options;
  options.threads = threads;
  for (auto _ : state) {
    const sdcore::EquivalenceClasses ec = sdcore::equivalence_classes(
        sdcore::Span<const sdcore::KeyCodes>(keys), rows, weights, options);
    classes = ec.num_classes();
    benchmark::DoNotOptimize(ec.row_class.data());
  }
  return classes;
}

// Classes of `rows` records under the first `qis` quasi-identifiers, counted on `threads`
// threads (wall time: UseRealTime); items = rows.
void BM_EquivalenceClasses(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto qis = static_cast<std::size_t>(state.range(1));
  const auto threads = static_cast<std::size_t>(state.range(2));
  report(state, rows, qis, run_kernel(state, rows, qis, {}, threads));
}
BENCHMARK(BM_EquivalenceClasses)
    ->ArgsProduct({{1'000'000, 10'000'000}, {4, 6, 8, 10}, {1, 2}})
    ->ArgNames({"rows", "qis", "threads"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The same with a sampling weight per record, so Fk is summed as well.
void BM_EquivalenceClassesWeighted(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  report(state, rows, 8, run_kernel(state, rows, 8, extract(rows).weights));
}
BENCHMARK(BM_EquivalenceClassesWeighted)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->ArgNames({"rows"})
    ->Unit(benchmark::kMillisecond);

// Baseline: a plain read of the same memory the 8-QI kernel reads (sums every code), to state
// the kernel's cost as a multiple of touching its input once.
void BM_ReadCodes(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const std::vector<sdcore::KeyCodes> keys = extract(rows).keys(8);
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (const sdcore::KeyCodes& k : keys) {
      const auto* codes = static_cast<const std::int32_t*>(k.data);
      for (std::size_t i = 0; i < rows; ++i) sum += codes[i];
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
  state.counters["QIs"] = static_cast<double>(keys.size());
}
BENCHMARK(BM_ReadCodes)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->ArgNames({"rows"})
    ->Unit(benchmark::kMillisecond);

// The generator itself (including the per-row episode_id strings); items = rows.
void BM_GenerateHospital(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    sdcore::Table t = sdcore::synth::hospital_episodes(rows, kSeed);
    benchmark::DoNotOptimize(t.num_rows());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
}
BENCHMARK(BM_GenerateHospital)->Arg(1'000'000)->ArgNames({"rows"})->Unit(benchmark::kMillisecond);

}  // namespace
