// Benchmarks of MDAV microaggregation (sdcore::mdav) on seeded random data: three skewed
// numeric variables shaped like income, expenditure and savings. The extract has only two
// numeric columns (age, length_of_stay), both small integers full of ties, which would flatter
// nothing and test little; the data here are built once per size, outside the timed loop.
//
// MDAV costs O(n^2 / k): each round of two groups makes four passes over the remaining records.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "extract.hpp"
#include "sdcore/microaggregation.hpp"
#include "sdcore/table.hpp"

namespace {

// Uniform in (0, 1) from the top 53 bits of a raw draw (no std::*_distribution: its output is
// implementation-defined).
double unit(std::mt19937_64& rng) { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53; }

const sdcore::Table& money_table(std::size_t rows) {
  static std::map<std::size_t, sdcore::Table> cache;
  auto it = cache.find(rows);
  if (it != cache.end()) return it->second;
  std::mt19937_64 rng(sdcore::bench::kSeed);
  std::vector<double> income(rows), expend(rows), savings(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    // Log-normal-ish income via a sum of uniforms; expenditure and savings correlated with it.
    double z = -6;
    for (int t = 0; t < 12; ++t) z += unit(rng);
    income[i] = std::round(20000 * std::exp(0.6 * z));
    expend[i] = std::round(income[i] * (0.5 + 0.4 * unit(rng)));
    savings[i] = std::round((income[i] - expend[i]) * unit(rng));
  }
  sdcore::Table t;
  t.add_column(sdcore::Column::numeric("income", std::move(income)));
  t.add_column(sdcore::Column::numeric("expend", std::move(expend)));
  t.add_column(sdcore::Column::numeric("savings", std::move(savings)));
  return cache.emplace(rows, std::move(t)).first->second;
}

// MDAV on `rows` records x 3 variables with group size k (z-scores, means); items = rows.
void BM_Mdav(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const std::int64_t k = state.range(1);
  const sdcore::Table& t = money_table(rows);
  std::size_t groups = 0;
  double loss = 0;
  for (auto _ : state) {
    const sdcore::MicroaggregationResult m = sdcore::mdav(t, {"income", "expend", "savings"}, k);
    groups = m.num_groups;
    loss = m.information_loss;
    benchmark::DoNotOptimize(m.group.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
  state.counters["groups"] = static_cast<double>(groups);
  state.counters["SSE/SST"] = loss;
}
BENCHMARK(BM_Mdav)
    ->ArgsProduct({{10'000, 50'000}, {3, 10}})
    ->ArgNames({"rows", "k"})
    ->Unit(benchmark::kMillisecond);

}  // namespace
