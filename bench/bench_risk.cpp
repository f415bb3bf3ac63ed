// Benchmarks of re-identification risk scoring (sdcore::measure_risk on code views): equivalence
// classes, Benedetti-Franconi individual risk, the global figures, the mu-Argus threshold and
// the attacker models, on the synthetic extract of extract.hpp with its sampling weights.

#include <benchmark/benchmark.h>

#include <vector>

#include "extract.hpp"
#include "sdcore/risk.hpp"

namespace {

using sdcore::bench::extract;

// Risk of `rows` weighted records under 8 quasi-identifiers, classes counted on `threads`
// threads (wall time); items = rows.
void BM_MeasureRisk(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto& x = extract(rows);
  const std::vector<sdcore::KeyCodes> keys = x.keys(8);
  sdcore::RiskOptions options;
  options.threads = static_cast<std::size_t>(state.range(1));
  double er = 0;
  for (auto _ : state) {
    const sdcore::RiskResult r = sdcore::measure_risk(sdcore::Span<const sdcore::KeyCodes>(keys), rows,
                                                      x.weights, nullptr, options);
    er = r.summary.expected_reidentifications;
    benchmark::DoNotOptimize(r.records.risk.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
  state.counters["expected_reidentifications"] = er;
}
BENCHMARK(BM_MeasureRisk)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->ArgNames({"rows", "threads"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
