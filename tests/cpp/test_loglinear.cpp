// The log-linear risk model against closed forms: for the independence model (main effects
// only) the Poisson MLE of each cell is n * prod_j (n_j(level_j) / n); for the model AB + C it
// is n_AB(a, b) * n_C(c) / n (Bishop, Fienberg & Holland 1975, ch. 3: decomposable models have
// direct estimates). The risk measures are then Skinner & Shlomo's formulas evaluated here.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "sdcore/error.hpp"
#include "sdcore/loglinear.hpp"

using namespace sdcore;

namespace {

struct Data {
  std::vector<std::vector<std::int32_t>> cols;
  std::vector<std::int64_t> card;
  std::vector<KeyCodes> keys() const {
    std::vector<KeyCodes> k;
    for (std::size_t j = 0; j < cols.size(); ++j) k.push_back(KeyCodes::of(cols[j], card[j]));
    return k;
  }
};

Data make_table_data(std::uint64_t seed, std::size_t n, std::vector<std::int64_t> card, bool missing) {
  std::mt19937_64 rng(seed);
  Data d;
  d.card = card;
  for (auto c : card) {
    std::vector<std::int32_t> v(n);
    for (auto& x : v) {
      // Skewed levels so cells differ a lot; an occasional missing value.
      const auto u = rng() % 100;
      x = missing && u < 4 ? -1 : static_cast<std::int32_t>((u * u / 100) % static_cast<std::uint64_t>(c));
    }
    d.cols.push_back(v);
  }
  return d;
}

}  // namespace

TEST(LogLinear, IndependenceModelIsProductOfMargins) {
  const Data d = make_table_data(1, 3000, {4, 3, 5}, true);
  const double n = 3000;
  std::vector<std::map<std::int32_t, double>> margin(3);
  for (std::size_t j = 0; j < 3; ++j) {
    for (auto x : d.cols[j]) margin[j][x] += 1;
  }
  LogLinearOptions opt;
  opt.sampling_fraction = 0.05;
  const auto r = loglinear_risk(Span<const KeyCodes>(d.keys()), 3000, {}, {}, opt);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.parameters, 1u + 4 + 3 + 5);  // every key has a missing level here
  std::map<std::vector<std::int32_t>, double> f;
  for (std::size_t i = 0; i < 3000; ++i) f[{d.cols[0][i], d.cols[1][i], d.cols[2][i]}] += 1;
  double tau1 = 0, tau2 = 0;
  for (std::size_t i = 0; i < 3000; ++i) {
    double mu = n;
    for (std::size_t j = 0; j < 3; ++j) mu *= margin[j][d.cols[j][i]] / n;
    ASSERT_NEAR(r.fitted[i], mu, 1e-7 * mu) << i;
    if (f[{d.cols[0][i], d.cols[1][i], d.cols[2][i]}] == 1) {
      const double x = 0.95 * mu / 0.05;
      ASSERT_NEAR(r.prob_population_unique[i], std::exp(-x), 1e-9);
      ASSERT_NEAR(r.expected_inverse_frequency[i], (1 - std::exp(-x)) / x, 1e-9);
      tau1 += std::exp(-x);
      tau2 += (1 - std::exp(-x)) / x;
    } else {
      ASSERT_TRUE(std::isnan(r.prob_population_unique[i]));
    }
  }
  EXPECT_NEAR(r.tau1, tau1, 1e-9 * (1 + tau1));
  EXPECT_NEAR(r.tau2, tau2, 1e-9 * (1 + tau2));
}

TEST(LogLinear, TwoWayInteractionHasDirectEstimate) {
  const Data d = make_table_data(2, 5000, {3, 4, 3}, false);
  const double n = 5000;
  std::map<std::pair<std::int32_t, std::int32_t>, double> ab;
  std::map<std::int32_t, double> c;
  for (std::size_t i = 0; i < 5000; ++i) {
    ab[{d.cols[0][i], d.cols[1][i]}] += 1;
    c[d.cols[2][i]] += 1;
  }
  ASSERT_EQ(ab.size(), 12u) << "the closed form needs every AB cell observed";
  LogLinearOptions opt;
  opt.sampling_fraction = 0.1;
  const auto r = loglinear_risk(Span<const KeyCodes>(d.keys()), 5000, {}, {{0, 1}}, opt);
  EXPECT_TRUE(r.converged);
  for (std::size_t i = 0; i < 5000; ++i) {
    const double mu = ab[{d.cols[0][i], d.cols[1][i]}] * c[d.cols[2][i]] / n;
    ASSERT_NEAR(r.fitted[i], mu, 1e-7 * mu);
  }
}

TEST(LogLinear, SamplingFractionFromWeightsAndTableApi) {
  const Data d = make_table_data(3, 400, {3, 3}, false);
  std::vector<double> w(400, 20.0);  // n / sum(w) = 1/20
  const auto r = loglinear_risk(Span<const KeyCodes>(d.keys()), 400, w, {});
  EXPECT_DOUBLE_EQ(r.sampling_fraction, 0.05);
  Table t;
  t.add_column(Column::categorical("a", d.cols[0], {"x", "y", "z"}));
  t.add_column(Column::categorical("b", d.cols[1], {"p", "q", "r"}));
  t.add_column(Column::numeric("w", w));
  LogLinearOptions opt;
  opt.interactions = {{"a", "b"}};
  const auto s = loglinear_risk(t, {"a", "b"}, "w", opt);
  // A saturated model reproduces the counts: mu = f in every cell.
  std::map<std::pair<std::int32_t, std::int32_t>, double> f;
  for (std::size_t i = 0; i < 400; ++i) f[{d.cols[0][i], d.cols[1][i]}] += 1;
  for (std::size_t i = 0; i < 400; ++i) ASSERT_NEAR(s.fitted[i], (f[{d.cols[0][i], d.cols[1][i]}]), 1e-6);
}

TEST(LogLinear, BadInput) {
  const Data d = make_table_data(4, 50, {3, 3}, false);
  const auto keys = d.keys();
  EXPECT_THROW(loglinear_risk(Span<const KeyCodes>(keys), 50, {}, {}), InvalidArgument);  // no pi
  LogLinearOptions opt;
  opt.sampling_fraction = 1.5;
  EXPECT_THROW(loglinear_risk(Span<const KeyCodes>(keys), 50, {}, {}, opt), InvalidArgument);
  opt.sampling_fraction = 0.5;
  EXPECT_THROW(loglinear_risk(Span<const KeyCodes>(keys), 50, {}, {{0}}, opt), InvalidArgument);
  EXPECT_THROW(loglinear_risk(Span<const KeyCodes>(keys), 50, {}, {{0, 7}}, opt), InvalidArgument);
  opt.max_cells = 8;
  EXPECT_THROW(loglinear_risk(Span<const KeyCodes>(keys), 50, {}, {}, opt), InvalidArgument);
  Table t;
  t.add_column(Column::categorical("a", d.cols[0], {"x", "y", "z"}));
  LogLinearOptions named;
  named.sampling_fraction = 0.5;
  named.interactions = {{"a", "nope"}};
  EXPECT_THROW(loglinear_risk(t, {"a"}, "", named), InvalidArgument);
}
