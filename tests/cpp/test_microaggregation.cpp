// MDAV microaggregation against independently derived results: a naive MDAV-generic written
// plainly from Domingo-Ferrer & Torra (2005) (loops, no Eigen) on seeded random data and on
// sdcMicro's testdata and the CASC reference files, a 9-record example worked by hand, and the
// properties the method promises.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/microaggregation.hpp"
#include "test_support.hpp"

using namespace sdcore;

namespace {

using Rows = std::vector<std::vector<double>>;  // one vector of p values per record
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

double dist2(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t j = 0; j < a.size(); ++j) s += (a[j] - b[j]) * (a[j] - b[j]);
  return s;
}

// MDAV-generic, step by step as the paper states it. `rest` holds the remaining records in
// ascending order, so scanning it with a strict ">" keeps the lowest row among equal distances.
std::vector<std::int32_t> naive_mdav(const Rows& x, std::size_t k) {
  std::vector<std::int32_t> group(x.size(), -1);
  std::int32_t next = 0;
  std::vector<std::size_t> rest(x.size());
  std::iota(rest.begin(), rest.end(), 0);
  auto centroid = [&] {
    std::vector<double> c(x[0].size(), 0.0);
    for (std::size_t i : rest) for (std::size_t j = 0; j < c.size(); ++j) c[j] += x[i][j];
    for (double& v : c) v /= static_cast<double>(rest.size());
    return c;
  };
  auto farthest = [&](const std::vector<double>& from, std::size_t skip) {
    std::size_t best = kNone;
    double best_d = -1;
    for (std::size_t i : rest) {
      if (i != skip && dist2(x[i], from) > best_d) best = i, best_d = dist2(x[i], from);
    }
    return best;
  };
  auto form = [&](std::size_t c) {  // c and its k-1 nearest, ties to the lower row
    std::vector<std::pair<double, std::size_t>> others;
    for (std::size_t i : rest) if (i != c) others.emplace_back(dist2(x[i], x[c]), i);
    std::sort(others.begin(), others.end());
    group[c] = next;
    for (std::size_t t = 0; t + 1 < k; ++t) group[others[t].second] = next;
    ++next;
    rest.erase(std::remove_if(rest.begin(), rest.end(), [&](std::size_t i) { return group[i] >= 0; }), rest.end());
  };
  while (rest.size() >= 3 * k) {
    const std::size_t r = farthest(centroid(), kNone);
    std::size_t s = farthest(x[r], r);
    form(r);
    if (group[s] >= 0) s = farthest(x[r], kNone);  // s fell into r's group: next farthest
    form(s);
  }
  if (rest.size() >= 2 * k) form(farthest(centroid(), kNone));
  if (!rest.empty()) {
    for (std::size_t i : rest) group[i] = next;
  }
  return group;
}

// z-scores with the population standard deviation, written out.
Rows z_scores(Rows x) {
  const double n = static_cast<double>(x.size());
  for (std::size_t j = 0; j < x[0].size(); ++j) {
    double mean = 0, ss = 0;
    for (const auto& r : x) mean += r[j];
    mean /= n;
    for (const auto& r : x) ss += (r[j] - mean) * (r[j] - mean);
    const double sd = std::sqrt(ss / n);
    for (auto& r : x) r[j] = sd > 0 ? (r[j] - mean) / sd : r[j] - mean;
  }
  return x;
}

Table to_table(const Rows& x) {
  Table t;
  for (std::size_t j = 0; j < x[0].size(); ++j) {
    std::vector<double> col;
    for (const auto& r : x) col.push_back(r[j]);
    t.add_column(Column::numeric("v" + std::to_string(j), col));
  }
  return t;
}

std::vector<std::string> names(std::size_t p) {
  std::vector<std::string> out;
  for (std::size_t j = 0; j < p; ++j) out.push_back("v" + std::to_string(j));
  return out;
}

// Sizes in [k, 2k-1] and every output value the mean of its group's inputs, summed in row order.
void expect_group_means(const Table& in, const MicroaggregationResult& m, const std::vector<std::string>& cols,
                        std::size_t k) {
  std::vector<std::vector<std::size_t>> members(m.num_groups);
  for (std::size_t i = 0; i < m.group.size(); ++i) {
    if (m.group[i] >= 0) members[static_cast<std::size_t>(m.group[i])].push_back(i);
  }
  for (const auto& g : members) {
    ASSERT_GE(g.size(), k);
    ASSERT_LE(g.size(), 2 * k - 1);
    for (const auto& name : cols) {
      double sum = 0;
      for (std::size_t i : g) sum += in.column(name).values()[i];
      for (std::size_t i : g) ASSERT_EQ(m.table.column(name).values()[i], sum / static_cast<double>(g.size()));
    }
  }
}

}  // namespace

TEST(Mdav, MatchesNaiveReferenceOnRandomData) {
  // Continuous data (no exact ties), variables on very different scales, z-scored.
  std::mt19937_64 rng(20260401);
  for (int trial = 0; trial < 150; ++trial) {
    const std::size_t k = 2 + rng() % 7, p = 1 + rng() % 4;
    const std::size_t n = k + rng() % 300;
    Rows x(n, std::vector<double>(p));
    for (std::size_t j = 0; j < p; ++j) {
      const double scale = std::ldexp(1.0, static_cast<int>(rng() % 30) - 10);
      for (auto& r : x) r[j] = scale * static_cast<double>(rng() >> 11) * 0x1p-53;
    }
    const Table t = to_table(x);
    const auto m = mdav(t, names(p), static_cast<std::int64_t>(k));
    ASSERT_EQ(m.group, naive_mdav(z_scores(x), k)) << "trial " << trial;
    expect_group_means(t, m, names(p), k);
  }
}

TEST(Mdav, TiesGoToLowerRowAsInNaiveReference) {
  // Small integers, two variables, raw units: many exactly equal distances, all computed exactly
  // (sums of two squares of exact values are commutative), so both implementations must break
  // every tie the same way. Some tables are all one value, so s always falls into r's group.
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 150; ++trial) {
    const std::size_t k = 2 + rng() % 5, n = k + rng() % 120;
    const std::uint64_t range = trial % 10 == 0 ? 1 : 2 + rng() % 4;
    Rows x(n, std::vector<double>(2));
    for (auto& r : x) for (auto& v : r) v = static_cast<double>(rng() % range);
    MdavOptions opt;
    opt.standardisation = Standardisation::kNone;
    const auto m = mdav(to_table(x), names(2), static_cast<std::int64_t>(k), opt);
    ASSERT_EQ(m.group, naive_mdav(x, k)) << "trial " << trial;
    expect_group_means(to_table(x), m, names(2), k);
  }
}

namespace {
// Nine points worked through by hand in MicroaggregationByHand below.
Table nine_points() {
  Table t;
  t.add_column(Column::numeric("x", {0, 1, 0, 10, 11, 5, 6, 20, 20}));
  t.add_column(Column::numeric("y", {0, 0, 1, 10, 10, 5, 5, 0, 1}));
  t.add_column(Column::categorical("id", {0, 1, 2, 3, 4, 5, 6, 7, 8},
                                   {"a", "b", "c", "d", "e", "f", "g", "h", "i"}));
  return t;
}
}  // namespace

TEST(Mdav, HandWorkedExample) {
  // k = 2, raw units. Round 1 (9 >= 3k): centroid (73/9, 32/9) = (8.11, 3.56); squared
  // distances to it: row 7 (20,0) 154.0 is the largest -> r = 7. From r: row 2 (0,1) at 401 is
  // the farthest -> s = 2. r's nearest: row 8 (1) -> group 0 = {7, 8}. s's nearest among
  // {0,1,3,4,5,6}: row 0 (1) -> group 1 = {0, 2}. Five remain (2k <= 5 < 3k): centroid
  // (33/5, 6) = (6.6, 6); farthest row 1 (1,0) at 67.36 -> its nearest row 5 (41) -> group 2 =
  // {1, 5}; the rest {3, 4, 6} is group 3.
  MdavOptions opt;
  opt.standardisation = Standardisation::kNone;
  const Table t = nine_points();
  const auto m = mdav(t, {"x", "y"}, 2, opt);
  EXPECT_EQ(m.group, (std::vector<std::int32_t>{1, 2, 1, 3, 3, 2, 3, 0, 0}));
  EXPECT_EQ(m.num_groups, 4u);
  // Group means: {7,8} (20, .5); {0,2} (0, .5); {1,5} (3, 2.5); {3,4,6} (9, 25/3).
  EXPECT_EQ(m.table.column("x").values()[3], 9.0);
  EXPECT_EQ(m.table.column("y").values()[6], 25.0 / 3);
  EXPECT_EQ(m.table.column("x").values()[5], 3.0);
  EXPECT_EQ(m.table.column("y").values()[8], 0.5);
  // On z-scores SSE/SST is the mean over variables of SSE_v / SST_v. By hand: SST_x = 1083 -
  // 73^2/9 = 4418/9, SSE_x = 0 + 0 + 8 + 14 = 22; SST_y = 252 - 32^2/9 = 1244/9, SSE_y = .5 + .5
  // + 12.5 + 50/3 = 181/6.
  EXPECT_NEAR(m.information_loss, (22.0 / (4418.0 / 9) + (181.0 / 6) / (1244.0 / 9)) / 2, 1e-12);
  EXPECT_NEAR(m.sst, 18.0, 1e-12);  // n per z-scored variable
  EXPECT_EQ(test::texts(m.table, "id"), test::texts(t, "id"));
}

TEST(Mdav, MedianMeasure) {
  // Same groups as HandWorkedExample; medians by hand: {3,4,6} x {10,11,6} -> 10,
  // y {10,10,5} -> 10; {1,5} x {1,5} -> 3 (mean of the two middle values).
  MdavOptions opt;
  opt.standardisation = Standardisation::kNone;
  opt.measure = AggregationMeasure::kMedian;
  const auto m = mdav(nine_points(), {"x", "y"}, 2, opt);
  EXPECT_EQ(m.group, (std::vector<std::int32_t>{1, 2, 1, 3, 3, 2, 3, 0, 0}));
  EXPECT_EQ(m.table.column("x").values()[4], 10.0);
  EXPECT_EQ(m.table.column("y").values()[4], 10.0);
  EXPECT_EQ(m.table.column("x").values()[1], 3.0);
}

TEST(Mdav, TailCases) {
  // n in [k, 2k): one group. n = 2k: no round of two (n < 3k), one group of k around the
  // farthest record and the rest. Sizes follow from the algorithm's definition.
  MdavOptions opt;
  opt.standardisation = Standardisation::kNone;
  Table t;
  t.add_column(Column::numeric("x", {0, 1, 2, 3, 100}));
  EXPECT_EQ(mdav(t, {"x"}, 3, opt).group, (std::vector<std::int32_t>{0, 0, 0, 0, 0}));
  Table u;
  u.add_column(Column::numeric("x", {0, 1, 2, 50, 98, 100}));
  // Centroid 251/6 = 41.8: farthest is 100 (row 5); its two nearest 98, 50.
  EXPECT_EQ(mdav(u, {"x"}, 3, opt).group, (std::vector<std::int32_t>{1, 1, 1, 0, 0, 0}));
}

TEST(Mdav, SdcMicroTestdata) {
  // Real data with repeated values (sdcMicro's testdata, as ?createSdcObj microaggregates it):
  // the same groups as the plain reference on the z-scores, group means, sizes in [k, 2k-1],
  // every other column unchanged, and the published values k-anonymous.
  const Table t = read_csv(test::shared_data("sdcmicro/testdata.csv"));
  const std::vector<std::string> qi{"expend", "income", "savings"};
  const auto m = mdav(t, qi, 3);
  Rows x(t.num_rows(), std::vector<double>(qi.size()));
  for (std::size_t j = 0; j < qi.size(); ++j) {
    for (std::size_t i = 0; i < t.num_rows(); ++i) x[i][j] = t.column(qi[j]).values()[i];
  }
  EXPECT_EQ(m.group, naive_mdav(z_scores(x), 3));
  expect_group_means(t, m, qi, 3);
  ASSERT_EQ(m.table.num_columns(), t.num_columns());
  for (std::size_t c = 0; c < t.num_columns(); ++c) {
    const std::string& name = t.column(c).name();
    EXPECT_EQ(m.table.column(c).name(), name);
    if (std::find(qi.begin(), qi.end(), name) == qi.end()) {
      EXPECT_EQ(test::texts(m.table, name), test::texts(t, name));
    }
  }
  const auto ec = equivalence_classes(m.table, qi);
  EXPECT_GE(*std::min_element(ec.count.begin(), ec.count.end()), 3);
  EXPECT_GT(m.information_loss, 0.0);
  EXPECT_LT(m.information_loss, 1.0);
}

TEST(Mdav, CascReferenceFilesMatchNaiveReference) {
  // The CASC reference files (all 13 variables, z-scored): the groups must be those of the naive
  // MDAV above, and SSE/SST must be the one recomputed here from those groups by plain sums
  // (the mean over variables of within-group over total sum of squares of the z-scores).
  for (const char* file : {"sdcmicro/Tarragona.csv", "sdcmicro/CASCrefmicrodata.csv"}) {
    const Table t = read_csv(test::shared_data(file));
    std::vector<std::string> cols;
    for (const Column& c : t.columns()) cols.push_back(c.name());
    Rows x(t.num_rows(), std::vector<double>(cols.size()));
    for (std::size_t j = 0; j < cols.size(); ++j) {
      for (std::size_t i = 0; i < x.size(); ++i) x[i][j] = t.column(cols[j]).values()[i];
    }
    const Rows z = z_scores(x);
    for (const std::int64_t k : {3, 10}) {
      const auto m = mdav(t, cols, k);
      const auto ref = naive_mdav(z, static_cast<std::size_t>(k));
      ASSERT_EQ(m.group, ref) << file << " k=" << k;
      const std::size_t g = static_cast<std::size_t>(*std::max_element(ref.begin(), ref.end())) + 1;
      double loss = 0;
      for (std::size_t j = 0; j < cols.size(); ++j) {
        std::vector<double> sum(g, 0.0), count(g, 0.0);
        for (std::size_t i = 0; i < z.size(); ++i) sum[ref[i]] += z[i][j], count[ref[i]] += 1;
        double sse = 0, sst = 0;
        for (std::size_t i = 0; i < z.size(); ++i) {
          const double mean = sum[ref[i]] / count[ref[i]];
          sse += (z[i][j] - mean) * (z[i][j] - mean);
          sst += z[i][j] * z[i][j];  // z-scores have mean 0
        }
        loss += sst > 0 ? sse / sst : 0.0;
      }
      EXPECT_NEAR(m.information_loss, loss / static_cast<double>(cols.size()), 1e-9) << file << " k=" << k;
    }
  }
}

TEST(Mdav, ExcludeMissing) {
  Table t;
  t.add_column(Column::numeric("a", {1, 2, std::nan(""), 4, 5, 6, 7}));
  t.add_column(Column::numeric("b", {1, 1, 1, 1, std::nan(""), 1, 2}));
  MdavOptions opt;
  opt.exclude_missing = true;
  const auto m = mdav(t, {"a", "b"}, 2, opt);
  EXPECT_EQ(m.excluded_rows, (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(m.group[2], -1);
  EXPECT_EQ(m.group[4], -1);
  EXPECT_EQ(test::texts(m.table, "b")[4], "<NA>");
  EXPECT_EQ(test::texts(m.table, "a")[4], "5");
  // The others are grouped exactly as a table without the two rows would be.
  Table u;
  u.add_column(Column::numeric("a", {1, 2, 4, 6, 7}));
  u.add_column(Column::numeric("b", {1, 1, 1, 1, 2}));
  const auto ref = mdav(u, {"a", "b"}, 2);
  const std::vector<std::size_t> kept{0, 1, 3, 5, 6};
  for (std::size_t i = 0; i < kept.size(); ++i) {
    EXPECT_EQ(m.group[kept[i]], ref.group[i]);
    EXPECT_EQ(m.table.column("a").values()[kept[i]], ref.table.column("a").values()[i]);
  }
  EXPECT_EQ(m.sst, ref.sst);
}

TEST(Mdav, BadArguments) {
  const Table t = nine_points();
  auto message = [&](const std::vector<std::string>& cols, std::int64_t k) -> std::string {
    try {
      mdav(t, cols, k);
    } catch (const InvalidArgument& e) {
      return e.what();
    }
    return "no exception";
  };
  EXPECT_NE(message({"x"}, 1).find("k must be at least 2"), std::string::npos);
  EXPECT_NE(message({"x"}, 10).find("k = 10 is larger than the 9 records"), std::string::npos);
  EXPECT_NE(message({"x", "id"}, 2).find("'id' is categorical"), std::string::npos);
  EXPECT_NE(message({"x", "x"}, 2).find("named twice"), std::string::npos);
  EXPECT_NE(message({}, 2).find("no columns"), std::string::npos);
  EXPECT_THROW(mdav(t, {"nope"}, 2), InvalidArgument);
  Table u;
  u.add_column(Column::numeric("a", {1, 2, 3, 4}));
  u.add_column(Column::numeric("b", {1, 2, std::nan(""), 4}));
  try {
    mdav(u, {"a", "b"}, 2);
    FAIL() << "NaN accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("column 'b' is missing (NaN) in row 2"), std::string::npos) << e.what();
  }
  MdavOptions opt;
  opt.exclude_missing = true;
  EXPECT_THROW(mdav(u, {"a", "b"}, 4, opt), InvalidArgument);  // only 3 complete records
}
