// measure_anonymity: a hand-worked table, and random tables against a naive implementation written
// from the definitions (std::map per class, full distributions, sorting for recursive c).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "sdcore/anonymity.hpp"
#include "sdcore/error.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

Table hand_table() {
  // Class A: x, x, y, z; class B: y, w. Categories in the order x, y, z, w.
  Table t;
  t.add_column(Column::categorical("g", {0, 0, 0, 0, 1, 1}, {"A", "B"}));
  t.add_column(Column::categorical("d", {0, 0, 1, 2, 1, 3}, {"x", "y", "z", "w"}));
  return t;
}

TEST(MeasureAnonymity, HandWorkedTable) {
  // By hand (p: x 1/3, y 1/3, z 1/6, w 1/6; A: q = 1/2, 1/4, 1/4, 0; B: 0, 1/2, 0, 1/2):
  // k 2; l 2 (B); entropy: A 1.5 ln 2, B ln 2 -> exp 2; alpha 1/2; recursive c (l = 2): A 2 / (1 + 1),
  // B 1 / 1 -> 1; t equal: A 1/4, B 1/2; beta: w in B (1/2 - 1/6) / (1/6) = 2; enhanced: 2 > -ln(1/6)
  // = 1.79, so no beta gives it (infinity);
  // delta: w in B ln 3; t ordered: A (1/6 + 1/12 + 1/6) / 3 = 5/36, B (1/3 + 1/6 + 1/3) / 3 = 5/18.
  const auto m = measure_anonymity(hand_table(), {"g"}, {{"d", GroundDistance::kEqual}});
  EXPECT_EQ(m.records, 6);
  EXPECT_EQ(m.classes, 2);
  EXPECT_EQ(m.k, 2);
  const auto& s = m.sensitive.at(0);
  EXPECT_EQ(s.l_distinct, 2);
  EXPECT_NEAR(s.l_entropy, 2.0, 1e-12);
  EXPECT_NEAR(s.alpha, 0.5, 1e-15);
  EXPECT_NEAR(s.recursive_c, 1.0, 1e-15);
  EXPECT_NEAR(s.t, 0.5, 1e-12);
  EXPECT_NEAR(s.beta, 2.0, 1e-12);
  EXPECT_TRUE(std::isinf(s.enhanced_beta));
  EXPECT_NEAR(s.delta, std::log(3.0), 1e-12);
  const auto o = measure_anonymity(hand_table(), {"g"}, {{"d", GroundDistance::kOrdered}});
  EXPECT_NEAR(o.sensitive.at(0).t, 5.0 / 18, 1e-12);
  EXPECT_EQ(o.sensitive.at(0).distance, GroundDistance::kOrdered);
}

// The definitions, naively: per class a map value -> count over every value of the table.
SensitiveMeasures naive(const std::vector<std::int32_t>& cls, const std::vector<std::int32_t>& val, std::size_t m,
                        GroundDistance distance) {
  std::map<std::int32_t, std::map<std::int32_t, double>> by_class;
  std::vector<double> p(m, 0.0);
  for (std::size_t r = 0; r < cls.size(); ++r) {
    by_class[cls[r]][val[r]] += 1;
    p[static_cast<std::size_t>(val[r])] += 1;  // a count first: adding 1/n up would leave p = 1 a hair
  }                                            // below 1, and q > p where they are equal
  for (double& x : p) x /= static_cast<double>(cls.size());
  std::size_t present = 0;
  for (double x : p) present += x > 0;
  SensitiveMeasures s;
  s.l_distinct = 1 << 30;
  s.l_entropy = 1e300;
  for (const auto& [c, counts] : by_class) s.l_distinct = std::min<std::int64_t>(s.l_distinct, static_cast<std::int64_t>(counts.size()));
  for (const auto& [c, counts] : by_class) {
    double size = 0;
    for (const auto& [v, k] : counts) size += k;
    std::vector<double> q(m, 0.0);
    for (const auto& [v, k] : counts) q[static_cast<std::size_t>(v)] = k / size;
    double h = 0, l1 = 0, cum = 0, cumsum = 0;
    std::vector<double> r;
    for (std::size_t v = 0; v < m; ++v) {
      if (q[v] > 0) {
        h -= q[v] * std::log(q[v]);
        s.alpha = std::max(s.alpha, q[v]);
        r.push_back(q[v] * size);
        s.delta = std::max(s.delta, std::fabs(std::log(q[v] / p[v])));
        if (q[v] > p[v]) {
          s.beta = std::max(s.beta, (q[v] - p[v]) / p[v]);
          if ((q[v] - p[v]) / p[v] > -std::log(p[v])) s.enhanced_beta = 1e300;  // marks "beyond the cap"
        }
      }
      l1 += std::fabs(q[v] - p[v]);
      if (p[v] > 0) {
        cum += q[v] - p[v];
        cumsum += std::fabs(cum);
      }
    }
    s.l_entropy = std::min(s.l_entropy, std::exp(h));
    s.t = std::max(s.t, distance == GroundDistance::kEqual ? 0.5 * l1
                                                             : (present > 1 ? cumsum / static_cast<double>(present - 1) : 0.0));
    std::sort(r.rbegin(), r.rend());
    double tail = 0;
    for (std::size_t i = static_cast<std::size_t>(s.l_distinct) - 1; i < r.size(); ++i) tail += r[i];
    s.recursive_c = std::max(s.recursive_c, r[0] / tail);
  }
  s.enhanced_beta = s.enhanced_beta > 0 ? std::numeric_limits<double>::infinity() : s.beta;
  return s;
}

TEST(MeasureAnonymity, RandomTablesAgreeWithTheDefinitions) {
  test::Rng rng{41};
  for (int round = 0; round < test::long_run(200); ++round) {
    const std::size_t n = 1 + rng.below(400);
    const std::size_t groups = 1 + rng.below(12), values = 1 + rng.below(9);
    std::vector<std::int32_t> g(n), d(n), cls(n), val(n);
    std::vector<std::string> gcats, dcats;
    for (std::size_t i = 0; i < groups; ++i) gcats.push_back("g" + std::to_string(i));
    for (std::size_t i = 0; i < values; ++i) dcats.push_back("d" + std::to_string(i));
    std::map<std::int32_t, std::int32_t> first;  // class ids by first appearance, as the kernel numbers them
    for (std::size_t r = 0; r < n; ++r) {
      g[r] = static_cast<std::int32_t>(rng.below(groups));
      d[r] = rng.below(7) == 0 ? -1 : static_cast<std::int32_t>(rng.below(values));  // some missing
      cls[r] = first.try_emplace(g[r], static_cast<std::int32_t>(first.size())).first->second;
      val[r] = d[r] < 0 ? static_cast<std::int32_t>(values) : d[r];  // missing: its own value, last
    }
    Table t;
    t.add_column(Column::categorical("g", g, gcats));
    t.add_column(Column::categorical("d", d, dcats));
    for (const auto distance : {GroundDistance::kEqual, GroundDistance::kOrdered}) {
      const auto got = measure_anonymity(t, {"g"}, {{"d", distance}}, 1 + rng.below(2));
      const auto want = naive(cls, val, values + 1, distance);
      const auto& s = got.sensitive.at(0);
      std::map<std::int32_t, std::int64_t> size;
      for (auto c : cls) ++size[c];
      std::int64_t k = static_cast<std::int64_t>(n);
      for (const auto& [c, z] : size) k = std::min(k, z);
      EXPECT_EQ(got.k, k) << round;
      EXPECT_EQ(s.l_distinct, want.l_distinct) << round;
      EXPECT_NEAR(s.l_entropy, want.l_entropy, 1e-9) << round;
      EXPECT_NEAR(s.alpha, want.alpha, 1e-12) << round;
      EXPECT_NEAR(s.recursive_c, want.recursive_c, 1e-12) << round;
      EXPECT_NEAR(s.t, want.t, 1e-12) << round;
      EXPECT_NEAR(s.beta, want.beta, 1e-9) << round;
      if (std::isinf(want.enhanced_beta)) {
        EXPECT_TRUE(std::isinf(s.enhanced_beta)) << round;
      } else {
        EXPECT_NEAR(s.enhanced_beta, want.enhanced_beta, 1e-9) << round;
      }
      EXPECT_NEAR(s.delta, want.delta, 1e-9) << round;
    }
  }
}

TEST(MeasureAnonymity, ManyClassesAndValuesAgreeWithTheDefinitions) {
  // classes x values (about 2,000 x 701) above both 2 x records and 2^20: the class-sorted path,
  // not the dense matrix, counts the values.
  test::Rng rng{77};
  for (int round = 0; round < test::long_run(3); ++round) {
    const std::size_t n = 3000, side = 60, values = 700;
    std::vector<std::int32_t> a(n), b(n), d(n), cls(n), val(n);
    std::vector<std::string> cats, dcats;
    for (std::size_t i = 0; i < side; ++i) cats.push_back(std::to_string(i));
    for (std::size_t i = 0; i < values; ++i) dcats.push_back("v" + std::to_string(i));
    std::map<std::pair<std::int32_t, std::int32_t>, std::int32_t> first;
    for (std::size_t r = 0; r < n; ++r) {
      a[r] = static_cast<std::int32_t>(rng.below(side));
      b[r] = static_cast<std::int32_t>(rng.below(side));
      d[r] = rng.below(20) == 0 ? -1 : static_cast<std::int32_t>(rng.below(values));
      cls[r] = first.try_emplace({a[r], b[r]}, static_cast<std::int32_t>(first.size())).first->second;
      val[r] = d[r] < 0 ? static_cast<std::int32_t>(values) : d[r];
    }
    ASSERT_GT(static_cast<double>(first.size()) * (values + 1), static_cast<double>(1 << 20));
    Table t;
    t.add_column(Column::categorical("a", a, cats));
    t.add_column(Column::categorical("b", b, cats));
    t.add_column(Column::categorical("d", d, dcats));
    for (const auto distance : {GroundDistance::kEqual, GroundDistance::kOrdered}) {
      const auto measured = measure_anonymity(t, {"a", "b"}, {{"d", distance}});
      const auto& s = measured.sensitive.at(0);
      const auto want = naive(cls, val, values + 1, distance);
      EXPECT_EQ(s.l_distinct, want.l_distinct);
      EXPECT_NEAR(s.l_entropy, want.l_entropy, 1e-9);
      EXPECT_NEAR(s.alpha, want.alpha, 1e-12);
      EXPECT_NEAR(s.recursive_c, want.recursive_c, 1e-12);
      EXPECT_NEAR(s.t, want.t, 1e-12);
      EXPECT_NEAR(s.beta, want.beta, 1e-9);
      EXPECT_EQ(std::isinf(s.enhanced_beta), std::isinf(want.enhanced_beta));
      EXPECT_NEAR(s.delta, want.delta, 1e-9);
    }
  }
}

TEST(MeasureAnonymity, NumericColumnsAndRefusals) {
  // A numeric sensitive column takes its values in numeric order for the ordered distance: the
  // hand table with d as 1, 2, 3, 4 (x, y, z, w) gives the same 5/18 as the categories in that order.
  Table t;
  t.add_column(Column::numeric("g", {7, 7, 7, 7, 9, 9}));
  t.add_column(Column::numeric("d", {1, 1, 2, 3, 2, 4}));
  EXPECT_NEAR(measure_anonymity(t, {"g"}, {{"d", GroundDistance::kOrdered}}).sensitive[0].t, 5.0 / 18, 1e-12);
  EXPECT_EQ(measure_anonymity(t, {"g"}, {}).k, 2);
  EXPECT_NE(test::error_of([&] { measure_anonymity(t, {}, {}); }).find("no quasi-identifiers"), std::string::npos);
  EXPECT_NE(test::error_of([&] { measure_anonymity(t, {"g"}, {{"g"}}); }).find("both a quasi-identifier"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { measure_anonymity(t, {"g", "g"}, {}); }).find("twice"), std::string::npos);
  EXPECT_NE(test::error_of([&] { measure_anonymity(t, {"g"}, {{"d"}, {"d"}}); }).find("twice"), std::string::npos);
  EXPECT_NE(test::error_of([&] { measure_anonymity(t, {"nope"}, {}); }).find("nope"), std::string::npos);
}

}  // namespace
}  // namespace sdcore
