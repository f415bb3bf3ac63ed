// Benchmarks of the optimal anonymisation search (sdcore::anonymise): ARX's adult with its 9
// hierarchies, fars_int (100,937 records, 8 hierarchies) and the synthetic hospital extract with
// built hierarchies. Reading the data and building hierarchies are outside the timed loop.
// Times are wall clock with both cores; the CPU column is the whole process's CPU time.

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "extract.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/kanon.hpp"

#ifndef SDCORE_SHARED_DATA
#define SDCORE_SHARED_DATA "../shared/data"
#endif

namespace {

struct Problem {
  sdcore::Table table;
  std::vector<sdcore::QuasiIdentifier> qis;
};

Problem load_arx(const std::string& csv, const std::string& prefix, const std::vector<std::string>& names) {
  Problem p;
  sdcore::CsvReadOptions ro;
  ro.infer_types = false;
  p.table = sdcore::read_csv(std::string(SDCORE_SHARED_DATA) + "/" + csv, ro);
  for (const auto& n : names) {
    p.qis.push_back({n, sdcore::read_hierarchy(std::string(SDCORE_SHARED_DATA) + "/" + prefix + n + ".csv", n)});
  }
  return p;
}

const Problem& adult() {
  static const Problem p = load_arx("adult/adult.csv", "adult/adult_hierarchy_",
                                    {"age", "education", "marital-status", "native-country", "occupation", "race",
                                     "salary-class", "sex", "workclass"});
  return p;
}

const Problem& fars() {
  static const Problem p = load_arx("fars/fars_int.csv", "fars/fars_int_hierarchy_",
                                    {"iage", "irace", "ideathmon", "ideathday", "isex", "ihispanic", "istatenum",
                                     "iinjury"});
  return p;
}

std::vector<std::string> texts(const sdcore::Column& c) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!c.is_missing(i)) v.push_back(c.format(i));
  }
  return v;
}

// Age, sex, postcode district, admission date and length of stay, with built hierarchies.
Problem synthetic(std::size_t rows) {
  Problem p;
  const auto& x = sdcore::bench::extract(rows);
  p.table = x.episodes;
  namespace h = sdcore::hierarchies;
  const auto& t = p.table;
  const auto ages = t.column("age").values();
  const auto los = t.column("length_of_stay").values();
  std::vector<std::vector<std::string>> sexes;
  for (const auto& s : t.column("sex").categories()) sexes.push_back({s, "*"});
  p.qis = {{"age", h::intervals("age", {ages.begin(), ages.end()}, {5, 10, 20, 40})},
           {"sex", sdcore::Hierarchy::from_rows("sex", sexes)},
           {"postcode_district", h::postcodes("postcode_district", texts(t.column("postcode_district")))},
           {"admission_date", h::dates("admission_date", texts(t.column("admission_date")))},
           {"length_of_stay", h::intervals("length_of_stay", {los.begin(), los.end()}, {2, 8, 32})}};
  return p;
}

void run(benchmark::State& state, const Problem& p, std::int64_t k, double limit) {
  sdcore::AnonymiseOptions o;
  o.models.k = k;
  o.suppression_limit = limit;
  sdcore::AnonymiseResult r;
  for (auto _ : state) {
    r = sdcore::anonymise(p.table, p.qis, o);
    benchmark::DoNotOptimize(r.best.score);
  }
  state.counters["lattice"] = static_cast<double>(r.lattice_size);
  state.counters["evaluated"] = static_cast<double>(r.nodes_evaluated);
  state.counters["suppressed"] = static_cast<double>(r.best.suppressed_records);
  state.counters["loss"] = r.best.score;
  state.SetItemsProcessed(static_cast<std::int64_t>(p.table.num_rows()) * state.iterations());
}

void BM_AnonymiseAdult(benchmark::State& state) {
  run(state, adult(), state.range(0), static_cast<double>(state.range(1)) / 100);
}
BENCHMARK(BM_AnonymiseAdult)
    ->ArgNames({"k", "limit_pct"})
    ->Args({2, 0})->Args({5, 0})->Args({10, 0})->Args({2, 5})->Args({5, 5})->Args({10, 5})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

void BM_AnonymiseFars(benchmark::State& state) {
  run(state, fars(), state.range(0), static_cast<double>(state.range(1)) / 100);
}
BENCHMARK(BM_AnonymiseFars)
    ->ArgNames({"k", "limit_pct"})
    ->Args({5, 0})->Args({5, 5})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);

void BM_AnonymiseSynthetic(benchmark::State& state) {
  static std::map<std::size_t, Problem> cache;
  const auto rows = static_cast<std::size_t>(state.range(0));
  if (!cache.count(rows)) cache.emplace(rows, synthetic(rows));
  run(state, cache.at(rows), 5, 0.05);
}
BENCHMARK(BM_AnonymiseSynthetic)
    ->ArgName("rows")->Arg(1'000'000)->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);

}  // namespace
