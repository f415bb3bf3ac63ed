// Privacy models of the anonymisation search: t-closeness distances against the published example
// and an independent formula, l-diversity variants and k-map on hand-made tables.

#include <gtest/gtest.h>

#include <random>

#include "detail/kanon_problem.hpp"
#include "sdcore/kanon.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

std::vector<std::int32_t> identity_rank(std::size_t m) {
  std::vector<std::int32_t> r(m);
  for (std::size_t i = 0; i < m; ++i) r[i] = static_cast<std::int32_t>(i);
  return r;
}

TEST(KanonModels, OrderedDistanceReproducesLiEtAlExample) {
  // Li, Li & Venkatasubramanian (ICDE 2007), section 4: salaries 3k..11k, one record each, so Q is
  // uniform over 9 values. P1 = {3k, 4k, 5k} is at distance 0.375, P2 = {6k, 8k, 11k} at 0.167.
  const std::vector<double> q(9, 1.0 / 9);
  std::vector<double> p1(9, 0.0), p2(9, 0.0);
  p1[0] = p1[1] = p1[2] = 1.0 / 3;
  p2[3] = p2[5] = p2[8] = 1.0 / 3;
  EXPECT_NEAR(detail::emd_ordered(p1, q, identity_rank(9)), 0.375, 1e-12);
  EXPECT_NEAR(detail::emd_ordered(p2, q, identity_rank(9)), 1.0 / 6, 1e-12);
}

TEST(KanonModels, EqualDistanceIsHalfTheL1Distance) {
  // By hand: all mass on one of three equally likely values moves 2/3 of the mass.
  EXPECT_NEAR(detail::emd_equal({1, 0, 0}, {1.0 / 3, 1.0 / 3, 1.0 / 3}), 2.0 / 3, 1e-12);
  EXPECT_NEAR(detail::emd_equal({0.5, 0.5}, {0.5, 0.5}), 0.0, 1e-12);
}

// The disease hierarchy of Li et al.'s figure: 9 leaves, 4 groups, 2 systems, a root (height 3).
std::vector<std::vector<std::int32_t>> disease_tree() {
  // leaves: 0 gastric ulcer, 1 gastritis, 2 stomach cancer, 3 colitis, 4 colon cancer,
  //         5 flu, 6 pneumonia, 7 bronchitis, 8 pulmonary edema (vascular lung disease)
  return {{0, 1, 2, 3, 4, 5, 6, 7, 8}, {0, 0, 0, 1, 1, 2, 2, 2, 3}, {0, 0, 0, 0, 0, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 0, 0, 0, 0}};
}

TEST(KanonModels, HierarchicalDistanceByHand) {
  // Q: the disease column of Li et al.'s Table 3 (gastric ulcer 1, gastritis 2, stomach cancer 2,
  // flu 1, pneumonia 1, bronchitis 2, of 9). P: {gastric ulcer, gastritis, stomach cancer}.
  // Worked by hand with the paper's formula: the stomach group and digestive system have extra
  // +4/9 and no negative sibling mass, the respiratory side -4/9; only the root moves mass:
  // (3/3) * min(4/9, 4/9) = 4/9.
  const std::vector<double> q = {1.0 / 9, 2.0 / 9, 2.0 / 9, 0, 0, 1.0 / 9, 1.0 / 9, 2.0 / 9, 0};
  const std::vector<double> p = {1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0, 0, 0, 0, 0};
  EXPECT_NEAR(detail::emd_hierarchical(p, q, disease_tree(), {9, 4, 2, 1}), 4.0 / 9, 1e-12);
}

TEST(KanonModels, HierarchicalDistanceEqualsTreeEdgeFormula) {
  // Independent formula: with every tree edge of length 1/(2H), two leaves whose lowest common
  // ancestor has height h are h/H apart, and the EMD on a tree is the sum over edges of length x
  // |mass below the edge that must cross it|.
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < test::long_run(200); ++trial) {
    const std::size_t m = 2 + rng() % 8;
    std::vector<std::vector<std::int32_t>> tree = {identity_rank(m)};
    std::vector<std::int32_t> labels = {static_cast<std::int32_t>(m)};
    while (labels.back() > 1) {  // merge neighbouring labels at random
      std::vector<std::int32_t> up(m);
      std::int32_t next = 0;
      for (std::size_t i = 0; i < m; ++i) {
        if (i > 0 && tree.back()[i] != tree.back()[i - 1] && rng() % 2) ++next;
        up[i] = next;
      }
      labels.push_back(next + 1);
      tree.push_back(up);
    }
    std::vector<double> p(m), q(m);
    double sp = 0, sq = 0;
    for (std::size_t i = 0; i < m; ++i) sp += p[i] = static_cast<double>(rng() % 5);
    for (std::size_t i = 0; i < m; ++i) sq += q[i] = static_cast<double>(1 + rng() % 5);
    if (sp == 0) sp = p[0] = 1;
    for (auto& x : p) x /= sp;
    for (auto& x : q) x /= sq;
    const double height = static_cast<double>(tree.size() - 1);
    double expected = 0;
    for (std::size_t l = 0; l + 1 < tree.size(); ++l) {
      std::vector<double> extra(static_cast<std::size_t>(labels[l]), 0.0);
      for (std::size_t i = 0; i < m; ++i) extra[static_cast<std::size_t>(tree[l][i])] += p[i] - q[i];
      for (const double e : extra) expected += std::fabs(e) / (2 * height);
    }
    EXPECT_NEAR(detail::emd_hierarchical(p, q, tree, labels), height == 0 ? 0.0 : expected, 1e-12) << trial;
  }
}

// One quasi-identifier "g" (classes A and B, hierarchy A/B -> *) and a sensitive column "s".
struct Fixture {
  Table table;
  std::vector<QuasiIdentifier> qis;
  Fixture(const std::vector<std::string>& groups, const std::vector<std::string>& sens) {
    auto column = [](const std::string& name, const std::vector<std::string>& v) {
      std::vector<std::string> cats;
      std::vector<std::int32_t> codes;
      for (const auto& x : v) {
        auto it = std::find(cats.begin(), cats.end(), x);
        codes.push_back(static_cast<std::int32_t>(it - cats.begin()));
        if (it == cats.end()) cats.push_back(x);
      }
      return Column::categorical(name, codes, cats);
    };
    table.add_column(column("g", groups));
    table.add_column(column("s", sens));
    qis.push_back({"g", Hierarchy::from_rows("g", {{"A", "*"}, {"B", "*"}})});
  }
};

TEST(KanonModels, EntropyLDiversityByHand) {
  // Class A = {x, x, y}: entropy -(2/3 ln 2/3 + 1/3 ln 1/3) = 0.6365 < ln 2, so A fails entropy
  // 2-diversity; class B = {x, y} has entropy ln 2 and passes. Distinct 2-diversity passes both.
  Fixture f({"A", "A", "A", "B", "B"}, {"x", "x", "y", "x", "y"});
  AnonymiseOptions o;
  o.suppression_limit = 1;
  o.models.l_diversity = {{"s", DiversityKind::kEntropy, 2, 1}};
  EXPECT_EQ(evaluate_transformation(f.table, f.qis, o, {0}).suppressed_records, 3);
  o.models.l_diversity = {{"s", DiversityKind::kDistinct, 2, 1}};
  EXPECT_EQ(evaluate_transformation(f.table, f.qis, o, {0}).suppressed_records, 0);
}

TEST(KanonModels, RecursiveLDiversityByHand) {
  // Class A = {x, x, x, y, z}: r1 = 3; (c,2)-diversity needs 3 < c * (1 + 1): true for c = 2,
  // false for c = 1.5. Class B = {x, y, z} needs 1 < c * 2: true for both.
  Fixture f({"A", "A", "A", "A", "A", "B", "B", "B"}, {"x", "x", "x", "y", "z", "x", "y", "z"});
  AnonymiseOptions o;
  o.suppression_limit = 1;
  o.models.l_diversity = {{"s", DiversityKind::kRecursive, 2, 2}};
  EXPECT_EQ(evaluate_transformation(f.table, f.qis, o, {0}).suppressed_records, 0);
  o.models.l_diversity = {{"s", DiversityKind::kRecursive, 2, 1.5}};
  EXPECT_EQ(evaluate_transformation(f.table, f.qis, o, {0}).suppressed_records, 5);
}

TEST(KanonModels, KMapCountsPopulationRecords) {
  // Sample: one A, two B. Population: three A, two B. k-map 3 holds for A (3) but not for B (2);
  // at level 1 both are "*" with 5 population records.
  Fixture sample({"A", "B", "B"}, {"x", "y", "z"});
  Fixture population({"A", "A", "A", "B", "B"}, {"x", "x", "x", "x", "x"});
  AnonymiseOptions o;
  o.suppression_limit = 1;
  o.models.k_map = 3;
  o.models.population = &population.table;
  EXPECT_EQ(evaluate_transformation(sample.table, sample.qis, o, {0}).suppressed_records, 2);
  EXPECT_EQ(evaluate_transformation(sample.table, sample.qis, o, {1}).suppressed_records, 0);
  o.suppression_limit = 0;
  const auto r = anonymise(sample.table, sample.qis, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.best.levels, std::vector<std::size_t>{1});
}

TEST(KanonModels, MaxRiskActsAsK) {
  // Highest prosecutor risk 1/fk <= 0.34 means fk >= 3: class A (3 records) passes, B (2) fails.
  Fixture f({"A", "A", "A", "B", "B"}, {"x", "x", "y", "x", "y"});
  AnonymiseOptions o;
  o.suppression_limit = 1;
  o.models.max_risk = 0.34;
  EXPECT_EQ(evaluate_transformation(f.table, f.qis, o, {0}).suppressed_records, 2);
}

}  // namespace
}  // namespace sdcore
