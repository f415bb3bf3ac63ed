// Risk measures against independently derived numbers: the negative-binomial series of
// Benedetti & Franconi summed naively, brute-force versions of the threshold and high-risk
// rules, and per-household products computed directly.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/risk.hpp"
#include "test_support.hpp"

using namespace sdcore;

namespace {

// E(1/F | f) with P(F = h | f) = C(h-1, f-1) p^f (1-p)^(h-f), h >= f (Benedetti & Franconi
// 1998), summed forwards in long double until the terms vanish. Slow, plain, independent.
double naive_series(int f, double p) {
  long double q = 1 - static_cast<long double>(p), term = std::pow(static_cast<long double>(p), f), sum = 0;
  for (long h = f; h < 20000000; ++h) {
    sum += term / h;
    if (h > f + 10 && term / h < 1e-22L * sum) break;
    term *= q * h / (h - f + 1);
  }
  return static_cast<double>(sum);
}

}  // namespace

TEST(IndividualRisk, Fk1And2AreTheSeriesExactly) {
  for (double p : {0.001, 0.01, 0.1, 0.37, 0.5, 0.9, 0.99}) {
    const double Fk1 = 1 / p, Fk2 = 2 / p;
    EXPECT_NEAR(individual_risk(1, Fk1), naive_series(1, p), 1e-12 * naive_series(1, p)) << p;
    EXPECT_NEAR(individual_risk(2, Fk2), naive_series(2, p), 1e-10 * naive_series(2, p)) << p;
  }
}

TEST(IndividualRisk, ApproxBeyondTwoIsFranconiPolettiniFormula) {
  // p / (fk - (1 - p)), Franconi & Polettini (2004); it approximates the series closely.
  for (int f : {3, 4, 7, 20}) {
    for (double p : {0.01, 0.2, 0.6}) {
      const double Fk = f / p;
      EXPECT_DOUBLE_EQ(individual_risk(f, Fk), p / (f - (1 - p)));
      EXPECT_NEAR(individual_risk(f, Fk), naive_series(f, p), 0.05 * naive_series(f, p));
    }
  }
}

TEST(IndividualRisk, ExactMatchesSeries) {
  for (int f : {1, 2, 3, 5, 10, 40}) {
    for (double p : {0.01, 0.05, 0.3, 0.8, 0.95}) {
      const double expect = naive_series(f, p);
      EXPECT_NEAR(individual_risk(f, f / p, RiskMethod::kExact), expect, 1e-10 * expect) << f << " " << p;
    }
  }
  // Far beyond where the closed form works: f = 500, p = 0.001 (terms span 1e-1500).
  const double r = individual_risk(500, 500 / 0.001, RiskMethod::kExact);
  EXPECT_GT(r, 0.001 / 500 * 0.99);
  EXPECT_LT(r, 0.001 / 499 * 1.01);
}

TEST(IndividualRisk, PopulationClassAndBadInput) {
  EXPECT_DOUBLE_EQ(individual_risk(4, 4), 0.25);
  EXPECT_THROW(individual_risk(0, 3), InvalidArgument);
  EXPECT_THROW(individual_risk(1, 0), InvalidArgument);
}

namespace {
std::optional<double> naive_threshold(const std::vector<double>& r, double g) {
  const double target = g * static_cast<double>(r.size());
  double total = 0;
  for (double x : r) total += x;
  if (total < target) return std::nullopt;
  std::vector<double> levels(r);
  std::sort(levels.begin(), levels.end(), std::greater<>());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  // Levels below the top one, in descending order: the first whose capped sum meets the target.
  for (std::size_t i = 1; i < levels.size(); ++i) {
    double capped = 0;
    for (double x : r) capped += std::min(x, levels[i]);
    if (capped < target) return levels[i];
  }
  if (levels.back() == 0.0) return std::nullopt;
  return 0.0;
}
}  // namespace

TEST(RiskThreshold, MatchesDefinitionOnRandomRisks) {
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<double> r(1 + rng() % 50);
    for (auto& x : r) x = static_cast<double>(rng() % 12) / 16.0;  // ties and zeros on purpose
    const double g = 0.01 + static_cast<double>(rng() % 90) / 100.0;
    const auto got = risk_threshold(r, g);
    const auto want = naive_threshold(r, g);
    ASSERT_EQ(got.has_value(), want.has_value()) << trial;
    if (got) {
      ASSERT_DOUBLE_EQ(*got, *want) << trial;
    }
  }
  EXPECT_THROW(risk_threshold(std::vector<double>{0.1}, 1.0), InvalidArgument);
}

TEST(HighRisk, MedianPlusThreeMad) {
  // Median 0.05, MAD 0: everything above 0.05 and above 0.1 counts: 0.5 and 0.9.
  std::vector<double> r(8, 0.05);
  r.push_back(0.5);
  r.push_back(0.9);
  EXPECT_EQ(count_high_risk(r), 2);
  // By hand: {0.1, 0.2, 0.3, 0.4, 5}: median 0.3, |dev| {0.2,0.1,0,0.1,4.7} -> MAD 0.1*1.4826;
  // cut 0.3 + 0.44478 = 0.74478: only 5 exceeds it.
  EXPECT_EQ(count_high_risk(std::vector<double>{0.1, 0.2, 0.3, 0.4, 5}), 1);
}

namespace {
Table testdata() { return read_csv(test::shared_data("sdcmicro/testdata.csv")); }
}  // namespace

TEST(MeasureRisk, TestdataWeightedWithHouseholds) {
  const Table t = testdata();
  const std::vector<std::string> qi = {"urbrur", "roof", "walls", "water", "sex"};
  const auto res = measure_risk(t, qi, "sampling_weight", "ori_hid");
  const auto& rec = res.records;
  // Independent recomputation: groups by std::map, risk from the formulas, households by product.
  std::map<std::vector<std::string>, std::pair<std::int64_t, double>> groups;
  auto key = [&](std::size_t i) {
    std::vector<std::string> k;
    for (const auto& q : qi) k.push_back(t.column(q).format(i));
    return k;
  };
  const auto w = t.column("sampling_weight").values();
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    auto& g = groups[key(i)];
    g.first += 1;
    g.second += w[i];
  }
  std::map<std::string, double> safe;  // household -> prod(1 - r)
  double er = 0;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    const auto [f, F] = groups[key(i)];
    ASSERT_EQ(rec.fk[i], f);
    ASSERT_DOUBLE_EQ(rec.Fk[i], F);
    const double p = f / F;
    const double want = f == F ? 1.0 / f
                        : f == 1 ? p / (1 - p) * std::log(1 / p)
                        : f == 2 ? p / (1 - p) - std::pow(p / (1 - p), 2) * std::log(1 / p)
                                 : p / (f - (1 - p));
    ASSERT_NEAR(rec.risk[i], want, 1e-14);
    er += want;
    auto [it, fresh] = safe.emplace(t.column("ori_hid").format(i), 1.0);
    it->second *= 1 - want;
  }
  EXPECT_NEAR(res.summary.expected_reidentifications, er, 1e-9 * er);
  EXPECT_NEAR(res.summary.global_risk, er / 4580, 1e-12);
  double hh_er = 0;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    const double want = 1 - safe[t.column("ori_hid").format(i)];
    ASSERT_NEAR(rec.household_risk[i], want, 1e-12);
    hh_er += want;
  }
  EXPECT_NEAR(*res.summary.household_expected_reidentifications, hh_er, 1e-9 * hh_er);
  std::int64_t uniques = 0;
  for (auto f : rec.fk) uniques += f == 1;
  EXPECT_EQ(res.summary.sample_uniques, uniques);
}

TEST(MeasureRisk, UnweightedRiskIsOneOverFk) {
  const auto res = measure_risk(testdata(), {"urbrur", "roof", "walls", "water", "electcon", "relat", "sex"});
  for (std::size_t i = 0; i < res.records.risk.size(); ++i) {
    ASSERT_DOUBLE_EQ(res.records.risk[i], 1.0 / static_cast<double>(res.records.fk[i]));
  }
  EXPECT_DOUBLE_EQ(res.summary.expected_reidentifications, static_cast<double>(res.summary.classes));
}

TEST(MeasureRisk, BadInput) {
  const Table t = testdata();
  RiskOptions opt;
  opt.ks = {0};
  EXPECT_THROW(measure_risk(t, {"sex"}, "", "", opt), InvalidArgument);
  opt.ks = {2};
  opt.max_global_risk = 1.5;
  EXPECT_THROW(measure_risk(t, {"sex"}, "", "", opt), InvalidArgument);
  EXPECT_THROW(measure_risk(t, {"nope"}), InvalidArgument);
  EXPECT_THROW(measure_risk(t, {}), InvalidArgument);
  EXPECT_THROW(measure_risk(t, {"sex"}, "", "no_such"), InvalidArgument);
  Table empty;
  empty.add_column(Column::numeric("sex", {}));
  EXPECT_THROW(measure_risk(empty, {"sex"}), InvalidArgument);
  Table hh;
  hh.add_column(Column::numeric("sex", {1, 2}));
  hh.add_column(Column::numeric("hid", {1, std::nan("")}));
  hh.add_column(Column::numeric("w", {1, -2}));
  try {
    measure_risk(hh, {"sex"}, "", "hid");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("column 'hid': household id is missing in row 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(measure_risk(hh, {"sex"}, "w"), InvalidArgument);
}

TEST(AttackerRisks, HandWorkedExample) {
  // Classes of 1, 2, 3 and 4 records (n = 10) with population sizes 2, 4, 6, 8; threshold 0.3.
  // Prosecutor: risks 1, 1/2, 1/3, 1/4 -> above 0.3: 1+2+3 = 6 records (0.6); highest 1;
  // success 4 classes / 10 = 0.4. Journalist: 1/F = 1/2, 1/4, 1/6, 1/8 -> only the first class
  // (1 record, 0.1); highest 1/2; success max(4/20, (1/2+2/4+3/6+4/8)/10) = 0.2. Marketer 0.2.
  const std::vector<std::int64_t> fk{1, 2, 3, 4};
  const std::vector<double> F{2, 4, 6, 8};
  const auto a = attacker_risks(fk, fk, F, 0.3);
  EXPECT_DOUBLE_EQ(a.prosecutor.records_at_risk, 0.6);
  EXPECT_DOUBLE_EQ(a.prosecutor.highest, 1.0);
  EXPECT_DOUBLE_EQ(a.prosecutor.success_rate, 0.4);
  EXPECT_DOUBLE_EQ(a.journalist.records_at_risk, 0.1);
  EXPECT_DOUBLE_EQ(a.journalist.highest, 0.5);
  EXPECT_DOUBLE_EQ(a.journalist.success_rate, 0.2);
  EXPECT_DOUBLE_EQ(a.marketer, 0.2);
  EXPECT_THROW(attacker_risks(fk, fk, std::vector<double>{2, 1, 6, 8}, 0.3), InvalidArgument);  // F < fk
  EXPECT_THROW(attacker_risks(fk, fk, F, 0.0), InvalidArgument);
}

TEST(AttackerRisks, PopulationTableAgainstNaiveJoin) {
  // Sample: every third record of adult; population: all of adult, aggregated to counts.
  const Table adult = read_csv(test::shared_data("adult/adult.csv"));
  const std::vector<std::string> qi = {"sex", "race", "marital-status"};
  std::map<std::vector<std::string>, double> pop;
  for (std::size_t i = 0; i < adult.num_rows(); ++i) {
    std::vector<std::string> k;
    for (const auto& q : qi) k.push_back(adult.column(q).format(i));
    pop[k] += 1;
  }
  std::string text = "sex,race,marital-status,n\n";
  for (const auto& [k, n] : pop) text += k[0] + "," + k[1] + "," + k[2] + "," + format_number(n) + "\n";
  const Table population = read_csv_text(text);
  Table sample;
  for (const auto& q : qi) {
    const Column& c = adult.column(q);
    std::vector<std::int32_t> codes;
    for (std::size_t i = 0; i < adult.num_rows(); i += 3) codes.push_back(c.codes()[i]);
    sample.add_column(Column::categorical(q, codes, c.categories()));
  }
  RiskOptions opt;
  opt.population = &population;
  opt.population_count = "n";
  opt.attacker_threshold = 0.05;
  const auto res = measure_risk(sample, qi, "", "", opt);
  const auto& a = res.summary.attacker;
  EXPECT_EQ(a.population_source, "population table");
  // Naive: per sample record, its population class size from the map.
  std::map<std::vector<std::string>, double> sample_fk;
  auto key = [&](std::size_t i) {
    std::vector<std::string> k;
    for (const auto& q : qi) k.push_back(sample.column(q).format(i));
    return k;
  };
  for (std::size_t i = 0; i < sample.num_rows(); ++i) sample_fk[key(i)] += 1;
  double at_risk = 0, marketer = 0, minF = 1e300, sumF = 0;
  for (std::size_t i = 0; i < sample.num_rows(); ++i) {
    const double F = pop[key(i)];
    at_risk += 1 / F > 0.05;
    marketer += 1 / F;
    minF = std::min(minF, F);
  }
  for (const auto& [k, f] : sample_fk) sumF += pop[k];
  const double n = static_cast<double>(sample.num_rows());
  EXPECT_DOUBLE_EQ(a.journalist.records_at_risk, at_risk / n);
  EXPECT_DOUBLE_EQ(a.journalist.highest, 1 / minF);
  EXPECT_NEAR(a.marketer, marketer / n, 1e-12);
  EXPECT_NEAR(a.journalist.success_rate, std::max(static_cast<double>(sample_fk.size()) / sumF, marketer / n), 1e-12);
  // A population without one of the sample's classes is refused.
  const Table partial = read_csv_text(text.substr(0, text.rfind('\n', text.size() - 2) + 1));
  opt.population = &partial;
  EXPECT_THROW(measure_risk(sample, qi, "", "", opt), InvalidArgument);
}

namespace {
// R's median and mad (constant 1.4826) by sorting every value: the per-record definition.
double naive_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
std::int64_t naive_high_risk(const std::vector<double>& r) {
  const double med = naive_median(r);
  std::vector<double> dev;
  for (double x : r) dev.push_back(std::abs(x - med));
  const double mad = 1.4826 * naive_median(dev);
  std::int64_t n = 0;
  for (double x : r) n += x > med + 3 * mad && x > 0.1;
  return n;
}
}  // namespace

TEST(MeasureRisk, ClassLevelSummaryEqualsPerRecordDefinitions) {
  std::mt19937_64 rng(23);
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t n = 20 + rng() % 400;
    std::vector<std::int32_t> a(n), b(n);
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = static_cast<std::int32_t>(rng() % 6);
      b[i] = static_cast<std::int32_t>(rng() % (1 + trial % 9));
      w[i] = 1 + static_cast<double>(rng() % 40);
    }
    std::vector<KeyCodes> keys{KeyCodes::of(a, 6), KeyCodes::of(b, 9)};
    RiskOptions opt;
    opt.max_global_risk = 0.02 + 0.01 * (trial % 20);
    const auto res = measure_risk(Span<const KeyCodes>(keys), n, w, nullptr, opt);
    const auto& r = res.records.risk;
    EXPECT_EQ(res.summary.high_risk_records, naive_high_risk(r)) << trial;
    const auto want = naive_threshold(r, opt.max_global_risk);
    ASSERT_EQ(res.summary.threshold.has_value(), want.has_value()) << trial;
    if (want) {
      EXPECT_DOUBLE_EQ(*res.summary.threshold, *want) << trial;
    }
    std::int64_t below3 = 0;
    for (auto f : res.records.fk) below3 += f < 3;
    EXPECT_EQ(res.summary.records_below_k[1].second, below3);
  }
}

TEST(MeasureRisk, PopulationUniquenessUsesTheClassHistogram) {
  const Table t = read_csv(test::shared_data("adult/adult.csv"));
  std::vector<std::string> qi;
  for (const auto& c : t.columns()) qi.push_back(c.name());
  RiskOptions opt;
  opt.population_size = 301620;  // sampling fraction 0.1, as in ARX's published adult example
  const auto res = measure_risk(t, qi, "", "", opt);
  ASSERT_TRUE(res.summary.population_uniqueness.has_value());
  const auto& u = *res.summary.population_uniqueness;
  const auto hist = class_size_distribution(res.classes);
  EXPECT_EQ(u.population_size_source, "given");
  EXPECT_DOUBLE_EQ(u.dankar.population_uniques,
                   estimate_population_uniques(hist, 301620, UniquenessModel::kDankar).population_uniques);
  EXPECT_DOUBLE_EQ(u.zayatz.population_uniques,
                   estimate_population_uniques(hist, 301620, UniquenessModel::kZayatz).population_uniques);
  EXPECT_EQ(u.dankar.model_used, UniquenessModel::kPitman);  // Dankar's rule: pi <= 0.1
  // Without weights and without a size there is nothing to estimate; a size below n is refused.
  EXPECT_FALSE(measure_risk(t, qi).summary.population_uniqueness.has_value());
  opt.population_size = 100;
  EXPECT_THROW(measure_risk(t, qi, "", "", opt), InvalidArgument);
}

TEST(MeasureRisk, PopulationSizeFromWeights) {
  const Table t = read_csv(test::shared_data("sdcmicro/testdata.csv"));
  const auto res = measure_risk(t, {"urbrur", "roof", "walls", "water", "sex"}, "sampling_weight");
  ASSERT_TRUE(res.summary.population_uniqueness.has_value());
  EXPECT_EQ(res.summary.population_uniqueness->population_size_source, "weights");
  EXPECT_DOUBLE_EQ(res.summary.population_uniqueness->population_size, 4580.0 * 100);  // every weight is 100
}

namespace {

// Rows of `keys` merged into aggregated rows: records with the same key and the same `split`
// value (one of three, drawn at random) become one row with their count and summed weight, so a
// key appears in up to three rows, as partial counts from three chunks would.
struct Aggregated {
  std::vector<std::vector<std::int32_t>> cols;
  std::vector<double> weight;
  std::vector<std::int64_t> frequency;
};

Aggregated aggregate(const std::vector<std::vector<std::int32_t>>& cols, const std::vector<double>& w,
                     std::mt19937_64& rng) {
  std::map<std::vector<std::int32_t>, std::size_t> row_of;
  Aggregated out;
  out.cols.resize(cols.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    std::vector<std::int32_t> key;
    for (const auto& c : cols) key.push_back(c[i]);
    key.push_back(static_cast<std::int32_t>(rng() % 3));
    auto [it, fresh] = row_of.emplace(key, out.frequency.size());
    if (fresh) {
      for (std::size_t j = 0; j < cols.size(); ++j) out.cols[j].push_back(cols[j][i]);
      out.weight.push_back(0);
      out.frequency.push_back(0);
    }
    out.weight[it->second] += w[i];
    out.frequency[it->second] += 1;
  }
  return out;
}

}  // namespace

// The aggregated path (ClassOptions/RiskOptions::frequency, used by sdcore.stream and
// sdcore.spark) against the record path on the same records: every global figure must agree.
TEST(MeasureRisk, AggregatedRowsGiveTheFiguresOfTheRecords) {
  std::mt19937_64 rng(77);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t n = 50 + rng() % 600;
    const bool any = trial % 2 == 1;  // sdcMicro's missing-matches-any rule on odd trials
    std::vector<std::vector<std::int32_t>> cols(3, std::vector<std::int32_t>(n));
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) {
      cols[0][i] = static_cast<std::int32_t>(rng() % 5);
      cols[1][i] = static_cast<std::int32_t>(rng() % 7) - (any && rng() % 10 == 0 ? 8 : 0);
      if (cols[1][i] < 0) cols[1][i] = -1;
      cols[2][i] = static_cast<std::int32_t>(rng() % (2 + trial % 4));
      w[i] = 1 + static_cast<double>(rng() % 50) / 4;
    }
    const Aggregated agg = aggregate(cols, w, rng);
    auto views = [](const std::vector<std::vector<std::int32_t>>& c) {
      return std::vector<KeyCodes>{KeyCodes::of(c[0], 5), KeyCodes::of(c[1], 7), KeyCodes::of(c[2], 6)};
    };
    RiskOptions opt;
    opt.missing = any ? MissingPolicy::kMatchAny : MissingPolicy::kOwnValue;
    opt.max_global_risk = 0.05;
    const auto rec_keys = views(cols);
    const auto want = measure_risk(Span<const KeyCodes>(rec_keys), n, w, nullptr, opt).summary;
    RiskOptions agg_opt = opt;
    agg_opt.frequency = agg.frequency;
    const auto agg_keys = views(agg.cols);
    const auto got = measure_risk(Span<const KeyCodes>(agg_keys), agg.frequency.size(), agg.weight, nullptr,
                                  agg_opt).summary;
    EXPECT_EQ(got.records, static_cast<std::int64_t>(n));
    EXPECT_EQ(got.classes, want.classes);
    EXPECT_EQ(got.sample_uniques, want.sample_uniques);
    EXPECT_EQ(got.records_below_k, want.records_below_k);
    EXPECT_NEAR(got.expected_reidentifications, want.expected_reidentifications,
                1e-12 * want.expected_reidentifications);
    EXPECT_DOUBLE_EQ(got.max_risk, want.max_risk);
    ASSERT_EQ(got.threshold.has_value(), want.threshold.has_value());
    if (want.threshold) {
      EXPECT_NEAR(*got.threshold, *want.threshold, 1e-12);
    }
    EXPECT_EQ(got.high_risk_records, want.high_risk_records);
    EXPECT_NEAR(got.attacker.prosecutor.success_rate, want.attacker.prosecutor.success_rate, 1e-12);
    EXPECT_NEAR(got.attacker.journalist.records_at_risk, want.attacker.journalist.records_at_risk, 1e-12);
    EXPECT_NEAR(got.attacker.marketer, want.attacker.marketer, 1e-12);
    ASSERT_TRUE(got.population_uniqueness && want.population_uniqueness);
    EXPECT_NEAR(got.population_uniqueness->population_size, want.population_uniqueness->population_size, 1e-9);
    EXPECT_NEAR(got.population_uniqueness->pitman.population_uniques,
                want.population_uniqueness->pitman.population_uniques, 1e-6);
  }
}

TEST(MeasureRisk, AggregatedRowsRejectBadFrequenciesAndHouseholds) {
  std::vector<std::int32_t> a{0, 1, 1};
  std::vector<std::int64_t> f{2, 0, 1};
  std::vector<KeyCodes> keys{KeyCodes::of(a, 2)};
  RiskOptions opt;
  opt.frequency = f;
  EXPECT_THROW(measure_risk(Span<const KeyCodes>(keys), 3, {}, nullptr, opt), InvalidArgument);
  f[1] = 3;
  const auto r = measure_risk(Span<const KeyCodes>(keys), 3, {}, nullptr, opt);
  EXPECT_EQ(r.summary.records, 6);
  EXPECT_EQ(r.summary.sample_uniques, 0);  // classes of 2 and 4 records
  EXPECT_EQ(r.classes.count, (std::vector<std::int64_t>{2, 4}));
  EXPECT_THROW(measure_risk(Span<const KeyCodes>(keys), 3, {}, &keys[0], opt), InvalidArgument);
  std::vector<std::int64_t> short_f{1, 1};
  opt.frequency = short_f;
  EXPECT_THROW(measure_risk(Span<const KeyCodes>(keys), 3, {}, nullptr, opt), InvalidArgument);
}

TEST(MeasureRisk, ThreadsGiveIdenticalResults) {
  // 600k rows: enough for the class count and the per-record fill to split over two threads.
  std::mt19937_64 rng(31);
  const std::size_t n = 600'000;
  std::vector<std::int32_t> a(n), b(n);
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = static_cast<std::int32_t>(rng() % 300);
    b[i] = static_cast<std::int32_t>(rng() % 40);
    w[i] = 1 + static_cast<double>(rng() % 90);
  }
  std::vector<KeyCodes> keys{KeyCodes::of(a, 300), KeyCodes::of(b, 40)};
  RiskOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const auto r1 = measure_risk(Span<const KeyCodes>(keys), n, w, nullptr, one);
  const auto r2 = measure_risk(Span<const KeyCodes>(keys), n, w, nullptr, two);
  EXPECT_EQ(r1.classes.row_class, r2.classes.row_class);
  EXPECT_EQ(r1.records.fk, r2.records.fk);
  EXPECT_EQ(r1.records.Fk, r2.records.Fk);
  EXPECT_EQ(r1.records.risk, r2.records.risk);
  EXPECT_EQ(r1.summary.expected_reidentifications, r2.summary.expected_reidentifications);  // bit for bit
  EXPECT_EQ(r1.summary.threshold, r2.summary.threshold);
}
