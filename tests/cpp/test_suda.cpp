// SUDA2 against independently derived numbers:
//  - a brute-force reference in this file that enumerates every subset of keys, finds each
//    record's MSUs by their definition and scores them by the formulas of docs/methods/suda.md
//    (Elliot et al. 2002 weights, sdcMicro's IHSN weights, sdcMicro's DIS-SUDA steps);
//  - published numbers: the SDC practice guide's Table 4.5, the example of Templ's book, and
//    the expectations of sdcMicro's own tests/testthat/test_suda2.R and issues #226, #263,
//    #275 and #356 (each test names its source);
//  - sdcMicro's testdata (4580 records, 7 keys) against the brute force.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/suda.hpp"
#include "test_support.hpp"

using namespace sdcore;

namespace {

using Codes = std::vector<std::vector<std::int32_t>>;  // codes[key][row], -1 missing

struct Naive {
  std::vector<double> score, dis;
  std::vector<std::vector<double>> contribution;  // [key][row]
  std::vector<std::int64_t> msu_count, by_size;
  std::vector<int> min_size;
  std::vector<double> attribute;
};

std::uint64_t fact(int n) { return n <= 1 ? 1 : static_cast<std::uint64_t>(n) * fact(n - 1); }

// sdcMicro's Suda2.h record hash, written from its description: a 16-bit register shifted left
// one place per key, the key's value added, the bit shifted out added back in.
std::uint16_t hash16(const std::vector<std::int32_t>& values) {
  std::uint16_t h = 0;
  for (std::int32_t v : values) {
    const bool top = (h & 0x8000) != 0;
    h = static_cast<std::uint16_t>(h << 1);
    h = static_cast<std::uint16_t>(h + v);
    if (top) h = static_cast<std::uint16_t>(h + 1);
  }
  return h;
}

// The brute force. K = largest MSU size; weights as documented in suda.md.
Naive naive_suda(const Codes& codes, int K, const SudaOptions& opt) {
  const int M = static_cast<int>(codes.size());
  const std::size_t n = codes[0].size();
  std::vector<std::vector<char>> unique(std::size_t{1} << M, std::vector<char>(n, 0));
  for (std::uint32_t mask = 1; mask < (1u << M); ++mask) {
    std::map<std::vector<std::int32_t>, int> count;
    std::vector<std::vector<std::int32_t>> key(n);
    for (std::size_t i = 0; i < n; ++i) {
      bool present = true;
      for (int j = 0; j < M; ++j) {
        if (!(mask >> j & 1)) continue;
        present = present && codes[j][i] >= 0;
        key[i].push_back(codes[j][i]);
      }
      if (present) ++count[key[i]];
      else key[i].clear();
    }
    for (std::size_t i = 0; i < n; ++i) unique[mask][i] = !key[i].empty() && count[key[i]] == 1;
  }
  const bool ihsn = opt.scoring == SudaScoring::kIhsn;
  std::vector<std::uint64_t> num(static_cast<std::size_t>(M) + 1, 0);
  for (int k = 1; k <= K; ++k) {
    if (ihsn) {
      num[k] = ((std::uint64_t{1} << (M - k)) - 1) * fact(k) * fact(M - k);
    } else {
      num[k] = 1;
      for (int i = k; i <= std::min(K, M - 1); ++i) num[k] *= static_cast<std::uint64_t>(M - i);
    }
  }
  const double den = ihsn ? static_cast<double>(fact(M)) : 1.0;
  Naive r;
  r.score.assign(n, 0);
  r.msu_count.assign(n, 0);
  r.min_size.assign(n, 0);
  r.by_size.assign(static_cast<std::size_t>(K), 0);
  r.contribution.assign(static_cast<std::size_t>(M), std::vector<double>(n, 0));
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t total = 0;
    std::vector<std::uint64_t> per_key(static_cast<std::size_t>(M), 0);
    for (std::uint32_t mask = 1; mask < (1u << M); ++mask) {
      const int k = __builtin_popcount(mask);
      if (k > K || !unique[mask][i]) continue;
      bool minimal = true;
      for (int j = 0; j < M && k > 1; ++j) {
        if (mask >> j & 1) minimal = minimal && !unique[mask ^ (1u << j)][i];
      }
      if (!minimal) continue;
      total += num[k];
      ++r.msu_count[i];
      ++r.by_size[k - 1];
      if (r.min_size[i] == 0) r.min_size[i] = k;
      r.min_size[i] = std::min(r.min_size[i], k);
      for (int j = 0; j < M; ++j) per_key[j] += (mask >> j & 1) ? num[k] : 0;
    }
    r.score[i] = static_cast<double>(total) / den;
    for (int j = 0; j < M && total > 0; ++j) {
      r.contribution[j][i] = static_cast<double>(per_key[j]) / static_cast<double>(total);
    }
  }
  // DIS-SUDA, sdcMicro's Suda2.h steps (float where it uses float).
  std::map<std::vector<std::int32_t>, int> full;
  std::vector<int> bucket(1 << 16, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::int32_t> row, value;
    for (int j = 0; j < M; ++j) {
      row.push_back(codes[j][i]);
      value.push_back(codes[j][i] < 0 ? opt.missing_value : codes[j][i] + 1);
    }
    ++full[row];
    ++bucket[hash16(value)];
  }
  int pairs = 0, alone = 0;
  for (const auto& [row, c] : full) pairs += c == 2 ? 2 : 0;
  for (int b : bucket) alone += b == 1;
  const double f = opt.dis_fraction;
  double numerator = pairs * (1 - f) / f, Q = 1 + (8.0 - M) / 20;
  if (opt.dis_arithmetic == DisArithmetic::kSdcMicro) {
    const float ff = static_cast<float>(f), u = static_cast<float>(alone);
    const float dis = u * ff / (u * ff + static_cast<float>(pairs) * (1.0f - ff));
    if (alone > 0) numerator = static_cast<double>(u / dis - u);
    Q = static_cast<double>(1.0f + (8.0f - static_cast<float>(M)) / 20.0f);
  }
  double A = 0;
  for (double s : r.score) A += s != 0 ? 1.0 / std::pow(s, Q) : 0.0;
  r.dis.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (r.score[i] != 0) r.dis[i] = 1.0 / (1.0 + numerator / (std::pow(r.score[i], Q) * A));
  }
  long double sum = 0;
  for (double s : r.score) sum += s;
  for (int j = 0; j < M; ++j) {
    long double part = 0;
    for (std::size_t i = 0; i < n; ++i) part += r.contribution[j][i] * r.score[i];
    r.attribute.push_back(sum > 0 ? 100 * static_cast<double>(part / sum) : 0.0);
  }
  return r;
}

std::int64_t cardinality(const std::vector<std::int32_t>& codes) {
  return codes.empty() ? 0 : *std::max_element(codes.begin(), codes.end()) + 1;
}

SudaResult run(const Codes& codes, const SudaOptions& opt = {}) {
  std::vector<KeyCodes> keys;
  for (const auto& c : codes) keys.push_back(KeyCodes::of(c, std::max<std::int64_t>(1, cardinality(c))));
  return suda2(Span<const KeyCodes>(keys), codes[0].size(), opt);
}

void expect_matches_naive(const Codes& codes, const SudaOptions& opt, const std::string& what) {
  const int K = opt.max_msu_size.value_or(static_cast<int>(codes.size()));
  const Naive want = naive_suda(codes, K, opt);
  const SudaResult got = run(codes, opt);
  ASSERT_EQ(got.score.size(), want.score.size()) << what;
  EXPECT_EQ(got.msus_by_size, want.by_size) << what;
  for (std::size_t i = 0; i < want.score.size(); ++i) {
    ASSERT_EQ(got.score[i], want.score[i]) << what << " row " << i;
    ASSERT_EQ(got.msu_count[i], want.msu_count[i]) << what << " row " << i;
    ASSERT_EQ(got.min_msu_size[i], want.min_size[i]) << what << " row " << i;
    ASSERT_NEAR(got.dis_score[i], want.dis[i], 1e-13 * want.dis[i]) << what << " row " << i;
    for (std::size_t j = 0; j < codes.size(); ++j) {
      ASSERT_EQ(got.contribution[j][i], want.contribution[j][i]) << what << " row " << i << " key " << j;
    }
  }
  for (std::size_t j = 0; j < codes.size(); ++j) {
    EXPECT_NEAR(got.attribute_contribution[j], want.attribute[j], 1e-11) << what << " key " << j;
  }
}

// A random table of `rows` x `keys`. Some keys copy or coarsen an earlier one (so that items
// are perfectly correlated), some rows repeat earlier rows, and codes go missing with `p_miss`.
Codes random_table(std::mt19937_64& rng, int keys, int rows, double p_miss) {
  auto below = [&](std::uint64_t k) { return static_cast<std::int32_t>(rng() % k); };
  Codes c(static_cast<std::size_t>(keys), std::vector<std::int32_t>(static_cast<std::size_t>(rows)));
  for (int j = 0; j < keys; ++j) {
    const int card = 1 + below(6), kind = j > 0 ? below(4) : 0, from = j > 0 ? below(j) : 0;
    for (int i = 0; i < rows; ++i) {
      const std::int32_t src = c[from][i] < 0 ? 0 : c[from][i];
      c[j][i] = kind == 1 ? (src * 5 + 2) % 7 : kind == 2 ? src / 2 : below(static_cast<std::uint64_t>(card));
    }
  }
  for (int i = 1; i < rows; ++i) {
    if (below(4) == 0) {
      const int from = below(static_cast<std::uint64_t>(i));
      for (int j = 0; j < keys; ++j) c[j][i] = c[j][from];
    }
  }
  for (auto& col : c) {
    for (auto& v : col) {
      if (static_cast<double>(rng() >> 11) * 0x1.0p-53 < p_miss) v = -1;
    }
  }
  return c;
}

Column categorical(const std::string& name, const std::vector<std::string>& labels) {
  std::vector<std::string> cats;
  std::vector<std::int32_t> codes;
  for (const auto& s : labels) {
    auto it = std::find(cats.begin(), cats.end(), s);
    if (it == cats.end()) it = cats.insert(cats.end(), s);
    codes.push_back(static_cast<std::int32_t>(it - cats.begin()));
  }
  return Column::categorical(name, std::move(codes), std::move(cats));
}

Table table_of(const std::vector<std::pair<std::string, std::vector<std::string>>>& cols) {
  Table t;
  for (const auto& [name, labels] : cols) t.add_column(categorical(name, labels));
  return t;
}

}  // namespace

TEST(SudaBruteForce, RandomTablesMatchDefinition) {
  std::mt19937_64 rng(20261123);
  for (int t = 0; t < test::long_run(400); ++t) {
    const int keys = 3 + static_cast<int>(rng() % 5), rows = 5 + static_cast<int>(rng() % 196);
    const double p_miss = t % 3 == 0 ? 0.0 : t % 3 == 1 ? 0.05 : 0.25;
    const Codes codes = random_table(rng, keys, rows, p_miss);
    SudaOptions opt;
    if (t % 4 == 1) opt.max_msu_size = 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(keys));
    opt.scoring = t % 2 == 0 ? SudaScoring::kOriginal : SudaScoring::kIhsn;
    opt.dis_arithmetic = t % 5 == 0 ? DisArithmetic::kExact : DisArithmetic::kSdcMicro;
    opt.dis_fraction = t % 7 == 0 ? 0.3 : 0.01;
    expect_matches_naive(codes, opt, "table " + std::to_string(t));
    if (HasFatalFailure()) return;
  }
}

TEST(SudaBruteForce, DisFallsBackToExactWhenNoRecordIsAloneInItsBucket) {
  // With 3 keys of codes 0..2 sdcMicro's hash takes few values, so uniques share buckets. Find
  // seeded tables where no record is alone in its bucket: sdcMicro's DIS is 0/0 there, ours is
  // the exact formula (the brute force does the same).
  std::mt19937_64 rng(7);
  int found = 0;
  for (int t = 0; t < 2000 && found < 5; ++t) {
    Codes c(3, std::vector<std::int32_t>(40));
    for (auto& col : c) for (auto& v : col) v = static_cast<std::int32_t>(rng() % 3);
    std::vector<int> bucket(1 << 16, 0);
    for (int i = 0; i < 40; ++i) ++bucket[hash16({c[0][i] + 1, c[1][i] + 1, c[2][i] + 1})];
    if (std::count(bucket.begin(), bucket.end(), 1) != 0) continue;
    const SudaResult r = run(c);
    if (std::all_of(r.score.begin(), r.score.end(), [](double s) { return s == 0; })) continue;
    ++found;
    SudaOptions exact;
    exact.dis_arithmetic = DisArithmetic::kExact;
    EXPECT_EQ(r.dis_score, run(c, exact).dis_score);
    expect_matches_naive(c, SudaOptions{}, "bucket table " + std::to_string(t));
  }
  EXPECT_GT(found, 0);
}

TEST(SudaPublished, SdcPracticeGuideTable45) {
  // Benschop et al., "Statistical Disclosure Control for Microdata: A Practice Guide" (IHSN),
  // Table 4.5, as encoded in sdcMicro's test "suda2 sdc guideline": 0,0,6,0,12,0,6,10,0,0. The
  // IHSN scores are sdcMicro's output quoted in its issue #226: 1.75, 3.25, 1.75, 2.75.
  const Table t = table_of(
      {{"Residence", {"Urban", "Urban", "Urban", "Urban", "Rural", "Urban", "Urban", "Urban", "Urban", "Urban"}},
       {"Gender", {"Female", "Female", "Female", "Male", "Female", "Male", "Female", "Male", "Female", "Female"}},
       {"Education", {"Sec inc", "Sec inc", "Prim inc", "Sec com", "Sec com", "Sec com", "Prim com", "Post-sec",
                      "Sec inc", "Sec inc"}},
       {"Labor", {"Employed", "Employed", "Non-LF", "Employed", "Unemployed", "Employed", "Non-LF", "Unemployed",
                  "Non-LF", "Non-LF"}}});
  const std::vector<std::string> keys = {"Residence", "Gender", "Education", "Labor"};
  EXPECT_EQ(suda2(t, keys).score, (std::vector<double>{0, 0, 6, 0, 12, 0, 6, 10, 0, 0}));
  SudaOptions ihsn;
  ihsn.scoring = SudaScoring::kIhsn;
  EXPECT_EQ(suda2(t, keys, ihsn).score, (std::vector<double>{0, 0, 1.75, 0, 3.25, 0, 1.75, 2.75, 0, 0}));
}

TEST(SudaPublished, TemplBookExample) {
  // Templ (2017), Statistical Disclosure Control for Microdata, the SUDA example; sdcMicro test
  // "suda2 book example" expects scores 4, 2, 6, 8 for records 5..8, and the book's IHSN score
  // of record 8 is 2.25 (sdcMicro issue #263).
  const Table t = table_of({{"age", {"20s", "20s", "20s", "20s", "20s", "20s", "20s", "60s"}},
                            {"gender", {"m", "m", "m", "m", "f", "f", "f", "m"}},
                            {"income", {"50k+", "50k+", "50k-", "50k-", "50k-", "50k-", "50k-", "50k-"}},
                            {"education", {"hs", "hs", "hs", "hs", "uni", "hs", "middle", "uni"}}});
  const std::vector<std::string> keys = {"age", "gender", "income", "education"};
  EXPECT_EQ(suda2(t, keys).score, (std::vector<double>{0, 0, 0, 0, 4, 2, 6, 8}));
  SudaOptions ihsn;
  ihsn.scoring = SudaScoring::kIhsn;
  EXPECT_EQ(suda2(t, keys, ihsn).score[7], 2.25);
}

TEST(SudaPublished, AttributeContributionsOfIssue275) {
  // sdcMicro issue #275 and tests "suda2 simple example contrubtion" 1-4: MSUs a2, b3, c6 (2
  // each) and (a1, b0), (a1, c0) (1 each) give 50, 37.5, 37.5 percent, in any column order.
  const std::vector<std::string> a = {"2", "1", "1"}, b = {"0", "3", "0"}, c = {"0", "6", "0"};
  const Table t = table_of({{"a", a}, {"b", b}, {"c", c}});
  EXPECT_EQ(suda2(t, {"a", "b", "c"}).attribute_contribution, (std::vector<double>{50, 37.5, 37.5}));
  EXPECT_EQ(suda2(t, {"a", "c", "b"}).attribute_contribution, (std::vector<double>{50, 37.5, 37.5}));
  EXPECT_EQ(suda2(t, {"c", "a", "b"}).attribute_contribution, (std::vector<double>{37.5, 50, 37.5}));
  EXPECT_EQ(suda2(t, {"c", "b", "a"}).attribute_contribution, (std::vector<double>{37.5, 37.5, 50}));
}

TEST(SudaPublished, ScoresAndContributionsOfIssue356) {
  // sdcMicro issue #356 (sdcMicro output quoted there): scores 0 2 3 3 3 0 2; attribute
  // contributions 61.53846, 69.23077, 53.84615 (8/13, 9/13 and 7/13 of the MSU weight).
  const Table t = table_of({{"Var1", {"A", "B", "A", "C", "B", "A", "B"}},
                            {"Var2", {"X", "X", "Y", "Z", "Y", "X", "Z"}},
                            {"Var3", {"P", "Q", "Q", "R", "R", "P", "Q"}}});
  const SudaResult r = suda2(t, {"Var1", "Var2", "Var3"});
  EXPECT_EQ(r.score, (std::vector<double>{0, 2, 3, 3, 3, 0, 2}));
  EXPECT_NEAR(r.attribute_contribution[0], 61.53846, 5e-6);
  EXPECT_NEAR(r.attribute_contribution[1], 69.23077, 5e-6);
  EXPECT_NEAR(r.attribute_contribution[2], 53.84615, 5e-6);
}

TEST(SudaPublished, Testdata2ExpectationsOfSdcMicroTests) {
  // sdcMicro tests/testthat/test_suda2.R on testdata2: the first record scores 2 with keys
  // urbrur, roof, walls, water, sex; 180 with the 7 keys; 2.73 (rounded) with IHSN weights.
  const Table t = read_csv(test::shared_data("sdcmicro/testdata2.csv"));
  EXPECT_EQ(suda2(t, {"urbrur", "roof", "walls", "water", "sex"}).score[0], 2);
  const std::vector<std::string> seven = {"urbrur", "roof", "walls", "water", "electcon", "relat", "sex"};
  EXPECT_EQ(suda2(t, seven).score[0], 180);
  SudaOptions ihsn;
  ihsn.scoring = SudaScoring::kIhsn;
  EXPECT_EQ(std::round(suda2(t, seven, ihsn).score[0] * 100) / 100, 2.73);
}

TEST(SudaRealData, TestdataSevenKeysMatchesBruteForce) {
  // sdcMicro's testdata (4580 households), the 7 keys of its createSdcObj examples.
  const Table t = read_csv(test::shared_data("sdcmicro/testdata.csv"));
  const std::vector<std::string> names = {"urbrur", "roof", "walls", "water", "electcon", "relat", "sex"};
  Codes codes;
  for (const auto& name : names) {
    const Column f = factorize(t.column(name));
    codes.emplace_back(f.codes().begin(), f.codes().end());
  }
  for (auto scoring : {SudaScoring::kOriginal, SudaScoring::kIhsn}) {
    SudaOptions opt;
    opt.scoring = scoring;
    expect_matches_naive(codes, opt, "testdata");
    const SudaResult via_table = suda2(t, names, opt);
    EXPECT_EQ(via_table.score, run(codes, opt).score);
  }
  SudaOptions three;
  three.max_msu_size = 3;
  expect_matches_naive(codes, three, "testdata K=3");
}

TEST(SudaApi, NumericMissingCodeAndNarrowCodesAgree) {
  // A numeric key equal to options.missing_value (sdcMicro's `missing`, -999) is missing, as
  // is NaN; the kernel accepts 1-byte codes.
  Table t;
  t.add_column(Column::numeric("x", {1, 2, 2, -999, 3, 1, std::nan("")}));
  t.add_column(categorical("y", {"a", "b", "a", "a", "b", "b", "a"}));
  t.add_column(categorical("z", {"u", "u", "v", "v", "u", "v", "v"}));
  const Codes codes = {{0, 1, 1, -1, 2, 0, -1}, {0, 1, 0, 0, 1, 1, 0}, {0, 0, 1, 1, 0, 1, 1}};
  expect_matches_naive(codes, SudaOptions{}, "missing");
  EXPECT_EQ(suda2(t, {"x", "y", "z"}).score, run(codes).score);
  std::vector<std::vector<std::int8_t>> narrow(3);
  std::vector<KeyCodes> keys;
  for (std::size_t j = 0; j < 3; ++j) {
    for (auto v : codes[j]) narrow[j].push_back(static_cast<std::int8_t>(v));
    keys.push_back(KeyCodes{narrow[j].data(), 1, cardinality(codes[j])});
  }
  EXPECT_EQ(suda2(Span<const KeyCodes>(keys), 7).score, run(codes).score);
}

TEST(SudaApi, FactorialWeightsBeyondSixtyFourBitsAreRoundedOnce) {
  // Two records differing only in key 0 of 25: each has the single MSU {key 0}, weighted
  // 24! = 620448401733239439360000 (above 2^64; the literal is rounded once by the compiler).
  Codes c(25, std::vector<std::int32_t>{0, 0});
  c[0] = {0, 1};
  const SudaResult r = run(c);
  EXPECT_EQ(r.score, (std::vector<double>{620448401733239439360000.0, 620448401733239439360000.0}));
  EXPECT_EQ(r.contribution[0][0], 1.0);
  SudaOptions ihsn;
  ihsn.scoring = SudaScoring::kIhsn;
  EXPECT_EQ(run(c, ihsn).score[0], (std::pow(2.0, 24) - 1) / 25);  // (2^24 - 1) / C(25, 1), exact
}

TEST(SudaApi, BadArgumentsThrow) {
  const Codes c = {{0, 1, 1}, {0, 0, 1}, {1, 0, 1}};
  std::vector<KeyCodes> keys;
  for (const auto& k : c) keys.push_back(KeyCodes::of(k, 2));
  const Span<const KeyCodes> view(keys);
  auto with = [](auto set) { SudaOptions o; set(o); return o; };
  EXPECT_THROW(suda2(Span<const KeyCodes>(), 3), InvalidArgument);
  EXPECT_THROW(suda2(view, 0), InvalidArgument);
  EXPECT_THROW(suda2(view, 3, with([](SudaOptions& o) { o.max_msu_size = 0; })), InvalidArgument);
  EXPECT_THROW(suda2(view, 3, with([](SudaOptions& o) { o.max_msu_size = 4; })), InvalidArgument);
  EXPECT_THROW(suda2(view, 3, with([](SudaOptions& o) { o.dis_fraction = 0; })), InvalidArgument);
  EXPECT_THROW(suda2(view, 3, with([](SudaOptions& o) { o.dis_fraction = 1.5; })), InvalidArgument);
  EXPECT_THROW(suda2(view, 3, with([](SudaOptions& o) { o.dis_fraction = std::nan(""); })), InvalidArgument);
  EXPECT_NO_THROW(suda2(view, 3, with([](SudaOptions& o) { o.dis_fraction = 1; })));
  const std::vector<std::int32_t> bad = {0, 2, 1};
  keys[0] = KeyCodes::of(bad, 2);
  EXPECT_THROW(suda2(Span<const KeyCodes>(keys), 3), InvalidArgument);
  const Codes many(65, std::vector<std::int32_t>{0, 1});
  EXPECT_THROW(run(many), InvalidArgument);
  const Table t = table_of({{"a", {"x", "y"}}, {"b", {"x", "x"}}});
  EXPECT_THROW(suda2(t, {}), InvalidArgument);
  EXPECT_THROW(suda2(t, {"a", "a"}), InvalidArgument);
  EXPECT_THROW(suda2(t, {"a", "nope"}), InvalidArgument);
}

TEST(SudaProgress, ReportsEveryTopLevelItemUpToTheTotal) {
  const Table t = read_csv(test::shared_data("sdcmicro/testdata.csv"));
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  SudaOptions opt;
  opt.progress = [&](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); };
  const auto with = suda2(t, {"urbrur", "roof", "walls", "water", "electcon", "relat", "sex"}, opt);
  ASSERT_FALSE(calls.empty());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].first, i + 1);  // one call per finished top-level item, in order
    EXPECT_EQ(calls[i].second, calls.back().second);
  }
  EXPECT_EQ(calls.back().first, calls.back().second);
  // Reporting does not change the result.
  const auto without = suda2(t, {"urbrur", "roof", "walls", "water", "electcon", "relat", "sex"});
  EXPECT_EQ(with.score, without.score);
}
