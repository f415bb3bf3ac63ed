// Benchmarks of rounding, controlled rounding, the cell key method and the publication audit
// (docs/methods/rounding.md, controlled_rounding.md, cell_key.md, publication.md) on seeded n x n
// count tables with margins: side 100 (10,201 cells), 316 (100,489), 1000 (1,002,001); inner cells
// uniform on 1..230. Building the tables is outside the timed loop.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "sdcore/cellkey.hpp"
#include "sdcore/controlled_rounding.hpp"
#include "sdcore/publication.hpp"
#include "sdcore/rounding.hpp"
#include "seeded_tables.hpp"

namespace {

using namespace sdcore_bench;

const sdcore::Tabulation& square(std::size_t n) {
  static std::vector<std::pair<std::size_t, sdcore::Tabulation>> cache;
  for (const auto& [side, t] : cache)
    if (side == n) return t;
  cache.emplace_back(n, seeded_table({sdcore::Dimension::flat("r", codes("r", n)), sdcore::Dimension::flat("c", codes("c", n))},
                                     2026, 230));
  return cache.back().second;
}

void cells(benchmark::State& state, const sdcore::Tabulation& t) {
  state.counters["cells"] = static_cast<double>(t.num_cells());
  state.counters["cells_per_s"] = benchmark::Counter(static_cast<double>(t.num_cells()), benchmark::Counter::kIsIterationInvariantRate);
}

// totals: 0 rounded independently, 1 sums of rounded cells.
void BM_RoundToBase(benchmark::State& state) {
  const sdcore::Tabulation& t = square(static_cast<std::size_t>(state.range(0)));
  sdcore::BaseRoundingOptions o;
  o.totals = state.range(1) ? sdcore::TotalsRule::kSumOfRounded : sdcore::TotalsRule::kRoundIndependently;
  for (auto _ : state) benchmark::DoNotOptimize(sdcore::round_to_base(t, o).data());
  cells(state, t);
}
BENCHMARK(BM_RoundToBase)->ArgNames({"side", "sum_totals"})->ArgsProduct({{100, 316, 1000}, {0, 1}})->Unit(benchmark::kMillisecond);

void BM_RandomRound(benchmark::State& state) {
  const sdcore::Tabulation& t = square(static_cast<std::size_t>(state.range(0)));
  sdcore::RandomRoundingOptions o;
  o.seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(sdcore::random_round(t, o).data());
  cells(state, t);
}
BENCHMARK(BM_RandomRound)->ArgNames({"side"})->Arg(100)->Arg(316)->Arg(1000)->Unit(benchmark::kMillisecond);

// Two-dimensional: the network flow (Clp on the transportation LP).
void BM_ControlledRound2D(benchmark::State& state) {
  const sdcore::Tabulation& t = square(static_cast<std::size_t>(state.range(0)));
  sdcore::ControlledRoundingResult r;
  for (auto _ : state) {
    r = sdcore::controlled_round(t);
    benchmark::DoNotOptimize(r.values.data());
  }
  cells(state, t);
  state.counters["optimal"] = r.status == sdcore::ControlledRoundingResult::Status::kOptimal ? 1 : 0;
  state.counters["distance"] = r.distance;
}
BENCHMARK(BM_ControlledRound2D)->ArgNames({"side"})->Arg(100)->Arg(316)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);

// Three-dimensional n x n x n with margins: the MIP on Cbc, 60 s limit.
void BM_ControlledRound3D(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const sdcore::Tabulation t = seeded_table({sdcore::Dimension::flat("a", codes("a", n)), sdcore::Dimension::flat("b", codes("b", n)),
                                             sdcore::Dimension::flat("c", codes("c", n))}, 2028, 230);
  sdcore::ControlledRoundingOptions o;
  o.time_limit_seconds = 60;
  sdcore::ControlledRoundingResult r;
  for (auto _ : state) {
    r = sdcore::controlled_round(t, o);
    benchmark::DoNotOptimize(r.values.data());
  }
  cells(state, t);
  state.counters["status"] = static_cast<double>(r.status);  // 0 optimal, 1 feasible, 2 infeasible, 3 unknown
  state.counters["gap"] = r.distance > 0 ? (r.distance - r.bound) / r.distance : 0;
}
BENCHMARK(BM_ControlledRound3D)->ArgNames({"side"})->Arg(8)->Arg(12)->Arg(20)->Unit(benchmark::kMillisecond)->Iterations(1);

// The cell key method: count perturbation of every cell, given its cell key.
void BM_CellKeyPerturb(benchmark::State& state) {
  const sdcore::Tabulation& t = square(static_cast<std::size_t>(state.range(0)));
  const std::vector<double> keys = sdcore::generate_record_keys(t.num_cells(), 5);
  sdcore::PTableParams params;
  params.js = 2;
  const sdcore::PerturbationTable p = sdcore::generate_perturbation_table(params);
  for (auto _ : state) benchmark::DoNotOptimize(sdcore::perturb_counts(t, keys, p).value.data());
  cells(state, t);
}
BENCHMARK(BM_CellKeyPerturb)->ArgNames({"side"})->Arg(100)->Arg(316)->Arg(1000)->Unit(benchmark::kMillisecond);

// The cell keys of a 2-D table from 1M records with record keys (summed in fixed point).
void BM_CellKeysFromRecords(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::size_t rows = 1000000;
  std::uint64_t s = 9;
  std::vector<std::int32_t> r(rows), c(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    r[i] = static_cast<std::int32_t>(splitmix(s) % n);
    c[i] = static_cast<std::int32_t>(splitmix(s) % n);
  }
  sdcore::Table records;
  records.add_column(sdcore::Column::categorical("r", std::move(r), codes("r", n)));
  records.add_column(sdcore::Column::categorical("c", std::move(c), codes("c", n)));
  records.add_column(sdcore::Column::numeric("rkey", sdcore::generate_record_keys(rows, 11)));
  const sdcore::Tabulation t = sdcore::tabulate(records, {sdcore::DimensionSpec("r"), sdcore::DimensionSpec("c")});
  for (auto _ : state) benchmark::DoNotOptimize(sdcore::cell_keys(t, records, "rkey").data());
  state.counters["records"] = static_cast<double>(rows);
  cells(state, t);
}
BENCHMARK(BM_CellKeysFromRecords)->ArgNames({"side"})->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// The NHS 2018 rule and its residual-risk audit (two LPs per hidden cell). side 32 (1,089 cells)
// and 100 (10,201); the rule without the audit up to 1M cells.
void BM_Publication(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const bool audit = state.range(1) != 0;  // 1: every hidden figure, 2: the suppressed ones only
  const sdcore::Tabulation t = seeded_table({sdcore::Dimension::flat("r", codes("r", n)), sdcore::Dimension::flat("c", codes("c", n))},
                                            2029, 7 * n);
  sdcore::PublicationRule rule;
  rule.suppress_min = 1;
  rule.suppress_max = 7;
  rule.rounding = sdcore::PublicationRounding::kNearest;
  std::vector<std::size_t> national;
  for (std::size_t i = 0; i < t.num_cells(); ++i)
    if (t.nodes(i)[0] == t.dimensions()[0].root()) national.push_back(i);
  sdcore::AuditOptions ao;
  ao.certificates = false;
  sdcore::PublicationAudit a;
  for (auto _ : state) {
    const sdcore::PublishedTable p = sdcore::apply_publication_rule(t, rule, national);
    if (audit) a = sdcore::audit_publication(t, rule, p, ao, state.range(1) == 1);
    benchmark::DoNotOptimize(p.value.data());
  }
  cells(state, t);
  state.counters["lp_solves"] = static_cast<double>(a.lp_solves);
  state.counters["exact_suppressed"] = static_cast<double>(a.exact_suppressed);
}
BENCHMARK(BM_Publication)->ArgNames({"side", "audit"})->Args({32, 1})->Args({100, 1})->Args({100, 2})->Args({316, 2})
    ->Args({100, 0})->Args({316, 0})
    ->Args({1000, 0})->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
