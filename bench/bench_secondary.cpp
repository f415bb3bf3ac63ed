// Benchmarks of secondary suppression (docs/methods/secondary_suppression.md): NHS England's A&E
// table of one month (provider x type with margins, 908 cells, the 1..7 rule), which the brief
// times sdcTable's optimal method on, and seeded square tables with margins of about 10k, 100k and
// 1M cells whose inner cells are uniform on 1..230, so that about 3% fall under the 1..7 rule.
// Building the problem is outside the timed loop; each run reports the secondary cells found.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
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

// An n x n table with margins (row totals, column totals, grand total) and the 1..7 rule.
sdcore::AuditProblem square(std::size_t n, std::uint64_t seed) {
  const std::size_t w = n + 1;
  sdcore::AuditProblem p;
  p.cells.resize(w * w);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const double v = static_cast<double>(1 + splitmix(seed) % 230);
      p.cells[i * w + j].value = v;
      p.cells[i * w + n].value += v;
      p.cells[n * w + j].value += v;
      p.cells[n * w + n].value += v;
      if (v <= 7) {
        p.cells[i * w + j].suppressed = true;
        p.cells[i * w + j].upper_protection = p.cells[i * w + j].lower_protection = 1;
      }
    }
  }
  for (std::size_t i = 0; i <= n; ++i) {
    sdcore::AuditRelation row, col;
    row.terms.push_back({i * w + n, -1});
    col.terms.push_back({n * w + i, -1});
    for (std::size_t j = 0; j < n; ++j) row.terms.push_back({i * w + j, 1}), col.terms.push_back({j * w + i, 1});
    p.relations.push_back(std::move(row));
    p.relations.push_back(std::move(col));
  }
  return p;
}

sdcore::AuditProblem ae_month(const std::string& value) {
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
  sdcore::PrimaryRules rules;
  rules.frequency = sdcore::FrequencyRule{7};
  const sdcore::PrimaryResult p = sdcore::primary_suppression(tab, rules);
  return sdcore::audit_problem(tab, p.status, p.upper, p.lower);
}

void run(benchmark::State& state, const sdcore::AuditProblem& problem, sdcore::SecondaryMethod method, double limit) {
  sdcore::SecondaryOptions o;
  o.method = method;
  o.cost = sdcore::SuppressionCost::kCells;
  o.time_limit = limit;
  sdcore::SecondaryResult r;
  for (auto _ : state) {
    r = sdcore::secondary_suppression(problem, o);
    benchmark::DoNotOptimize(r.status.data());
  }
  state.counters["cells"] = static_cast<double>(problem.cells.size());
  state.counters["primary"] = static_cast<double>(r.num_primary);
  state.counters["secondary"] = static_cast<double>(r.num_secondary);
  state.counters["optimal"] = r.optimal ? 1 : 0;
  state.counters["gap"] = r.gap();
  state.counters["time_limit_s"] = limit;
}

const sdcore::SecondaryMethod kMethods[] = {sdcore::SecondaryMethod::kNetwork, sdcore::SecondaryMethod::kOptimal,
                                           sdcore::SecondaryMethod::kGauss};

void BM_SecondaryAe(benchmark::State& state) {
  static const sdcore::AuditProblem breaches = ae_month("breaches");
  run(state, breaches, kMethods[state.range(0)], 300);
}
BENCHMARK(BM_SecondaryAe)->ArgNames({"method"})->DenseRange(0, 2)
    ->Unit(benchmark::kMillisecond);

// side: 100 (10k cells), 316 (100k), 1000 (1M); method 0 network, 1 optimal (60 s limit), 2 gauss.
void BM_SecondarySquare(benchmark::State& state) {
  const sdcore::AuditProblem p = square(static_cast<std::size_t>(state.range(0)), 2026);
  run(state, p, kMethods[state.range(1)], 60);
}
BENCHMARK(BM_SecondarySquare)->ArgNames({"side", "method"})->ArgsProduct({{100, 316, 1000}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
