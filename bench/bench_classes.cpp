// Benchmarks of the equivalence-class kernel on the seeded synthetic hospital extract
// (sdcore::synth::hospital_episodes). How to run them and the measured numbers: README.md.
//
// The quasi-identifiers are generalised the way a release would publish them (age in 10-year
// bands, region rather than district, ...), so that the 8-QI key of 1M rows has under 100k
// classes, the case the project's throughput target is stated for. Tables are generated once
// per size and cached; only the kernel call is timed.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/synth.hpp"
#include "sdcore/table.hpp"

namespace {

constexpr std::uint64_t kSeed = 2026;

// The key of the n-QI benchmark is the first n of these, coarse to fine.
const char* const kQuasiIdentifiers[] = {
    "age_band", "sex",      "region", "ethnic_category", "diagnosis_chapter",
    "admission_method", "los_band", "season", "provider", "postcode_district"};

// Recodes a column through a function of its category text (numeric columns are factorized
// first): one level of a generalisation hierarchy.
template <class Label>
sdcore::Column generalise(const sdcore::Column& column, const std::string& name, Label label) {
  const sdcore::Column source = sdcore::factorize(column);
  std::map<std::string, std::int32_t> ids;
  std::vector<std::string> categories;
  std::vector<std::int32_t> lookup;
  for (const std::string& category : source.categories()) {
    const auto next = static_cast<std::int32_t>(categories.size());
    const auto [it, inserted] = ids.emplace(label(category), next);
    if (inserted) categories.push_back(it->first);
    lookup.push_back(it->second);
  }
  std::vector<std::int32_t> codes;
  codes.reserve(source.size());
  for (std::int32_t c : source.codes()) codes.push_back(c < 0 ? c : lookup[c]);
  return sdcore::Column::categorical(name, std::move(codes), std::move(categories));
}

std::string age_band(const std::string& age) {
  const int lo = std::stoi(age) / 10 * 10;
  return lo >= 90 ? std::string("90+") : std::to_string(lo) + "-" + std::to_string(lo + 9);
}

std::string los_band(const std::string& days) {
  const int d = std::stoi(days);
  return d == 0 ? "0" : d <= 7 ? "1-7" : "8+";
}

std::string season(const std::string& date) {  // NHS winter: October to March
  const int month = std::stoi(date.substr(5, 2));
  return month >= 4 && month <= 9 ? "Apr-Sep" : "Oct-Mar";
}

std::string ethnic_category(const std::string& group) { return group.substr(0, group.find(':')); }

// NHS England region of a postcode district, from its area letters.
std::string region(const std::string& district) {
  static const std::map<std::string, std::string> kRegion = {
      {"LS", "North East and Yorkshire"}, {"BD", "North East and Yorkshire"},
      {"S", "North East and Yorkshire"},  {"NE", "North East and Yorkshire"},
      {"M", "North West"},  {"SK", "North West"}, {"L", "North West"},
      {"B", "Midlands"},    {"NG", "Midlands"},   {"BS", "South West"},
      {"E", "London"},      {"N", "London"},      {"SE", "London"}, {"SW", "London"}};
  return kRegion.at(district.substr(0, district.find_first_of("0123456789")));
}

// A generated extract with its generalised columns and a sampling weight per row.
struct Extract {
  sdcore::Table episodes;
  std::map<std::string, sdcore::Column> derived;
  std::vector<double> weights;

  const sdcore::Column& column(const std::string& name) const {
    const auto it = derived.find(name);
    return it != derived.end() ? it->second : episodes.column(name);
  }
  std::vector<sdcore::KeyCodes> keys(std::size_t count) const {
    std::vector<sdcore::KeyCodes> out;
    for (std::size_t j = 0; j < count; ++j) {
      const sdcore::Column& c = column(kQuasiIdentifiers[j]);
      const auto cardinality = static_cast<std::int64_t>(c.categories().size());
      out.push_back(sdcore::KeyCodes::of(c.codes(), cardinality));
    }
    return out;
  }
};

std::unique_ptr<Extract> make_extract(std::size_t rows) {
  auto x = std::make_unique<Extract>();
  x->episodes = sdcore::synth::hospital_episodes(rows, kSeed);
  using Label = std::string (*)(const std::string&);
  const auto add = [&](const char* from, const char* name, Label label) {
    x->derived.emplace(name, generalise(x->episodes.column(from), name, label));
  };
  add("age", "age_band", age_band);
  add("postcode_district", "region", region);
  add("ethnic_group", "ethnic_category", ethnic_category);
  add("length_of_stay", "los_band", los_band);
  add("admission_date", "season", season);
  std::mt19937_64 rng(kSeed);  // survey-style weights 10..73; the top 6 bits of each draw
  x->weights.resize(rows);
  for (double& w : x->weights) w = 10.0 + static_cast<double>(rng() >> 58);
  return x;
}

// Built on first use and kept, so each size is generated once per process.
const Extract& extract(std::size_t rows) {
  static std::map<std::size_t, std::unique_ptr<Extract>> cache;
  std::unique_ptr<Extract>& slot = cache[rows];
  if (!slot) slot = make_extract(rows);
  return *slot;
}

void report(benchmark::State& state, std::size_t rows, std::size_t qis, std::size_t classes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
  state.counters["QIs"] = static_cast<double>(qis);
  state.counters["classes"] = static_cast<double>(classes);
}

std::size_t run_kernel(benchmark::State& state, std::size_t rows, std::size_t qis,
                       sdcore::Span<const double> weights) {
  const std::vector<sdcore::KeyCodes> keys = extract(rows).keys(qis);
  std::size_t classes = 0;
  for (auto _ : state) {
    const sdcore::EquivalenceClasses ec = sdcore::equivalence_classes(
        sdcore::Span<const sdcore::KeyCodes>(keys), rows, weights, sdcore::ClassOptions{});
    classes = ec.num_classes();
    benchmark::DoNotOptimize(ec.row_class.data());
  }
  return classes;
}

// Classes of `rows` records under the first `qis` quasi-identifiers; items = rows.
void BM_EquivalenceClasses(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto qis = static_cast<std::size_t>(state.range(1));
  report(state, rows, qis, run_kernel(state, rows, qis, {}));
}
BENCHMARK(BM_EquivalenceClasses)
    ->ArgsProduct({{1'000'000, 10'000'000}, {4, 6, 8, 10}})
    ->ArgNames({"rows", "qis"})
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

BENCHMARK_MAIN();
