// Benchmarks of secondary suppression (docs/methods/secondary_suppression.md): NHS England's A&E
// table of one month (provider x type with margins, 908 cells, the 1..7 rule), which the brief
// times sdcTable's optimal method on, and seeded flat and hierarchical two-way tables of about 10k,
// 100k and 1M cells whose inner cells are uniform on 1..230, so that about 3% fall under the 1..7
// rule.
// Building the problem is outside the timed loop; each run reports the secondary cells found.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sdcore/io/csv.hpp"
#include "seeded_tables.hpp"
#include "sdcore/suppression.hpp"

#ifndef SDCORE_SHARED_DATA
#define SDCORE_SHARED_DATA "../shared/data"
#endif

namespace {

using namespace sdcore_bench;

struct Case {
  sdcore::Tabulation table;
  sdcore::PrimaryResult primary;
};

Case with_primaries(sdcore::Tabulation t) {
  sdcore::PrimaryRules rules;
  rules.frequency = sdcore::FrequencyRule{7};
  sdcore::PrimaryResult p = sdcore::primary_suppression(t, rules);
  return {std::move(t), std::move(p)};
}

Case ae_month(const std::string& value) {
  sdcore::CsvReadOptions ro;
  ro.column_types = {{"period", sdcore::ColumnType::kCategorical}, {"org_code", sdcore::ColumnType::kCategorical},
                     {"type", sdcore::ColumnType::kCategorical}};
  const sdcore::Table ae = sdcore::read_csv(std::string(SDCORE_SHARED_DATA) + "/nhsr/ae_attendances.csv", ro);
  std::vector<std::string> org, type, orgs, types;
  std::vector<double> v;
  for (std::size_t r = 0; r < ae.num_rows(); ++r) {
    if (ae.column("period").format(r) != "2019-03-01") continue;
    org.push_back(ae.column("org_code").format(r));
    type.push_back(ae.column("type").format(r));
    v.push_back(ae.column(value).values()[r]);
  }
  const auto codes = [](const std::vector<std::string>& text, std::vector<std::string>& cats) {
    cats = text;
    std::sort(cats.begin(), cats.end());
    cats.erase(std::unique(cats.begin(), cats.end()), cats.end());
    std::vector<std::int32_t> c;
    for (const auto& s : text) c.push_back(static_cast<std::int32_t>(std::lower_bound(cats.begin(), cats.end(), s) - cats.begin()));
    return c;
  };
  std::vector<std::int32_t> org_codes = codes(org, orgs), type_codes = codes(type, types);
  sdcore::Table t;
  t.add_column(sdcore::Column::categorical("org_code", std::move(org_codes), orgs));
  t.add_column(sdcore::Column::categorical("type", std::move(type_codes), types));
  t.add_column(sdcore::Column::numeric(value, v));
  const sdcore::Tabulation tab = sdcore::tabulation_from_long(
      t, {{"org_code", sdcore::Dimension::flat("org_code", orgs, "All")}, {"type", sdcore::Dimension::flat("type", types, "All")}},
      value);
  return with_primaries(tab);
}

void run(benchmark::State& state, const Case& c, sdcore::SecondaryMethod method, double limit) {
  sdcore::SecondaryOptions o;
  o.method = method;
  o.cost = sdcore::SuppressionCost::kCells;
  o.time_limit = limit;
  sdcore::SecondaryResult r;
  for (auto _ : state) {
    r = sdcore::secondary_suppression(c.table, c.primary, o);
    benchmark::DoNotOptimize(r.status.data());
  }
  state.counters["cells"] = static_cast<double>(c.table.num_cells());
  state.counters["primary"] = static_cast<double>(r.num_primary);
  state.counters["secondary"] = static_cast<double>(r.num_secondary);
  state.counters["optimal"] = r.optimal ? 1 : 0;
  state.counters["gap"] = r.gap();
  state.counters["lp_solves"] = static_cast<double>(r.lp_solves);
  state.counters["time_limit_s"] = limit;
}

// 0 network, 1 optimal, 2 gauss, 3 hypercube, 4 modular.
const sdcore::SecondaryMethod kMethods[] = {sdcore::SecondaryMethod::kNetwork, sdcore::SecondaryMethod::kOptimal,
                                           sdcore::SecondaryMethod::kGauss, sdcore::SecondaryMethod::kHypercube,
                                           sdcore::SecondaryMethod::kModular};

void BM_SecondaryAe(benchmark::State& state) {
  static const Case breaches = ae_month("breaches");
  run(state, breaches, kMethods[state.range(0)], 300);
}
BENCHMARK(BM_SecondaryAe)->ArgNames({"method"})->DenseRange(0, 3)
    ->Unit(benchmark::kMillisecond);

// An n x n table with margins (flat) whose inner cells are uniform on 1..7n: about one primary
// cell per row and column, so that few primaries protect one another and most need secondary
// cells. side: 100 (10k cells), 316 (100k), 1000 (1M); kOptimal with a 60 s limit. kNetwork (one
// LP per primary) is not run at 1M cells.
void BM_SecondarySquare(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Case c = with_primaries(seeded_table({sdcore::Dimension::flat("r", codes("r", n)),
                                              sdcore::Dimension::flat("c", codes("c", n))}, 2026, 7 * n));
  run(state, c, kMethods[state.range(1)], 60);
}
BENCHMARK(BM_SecondarySquare)->ArgNames({"side", "method"})
    ->ArgsProduct({{100, 316}, {0, 1, 2, 3}})->ArgsProduct({{1000}, {1, 2, 3}})
    ->Unit(benchmark::kMillisecond)->Iterations(1);

// Both dimensions hierarchical: `groups` groups of `per_group` codes under a total, so
// (groups * per_group + groups + 1)^2 cells: 9 x 10 (10,000), 15 x 20 (99,856), 40 x 24
// (1,002,001); inner cells uniform on 1..230 (about 3% primary). kOptimal and kModular with a 60 s
// limit.
void BM_SecondaryHierarchical(benchmark::State& state) {
  const auto g = static_cast<std::size_t>(state.range(0)), m = static_cast<std::size_t>(state.range(1));
  const Case c = with_primaries(seeded_table({two_level("r", g, m), two_level("c", g, m)}, 2027, 230));
  run(state, c, kMethods[state.range(2)], 60);
}
BENCHMARK(BM_SecondaryHierarchical)->ArgNames({"groups", "per_group", "method"})
    ->Args({9, 10, 1})->Args({9, 10, 3})->Args({9, 10, 4})
    ->Args({15, 20, 1})->Args({15, 20, 3})->Args({15, 20, 4})
    ->Args({40, 24, 1})->Args({40, 24, 3})
    ->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
