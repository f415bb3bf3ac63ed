// Local suppression against independently derived results: an O(n^2) re-count of fk on the
// output, a naive row-by-row re-implementation of sdcMicro's sweep (R/localSuppression.R and
// src/calcSuppInds.cpp of sdcMicro, including its step that trims large classes first), a
// small example worked by hand, and the suppression counts sdcMicro's own tests publish for
// testdata2.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/local_suppression.hpp"
#include "test_support.hpp"

using namespace sdcore;

namespace {

using Matrix = std::vector<std::vector<std::int32_t>>;  // [row][key], -1 = missing
using Cells = std::vector<std::pair<std::size_t, std::size_t>>;  // (row, key)

// fk straight from the definition: rows that agree wherever both have a value. As in sdcMicro's
// freqCalc (and sdcore::MissingPolicy::kMatchAny), a row with every key missing matches every
// row but does not count towards a row with no key missing.
std::vector<std::int64_t> naive_fk(const Matrix& x) {
  std::vector<std::int64_t> fk(x.size(), 0);
  for (std::size_t a = 0; a < x.size(); ++a) {
    for (std::size_t b = 0; b < x.size(); ++b) {
      bool ok = true, a_complete = true, b_all_missing = true;
      for (std::size_t j = 0; j < x[a].size(); ++j) {
        ok &= x[a][j] < 0 || x[b][j] < 0 || x[a][j] == x[b][j];
        a_complete &= x[a][j] >= 0;
        b_all_missing &= x[b][j] < 0;
      }
      fk[a] += ok && !(a_complete && b_all_missing);
    }
  }
  return fk;
}

// The column sdcMicro blanks in row i of x: among the rows at the smallest positive distance
// (number of keys where both have a value and differ: cpp_calcSuppInds), the first key in
// `order` in which one of them differs from row i. With no row at a positive distance (sdcMicro
// stops with an error), the first key in `order` row i still has (sdcore's documented choice).
std::size_t naive_choice(const Matrix& x, std::size_t i, const std::vector<std::size_t>& order) {
  std::vector<int> dist(x.size(), 0);
  int best = 0;
  for (std::size_t s = 0; s < x.size(); ++s) {
    for (std::size_t j = 0; j < x[i].size(); ++j) dist[s] += x[i][j] >= 0 && x[s][j] >= 0 && x[i][j] != x[s][j];
    if (dist[s] > 0 && (best == 0 || dist[s] < best)) best = dist[s];
  }
  for (std::size_t c : order) {
    if (best == 0 && x[i][c] >= 0) return c;
    for (std::size_t s = 0; s < x.size() && best > 0; ++s) {
      if (dist[s] == best && x[s][c] >= 0 && x[i][c] >= 0 && x[s][c] != x[i][c]) return c;
    }
  }
  ADD_FAILURE() << "no column to suppress";
  return 0;
}

// sdcMicro's suppSubset on x (the subset's keys), literally: (3) keep only the first k rows
// of each exact key, (4) passes: every row with fk < k, in order of risk 1/fk descending (R's
// stable order), gets one blanked cell; then fk is recounted. Appends (row, key) to `cells`.
void naive_supp_subset(Matrix& x, std::int64_t k, const std::vector<std::size_t>& order, Cells& cells) {
  std::map<std::vector<std::int32_t>, std::int64_t> seen;
  std::vector<std::size_t> ids;
  Matrix y;
  for (std::size_t r = 0; r < x.size(); ++r) {
    if (++seen[x[r]] <= k) {
      ids.push_back(r);
      y.push_back(x[r]);
    }
  }
  for (;;) {
    const std::vector<std::int64_t> fk = naive_fk(y);
    std::vector<std::size_t> problems;
    for (std::size_t i = 0; i < y.size(); ++i) if (fk[i] < k) problems.push_back(i);
    if (problems.empty()) break;
    std::stable_sort(problems.begin(), problems.end(), [&](std::size_t a, std::size_t b) {
      return 1.0 / static_cast<double>(fk[a]) > 1.0 / static_cast<double>(fk[b]);
    });
    for (std::size_t i : problems) {
      const std::size_t c = naive_choice(y, i, order);
      y[i][c] = -1;
      cells.emplace_back(ids[i], c);
    }
  }
  for (std::size_t i = 0; i < ids.size(); ++i) x[ids[i]] = y[i];
}

// Random codes: n rows, m keys of cardinality `card`, about `missing_pct` % missing.
Matrix random_matrix(std::mt19937_64& rng, std::size_t n, std::size_t m, std::uint64_t card, std::uint64_t missing_pct) {
  Matrix x(n, std::vector<std::int32_t>(m));
  for (auto& row : x) {
    for (auto& v : row) v = rng() % 100 < missing_pct ? -1 : static_cast<std::int32_t>(rng() % card);
  }
  return x;
}

std::vector<std::string> key_names(std::size_t m) {
  std::vector<std::string> names;
  for (std::size_t j = 0; j < m; ++j) names.push_back("k" + std::to_string(j));
  return names;
}

// The keys as categorical columns k0, k1, ... (categories "c0", "c1", ...), plus two other
// columns that must come back untouched. In column k0 code v is stored as v * spread among
// card * spread categories, so that wide keys (held in 16 or 32 bits inside) are exercised too.
Table to_table(const Matrix& x, std::size_t m, std::int32_t card, std::int32_t spread = 1) {
  Table t;
  std::vector<double> other(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) other[i] = i % 7 == 3 ? std::nan("") : 0.5 * static_cast<double>(i);
  t.add_column(Column::numeric("other", other));
  for (std::size_t j = 0; j < m; ++j) {
    const std::int32_t s = j == 0 ? spread : 1;
    std::vector<std::string> categories;
    for (std::int32_t c = 0; c < card * s; ++c) categories.push_back("c" + std::to_string(c));
    std::vector<std::int32_t> codes;
    for (const auto& row : x) codes.push_back(row[j] < 0 ? row[j] : row[j] * s);
    t.add_column(Column::categorical("k" + std::to_string(j), codes, std::move(categories)));
  }
  std::vector<std::int32_t> tag(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) tag[i] = static_cast<std::int32_t>(i % 3) - 1;
  t.add_column(Column::categorical("tag", tag, {"a", "b"}));
  return t;
}

Matrix keys_of(const Table& t, std::size_t m, std::int32_t spread = 1) {
  Matrix x(t.num_rows(), std::vector<std::int32_t>(m));
  for (std::size_t j = 0; j < m; ++j) {
    const auto codes = t.column("k" + std::to_string(j)).codes();
    const std::int32_t s = j == 0 ? spread : 1;
    for (std::size_t i = 0; i < t.num_rows(); ++i) x[i][j] = codes[i] < 0 ? codes[i] : codes[i] / s;
  }
  return x;
}

// Checks that don't depend on which cells were chosen: every listed cell was present and is now
// missing, nothing else in the table changed, and the counts add up.
void expect_consistent(const Table& in, const LocalSuppressionResult& r, std::size_t m, std::int32_t spread = 1) {
  Matrix before = keys_of(in, m, spread);
  const Matrix after = keys_of(r.table, m, spread);
  std::vector<std::int64_t> per_key(m, 0);
  for (const SuppressedCell& c : r.cells) {
    ASSERT_GE(before[c.row][c.key], 0) << "row " << c.row << " key " << c.key << " was missing already";
    before[c.row][c.key] = -1;
    ++per_key[c.key];
  }
  EXPECT_EQ(before, after);
  EXPECT_EQ(per_key, r.suppressed);
  EXPECT_EQ(r.total_suppressed, static_cast<std::int64_t>(r.cells.size()));
  for (const char* name : {"other", "tag"}) EXPECT_EQ(test::texts(in, name), test::texts(r.table, name));
  ASSERT_EQ(r.table.num_columns(), in.num_columns());
  for (std::size_t i = 0; i < in.num_columns(); ++i) EXPECT_EQ(r.table.column(i).name(), in.column(i).name());
}

}  // namespace

TEST(LocalSuppression, EveryRecordReachesKByNaiveCount) {
  std::mt19937_64 rng(20260423);
  for (int trial = 0; trial < test::long_run(300); ++trial) {
    const std::size_t n = 1 + rng() % 60, m = 1 + rng() % 5;
    const auto card = static_cast<std::int32_t>(2 + rng() % 3);
    const Matrix x = random_matrix(rng, n, m, static_cast<std::uint64_t>(card), trial % 3 == 0 ? 0 : rng() % 20);
    const Table t = to_table(x, m, card);
    const auto k = static_cast<std::int64_t>(1 + rng() % std::min<std::size_t>(n, 5));
    const LocalSuppressionResult r = local_suppression(t, key_names(m), k);
    expect_consistent(t, r, m);
    const std::vector<std::int64_t> fk = naive_fk(keys_of(r.table, m));
    for (std::size_t i = 0; i < n; ++i) ASSERT_GE(fk[i], k) << "trial " << trial << " row " << i;
    EXPECT_TRUE(r.k_anonymous);
  }
}

TEST(LocalSuppression, SameCellsAsNaiveSdcMicroSweep) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < test::long_run(300); ++trial) {
    const std::size_t n = 2 + rng() % 45, m = 1 + rng() % 5;
    const auto card = static_cast<std::int32_t>(2 + rng() % 3);
    Matrix x = random_matrix(rng, n, m, static_cast<std::uint64_t>(card), rng() % 15);
    // Codes held in 8, 16 or 32 bits inside; the wide case is rarer as its categories are costly.
    const std::int32_t spread = trial % 20 == 2 ? 32768 / card + 1 : trial % 3 == 1 ? 100 : 1;
    const Table t = to_table(x, m, card, spread);
    LocalSuppressionOptions opt;
    std::vector<int> importance(m);
    for (std::size_t j = 0; j < m; ++j) importance[j] = static_cast<int>(1 + rng() % m);  // ties allowed
    if (trial % 2 == 0) opt.importance = importance;
    const auto k = static_cast<std::int64_t>(1 + rng() % std::min<std::size_t>(n, 4));
    if (trial % 5 == 0 && m > 1) opt.combs = {m - 1, 1 + rng() % (m - 1)};
    const LocalSuppressionResult r = local_suppression(t, key_names(m), k, opt);
    expect_consistent(t, r, m, spread);
    // Suppression order: importance largest first, ties by position (R's stable order()).
    std::vector<std::size_t> order(m);
    for (std::size_t j = 0; j < m; ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return r.importance[a] > r.importance[b]; });
    std::vector<std::vector<std::size_t>> subsets;
    if (opt.combs.empty()) subsets.push_back(order), std::sort(subsets[0].begin(), subsets[0].end());
    for (std::size_t size : opt.combs) {  // R's combn order, by brute force over bitmasks
      std::vector<std::vector<std::size_t>> of_size;
      for (std::uint32_t mask = 1; mask < (1u << m); ++mask) {
        if (static_cast<std::size_t>(__builtin_popcount(mask)) != size) continue;
        of_size.emplace_back();
        for (std::size_t j = 0; j < m; ++j) if (mask >> j & 1) of_size.back().push_back(j);
      }
      std::sort(of_size.begin(), of_size.end());
      subsets.insert(subsets.end(), of_size.begin(), of_size.end());
    }
    Cells expected;
    for (const auto& subset : subsets) {
      Matrix sub(n);
      for (std::size_t i = 0; i < n; ++i) for (std::size_t j : subset) sub[i].push_back(x[i][j]);
      std::vector<std::size_t> local;  // positions within `sub`, in suppression order
      for (std::size_t j : order) {
        const auto it = std::find(subset.begin(), subset.end(), j);
        if (it != subset.end()) local.push_back(static_cast<std::size_t>(it - subset.begin()));
      }
      Cells cells;
      naive_supp_subset(sub, k, local, cells);
      for (auto [row, c] : cells) expected.emplace_back(row, subset[c]);
      for (std::size_t i = 0; i < n; ++i) for (std::size_t c = 0; c < subset.size(); ++c) x[i][subset[c]] = sub[i][c];
    }
    Cells got;
    for (const SuppressedCell& c : r.cells) got.emplace_back(c.row, c.key);
    ASSERT_EQ(got, expected) << "trial " << trial;
  }
}

namespace {
// Six records on keys A, B, C, worked by hand in HandWorkedExample.
Table hand_table() {
  const Matrix x = {{1, 1, 1}, {1, 1, 1}, {1, 1, 2}, {1, 2, 2}, {2, 2, 2}, {2, 2, 2}};
  Table t;
  for (std::size_t j = 0; j < 3; ++j) {
    std::vector<std::int32_t> codes;
    for (const auto& row : x) codes.push_back(row[j] - 1);
    t.add_column(Column::categorical(std::string(1, static_cast<char>('A' + j)), codes, {"1", "2"}));
  }
  return t;
}
}  // namespace

TEST(LocalSuppression, HandWorkedExample) {
  // Rows (A,B,C): 0 (1,1,1) 1 (1,1,1) 2 (1,1,2) 3 (1,2,2) 4 (2,2,2) 5 (2,2,2); k = 2.
  // fk: 2 2 1 1 2 2, so rows 2 and 3 are below k, taken in that order.
  // Importance A=1, B=2, C=3: C is blanked first, then B, then A.
  // Row 2 (1,1,2): at distance 1 are rows 0, 1 (differ in C) and 3 (differs in B) -> C: (1,1,*).
  // Row 3 (1,2,2): at distance 1 are row 2 (B) and rows 4, 5 (A); none differs in C -> B: (1,*,2).
  // Recount: fk = 3 3 4 2 2 2, all >= 2: two cells, (2,C) and (3,B).
  const Table t = hand_table();
  LocalSuppressionOptions opt;
  opt.importance = {1, 2, 3};
  const LocalSuppressionResult r = local_suppression(t, {"A", "B", "C"}, 2, opt);
  EXPECT_EQ(test::texts(r.table, "A"), (std::vector<std::string>{"1", "1", "1", "1", "2", "2"}));
  EXPECT_EQ(test::texts(r.table, "B"), (std::vector<std::string>{"1", "1", "1", "<NA>", "2", "2"}));
  EXPECT_EQ(test::texts(r.table, "C"), (std::vector<std::string>{"1", "1", "<NA>", "2", "2", "2"}));
  EXPECT_EQ(r.suppressed, (std::vector<std::int64_t>{0, 1, 1}));
  EXPECT_EQ(r.total_suppressed, 2);
  // Every key has 2 distinct values, so sdcMicro's default importance is by position: 1, 2, 3,
  // and the default gives the same cells.
  const LocalSuppressionResult d = local_suppression(t, {"A", "B", "C"}, 2);
  EXPECT_EQ(d.importance, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(test::texts(d.table, "C"), test::texts(r.table, "C"));
}

TEST(LocalSuppression, ImportanceHonouredByHand) {
  // The example above with importance A=3, B=2, C=1 (A blanked first):
  // Row 2 (1,1,2): nearest rows 0, 1 (C) and 3 (B); none differs in A -> B: (1,*,2).
  // Row 3 (1,2,2): row 2 is now at distance 0; nearest are rows 4, 5 at distance 1 (A) -> A.
  // Recount: fk = 2 2 2 4 3 3, done; C, the most important key, is never touched.
  LocalSuppressionOptions opt;
  opt.importance = {3, 2, 1};
  const LocalSuppressionResult r = local_suppression(hand_table(), {"A", "B", "C"}, 2, opt);
  ASSERT_EQ(r.cells.size(), 2u);
  EXPECT_EQ(r.cells[0].row, 2u);
  EXPECT_EQ(r.cells[0].key, 1u);
  EXPECT_EQ(r.cells[1].row, 3u);
  EXPECT_EQ(r.cells[1].key, 0u);
  EXPECT_EQ(r.suppressed, (std::vector<std::int64_t>{1, 1, 0}));
}

TEST(LocalSuppression, DefaultImportanceRanksDistinctValues) {
  // Distinct values present: a 3, b 2, c 4 (category "z" is unused), d 2. Ascending with ties
  // by position: b, d, a, c -> importance a=3 b=1 c=4 d=2.
  Table t;
  t.add_column(Column::categorical("a", {0, 1, 2, 0}, {"x", "y", "w"}));
  t.add_column(Column::categorical("b", {0, 1, 1, -1}, {"x", "y"}));
  t.add_column(Column::numeric("c", {1.5, 2.5, 3.5, 4.5}));
  t.add_column(Column::categorical("d", {1, 0, 1, 0}, {"x", "y", "z"}));
  const LocalSuppressionResult r = local_suppression(t, {"a", "b", "c", "d"}, 1);
  EXPECT_EQ(r.importance, (std::vector<int>{3, 1, 4, 2}));
}

TEST(LocalSuppression, NoOpWhenAlreadyKAnonymous) {
  // Three pairs of identical keys, one pair with a missing value (its b differs from the other
  // pairs' b, so it matches only itself): fk = 2 everywhere by inspection.
  Table t;
  t.add_column(Column::categorical("a", {0, 0, 1, 1, -1, -1}, {"x", "y"}));
  t.add_column(Column::numeric("b", {1, 1, 2, 2, 3, 3}));
  t.add_column(Column::numeric("w", {1, 2, 3, 4, 5, std::nan("")}));
  const LocalSuppressionResult r = local_suppression(t, {"a", "b"}, 2);
  EXPECT_TRUE(r.cells.empty());
  EXPECT_EQ(r.total_suppressed, 0);
  EXPECT_TRUE(r.k_anonymous);
  for (const char* name : {"a", "b", "w"}) EXPECT_EQ(test::texts(r.table, name), test::texts(t, name));
  EXPECT_EQ(local_suppression(t, {"a", "b"}, 1).total_suppressed, 0);  // k = 1 always holds
}

TEST(LocalSuppression, NumericKeyStaysNumericWithNaN) {
  // Keys (sex, age): (1,30) (1,30) (2,41) (2,41) (2,57). Row 4 is unique; its nearest rows 2, 3
  // differ only in age, so age is blanked whatever the importance.
  Table t;
  t.add_column(Column::categorical("sex", {0, 0, 1, 1, 1}, {"1", "2"}));
  t.add_column(Column::numeric("age", {30, 30, 41, 41, 57}));
  const LocalSuppressionResult r = local_suppression(t, {"sex", "age"}, 2);
  ASSERT_FALSE(r.table.column("age").is_categorical());
  EXPECT_EQ(test::texts(r.table, "age"), (std::vector<std::string>{"30", "30", "41", "41", "<NA>"}));
  EXPECT_TRUE(std::isnan(r.table.column("age").values()[4]));
  EXPECT_EQ(r.total_suppressed, 1);
}

TEST(LocalSuppression, NoRecordAtPositiveDistanceBlanksLeastImportantCell) {
  // Keys (a,b): row 0 (x,x), rows 1-2 all missing; k = 2. All-missing rows do not count towards
  // a complete row, so fk(row 0) = 1, yet every row is at distance 0 from it: sdcMicro stops
  // with an error here; sdcore blanks row 0's least important cell it still has. Both keys have
  // one distinct value, so importance is a=1, b=2 and b goes: (x,*) then matches all 3 rows.
  Table t;
  t.add_column(Column::categorical("a", {0, -1, -1}, {"x"}));
  t.add_column(Column::categorical("b", {0, -1, -1}, {"x"}));
  const LocalSuppressionResult r = local_suppression(t, {"a", "b"}, 2);
  ASSERT_EQ(r.cells.size(), 1u);
  EXPECT_EQ(r.cells[0].row, 0u);
  EXPECT_EQ(r.cells[0].key, 1u);
  EXPECT_EQ(test::texts(r.table, "a"), (std::vector<std::string>{"x", "<NA>", "<NA>"}));
}

TEST(LocalSuppression, CombsReachKOnEverySubset) {
  // Every subset of the given sizes must end k-anonymous (checked by the naive count).
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t n = 10 + rng() % 40, m = 3 + rng() % 2;
    Matrix x = random_matrix(rng, n, m, 3, 5);
    const Table t = to_table(x, m, 3);
    LocalSuppressionOptions opt;
    opt.combs = {m, 2};
    opt.combs_k = {2, 3};
    const LocalSuppressionResult r = local_suppression(t, key_names(m), 2, opt);
    const Matrix y = keys_of(r.table, m);
    bool all = true;
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = a + 1; b < m; ++b) {
        Matrix sub;
        for (const auto& row : y) sub.push_back({row[a], row[b]});
        for (std::int64_t f : naive_fk(sub)) all &= f >= 3;
      }
    }
    for (std::int64_t f : naive_fk(y)) all &= f >= 2;
    EXPECT_EQ(r.k_anonymous, all) << "trial " << trial;
  }
}

namespace {
const std::vector<std::string> kTestdata2Keys = {"urbrur", "roof", "walls", "water", "electcon", "relat", "sex"};

Table testdata2() { return read_csv(test::shared_data("sdcmicro/testdata2.csv")); }
}  // namespace

TEST(LocalSuppression, Testdata2PublishedCount) {
  // sdcMicro tests/testthat/test_localSuppression.R, "localSuppression for objects of data
  // frame no stratification": localSuppression(testdata2[, keys], keyVars = 1:7) with the
  // defaults k = 2 and importance from the category counts gives newSupps == 97.
  const LocalSuppressionResult r = local_suppression(testdata2(), kTestdata2Keys, 2);
  EXPECT_EQ(r.total_suppressed, 97);
  EXPECT_TRUE(r.k_anonymous);
}

TEST(LocalSuppression, Testdata2StratifiedPublishedCount) {
  // Same file: kAnon(inp, keyVars = 1:7, strataVars = 8) with ageG = cut(age, 5) gives
  // newSupps == 109. sdcMicro runs the sweep in each stratum with the importance computed on
  // the whole file. Ages run 0..80, so R's cut() breaks are -0.08, 16, 32, 48, 64, 80.08 with
  // right-closed intervals.
  const Table t = testdata2();
  const std::vector<int> importance = local_suppression(t, kTestdata2Keys, 1).importance;
  const auto age = t.column("age").values();
  std::int64_t total = 0;
  for (int g = 0; g < 5; ++g) {
    Table stratum;
    for (const std::string& name : kTestdata2Keys) {
      std::vector<double> v;
      for (std::size_t i = 0; i < t.num_rows(); ++i) {
        const int group = age[i] <= 16 ? 0 : age[i] <= 32 ? 1 : age[i] <= 48 ? 2 : age[i] <= 64 ? 3 : 4;
        if (group == g) v.push_back(t.column(name).values()[i]);
      }
      stratum.add_column(Column::numeric(name, v));
    }
    LocalSuppressionOptions opt;
    opt.importance = importance;
    total += local_suppression(stratum, kTestdata2Keys, 2, opt).total_suppressed;
  }
  EXPECT_EQ(total, 109);
}

TEST(LocalSuppression, ReportsProgressPerSubset) {
  LocalSuppressionOptions opt;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  opt.progress = [&](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); };
  opt.combs = {2};
  local_suppression(hand_table(), {"A", "B", "C"}, 2, opt);
  // C(3, 2) = 3 subsets.
  EXPECT_EQ(calls, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 3}, {2, 3}, {3, 3}}));
}

namespace {
void expect_invalid(const std::function<void()>& f, const std::string& part) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning: " << part;
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}
}  // namespace

TEST(LocalSuppression, BadInput) {
  const Table t = hand_table();
  const std::vector<std::string> keys = {"A", "B", "C"};
  expect_invalid([&] { local_suppression(t, keys, 0); }, "k must be at least 1");
  expect_invalid([&] { local_suppression(t, keys, 7); }, "exceeds the number of rows (6)");
  expect_invalid([&] { local_suppression(t, {"A", "nope"}, 2); }, "nope");
  expect_invalid([&] { local_suppression(t, {"A", "B", "A"}, 2); }, "'A' is listed twice");
  expect_invalid([&] { local_suppression(t, {}, 2); }, "no quasi-identifiers");
  LocalSuppressionOptions opt;
  opt.importance = {1, 2};
  expect_invalid([&] { local_suppression(t, keys, 2, opt); }, "importance has 2 values for 3");
  opt.importance = {1, 2, 4};
  expect_invalid([&] { local_suppression(t, keys, 2, opt); }, "must lie in [1, 3]");
  opt.importance = {0, 1, 2};
  expect_invalid([&] { local_suppression(t, keys, 2, opt); }, "must lie in [1, 3]");
  opt.importance.clear();
  opt.combs = {4};
  expect_invalid([&] { local_suppression(t, keys, 2, opt); }, "combs size 4");
  opt.combs = {0};
  expect_invalid([&] { local_suppression(t, keys, 2, opt); }, "combs size 0");
  opt.combs = {2, 1};
  opt.combs_k = {2};
  expect_invalid([&] { local_suppression(t, keys, 2, opt); }, "combs_k has 1 values for 2");
  opt.combs_k = {2, 0};
  expect_invalid([&] { local_suppression(t, keys, 2, opt); }, "combs_k[1] must be at least 1");
  opt.combs.clear();
  expect_invalid([&] { local_suppression(t, keys, 2, opt); }, "combs_k given without combs");
  // C(40, 20) ~ 1.4e11 key subsets are refused up front rather than enumerated.
  Table wide;
  std::vector<std::string> many;
  for (int j = 0; j < 40; ++j) {
    many.push_back("q" + std::to_string(j));
    wide.add_column(Column::categorical(many.back(), {0, 0}, {"x"}));
  }
  opt.combs = {20};
  opt.combs_k.clear();
  expect_invalid([&] { local_suppression(wide, many, 2, opt); }, "more than 100000 key subsets");
  // An empty table is returned as it is: nothing to protect.
  Table empty;
  empty.add_column(Column::categorical("A", {}, {}));
  EXPECT_EQ(local_suppression(empty, {"A"}, 3).total_suppressed, 0);
}
