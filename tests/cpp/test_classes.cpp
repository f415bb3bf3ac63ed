// Equivalence classes against independently derived numbers: a naive std::map implementation
// on random tables, and francdat's figures worked out by hand from the data file.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <unordered_map>

#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "test_support.hpp"

using namespace sdcore;

namespace {

struct Naive {
  std::vector<std::int32_t> row_class;
  std::vector<std::int64_t> count;
  std::vector<double> weight;
};

// Classes keyed by the vector of codes, numbered by first appearance.
Naive naive_classes(const std::vector<std::vector<std::int32_t>>& cols, const std::vector<double>& w) {
  Naive out;
  std::map<std::vector<std::int32_t>, std::int32_t> ids;
  const std::size_t n = cols.empty() ? 0 : cols[0].size();
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::int32_t> key;
    for (const auto& c : cols) key.push_back(c[i]);
    auto [it, fresh] = ids.emplace(key, static_cast<std::int32_t>(ids.size()));
    if (fresh) {
      out.count.push_back(0);
      out.weight.push_back(0);
    }
    out.row_class.push_back(it->second);
    ++out.count[static_cast<std::size_t>(it->second)];
    if (!w.empty()) out.weight[static_cast<std::size_t>(it->second)] += w[i];
  }
  return out;
}

// fk under "missing matches anything", straight from the definition: O(n^2).
// Missing rates in the random tables below are high enough that all-missing keys occur.
std::vector<std::int64_t> naive_match_any(const std::vector<std::vector<std::int32_t>>& cols) {
  const std::size_t n = cols[0].size();
  std::vector<std::int64_t> fk(n, 0);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      bool ok = true, a_complete = true, b_all_missing = true;
      for (const auto& c : cols) {
        ok &= c[a] < 0 || c[b] < 0 || c[a] == c[b];
        a_complete &= c[a] >= 0;
        b_all_missing &= c[b] < 0;
      }
      // sdcMicro's freqCalc exception (its R source): all-missing keys do not count towards
      // complete keys.
      if (a_complete && b_all_missing) ok = false;
      fk[a] += ok;
    }
  }
  return fk;
}

std::vector<KeyCodes> views(const std::vector<std::vector<std::int32_t>>& cols,
                            const std::vector<std::int64_t>& card) {
  std::vector<KeyCodes> keys;
  for (std::size_t j = 0; j < cols.size(); ++j) keys.push_back(KeyCodes::of(cols[j], card[j]));
  return keys;
}

}  // namespace

TEST(Classes, MatchNaiveOnRandomTables) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < test::long_run(200); ++trial) {
    const std::size_t n = rng() % 3000;
    const std::size_t k = 1 + rng() % 8;
    std::vector<std::vector<std::int32_t>> cols(k, std::vector<std::int32_t>(n));
    std::vector<std::int64_t> card(k);
    for (std::size_t j = 0; j < k; ++j) {
      // Mix tiny and huge cardinalities so both the direct table and the hash index run, and
      // some trials overflow 64 bits and take several packing passes.
      card[j] = trial % 3 == 0 ? std::int64_t{1} << (20 + rng() % 11) : 1 + static_cast<std::int64_t>(rng() % 12);
      for (auto& v : cols[j]) {
        v = rng() % 10 == 0 ? -1 : static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(std::min<std::int64_t>(card[j], 6)));
      }
    }
    std::vector<double> w(n);
    for (auto& x : w) x = 0.5 + static_cast<double>(rng() % 100);
    const auto ec = equivalence_classes(Span<const KeyCodes>(views(cols, card)), n, w);
    const auto ref = naive_classes(cols, w);
    ASSERT_EQ(ec.row_class, ref.row_class) << "trial " << trial;
    ASSERT_EQ(ec.count, ref.count);
    ASSERT_EQ(ec.frequency, ref.count);
    for (std::size_t c = 0; c < ref.weight.size(); ++c) {
      ASSERT_DOUBLE_EQ(ec.weighted_frequency[c], ref.weight[c]);
      ASSERT_EQ(ec.row_class[static_cast<std::size_t>(ec.first_row[c])], static_cast<std::int32_t>(c));
    }
  }
}

TEST(Classes, ThreadsGiveTheSequentialCountExactly) {
  // Partitioned counting (2^18 rows per thread at least) against the one-thread count and the
  // naive map: ids, counts and first rows identical for 1, 2 and 3 threads, on a key space small
  // enough for the direct table and on one that needs the hash index.
  std::mt19937_64 rng(19);
  const std::size_t n = 800'000;
  for (std::int64_t wide : {8, 1 << 20}) {
    std::vector<std::vector<std::int32_t>> cols(3, std::vector<std::int32_t>(n));
    std::vector<std::int64_t> card{7, 5, wide};
    for (std::size_t i = 0; i < n; ++i) {
      cols[0][i] = static_cast<std::int32_t>(rng() % 7) - (rng() % 50 == 0 ? 7 : 0);
      if (cols[0][i] < 0) cols[0][i] = -1;
      cols[1][i] = static_cast<std::int32_t>(rng() % 5);
      // the late rows bring classes the early ones never saw
      cols[2][i] = static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(std::min<std::int64_t>(wide, i < n / 2 ? 4 : 8)));
    }
    const auto v = views(cols, card);
    ClassOptions one;
    one.threads = 1;
    const auto ref = equivalence_classes(Span<const KeyCodes>(v), n, {}, one);
    const auto naive = naive_classes(cols, {});
    ASSERT_EQ(ref.row_class, naive.row_class);
    ASSERT_EQ(ref.count, naive.count);
    for (std::size_t threads : {2, 3}) {
      ClassOptions o;
      o.threads = threads;
      const auto ec = equivalence_classes(Span<const KeyCodes>(v), n, {}, o);
      EXPECT_EQ(ec.row_class, ref.row_class) << threads;
      EXPECT_EQ(ec.count, ref.count) << threads;
      EXPECT_EQ(ec.first_row, ref.first_row) << threads;
    }
    {  // with no thread to be had the ranges are counted on the calling thread, same result
      test::NoThreadsToBeHad none;
      ClassOptions o;
      o.threads = 2;
      const auto ec = equivalence_classes(Span<const KeyCodes>(v), n, {}, o);
      EXPECT_GT(none.refused(), 0);
      EXPECT_EQ(ec.row_class, ref.row_class);
      EXPECT_EQ(ec.count, ref.count);
      EXPECT_EQ(ec.first_row, ref.first_row);
    }
    // A bad code in the last range and one in the second: the error names the earlier row.
    cols[1][n - 5] = 9;
    cols[1][n / 2 + 1] = 9;
    ClassOptions o;
    o.threads = 3;
    const auto bad = views(cols, card);
    try {
      equivalence_classes(Span<const KeyCodes>(bad), n, {}, o);
      ADD_FAILURE() << "bad code accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("row " + std::to_string(n / 2 + 1) + ":"), std::string::npos) << e.what();
    }
  }
}

TEST(Classes, TablesOfManyMegabytesGiveTheNaiveCount) {
  // Class tables big enough (4 MiB and more) to be taken in huge pages (detail/huge_pages.hpp):
  // a 1001 x 1051 key space through the direct table (on 2 threads too: each half of the rows
  // still qualifies), and random keys of a 10^8 space, nearly all distinct, through a hash index
  // that grows to 64 MiB; against the naive map, on 1 and 2 threads (the 2-thread count merges
  // the second range into the first range's table).
  std::mt19937_64 rng(23);
  const std::size_t n = 1'100'000;
  for (std::int64_t wide : {1000, 100'000}) {
    std::vector<std::vector<std::int32_t>> cols(2, std::vector<std::int32_t>(n));
    std::vector<std::int64_t> card{wide, wide == 1000 ? 1050 : 1000};
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < 2; ++j) {
        cols[j][i] = static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(card[j]));
      }
    }
    // The naive count keyed by the pair as one number (a, b) -> a * 2^32 + b: the same
    // definition as naive_classes, in a hash map, since a million-entry std::map of vectors
    // took most of this test's time.
    Naive naive;
    std::unordered_map<std::int64_t, std::int32_t> id_of;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t key = (std::int64_t{cols[0][i]} << 32) + cols[1][i];
      const auto [it, fresh] = id_of.emplace(key, static_cast<std::int32_t>(naive.count.size()));
      if (fresh) naive.count.push_back(0);
      ++naive.count[static_cast<std::size_t>(it->second)];
      naive.row_class.push_back(it->second);
    }
    for (std::size_t threads : {1, 2}) {
      ClassOptions o;
      o.threads = threads;
      const auto ec = equivalence_classes(Span<const KeyCodes>(views(cols, card)), n, {}, o);
      EXPECT_EQ(ec.row_class, naive.row_class) << wide << " " << threads;
      EXPECT_EQ(ec.count, naive.count) << wide << " " << threads;
    }
    EXPECT_GT(naive.count.size(), wide == 1000 ? 600'000u : 1'000'000u);  // the tables are large
  }
}

TEST(Classes, ManyWideKeysTakeSeveralPassesExactly) {
  // 12 keys of cardinality 2^30: the key space is 2^360, far beyond 64 bits.
  std::mt19937_64 rng(3);
  const std::size_t n = 20000, k = 12;
  std::vector<std::vector<std::int32_t>> cols(k, std::vector<std::int32_t>(n));
  std::vector<std::int64_t> card(k, std::int64_t{1} << 30);
  for (auto& c : cols) for (auto& v : c) v = static_cast<std::int32_t>(rng() % 3 == 0 ? (rng() >> 34) : rng() % 2);
  const auto ec = equivalence_classes(Span<const KeyCodes>(views(cols, card)), n, {});
  const auto ref = naive_classes(cols, {});
  EXPECT_EQ(ec.row_class, ref.row_class);
  EXPECT_EQ(ec.count, ref.count);
}

TEST(Classes, NarrowCodeWidths) {
  std::vector<std::int8_t> a{0, 1, 0, -1, 0};
  std::vector<std::int16_t> b{2, 2, 2, 2, 1};
  KeyCodes ka{a.data(), 1, 2};
  KeyCodes kb{b.data(), 2, 3};
  std::vector<KeyCodes> keys{ka, kb};
  const auto ec = equivalence_classes(Span<const KeyCodes>(keys), 5, {});
  // By hand: (0,2) rows 0,2; (1,2) row 1; (NA,2) row 3; (0,1) row 4.
  EXPECT_EQ(ec.row_class, (std::vector<std::int32_t>{0, 1, 0, 2, 3}));
  EXPECT_EQ(ec.count, (std::vector<std::int64_t>{2, 1, 1, 1}));
}

TEST(Classes, MatchAnyAgreesWithDefinition) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < test::long_run(100); ++trial) {
    const std::size_t n = 1 + rng() % 300, k = 1 + rng() % 5;
    std::vector<std::vector<std::int32_t>> cols(k, std::vector<std::int32_t>(n));
    std::vector<std::int64_t> card(k, 4);
    for (auto& c : cols) for (auto& v : c) v = rng() % (trial % 2 ? 6u : 2u) == 0 ? -1 : static_cast<std::int32_t>(rng() % 4);
    ClassOptions opt;
    opt.missing = MissingPolicy::kMatchAny;
    const auto ec = equivalence_classes(Span<const KeyCodes>(views(cols, card)), n, {}, opt);
    const auto ref = naive_match_any(cols);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(ec.frequency[static_cast<std::size_t>(ec.row_class[i])], ref[i]) << "trial " << trial;
    }
  }
}

namespace {
Table francdat(bool with_missing) {
  CsvReadOptions opt;
  opt.column_types = {{"Key1", ColumnType::kCategorical}, {"Key2", ColumnType::kCategorical},
                      {"Key3", ColumnType::kCategorical}, {"Key4", ColumnType::kCategorical}};
  std::string text = test::read_text(test::shared_data("sdcmicro/francdat.csv"));
  Table t = read_csv_text(text, opt);
  if (!with_missing) return t;
  // sdcMicro's ?freqCalc example: x[3,5] <- x[4,2] <- x[4,4] <- x[5,6] <- x[6,2] <- NA
  // (1-based row, column; columns 2,4,5,6 are Key1, Key2, Key3, Key4).
  const std::vector<std::pair<std::size_t, std::string>> na = {
      {2, "Key3"}, {3, "Key1"}, {3, "Key2"}, {4, "Key4"}, {5, "Key1"}};
  Table out;
  for (const auto& c : t.columns()) {
    if (!c.is_categorical()) {
      out.add_column(c);
      continue;
    }
    std::vector<std::int32_t> codes(c.codes().begin(), c.codes().end());
    for (const auto& [row, name] : na) if (name == c.name()) codes[row] = kMissingCode;
    out.add_column(Column::categorical(c.name(), codes, c.categories()));
  }
  return out;
}

std::vector<std::int64_t> row_fk(const EquivalenceClasses& ec) {
  std::vector<std::int64_t> out;
  for (auto c : ec.row_class) out.push_back(ec.frequency[static_cast<std::size_t>(c)]);
  return out;
}
std::vector<double> row_Fk(const EquivalenceClasses& ec) {
  std::vector<double> out;
  for (auto c : ec.row_class) out.push_back(ec.weighted_frequency[static_cast<std::size_t>(c)]);
  return out;
}
}  // namespace

TEST(Classes, FrancdatByHand) {
  // Keys per row (Key1..Key4): (1,2,5,1) (1,2,1,1) (1,2,1,1) (3,3,1,5) (4,3,1,4) (4,3,1,1)
  // (6,2,1,5) (1,2,5,1); weights 18 45.5 39 17 541 8 5 92. Rows 1 & 8 and rows 2 & 3 pair up.
  const auto ec = equivalence_classes(francdat(false), {"Key1", "Key2", "Key3", "Key4"}, "w");
  EXPECT_EQ(row_fk(ec), (std::vector<std::int64_t>{2, 2, 2, 1, 1, 1, 1, 2}));
  EXPECT_EQ(row_Fk(ec), (std::vector<double>{110, 84.5, 84.5, 17, 541, 8, 5, 110}));
}

TEST(Classes, FrancdatWithMissingByHand) {
  // With the NAs of sdcMicro's example the rows are (NA = *):
  // 1 (1,2,5,1) 2 (1,2,1,1) 3 (1,2,*,1) 4 (*,*,1,5) 5 (4,3,1,*) 6 (*,3,1,1) 7 (6,2,1,5) 8 (1,2,5,1)
  // Compatible sets, worked by hand: 1:{1,3,8} 2:{2,3} 3:{1,2,3,8} 4:{4,5,7} 5:{4,5,6} 6:{5,6}
  // 7:{4,7} 8:{1,3,8}; Fk sums their weights.
  ClassOptions opt;
  opt.missing = MissingPolicy::kMatchAny;
  const auto ec = equivalence_classes(francdat(true), {"Key1", "Key2", "Key3", "Key4"}, "w", opt);
  EXPECT_EQ(row_fk(ec), (std::vector<std::int64_t>{3, 2, 4, 3, 3, 2, 2, 3}));
  EXPECT_EQ(row_Fk(ec), (std::vector<double>{149, 84.5, 194.5, 563, 566, 549, 22, 149}));
  // Missing as its own value: every pattern with an NA is unique, rows 1 & 8 still pair.
  const auto own = equivalence_classes(francdat(true), {"Key1", "Key2", "Key3", "Key4"}, "w");
  EXPECT_EQ(row_fk(own), (std::vector<std::int64_t>{2, 1, 1, 1, 1, 1, 1, 2}));
}

TEST(Classes, AdultAgainstNaive) {
  const Table t = read_csv(test::shared_data("adult/adult.csv"));
  std::vector<std::string> qi;
  std::vector<std::vector<std::int32_t>> cols;
  for (const auto& c : t.columns()) {
    qi.push_back(c.name());
    const Column f = factorize(c);
    cols.emplace_back(f.codes().begin(), f.codes().end());
  }
  const auto ec = equivalence_classes(t, qi);
  const auto ref = naive_classes(cols, {});
  EXPECT_EQ(ec.row_class, ref.row_class);
  EXPECT_EQ(ec.count, ref.count);
}

TEST(Classes, SizeDistribution) {
  const auto ec = equivalence_classes(francdat(false), {"Key1", "Key2", "Key3", "Key4"});
  const auto dist = class_size_distribution(ec);
  ASSERT_EQ(dist.size(), 2u);
  EXPECT_EQ(dist[0].frequency, 1);
  EXPECT_EQ(dist[0].classes, 4);
  EXPECT_EQ(dist[0].records, 4);
  EXPECT_EQ(dist[1].frequency, 2);
  EXPECT_EQ(dist[1].classes, 2);
  EXPECT_EQ(dist[1].records, 4);
}

TEST(Classes, CodesOutsideTheRangeAreCaughtAtEveryWidth) {
  // The digit check works on code + 1 as an unsigned number (vectorised); these are the codes
  // where that could go wrong: -2 and the type's minimum (wrap-around), the type's maximum
  // (code + 1 overflows a signed type), and the cardinality itself. Each must be reported with
  // its row; -1 and cardinality - 1 are fine. Row 1037 sits in the second block of 1024 rows.
  auto run = [](auto type) {
    using T = decltype(type);
    const std::int64_t card = std::min<std::int64_t>(100, std::numeric_limits<T>::max());
    const std::size_t n = 1500, at = 1037;
    std::vector<T> codes(n);
    std::vector<std::int32_t> other(n);
    for (std::size_t i = 0; i < n; ++i) {
      codes[i] = static_cast<T>(i % 3 == 0 ? -1 : static_cast<std::int64_t>(i) % card);
      other[i] = static_cast<std::int32_t>(i % 5);
    }
    codes[7] = static_cast<T>(card - 1);
    std::vector<KeyCodes> keys{KeyCodes::of(other, 5), KeyCodes{codes.data(), static_cast<std::uint8_t>(sizeof(T)), card}};
    EXPECT_NO_THROW(equivalence_classes(Span<const KeyCodes>(keys), n, {}));
    for (const std::int64_t bad : {std::int64_t{-2}, static_cast<std::int64_t>(std::numeric_limits<T>::min()),
                                   static_cast<std::int64_t>(std::numeric_limits<T>::max()), card}) {
      std::vector<T> broken = codes;
      broken[at] = static_cast<T>(bad);
      keys[1].data = broken.data();
      const std::string m = test::error_of([&] { equivalence_classes(Span<const KeyCodes>(keys), n, {}); });
      EXPECT_NE(m.find("key 1 row " + std::to_string(at) + ": code " + std::to_string(bad) + " outside [-1, " +
                       std::to_string(card) + ")"),
                std::string::npos)
          << sizeof(T) << " " << bad << ": " << m;
    }
  };
  run(std::int8_t{});
  run(std::int16_t{});
  run(std::int32_t{});
  run(std::int64_t{});
}

TEST(Classes, BadArguments) {
  const Table t = francdat(false);
  EXPECT_THROW(equivalence_classes(t, {}), InvalidArgument);
  EXPECT_THROW(equivalence_classes(t, {"Key1", "nope"}), InvalidArgument);
  EXPECT_THROW(equivalence_classes(t, {"Key1", "Key1"}), InvalidArgument);
  EXPECT_THROW(equivalence_classes(t, {"Key1"}, "Key2"), InvalidArgument);  // categorical weight
  EXPECT_THROW(equivalence_classes(t, {"Key1"}, "Key1"), InvalidArgument);
  for (double bad : {0.0, -1.0, std::nan("")}) {
    Table u;
    std::vector<double> w(t.num_rows(), 1.0);
    w[5] = bad;
    u.add_column(t.column("Key1"));
    u.add_column(Column::numeric("w", w));
    try {
      equivalence_classes(u, {"Key1"}, "w");
      FAIL() << bad;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("column 'w': weight of row 6 (1-based)"), std::string::npos) << e.what();
    }
  }
  std::vector<std::int32_t> codes{0, 3};
  std::vector<KeyCodes> keys{KeyCodes::of(codes, 3)};
  EXPECT_THROW(equivalence_classes(Span<const KeyCodes>(keys), 2, {}), InvalidArgument);
}
