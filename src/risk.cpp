// Individual, household and global re-identification risk. Formulas: docs/methods/risk.md.

#include "sdcore/risk.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "detail/keys.hpp"
#include "detail/population.hpp"
#include "detail/threads.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

// log of C(h-1, f-1) p^f q^(h-f): the negative-binomial probability that the population class
// has h members given f sampled with probability p.
double log_nb(double h, double f, double log_p, double log_q) {
  return std::lgamma(h) - std::lgamma(f) - std::lgamma(h - f + 1) + f * log_p + (h - f) * log_q;
}

// E(1/F | f) = sum_{h >= f} P(F = h | f) / h, summed outwards from the mode of P in units of the
// mode's probability, so that nothing overflows or underflows whatever f and p are.
double exact_risk(double f, double p) {
  const double q = 1 - p;
  const double log_p = std::log(p), log_q = std::log1p(-p);
  const double mode = std::max(f, std::floor((f - 1) / p) + 1);
  constexpr double kTiny = 1e-18;
  double sum = 1.0 / mode;  // the mode's own term, relative
  double rel = 1.0;
  for (double h = mode; h > f;) {  // downwards: a(h-1)/a(h) = (h-f) / (q (h-1))
    rel *= (h - f) / (q * (h - 1));
    h -= 1;
    sum += rel / h;
    if (rel / h < kTiny * sum) break;
  }
  rel = 1.0;
  for (double h = mode;; h += 1) {  // upwards: a(h+1)/a(h) = q h / (h-f+1)
    const double ratio = q * h / (h - f + 1);
    rel *= ratio;
    sum += rel / (h + 1);
    // Past the mode the ratio is below 1 and falling, so the tail is below term/(1-ratio).
    if (ratio < 1 && rel / (h + 1) / (1 - ratio) < kTiny * sum) break;
  }
  return std::exp(log_nb(mode, f, log_p, log_q)) * sum;
}

// Neumaier's compensated sum: global risks add up thousands of small terms, and R's sum()
// (which sdcMicro uses) accumulates in extended precision; this keeps us at least as accurate.
class CompensatedSum {
 public:
  void add(double x) {
    const double t = sum_ + x;
    comp_ += std::abs(sum_) >= std::abs(x) ? (sum_ - t) + x : (x - t) + sum_;
    sum_ = t;
  }
  double value() const { return sum_ + comp_; }

 private:
  double sum_ = 0, comp_ = 0;
};

// A risk level and how many records have it: risks are constant within a class, so the
// distribution of n record risks is carried by C (risk, count) pairs.
struct Level {
  double risk;
  double records;
};

// Sorts ascending and merges equal risks.
std::vector<Level> merged(std::vector<Level> levels) {
  std::sort(levels.begin(), levels.end(), [](const Level& a, const Level& b) { return a.risk < b.risk; });
  std::vector<Level> out;
  for (const Level& l : levels) {
    if (!out.empty() && out.back().risk == l.risk) out.back().records += l.records;
    else out.push_back(l);
  }
  return out;
}

// The k-th smallest record risk (1-based) of ascending merged levels.
double order_statistic(const std::vector<Level>& asc, double k) {
  double seen = 0;
  for (const Level& l : asc) {
    seen += l.records;
    if (seen >= k) return l.risk;
  }
  return asc.back().risk;
}

// Median as R computes it: the middle value, or the mean of the two middle values.
double median(const std::vector<Level>& asc, double n) {
  const double half = std::floor(n / 2);
  if (std::fmod(n, 2) == 1) return order_statistic(asc, half + 1);
  return (order_statistic(asc, half) + order_statistic(asc, half + 1)) / 2;
}

std::int64_t high_risk_from_levels(const std::vector<Level>& asc, double n) {
  const double med = median(asc, n);
  std::vector<Level> dev;
  dev.reserve(asc.size());
  for (const Level& l : asc) dev.push_back({std::abs(l.risk - med), l.records});
  const double mad = 1.4826 * median(merged(std::move(dev)), n);
  double count = 0;
  for (const Level& l : asc) {
    if (l.risk > med + 3 * mad && l.risk > 0.1) count += l.records;
  }
  return static_cast<std::int64_t>(count);
}

// mu-Argus threshold on ascending merged levels: walking down from the highest level, at each
// lower level r the capped sum is (records at or below r, summed) + r * (records above r).
std::optional<double> threshold_from_levels(const std::vector<Level>& asc, double n, double g) {
  if (asc.empty()) return std::nullopt;
  const double target = g * n;
  CompensatedSum total;
  for (const Level& l : asc) total.add(l.risk * l.records);
  double remaining = total.value();
  if (remaining < target) return std::nullopt;  // already safe: no threshold needed
  double passed = 0;
  for (auto it = asc.rbegin(); it != asc.rend(); ++it) {
    if (it != asc.rbegin() && remaining + it->risk * passed < target) return it->risk;
    passed += it->records;
    remaining -= it->risk * it->records;
  }
  if (asc.front().risk == 0.0) return std::nullopt;
  return 0.0;
}

std::vector<Level> record_levels(Span<const double> risks) {
  std::vector<Level> levels;
  levels.reserve(risks.size());
  for (double r : risks) levels.push_back({r, 1});
  return merged(std::move(levels));
}

// Checks that need the number of records, known once the classes are counted.
void validate_records(const EquivalenceClasses& ec, bool household, const RiskOptions& opt) {
  if (!std::isnan(opt.population_size) && !(opt.population_size >= static_cast<double>(ec.records))) {
    throw InvalidArgument("population_size must be at least the number of records");
  }
  if (household && !opt.frequency.empty()) {
    throw InvalidArgument("household risk needs one row per record, not aggregated rows (frequency)");
  }
}

ClassOptions class_options(const RiskOptions& opt) {
  ClassOptions copt;
  copt.missing = opt.missing;
  copt.frequency = opt.frequency;
  copt.threads = opt.threads;
  return copt;
}

void validate(std::size_t rows, const RiskOptions& opt) {
  if (rows == 0) throw InvalidArgument("the table has no records");
  for (auto k : opt.ks) {
    if (k < 1) throw InvalidArgument("k must be at least 1, got " + std::to_string(k));
  }
  if (!(opt.max_global_risk > 0 && opt.max_global_risk < 1)) {
    throw InvalidArgument("max_global_risk must lie strictly between 0 and 1");
  }
  if (!(opt.attacker_threshold > 0 && opt.attacker_threshold <= 1)) {
    throw InvalidArgument("attacker_threshold must lie in (0, 1]");
  }
  if (opt.population != nullptr && opt.population_count.empty()) {
    throw InvalidArgument("a population table needs its count column (population_count)");
  }
}

// The four estimators on the sample's class-size histogram, when a population size is known.
std::optional<PopulationUniqueness> uniqueness(const EquivalenceClasses& ec, Span<const double> weights,
                                               double population_size) {
  PopulationUniqueness u;
  if (!std::isnan(population_size)) {
    u.population_size = population_size;
    u.population_size_source = "given";
  } else if (!weights.empty()) {
    CompensatedSum total;
    for (double w : weights) total.add(w);
    u.population_size = std::max(total.value(), static_cast<double>(ec.records));
    u.population_size_source = "weights";
  } else {
    return std::nullopt;
  }
  const auto hist = class_size_distribution(ec);
  u.zayatz = estimate_population_uniques(hist, u.population_size, UniquenessModel::kZayatz);
  u.pitman = estimate_population_uniques(hist, u.population_size, UniquenessModel::kPitman);
  u.snb = estimate_population_uniques(hist, u.population_size, UniquenessModel::kSnb);
  u.dankar = estimate_population_uniques(hist, u.population_size, UniquenessModel::kDankar);
  return u;
}

// Population class sizes estimated from the weights (never below the sample frequency, which
// weights under 1 could give), or the sample itself.
AttackerRisks attacker_from(const EquivalenceClasses& ec, bool weighted, double threshold) {
  std::vector<double> F(ec.num_classes());
  for (std::size_t c = 0; c < F.size(); ++c) {
    const auto f = static_cast<double>(ec.frequency[c]);
    F[c] = weighted ? std::max(ec.weighted_frequency[c], f) : f;
  }
  AttackerRisks a = attacker_risks(ec.count, ec.frequency, F, threshold);
  a.population_source = weighted ? "weights" : "sample";
  return a;
}

// 1 - prod(1 - r) over each household, via log1p so that small risks keep their precision.
std::vector<double> household_risks(const KeyCodes& household, const std::vector<double>& risk) {
  const auto hh = equivalence_classes(Span<const KeyCodes>(&household, 1), risk.size(), {});
  for (std::size_t c = 0; c < hh.num_classes(); ++c) {
    const auto row = static_cast<std::size_t>(hh.first_row[c]);
    const auto code = detail::code_at(household, row);
    if (code < 0) throw InvalidArgument("household id is missing in row " + std::to_string(row));
  }
  std::vector<double> log_safe(hh.num_classes(), 0.0);
  for (std::size_t i = 0; i < risk.size(); ++i) {
    log_safe[static_cast<std::size_t>(hh.row_class[i])] += std::log1p(-std::min(risk[i], 1.0));
  }
  std::vector<double> out(risk.size());
  for (std::size_t i = 0; i < risk.size(); ++i) {
    out[i] = -std::expm1(log_safe[static_cast<std::size_t>(hh.row_class[i])]);
  }
  return out;
}

// Per-record figures; returns the risk of each class. The rows are written by `threads` threads
// in contiguous ranges (a gather per row: the same values whatever the threads).
std::vector<double> fill_records(const EquivalenceClasses& ec, bool weighted, RiskMethod method,
                                 std::size_t threads, RecordRisks& rec) {
  std::vector<double> class_risk(ec.num_classes());
  for (std::size_t c = 0; c < ec.num_classes(); ++c) {
    const auto f = static_cast<double>(ec.frequency[c]);
    class_risk[c] = weighted ? individual_risk(f, ec.weighted_frequency[c], method) : 1 / f;
  }
  const std::size_t n = ec.num_rows();
  rec.fk.resize(n);
  rec.Fk.resize(n);
  rec.risk.resize(n);
  auto fill = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(ec.row_class[i]);
      rec.fk[i] = ec.frequency[c];
      rec.Fk[i] = weighted ? ec.weighted_frequency[c] : static_cast<double>(ec.frequency[c]);
      rec.risk[i] = class_risk[c];
    }
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t parts = std::max<std::size_t>(1, std::min(threads, n / (std::size_t{1} << 18)));
  std::vector<std::thread> pool;
  for (std::size_t p = 1; p < parts; ++p) detail::start_or_run(pool, fill, n * p / parts, n * (p + 1) / parts);
  fill(0, n / parts);
  for (auto& t : pool) t.join();
  return class_risk;
}

// Global figures. Counts and the risk distribution (threshold, median, MAD) are taken per class
// with its number of records; the expected re-identifications add up record by record.
void summarise(const EquivalenceClasses& ec, const std::vector<double>& class_risk,
               const RecordRisks& rec, const RiskOptions& opt, RiskSummary& s) {
  const auto nd = static_cast<double>(ec.records);
  s.records = ec.records;
  s.classes = static_cast<std::int64_t>(ec.num_classes());
  std::vector<Level> levels;
  levels.reserve(ec.num_classes());
  for (std::size_t c = 0; c < ec.num_classes(); ++c) {
    if (ec.frequency[c] == 1) s.sample_uniques += ec.count[c];
    s.max_risk = std::max(s.max_risk, class_risk[c]);
    levels.push_back({class_risk[c], static_cast<double>(ec.count[c])});
  }
  for (auto k : opt.ks) {
    std::int64_t below = 0;
    for (std::size_t c = 0; c < ec.num_classes(); ++c) below += ec.frequency[c] < k ? ec.count[c] : 0;
    s.records_below_k.emplace_back(k, below);
  }
  CompensatedSum er;  // per class: every record of a class has its risk
  for (std::size_t c = 0; c < ec.num_classes(); ++c) er.add(class_risk[c] * static_cast<double>(ec.count[c]));
  s.expected_reidentifications = er.value();
  s.global_risk = s.expected_reidentifications / nd;
  s.max_global_risk = opt.max_global_risk;
  const auto asc = merged(std::move(levels));
  s.threshold = threshold_from_levels(asc, nd, opt.max_global_risk);
  s.high_risk_records = high_risk_from_levels(asc, nd);
  if (!rec.household_risk.empty()) {
    CompensatedSum hh;
    for (double r : rec.household_risk) hh.add(r);
    s.household_expected_reidentifications = hh.value();
    s.household_global_risk = hh.value() / nd;
  }
}

}  // namespace

double individual_risk(double fk, double Fk, RiskMethod method) {
  if (!(fk >= 1) || !(Fk > 0) || !std::isfinite(Fk)) {
    throw InvalidArgument("individual risk needs fk >= 1 and a positive finite Fk");
  }
  if (fk == Fk) return 1 / fk;
  const double p = fk / Fk;
  if (method == RiskMethod::kExact && p < 1) return exact_risk(fk, p);
  const double odds = p / (1 - p);
  if (fk == 1) return odds * std::log(1 / p);
  if (fk == 2) return odds - odds * odds * std::log(1 / p);
  return p / (fk - (1 - p));
}

std::optional<double> risk_threshold(Span<const double> risks, double max_global_risk) {
  if (!(max_global_risk > 0 && max_global_risk < 1)) {
    throw InvalidArgument("max_global_risk must lie strictly between 0 and 1");
  }
  return threshold_from_levels(record_levels(risks), static_cast<double>(risks.size()), max_global_risk);
}

std::int64_t count_high_risk(Span<const double> risks) {
  if (risks.empty()) return 0;
  return high_risk_from_levels(record_levels(risks), static_cast<double>(risks.size()));
}

RiskResult measure_risk(Span<const KeyCodes> keys, std::size_t rows, Span<const double> weights,
                        const KeyCodes* household, const RiskOptions& opt) {
  validate(rows, opt);
  RiskResult out;
  out.classes = equivalence_classes(keys, rows, weights, class_options(opt));
  validate_records(out.classes, household != nullptr, opt);
  const auto class_risk = fill_records(out.classes, !weights.empty(), opt.method, opt.threads, out.records);
  if (household != nullptr) out.records.household_risk = household_risks(*household, out.records.risk);
  summarise(out.classes, class_risk, out.records, opt, out.summary);
  if (opt.population != nullptr) {
    throw InvalidArgument("a population table needs the Table form of measure_risk (column names)");
  }
  out.summary.attacker = attacker_from(out.classes, !weights.empty(), opt.attacker_threshold);
  out.summary.population_uniqueness = uniqueness(out.classes, weights, opt.population_size);
  return out;
}

RiskResult measure_risk(const Table& table, const std::vector<std::string>& quasi_identifiers,
                        const std::string& weight, const std::string& household,
                        const RiskOptions& opt) {
  validate(table.num_rows(), opt);
  RiskResult out;
  out.classes = equivalence_classes(table, quasi_identifiers, weight, class_options(opt));
  validate_records(out.classes, !household.empty(), opt);
  const auto class_risk = fill_records(out.classes, !weight.empty(), opt.method, opt.threads, out.records);
  if (!household.empty()) {
    const Column hh = factorize(table.column(household));
    const KeyCodes codes = KeyCodes::of(hh.codes(), static_cast<std::int64_t>(hh.categories().size()));
    try {
      out.records.household_risk = household_risks(codes, out.records.risk);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument("column '" + household + "': " + e.what());
    }
  }
  summarise(out.classes, class_risk, out.records, opt, out.summary);
  if (opt.population != nullptr) {
    const auto F = detail::population_sizes(table, quasi_identifiers, out.classes, *opt.population,
                                            opt.population_count);
    out.summary.attacker = attacker_risks(out.classes.count, out.classes.frequency, F, opt.attacker_threshold);
    out.summary.attacker.population_source = "population table";
  } else {
    out.summary.attacker = attacker_from(out.classes, !weight.empty(), opt.attacker_threshold);
  }
  Span<const double> w;
  if (!weight.empty()) w = table.column(weight).values();
  out.summary.population_uniqueness = uniqueness(out.classes, w, opt.population_size);
  return out;
}

}  // namespace sdcore
