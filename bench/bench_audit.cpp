// Benchmarks of the LP audit (sdcore::audit, docs/methods/audit.md): NHS England's A&E breaches
// published with only the cells of the 1..7 rule suppressed (one month, provider x type, and all
// 36 months, period x provider x type), and square tables with margins in which a seeded random
// tenth of the inner cells is suppressed (on 1 and 2 threads). Building the audit problem is
// outside the timed loop.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sdcore/audit.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/suppression.hpp"

#ifndef SDCORE_SHARED_DATA
#define SDCORE_SHARED_DATA "../shared/data"
#endif

namespace {

sdcore::AuditProblem primary_only(const sdcore::Tabulation& t) {
  sdcore::PrimaryRules rules;
  rules.frequency = sdcore::FrequencyRule{7};
  const sdcore::PrimaryResult p = sdcore::primary_suppression(t, rules);
  return sdcore::audit_problem(t, p.status, p.upper, p.lower);
}

// A&E breaches as a long-format table: one month (provider x type) or all (period x provider x type).
sdcore::Tabulation ae_breaches(bool all_months) {
  sdcore::CsvReadOptions ro;
  ro.column_types = {{"period", sdcore::ColumnType::kCategorical}, {"org_code", sdcore::ColumnType::kCategorical},
                     {"type", sdcore::ColumnType::kCategorical}};
  const sdcore::Table ae = sdcore::read_csv(std::string(SDCORE_SHARED_DATA) + "/nhsr/ae_attendances.csv", ro);
  std::vector<std::string> names = {"period", "org_code", "type"};
  sdcore::Table t;
  if (all_months) {
    t = ae;
  } else {
    std::vector<std::int32_t> org, type;
    std::vector<double> breaches;
    for (std::size_t r = 0; r < ae.num_rows(); ++r) {
      if (ae.column("period").format(r) != "2019-03-01") continue;
      org.push_back(ae.column("org_code").codes()[r]);
      type.push_back(ae.column("type").codes()[r]);
      breaches.push_back(ae.column("breaches").values()[r]);
    }
    t.add_column(sdcore::Column::categorical("org_code", org, ae.column("org_code").categories()));
    t.add_column(sdcore::Column::categorical("type", type, ae.column("type").categories()));
    t.add_column(sdcore::Column::numeric("breaches", breaches));
    names = {"org_code", "type"};
  }
  std::vector<sdcore::LongDimension> dims;
  for (const auto& n : names) dims.push_back({n, sdcore::Dimension::flat(n, t.column(n).categories(), "All")});
  return sdcore::tabulation_from_long(t, dims, "breaches");
}

void run(benchmark::State& state, const sdcore::AuditProblem& problem, std::size_t threads = 1) {
  sdcore::AuditOptions options;
  options.threads = threads;
  sdcore::AuditResult r;
  for (auto _ : state) {
    r = sdcore::audit(problem, options);
    benchmark::DoNotOptimize(r.lp_solves);
  }
  std::size_t exact = 0;
  for (const auto& c : r.cells) exact += c.verdict == sdcore::AuditVerdict::kExact;
  state.counters["cells"] = static_cast<double>(problem.cells.size());
  state.counters["suppressed"] = static_cast<double>(r.cells.size());
  state.counters["exact"] = static_cast<double>(exact);
  state.counters["lp_solves"] = static_cast<double>(r.lp_solves);
}

void BM_AuditAePrimaryOnly(benchmark::State& state) {
  static const sdcore::AuditProblem month = primary_only(ae_breaches(false));
  static const sdcore::AuditProblem all = primary_only(ae_breaches(true));
  run(state, state.range(0) ? all : month);
}
BENCHMARK(BM_AuditAePrimaryOnly)->ArgName("all_months")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// An n x n table with margins, every inner cell 1..20, a seeded tenth of them suppressed, audited
// on `threads` threads (wall-clock time: the calling thread waits while they solve).
void BM_AuditRandomGrid(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(42);
  std::vector<std::int32_t> row, col;
  std::vector<double> x;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) names.push_back("c" + std::to_string(i));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      row.push_back(static_cast<std::int32_t>(i)), col.push_back(static_cast<std::int32_t>(j));
      x.push_back(static_cast<double>(1 + rng() % 20));
    }
  }
  sdcore::Table t;
  t.add_column(sdcore::Column::categorical("r", row, names));
  t.add_column(sdcore::Column::categorical("c", col, names));
  t.add_column(sdcore::Column::numeric("x", x));
  const sdcore::Tabulation tab = sdcore::tabulation_from_long(
      t, {{"r", sdcore::Dimension::flat("r", names)}, {"c", sdcore::Dimension::flat("c", names)}}, "x");
  std::vector<sdcore::CellStatus> status(tab.num_cells(), sdcore::CellStatus::kSafe);
  std::vector<double> protection(tab.num_cells(), 0.0);
  for (std::size_t i = 0; i < tab.num_cells(); ++i) {
    if (tab.is_inner(i) && rng() % 10 == 0) status[i] = sdcore::CellStatus::kPrimary, protection[i] = 1;
  }
  run(state, sdcore::audit_problem(tab, status, protection, protection), static_cast<std::size_t>(state.range(1)));
}
BENCHMARK(BM_AuditRandomGrid)
    ->ArgNames({"n", "threads"})
    ->ArgsProduct({{30, 100, 300}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
