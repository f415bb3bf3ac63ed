// Rounding to a base, random rounding, small cell adjustment and Barnardisation (rounding.hpp).
// Expected numbers are worked by hand in the comments; the statistical tests state their
// false-alarm rate; totals are checked against count_table's naive sums.

#include "sdcore/rounding.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "secondary_support.hpp"
#include "test_support.hpp"

namespace sdcore::test {
namespace {

// Rows r1, r2 by columns a, b: inner [[3, 4], [6, 8]]; margins rows 7, 14, columns 9, 12, total 21.
Tabulation two_by_two() {
  const std::vector<Dimension> dims = {Dimension::flat("row", {"r1", "r2"}), Dimension::flat("col", {"a", "b"})};
  const double inner[2][2] = {{3, 4}, {6, 8}};
  return count_table(dims, [&](const std::vector<std::size_t>& n) { return inner[n[0]][n[1]]; });
}

double at(const Tabulation& t, const std::vector<double>& v, std::size_t row, std::size_t col) {
  return v[t.index({row, col})];
}

// A one-dimensional table of `n` leaves whose values come from `value(i)`.
Tabulation line(std::size_t n, const std::function<double(std::size_t)>& value) {
  std::vector<std::string> leaves;
  for (std::size_t i = 0; i < n; ++i) leaves.push_back("c" + std::to_string(i));
  return count_table({Dimension::flat("cell", leaves)}, [&](const std::vector<std::size_t>& x) { return value(x[0]); });
}

TEST(Rounding, ScalarNearestAndTies) {
  EXPECT_EQ(round_to_base(12, 5), 10);
  EXPECT_EQ(round_to_base(13, 5), 15);
  EXPECT_EQ(round_to_base(15, 5), 15);
  EXPECT_EQ(round_to_base(0, 5), 0);
  EXPECT_EQ(round_to_base(2, 5), 0);
  EXPECT_EQ(round_to_base(3, 5), 5);
  // 12.5 lies half-way between 10 (q = 2, even) and 15.
  EXPECT_EQ(round_to_base(12.5, 5, TieRule::kUp), 15);
  EXPECT_EQ(round_to_base(12.5, 5, TieRule::kDown), 10);
  EXPECT_EQ(round_to_base(12.5, 5, TieRule::kEven), 10);
  // 17.5 between 15 (q = 3, odd) and 20: the even multiple is 20.
  EXPECT_EQ(round_to_base(17.5, 5, TieRule::kEven), 20);
  // Base 10: 5 is a tie between 0 and 10; 25 between 20 (q = 2) and 30.
  EXPECT_EQ(round_to_base(5, 10, TieRule::kUp), 10);
  EXPECT_EQ(round_to_base(5, 10, TieRule::kDown), 0);
  EXPECT_EQ(round_to_base(25, 10, TieRule::kEven), 20);
  // On the number line kUp goes towards +infinity: -12.5 -> -10.
  EXPECT_EQ(round_to_base(-12.5, 5, TieRule::kUp), -10);
  EXPECT_EQ(round_to_base(-13, 5), -15);
}

TEST(Rounding, TotalsRoundedIndependentlyOrSummed) {
  const Tabulation t = two_by_two();
  BaseRoundingOptions opt;  // base 5
  const auto ind = round_to_base(t, opt);
  // Inner 3 4 6 8 -> 5 5 5 10; margins from their own values: 7 -> 5, 14 -> 15, 9 -> 10,
  // 12 -> 10, 21 -> 20 (the rounded table does not add up: 5 + 5 != 5).
  EXPECT_EQ(at(t, ind, 0, 0), 5);
  EXPECT_EQ(at(t, ind, 0, 1), 5);
  EXPECT_EQ(at(t, ind, 1, 0), 5);
  EXPECT_EQ(at(t, ind, 1, 1), 10);
  EXPECT_EQ(at(t, ind, 0, 2), 5);
  EXPECT_EQ(at(t, ind, 1, 2), 15);
  EXPECT_EQ(at(t, ind, 2, 0), 10);
  EXPECT_EQ(at(t, ind, 2, 1), 10);
  EXPECT_EQ(at(t, ind, 2, 2), 20);
  opt.totals = TotalsRule::kSumOfRounded;
  const auto sum = round_to_base(t, opt);
  // Margins as sums of the rounded inner cells: rows 10, 15; columns 10, 15; total 25.
  EXPECT_EQ(at(t, sum, 0, 2), 10);
  EXPECT_EQ(at(t, sum, 1, 2), 15);
  EXPECT_EQ(at(t, sum, 2, 0), 10);
  EXPECT_EQ(at(t, sum, 2, 1), 15);
  EXPECT_EQ(at(t, sum, 2, 2), 25);
}

TEST(Rounding, SumTotalsMatchesNaiveSumsOnHierarchicalTables) {
  Rng rng{17};
  for (int rep = 0; rep < test::long_run(200); ++rep) {
    std::vector<Dimension> dims;
    const std::size_t nd = 1 + rng.below(3);
    for (std::size_t d = 0; d < nd; ++d) dims.push_back(random_dimension(rng, "d" + std::to_string(d), 4, rep % 2 == 0));
    const Tabulation t = count_table(dims, [&](const std::vector<std::size_t>&) { return double(rng.below(30)); });
    std::vector<double> v(t.num_cells(), -1.0);
    for (std::size_t i = 0; i < t.num_cells(); ++i)
      if (t.is_inner(i)) v[i] = t.cell(i).value;
    sum_totals_from_inner(t, v);
    for (std::size_t i = 0; i < t.num_cells(); ++i) ASSERT_EQ(v[i], t.cell(i).value) << t.label(i);
  }
}

TEST(Rounding, RandomRoundingKeepsMultiplesAndMovesToAdjacentMultiples) {
  const Tabulation t = line(1000, [](std::size_t i) { return double(i % 23); });
  RandomRoundingOptions opt;
  opt.seed = 7;
  opt.totals = TotalsRule::kRoundIndependently;
  const auto r = random_round(t, opt);
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    const double v = t.cell(i).value;
    ASSERT_EQ(std::fmod(r[i], 5.0), 0.0);
    ASSERT_LT(std::fabs(r[i] - v), 5.0);
    if (std::fmod(v, 5.0) == 0) {
      ASSERT_EQ(r[i], v);
    }
  }
  EXPECT_EQ(random_round(t, opt), r) << "same seed, same rounding";
  for (std::size_t i = 0; i < t.num_cells(); i += 97) EXPECT_EQ(random_round(t.cell(i).value, 5, 7, i), r[i]) << i;
  opt.seed = 8;
  EXPECT_NE(random_round(t, opt), r);
}

// Unbiasedness: with E[rounded - value] = 0, the sum S of the errors over n cells has variance
// sum r_i (b - r_i) (each error is b - r with probability r/b and -r otherwise). |S| / sd < 4.42
// holds with probability 1 - 1e-5 under the normal approximation (n = 50,000): that is the
// test's false-alarm rate for any seed. A rounding biased by 0.05 per cell would give z ~ 16.
TEST(Rounding, RandomRoundingIsUnbiased) {
  const std::size_t n = 50000;
  const Tabulation t = line(n, [](std::size_t i) { return double(1 + (i * 7) % 29); });
  RandomRoundingOptions opt;
  opt.seed = 20261207;
  opt.totals = TotalsRule::kRoundIndependently;
  const auto r = random_round(t, opt);
  double sum = 0, var = 0;
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    if (!t.is_inner(i)) continue;
    const double v = t.cell(i).value;
    const double rem = v - 5 * std::floor(v / 5);
    sum += r[i] - v;
    var += rem * (5 - rem);
  }
  EXPECT_LT(std::fabs(sum) / std::sqrt(var), 4.42);
}

TEST(Rounding, RandomRoundingOfACellDoesNotDependOnOtherCells) {
  const Tabulation a = line(50, [](std::size_t i) { return double(i + 1); });
  const Tabulation b = line(50, [](std::size_t i) { return i == 10 ? 1000.0 : double(i + 1); });
  RandomRoundingOptions opt;
  opt.seed = 3;
  const auto ra = random_round(a, opt);
  const auto rb = random_round(b, opt);
  for (std::size_t i = 0; i < 50; ++i)
    if (i != 10) {
      ASSERT_EQ(ra[i], rb[i]) << i;
    }
}

TEST(Rounding, SmallCellAdjustmentRemovesSmallCountsWithoutBias) {
  // 30,000 cells of 1 and 30,000 of 2, base 3: each becomes 0 or 3; the expected total is 90,000.
  // The sum of the adjusted cells has variance n1 * (1 * 2) + n2 * (2 * 1) = 120,000; |z| < 4.42
  // fails with probability 1e-5 (normal approximation).
  const std::size_t n = 60000;
  const Tabulation t = line(n + 10, [&](std::size_t i) { return i < n ? double(1 + i % 2) : double(i - n + 3); });
  SmallCellOptions opt;
  opt.seed = 11;
  const auto r = small_cell_adjustment(t, opt);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_TRUE(r[i] == 0 || r[i] == 3) << r[i];
    sum += r[i];
  }
  for (std::size_t i = n; i < n + 10; ++i) ASSERT_EQ(r[i], t.cell(i).value) << "counts >= base are kept";
  EXPECT_LT(std::fabs(sum - 90000) / std::sqrt(120000.0), 4.42);
  // Totals are the sums of the adjusted cells.
  double all = 0;
  for (std::size_t i = 0; i < n + 10; ++i) all += r[i];
  EXPECT_EQ(r.back(), all);
}

TEST(Rounding, BarnardisationChangesByOneAndStaysAdditive) {
  const std::size_t n = 40000;
  const Tabulation t = line(n, [](std::size_t i) { return double(i % 5); });  // a fifth are zeros
  BarnardOptions opt;
  opt.probability = 0.2;
  opt.seed = 5;
  const auto r = barnardise(t, opt);
  std::size_t changed = 0, nonzero = 0;
  double all = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = t.cell(i).value;
    ASSERT_LE(std::fabs(r[i] - v), 1.0);
    if (v == 0) {
      ASSERT_EQ(r[i], 0.0) << "zeros are never changed";
    }
    nonzero += v != 0;
    changed += r[i] != v;
    all += r[i];
  }
  EXPECT_EQ(r.back(), all);
  // changed ~ Binomial(32,000, 0.2): mean 6,400, sd 71.6; |z| < 4.42 (false alarm 1e-5).
  EXPECT_EQ(nonzero, 32000u);
  EXPECT_LT(std::fabs(double(changed) - 6400) / std::sqrt(32000 * 0.2 * 0.8), 4.42);
}

TEST(Rounding, RuleNamesReadBack) {
  for (TieRule t : {TieRule::kUp, TieRule::kDown, TieRule::kEven}) EXPECT_EQ(tie_rule_from(to_string(t)), t);
  for (TotalsRule t : {TotalsRule::kRoundIndependently, TotalsRule::kSumOfRounded})
    EXPECT_EQ(totals_rule_from(to_string(t)), t);
  EXPECT_EQ(std::string(to_string(TotalsRule::kRoundIndependently)), "independent");  // the spec's word
  EXPECT_FALSE(tie_rule_from("nearest").has_value());
}

TEST(Rounding, RefusesBadParametersAndValues) {
  const Tabulation t = two_by_two();
  EXPECT_NE(error_of([] { round_to_base(3, 0); }).find("base must be finite and > 0"), std::string::npos);
  EXPECT_NE(error_of([&] { BaseRoundingOptions o; o.base = -5; round_to_base(t, o); }).find("base"), std::string::npos);
  EXPECT_NE(error_of([&] { SmallCellOptions o; o.base = 2.5; small_cell_adjustment(t, o); }).find("whole number >= 2"),
            std::string::npos);
  EXPECT_NE(error_of([&] { BarnardOptions o; o.probability = 1.5; barnardise(t, o); }).find("[0, 1]"), std::string::npos);
  const Tabulation frac = line(3, [](std::size_t i) { return i == 1 ? 2.5 : 1.0; });
  EXPECT_NE(error_of([&] { barnardise(frac, {}); }).find("cell=c1 holds 2.5"), std::string::npos);
  const Tabulation nan = line(2, [](std::size_t i) { return i == 0 ? std::nan("") : 1.0; });
  EXPECT_NE(error_of([&] { round_to_base(nan, {}); }).find("not a finite number"), std::string::npos);
}

}  // namespace
}  // namespace sdcore::test
