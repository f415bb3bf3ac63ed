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
#include "sdcore/suppression.hpp"

#ifndef SDCORE_SHARED_DATA
#define SDCORE_SHARED_DATA "../shared/data"
#endif

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A count table over `dims` whose inner cells (leaves in every dimension) are uniform on
// 1..max_value (seeded), so that 7 / max_value of them fall under the 1..7 rule; every other cell
// is the sum of the inner cells below it.
sdcore::Tabulation seeded_table(std::vector<sdcore::Dimension> dims, std::uint64_t seed, std::uint64_t max_value) {
  std::size_t n = 1;
  for (const auto& d : dims) n *= d.size();
  const sdcore::Tabulation shape(dims, std::vector<sdcore::TabularCell>(n), "count");
  std::vector<sdcore::TabularCell> cells(n);
  std::vector<std::size_t> up(dims.size());
  for (std::size_t i = 0; i < n; ++i) {
    cells[i].records = cells[i].contributors = -1;  // a count table: the frequency is the value
    if (!shape.is_inner(i)) continue;
    const double v = static_cast<double>(1 + splitmix(seed) % max_value);
    // Add v to every cell above: each combination of the inner cell's ancestors (itself included).
    const std::vector<std::size_t> at = shape.nodes(i);
    std::vector<std::vector<std::size_t>> chains(dims.size());
    for (std::size_t d = 0; d < dims.size(); ++d) {
      for (std::size_t node = at[d];; node = dims[d].parent(node)) {
        chains[d].push_back(node);
        if (node == dims[d].root()) break;
      }
    }
    std::vector<std::size_t> k(dims.size(), 0);
    while (true) {
      for (std::size_t d = 0; d < dims.size(); ++d) up[d] = chains[d][k[d]];
      cells[shape.index(up)].value += v;
      std::size_t d = dims.size();
      while (d-- > 0 && ++k[d] == chains[d].size()) k[d] = 0;
      if (d == static_cast<std::size_t>(-1)) break;
    }
  }
  return sdcore::Tabulation(std::move(dims), std::move(cells), "count");
}

std::vector<std::string> codes(const std::string& prefix, std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

// `groups` groups of `per_group` codes under one total.
sdcore::Dimension two_level(const std::string& name, std::size_t groups, std::size_t per_group) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::string group = name + "g" + std::to_string(g);
    for (std::size_t i = 0; i < per_group; ++i) pairs.emplace_back(group + "_" + std::to_string(i), group);
    pairs.emplace_back(group, "Total");
  }
  pairs.emplace_back("Total", "");
  return sdcore::Dimension::from_parents(name, pairs);
}

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
