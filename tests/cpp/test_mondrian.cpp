// Mondrian against independently derived results: an independent checker (each partition's
// published values recomputed from its own rows; plain grouping of the published rows by their
// output values for k and l; strictness of the cuts) on a few hundred seeded random tables,
// small examples partitioned by hand, determinism across runs and threads, and bad input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "sdcore/error.hpp"
#include "sdcore/mondrian.hpp"
#include "test_support.hpp"

using namespace sdcore;

namespace {

// Texts of every column in one row, for grouping.
std::vector<std::string> row_key(const Table& t, const std::vector<std::string>& cols, std::size_t i) {
  std::vector<std::string> key;
  for (const auto& c : cols) key.push_back(t.column(c).is_missing(i) ? "<NA>" : t.column(c).format(i));
  return key;
}

// What a partition must publish for one QI, worked out from its rows alone: the lowest hierarchy
// level at which all its values share a label ("*" if none); else the smallest and largest
// number ("lo-hi", or one number); else the categories present in code order ("{a,b}", or one).
std::string expected_summary(const Column& c, const std::vector<std::size_t>& rows, const Hierarchy* h) {
  if (h != nullptr) {
    for (std::size_t level = 0; level < h->levels(); ++level) {
      std::set<std::string> labels;
      for (std::size_t i : rows) labels.insert(h->generalise(c.format(i), level));
      if (labels.size() == 1) return *labels.begin();
    }
    return "*";
  }
  if (!c.is_categorical()) {
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t i : rows) lo = std::min(lo, c.values()[i]), hi = std::max(hi, c.values()[i]);
    return lo == hi ? format_number(lo) : format_number(lo) + "-" + format_number(hi);
  }
  std::set<std::int32_t> codes;
  for (std::size_t i : rows) codes.insert(c.codes()[i]);
  if (codes.size() == 1) return c.categories()[static_cast<std::size_t>(*codes.begin())];
  std::string out = "{";
  for (std::int32_t code : codes) out += (out.size() > 1 ? "," : "") + c.categories()[static_cast<std::size_t>(code)];
  return out + "}";
}

// The checker: every partition has >= k rows and publishes, for each QI, exactly the summary of
// its own rows; published classes (rows grouped by their output QI texts) have >= k rows and
// >= l distinct sensitive values; every other column is unchanged.
void check_release(const Table& in, const MondrianResult& r, const std::vector<std::string>& qi, std::size_t k,
                   const MondrianOptions& opt) {
  std::map<std::int32_t, std::vector<std::size_t>> parts;
  for (std::size_t i = 0; i < in.num_rows(); ++i) parts[r.partition[i]].push_back(i);
  ASSERT_EQ(parts.size(), r.num_partitions);
  for (const auto& q : qi) {
    const Hierarchy* h = nullptr;
    for (const Hierarchy& x : opt.hierarchies) if (x.attribute() == q) h = &x;
    const std::vector<std::string> published = test::texts(r.table, q);
    for (const auto& [p, rows] : parts) {
      ASSERT_GE(rows.size(), k);
      const std::string want = expected_summary(in.column(q), rows, h);
      for (std::size_t i : rows) ASSERT_EQ(published[i], want) << q << ", partition " << p;
    }
  }
  std::map<std::vector<std::string>, std::vector<std::size_t>> classes;
  for (std::size_t i = 0; i < in.num_rows(); ++i) classes[row_key(r.table, qi, i)].push_back(i);
  for (const auto& [key, rows] : classes) {
    ASSERT_GE(rows.size(), k);
    if (opt.l <= 1) continue;
    std::set<std::string> values;
    for (std::size_t i : rows) values.insert(row_key(in, {opt.sensitive}, i)[0]);
    ASSERT_GE(values.size(), static_cast<std::size_t>(opt.l));
  }
  for (const Column& c : in.columns()) {
    if (std::find(qi.begin(), qi.end(), c.name()) != qi.end()) continue;
    ASSERT_EQ(test::texts(r.table, c.name()), test::texts(in, c.name()));
  }
}

// Strictness: any two partitions are separated on some quasi-identifier, with value ranges
// (numeric values, category codes) that do not overlap, or, for a QI with a hierarchy (ordered
// by the hierarchy, not by code), with no value in common.
void check_strict(const Table& in, const MondrianResult& r, const std::vector<std::string>& qi,
                  const std::set<std::string>& hierarchical) {
  const std::size_t parts = r.num_partitions;
  std::vector<std::vector<double>> lo(parts, std::vector<double>(qi.size(), INFINITY));
  std::vector<std::vector<double>> hi(parts, std::vector<double>(qi.size(), -INFINITY));
  std::vector<std::vector<std::set<double>>> values(parts, std::vector<std::set<double>>(qi.size()));
  for (std::size_t i = 0; i < in.num_rows(); ++i) {
    const auto p = static_cast<std::size_t>(r.partition[i]);
    for (std::size_t j = 0; j < qi.size(); ++j) {
      const Column& c = in.column(qi[j]);
      const double v = c.is_categorical() ? c.codes()[i] : c.values()[i];
      lo[p][j] = std::min(lo[p][j], v), hi[p][j] = std::max(hi[p][j], v);
      values[p][j].insert(v);
    }
  }
  for (std::size_t p = 0; p < parts; ++p) {
    for (std::size_t q = p + 1; q < parts; ++q) {
      bool separated = false;
      for (std::size_t j = 0; j < qi.size() && !separated; ++j) {
        if (hierarchical.count(qi[j])) {
          separated = std::none_of(values[p][j].begin(), values[p][j].end(),
                                   [&](double v) { return values[q][j].count(v) > 0; });
        } else {
          separated = hi[p][j] < lo[q][j] || hi[q][j] < lo[p][j];
        }
      }
      ASSERT_TRUE(separated) << "partitions " << p << " and " << q << " overlap";
    }
  }
}

// A random grouping hierarchy for categories "c0".."c{n-1}": value -> g{code % groups} ->
// h{code % groups % 2} -> "*".
Hierarchy random_hierarchy(const std::string& name, std::size_t card, std::size_t groups) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t c = 0; c < card; ++c) {
    rows.push_back({"c" + std::to_string(c), "g" + std::to_string(c % groups),
                    "h" + std::to_string(c % groups % 2), "*"});
  }
  return Hierarchy::from_rows(name, rows);
}

struct RandomCase {
  Table table;
  std::vector<std::string> qi;
  MondrianOptions options;
  std::size_t k = 1;
};

// A table of n rows (1..400 if n = 0) with 1-4 quasi-identifiers of random kinds: small whole
// numbers, continuous numbers, categorical columns with up to 12 or around 64 categories (the
// two ways sets are stored), some with a hierarchy (for numbers: intervals, or groups that are
// not intervals); a sensitive column, half the time used with
// a random l; and a numeric column with missing values that must pass through unchanged.
RandomCase random_case(std::mt19937_64& rng, std::size_t n = 0) {
  RandomCase rc;
  if (n == 0) n = 1 + rng() % 400;
  const std::size_t d = 1 + rng() % 4;
  for (std::size_t j = 0; j < d; ++j) {
    const std::string name = "q" + std::to_string(j);
    rc.qi.push_back(name);
    const std::uint64_t shape = rng() % 4;
    if (shape < 2) {  // small whole numbers (many ties) or continuous values
      std::vector<double> v(n);
      for (auto& x : v) x = shape == 0 ? double(rng() % (1 + rng() % 20)) : double(rng() >> 11) * 0x1p-40 - 100;
      rc.table.add_column(Column::numeric(name, v));
      const std::uint64_t h = rng() % 3;
      if (h == 0) {
        const std::vector<double> widths =
            shape == 0 ? std::vector<double>{2, 4} : std::vector<double>{500, 1000, 4000};
        rc.options.hierarchies.push_back(hierarchies::intervals(name, v, widths));
      } else if (h == 1) {  // groups that are not intervals: the i-th smallest value in group i % 3
        std::set<double> distinct(v.begin(), v.end());
        std::vector<std::vector<std::string>> rows;
        for (double x : distinct) rows.push_back({format_number(x), "g" + std::to_string(rows.size() % 3), "*"});
        rc.options.hierarchies.push_back(Hierarchy::from_rows(name, rows));
      }
    } else {
      const std::size_t card = rng() % 4 == 0 ? 56 + rng() % 16 : 1 + rng() % 12;
      std::vector<std::string> cats;
      for (std::size_t c = 0; c < card; ++c) cats.push_back("c" + std::to_string(c));
      std::vector<std::int32_t> codes(n);
      for (auto& c : codes) c = static_cast<std::int32_t>(rng() % card);
      rc.table.add_column(Column::categorical(name, codes, cats));
      if (shape == 3) rc.options.hierarchies.push_back(random_hierarchy(name, card, 1 + rng() % 4));
    }
  }
  std::vector<std::int32_t> s(n);
  const std::size_t s_card = 1 + rng() % 6;
  for (auto& x : s) x = static_cast<std::int32_t>(rng() % s_card);
  std::vector<std::string> s_cats;
  for (std::size_t c = 0; c < s_card; ++c) s_cats.push_back("s" + std::to_string(c));
  rc.table.add_column(Column::categorical("diagnosis", s, s_cats));
  std::vector<double> other(n);
  for (std::size_t i = 0; i < n; ++i) other[i] = i % 7 == 0 ? std::nan("") : double(rng() % 1000) / 8;
  rc.table.add_column(Column::numeric("cost", other));
  rc.k = 1 + rng() % std::min<std::size_t>(n, 25);
  if (rng() % 2 == 0) {
    std::set<std::int32_t> distinct(s.begin(), s.end());
    rc.options.sensitive = "diagnosis";
    rc.options.l = static_cast<std::int64_t>(1 + rng() % distinct.size());
  }
  return rc;
}

}  // namespace

TEST(Mondrian, RandomTablesPassIndependentChecker) {
  std::mt19937_64 rng(2006);
  int cut = 0;
  for (int trial = 0; trial < test::long_run(300); ++trial) {
    const RandomCase rc = random_case(rng);
    const auto r = mondrian(rc.table, rc.qi, static_cast<std::int64_t>(rc.k), rc.options);
    SCOPED_TRACE("trial " + std::to_string(trial));
    check_release(rc.table, r, rc.qi, rc.k, rc.options);
    std::set<std::string> hierarchical;
    for (const Hierarchy& h : rc.options.hierarchies) hierarchical.insert(h.attribute());
    check_strict(rc.table, r, rc.qi, hierarchical);
    cut += r.num_partitions > 1;
    // k = 1 without l-diversity: every allowable cut is taken until no QI varies, so each row
    // publishes its own values.
    if (rc.k == 1 && rc.options.l == 1) {
      for (const auto& q : rc.qi) ASSERT_EQ(test::texts(r.table, q), test::texts(rc.table, q));
    }
    ASSERT_GE(r.min_partition_size, static_cast<std::int64_t>(rc.k));
    ASSERT_GE(r.ncp, 0.0);
    ASSERT_LE(r.ncp, 1.0);
    std::int64_t dm = 0;
    std::map<std::int32_t, std::int64_t> sizes;
    for (auto p : r.partition) ++sizes[p];
    for (const auto& [p, s] : sizes) dm += s * s;
    ASSERT_EQ(r.discernibility, dm);
  }
  EXPECT_GT(cut, 200);  // the checker saw real cuts, not 300 single partitions
}

TEST(Mondrian, HandWorkedNumeric) {
  // Ten points, k = 2. Both ranges are 1..10, so the root's widths tie and x (listed first) is
  // cut: median x = 5 (the 5th smallest), {x <= 5} | {x > 5}, 5 | 5. Left, y {1,8,3,6,2} spans
  // 7/9 > x's 4/9: median 3, {1,2,3} | {6,8} (3|2 and 2|3 are equally even: ties of the median
  // go left). Right, y {9,4,7,5,10} spans 6/9 > 4/9: median 7, {4,5,7} | {9,10}. Parts of 2 or
  // 3 rows (< 2k) are final.
  Table t;
  t.add_column(Column::numeric("x", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  t.add_column(Column::numeric("y", {1, 8, 3, 6, 2, 9, 4, 7, 5, 10}));
  const auto r = mondrian(t, {"x", "y"}, 2);
  EXPECT_EQ(r.partition, (std::vector<std::int32_t>{0, 1, 0, 1, 0, 2, 3, 3, 3, 2}));
  EXPECT_EQ(test::texts(r.table, "x"),
            (std::vector<std::string>{"1-5", "2-4", "1-5", "2-4", "1-5", "6-10", "7-9", "7-9", "7-9", "6-10"}));
  EXPECT_EQ(test::texts(r.table, "y"),
            (std::vector<std::string>{"1-3", "6-8", "1-3", "6-8", "1-3", "9-10", "4-7", "4-7", "4-7", "9-10"}));
  EXPECT_EQ(r.num_partitions, 4u);
  EXPECT_EQ(r.min_partition_size, 2);
  EXPECT_EQ(r.discernibility, 9 + 4 + 9 + 4);
  // NCP by hand, (range / 9) per QI times size: {0,2,4}: (4+2)/9*3, {1,3}: (2+2)/9*2, {5,9}:
  // (4+1)/9*2, {6,7,8}: (2+3)/9*3; sum 51/9 over 10 records and 2 QIs.
  EXPECT_NEAR(r.ncp, 51.0 / 9 / 20, 1e-12);
}

TEST(Mondrian, HandWorkedCategoricalSets) {
  // No hierarchy: categories ordered by code a < b < c < d. Rows a a b c c d, k = 3: median
  // (3rd smallest) b, {a,a,b} | {c,c,d}. Each set of 2 of the 4 categories has NCP 2/4.
  Table t;
  t.add_column(Column::categorical("band", {0, 0, 1, 2, 2, 3}, {"a", "b", "c", "d"}));
  const auto r = mondrian(t, {"band"}, 3);
  EXPECT_EQ(test::texts(r.table, "band"),
            (std::vector<std::string>{"{a,b}", "{a,b}", "{a,b}", "{c,d}", "{c,d}", "{c,d}"}));
  EXPECT_DOUBLE_EQ(r.ncp, 0.5);
}

TEST(Mondrian, HandWorkedHierarchy) {
  // Leeds, York -> North; Bath, Bristol -> South; -> *. Rows Leeds x2, York, Bath x3, Bristol
  // x2, k = 3. The root spans "*"; its children North (3 rows) and South (5): the lower median
  // (4th of 8) is South, so "North | South" puts the median's ties right: 3 | 5, allowed. Both
  // parts are below 2k = 6 and publish their node's label; NCP 2/4 each.
  Table t;
  t.add_column(Column::categorical("city", {0, 0, 1, 2, 2, 2, 3, 3}, {"Leeds", "York", "Bath", "Bristol"}));
  t.add_column(Column::numeric("n", {1, 2, 3, 4, 5, 6, 7, 8}));
  MondrianOptions opt;
  opt.hierarchies.push_back(Hierarchy::from_rows(
      "city", {{"Leeds", "North", "*"}, {"York", "North", "*"}, {"Bath", "South", "*"}, {"Bristol", "South", "*"}}));
  const auto r = mondrian(t, {"city"}, 3, opt);
  EXPECT_EQ(test::texts(r.table, "city"),
            (std::vector<std::string>{"North", "North", "North", "South", "South", "South", "South", "South"}));
  EXPECT_DOUBLE_EQ(r.ncp, 0.5);
  EXPECT_EQ(test::texts(r.table, "n"), test::texts(t, "n"));
  // k = 1: the cuts go down to single cities, published as themselves.
  EXPECT_EQ(test::texts(mondrian(t, {"city"}, 1, opt).table, "city"), test::texts(t, "city"));
}

TEST(Mondrian, NumericWithHierarchy) {
  // Ages with intervals of 10, then 20 (23 -> "20-29" -> "20-39" -> "*"), k = 2. The root spans
  // "*": children 20-39 (4 rows) and 40-59 (2): median (3rd of 6) 20-39, cut 4 | 2. In 20-39,
  // children 20-29 {23,27} and 30-39 {31,38}: cut 2 | 2. Parts of 2 < 2k are final; {45,52}
  // spans 40-49 and 50-59, so publishes "40-59".
  Table t;
  const std::vector<double> ages{23, 45, 31, 27, 52, 38};
  t.add_column(Column::numeric("age", ages));
  MondrianOptions opt;
  opt.hierarchies.push_back(hierarchies::intervals("age", ages, {10, 20}));
  const auto r = mondrian(t, {"age"}, 2, opt);
  EXPECT_EQ(test::texts(r.table, "age"),
            (std::vector<std::string>{"20-29", "40-59", "30-39", "20-29", "40-59", "30-39"}));
  // NCP on the 6 values present: 20-29 and 30-39 cover 2 each, 40-59 covers 2: all 2/6.
  EXPECT_NEAR(r.ncp, 2.0 / 6, 1e-15);
}

TEST(Mondrian, HandWorkedLDiversity) {
  // x = 1..6 and y = 1,2,1,2,1,2 both span their whole range; x is tried first. Its median cuts
  // (x <= 3: s = A,A,A; x <= 2: A,A) leave one distinct s on the left, so with l = 2 the cut
  // falls on y: {y = 1} rows 0,2,4 (s A,A,B) | {y = 2} rows 1,3,5 (A,B,B). Without l the cut is
  // x <= 3. Parts of 3 < 2k = 4 are final.
  Table t;
  t.add_column(Column::numeric("x", {1, 2, 3, 4, 5, 6}));
  t.add_column(Column::numeric("y", {1, 2, 1, 2, 1, 2}));
  t.add_column(Column::categorical("s", {0, 0, 0, 1, 1, 1}, {"A", "B"}));
  MondrianOptions opt;
  opt.sensitive = "s";
  opt.l = 2;
  const auto r = mondrian(t, {"x", "y"}, 2, opt);
  EXPECT_EQ(test::texts(r.table, "x"), (std::vector<std::string>{"1-5", "2-6", "1-5", "2-6", "1-5", "2-6"}));
  EXPECT_EQ(test::texts(r.table, "y"), (std::vector<std::string>{"1", "2", "1", "2", "1", "2"}));
  const auto plain = mondrian(t, {"x", "y"}, 2);
  EXPECT_EQ(test::texts(plain.table, "x"), (std::vector<std::string>{"1-3", "1-3", "1-3", "4-6", "4-6", "4-6"}));
  EXPECT_EQ(test::texts(plain.table, "y"), (std::vector<std::string>{"1-2", "1-2", "1-2", "1-2", "1-2", "1-2"}));
}

TEST(Mondrian, DeterministicAcrossRunsAndThreads) {
  // The same result twice, and with up to 4 threads handed every part of >= 64 rows.
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 5; ++trial) {
    const RandomCase rc = random_case(rng, 10000);
    MondrianOptions one = rc.options;
    one.threads = 1;
    MondrianOptions many = rc.options;
    many.threads = 4;
    many.parallel_min_rows = 64;
    const auto a = mondrian(rc.table, rc.qi, 5, one);
    const auto b = mondrian(rc.table, rc.qi, 5, one);
    const auto c = mondrian(rc.table, rc.qi, 5, many);
    EXPECT_EQ(a.partition, b.partition);
    EXPECT_EQ(a.partition, c.partition);
    for (const auto& q : rc.qi) {
      EXPECT_EQ(test::texts(a.table, q), test::texts(c.table, q));
      EXPECT_EQ(a.table.column(q).categories(), c.table.column(q).categories());
    }
    EXPECT_EQ(a.ncp, c.ncp);
    EXPECT_GT(a.num_partitions, 1u);
    if (trial == 0) {  // no thread to be had: the parts meant for workers are cut here instead
      test::NoThreadsToBeHad none;
      const auto d = mondrian(rc.table, rc.qi, 5, many);
      EXPECT_GT(none.refused(), 0);
      EXPECT_EQ(a.partition, d.partition);
      for (const auto& q : rc.qi) EXPECT_EQ(test::texts(a.table, q), test::texts(d.table, q));
    }
    check_release(rc.table, c, rc.qi, 5, rc.options);
  }
}

// The rows of `t` listed in `rows` (repeats allowed), every column kept.
Table pick_rows(const Table& t, const std::vector<std::size_t>& rows) {
  Table out;
  for (const Column& c : t.columns()) {
    if (c.is_categorical()) {
      std::vector<std::int32_t> codes;
      for (std::size_t i : rows) codes.push_back(c.codes()[i]);
      out.add_column(Column::categorical(c.name(), codes, c.categories()));
    } else {
      std::vector<double> v;
      for (std::size_t i : rows) v.push_back(c.values()[i]);
      out.add_column(Column::numeric(c.name(), v));
    }
  }
  return out;
}

TEST(Mondrian, AggregatedRowsGiveTheExpandedRecordsResult) {
  // A row with frequency n stands for n records; the second implementation is the record path
  // itself on the expanded table (each row repeated n times). Every aggregated row must publish
  // what each of its records publishes, and the partition count, the smallest partition,
  // discernibility and NCP must be the records'. Rows of one key appear several times (partial
  // counts from different partitions), and counts go up to 60 so that single rows hold the
  // median or a whole partition.
  std::mt19937_64 rng(2026);
  int cut = 0;
  for (int trial = 0; trial < 200; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    RandomCase rc = random_case(rng, 1 + rng() % 150);
    const std::size_t rows = rc.table.num_rows();
    std::vector<std::size_t> pick;
    for (std::size_t i = 0; i < rows; ++i) {
      pick.push_back(i);
      if (rng() % 4 == 0) pick.push_back(rng() % (i + 1));  // a second partial row of an earlier key
    }
    Table agg = pick_rows(rc.table, pick);
    std::vector<double> count(pick.size());
    std::vector<std::size_t> expanded;
    for (std::size_t a = 0; a < pick.size(); ++a) {
      count[a] = double(1 + rng() % (rng() % 3 == 0 ? 60 : 4));
      for (double c = 0; c < count[a]; ++c) expanded.push_back(a);
    }
    const Table records = pick_rows(agg, expanded);
    agg.add_column(Column::numeric("n", count));
    const auto k = static_cast<std::int64_t>(1 + rng() % std::min<std::size_t>(40, expanded.size()));
    MondrianOptions weighted = rc.options;
    weighted.frequency = "n";
    weighted.threads = 1 + rng() % 3;
    weighted.parallel_min_rows = 32;
    const MondrianResult r = mondrian(agg, rc.qi, k, weighted);
    const MondrianResult e = mondrian(records, rc.qi, k, rc.options);
    ASSERT_EQ(r.num_partitions, e.num_partitions);
    ASSERT_EQ(r.min_partition_size, e.min_partition_size);
    ASSERT_EQ(r.discernibility, e.discernibility);
    ASSERT_NEAR(r.ncp, e.ncp, 1e-12);
    for (const std::string& q : rc.qi) {
      const auto got = test::texts(r.table, q), want = test::texts(e.table, q);
      for (std::size_t j = 0; j < expanded.size(); ++j) ASSERT_EQ(got[expanded[j]], want[j]) << q << " record " << j;
    }
    EXPECT_EQ(test::texts(r.table, "n"), test::texts(agg, "n"));
    EXPECT_EQ(test::texts(r.table, "cost"), test::texts(agg, "cost"));
    cut += r.num_partitions > 1;
  }
  EXPECT_GT(cut, 100);
}

TEST(Mondrian, FrequencyErrors) {
  Table t;
  t.add_column(Column::numeric("age", {30, 40, 50}));
  t.add_column(Column::categorical("dx", {0, 1, 0}, {"I", "J"}));
  t.add_column(Column::numeric("n", {2, 3, 1}));
  MondrianOptions o;
  o.frequency = "n";
  // 6 records in 3 rows: k = 6 is allowed, k = 7 is not, and the message counts records.
  EXPECT_EQ(mondrian(t, {"age"}, 6, o).num_partitions, 1u);
  EXPECT_NE(test::error_of([&] { mondrian(t, {"age"}, 7, o); }).find("k = 7 is larger than the 6 records"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { mondrian(t, {"age", "n"}, 2, o); }).find("also a quasi-identifier"),
            std::string::npos);
  o.frequency = "dx";
  EXPECT_NE(test::error_of([&] { mondrian(t, {"age"}, 2, o); }).find("is not numeric"), std::string::npos);
  o.frequency = "nope";
  EXPECT_THROW(mondrian(t, {"age"}, 2, o), InvalidArgument);
  for (const double bad : {0.0, 1.5, -2.0, std::nan(""), 4294967296.0}) {
    Table u;
    u.add_column(Column::numeric("age", {30, 40}));
    u.add_column(Column::numeric("n", {1, bad}));
    o.frequency = "n";
    const std::string m = test::error_of([&] { mondrian(u, {"age"}, 1, o); });
    EXPECT_NE(m.find("row 2 (1-based)"), std::string::npos) << bad << ": " << m;
  }
}

TEST(Mondrian, NegativeZeroIsPublishedAsZero) {
  // -0.0 and 0.0 are one value; whichever comes first, and whatever the encoding path (whole
  // numbers in a small span, or any other numbers), the label is "0". Found by the Python tests.
  for (const std::vector<double>& v : {std::vector<double>{-0.0, 0.0, 1.5}, std::vector<double>{0.0, -0.0, 1.5},
                                       std::vector<double>{-0.0, 1.0}, std::vector<double>{-0.0, 1.5}}) {
    Table t;
    t.add_column(Column::numeric("y", v));
    const MondrianResult r = mondrian(t, {"y"}, 1);
    EXPECT_EQ(r.table.column("y").format(0), "0");
  }
}

TEST(Mondrian, BadArguments) {
  Table t;
  t.add_column(Column::numeric("age", {30, 40, std::nan(""), 50}));
  t.add_column(Column::categorical("sex", {0, 1, 0, 1}, {"F", "M"}));
  t.add_column(Column::categorical("dx", {0, 0, 1, 1}, {"I", "J"}));
  auto message = [&](const std::vector<std::string>& qi, std::int64_t k, const MondrianOptions& o) -> std::string {
    try {
      mondrian(t, qi, k, o);
    } catch (const InvalidArgument& e) {
      return e.what();
    }
    return "no exception";
  };
  const MondrianOptions none;
  EXPECT_NE(message({"sex"}, 0, none).find("k must be at least 1, got 0"), std::string::npos);
  EXPECT_NE(message({"sex"}, 5, none).find("k = 5 is larger than the 4 rows"), std::string::npos);
  EXPECT_NE(message({"sex", "nope"}, 2, none).find("nope"), std::string::npos);
  EXPECT_NE(message({}, 2, none).find("no quasi-identifiers"), std::string::npos);
  EXPECT_NE(message({"sex", "sex"}, 2, none).find("named twice"), std::string::npos);
  EXPECT_NE(message({"age"}, 2, none).find("quasi-identifier 'age' is missing in row 2"), std::string::npos);
  MondrianOptions o;
  o.sensitive = "dx";
  o.l = 3;
  EXPECT_NE(message({"sex"}, 2, o).find("l = 3 is more than the 2 distinct values of sensitive column 'dx'"),
            std::string::npos);
  o.l = 0;
  EXPECT_NE(message({"sex"}, 2, o).find("l must be at least 1"), std::string::npos);
  o.l = 2;
  o.sensitive = "sex";
  EXPECT_NE(message({"sex"}, 2, o).find("is also a quasi-identifier"), std::string::npos);
  o.sensitive.clear();
  EXPECT_NE(message({"sex"}, 2, o).find("needs a sensitive column"), std::string::npos);
  o.sensitive = "nope";
  EXPECT_THROW(mondrian(t, {"sex"}, 2, o), InvalidArgument);
  MondrianOptions h;
  h.hierarchies.push_back(Hierarchy::from_rows("dx", {{"I", "*"}, {"J", "*"}}));
  EXPECT_NE(message({"sex"}, 2, h).find("'dx', which is not a quasi-identifier"), std::string::npos);
  h.hierarchies[0] = Hierarchy::from_rows("sex", {{"F", "*"}});
  EXPECT_NE(message({"sex"}, 2, h).find("does not cover value(s) of column 'sex': 'M'"), std::string::npos);
  const Hierarchy sex = Hierarchy::from_rows("sex", {{"F", "*"}, {"M", "*"}});
  h.hierarchies = {sex, sex};
  EXPECT_NE(message({"sex"}, 2, h).find("two hierarchies"), std::string::npos);
}
