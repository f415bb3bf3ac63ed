// Controlled rounding: hand-worked 1-D and 2-D tables, a 3-D table with no zero-restricted
// controlled rounding (proved by a parity argument below), and random tables whose roundings are
// checked for adjacency and exact additivity and, where small, against brute-force enumeration
// of every up/down choice (the independent reference for feasibility and least distance).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "sdcore/controlled_rounding.hpp"
#include "sdcore/error.hpp"
#include "secondary_support.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

using test::Rng;
using Status = ControlledRoundingResult::Status;

// A count table of flat dimensions whose inner cells are `inner`, last dimension fastest.
Tabulation flat_table(const std::vector<std::vector<std::string>>& leaves, const std::vector<double>& inner) {
  std::vector<Dimension> dims;
  for (std::size_t d = 0; d < leaves.size(); ++d) dims.push_back(Dimension::flat("d" + std::to_string(d), leaves[d]));
  return test::count_table(dims, [&](const std::vector<std::size_t>& nodes) {
    std::size_t at = 0;
    for (std::size_t d = 0; d < nodes.size(); ++d) at = at * leaves[d].size() + nodes[d];
    return inner[at];
  });
}

double value_of(const Tabulation& t, const ControlledRoundingResult& r, const std::vector<std::string>& codes) {
  std::vector<std::size_t> nodes;
  for (std::size_t d = 0; d < codes.size(); ++d) nodes.push_back(*t.dimensions()[d].find(codes[d]));
  return r.values.at(t.index(nodes));
}

bool adjacent(double rounded, double value, double base) {
  const double low = std::floor(value / base) * base;
  if (low == value) return rounded == value;
  return rounded == low || rounded == low + base;
}

// Every cell adjacent and every relation exact (whole numbers: no tolerance needed).
void expect_controlled(const Tabulation& t, const ControlledRoundingResult& r, double base, int rep = 0) {
  ASSERT_EQ(r.values.size(), t.num_cells()) << rep;
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    EXPECT_TRUE(adjacent(r.values[i], t.cell(i).value, base)) << rep << " " << t.label(i) << " " << r.values[i];
  }
  for (const Tabulation::Relation& rel : t.relations()) {
    double sum = 0;
    for (std::size_t p : rel.parts) sum += r.values[p];
    EXPECT_EQ(r.values[rel.total], sum) << rep << " " << t.label(rel.total);
  }
}

// Brute force over the inner cells (every other cell is the sum of the inner cells below it,
// which must then be a rounding of its own value): the least distance of a controlled rounding,
// or +inf when none exists.
double brute_force_distance(const Tabulation& t, double base) {
  std::vector<std::size_t> inner, free;
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    if (!t.is_inner(i)) continue;
    inner.push_back(i);
    if (std::fmod(t.cell(i).value, base) != 0) free.push_back(i);
  }
  std::vector<std::vector<std::size_t>> below(t.num_cells());
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    const auto top = t.nodes(i);
    for (std::size_t j : inner) {
      const auto at = t.nodes(j);
      bool under = true;
      for (std::size_t d = 0; d < at.size(); ++d) under = under && test::below_or_at(t.dimensions()[d], at[d], top[d]);
      if (under) below[i].push_back(j);
    }
  }
  double best = std::numeric_limits<double>::infinity();
  std::vector<double> x(t.num_cells());
  for (std::uint32_t mask = 0; mask < (1U << free.size()); ++mask) {
    for (std::size_t j : inner) x[j] = std::floor(t.cell(j).value / base) * base;
    for (std::size_t k = 0; k < free.size(); ++k) x[free[k]] += (mask >> k & 1U) ? base : 0.0;
    double distance = 0;
    bool ok = true;
    for (std::size_t i = 0; i < t.num_cells() && ok; ++i) {
      double v = 0;
      for (std::size_t j : below[i]) v += x[j];
      ok = adjacent(v, t.cell(i).value, base);
      distance += std::abs(v - t.cell(i).value);
    }
    if (ok) best = std::min(best, distance);
  }
  return best;
}

ControlledRoundingOptions opts(double base, ControlledRoundingMethod m = ControlledRoundingMethod::kAuto) {
  ControlledRoundingOptions o;
  o.base = base;
  o.method = m;
  return o;
}

TEST(ControlledRounding, OneDimensionalByHand) {
  // 3, 4, 7 | 14 to base 5. By hand, the additive roundings (each cell floor or ceiling, total
  // = sum) and their distances sum |rounded - original| over the four cells:
  //   0,5,5|10: 3+1+2+4 = 10   5,5,5|15: 2+1+2+1 = 6   0,5,10|15: 3+1+3+1 = 8   5,0,10|15: 10
  // (5,0,5|10 = 2+4+2+4 = 12 and others are worse): the least is 5,5,5|15 with distance 6.
  const Tabulation t = flat_table({{"a", "b", "c"}}, {3, 4, 7});
  for (auto m : {ControlledRoundingMethod::kAuto, ControlledRoundingMethod::kMip}) {
    const ControlledRoundingResult r = controlled_round(t, opts(5, m));
    EXPECT_EQ(r.status, Status::kOptimal);
    EXPECT_EQ(r.method, m == ControlledRoundingMethod::kAuto ? "network flow" : "mip");
    EXPECT_EQ(r.values, (std::vector<double>{5, 5, 5, 15}));
    EXPECT_DOUBLE_EQ(r.distance, 6);
    EXPECT_NEAR(r.bound, 6, 1e-6);
    EXPECT_TRUE(r.violations.empty());
  }
  EXPECT_DOUBLE_EQ(brute_force_distance(t, 5), 6);
}

TEST(ControlledRounding, TwoByThreeByHand) {
  // Rows r1 = 3 6 12 | 21, r2 = 8 4 9 | 21; columns 11 10 21 | 42; base 5. Column b's total 10 is
  // a multiple, so exactly one of 6 and 4 goes up. The rounding
  //   5 5 10 | 20,  5 5 10 | 20,  columns 10 10 20 | 40
  // has distance 2+1+2 + 3+1+1 (inner) + 1+1 (rows) + 1+0+1 (columns) + 2 (grand) = 16; the
  // brute force below (all 64 choices for the inner cells, of which 9 give a controlled
  // rounding) confirms it is the least, and it is the only one with distance 16.
  const Tabulation t = flat_table({{"r1", "r2"}, {"a", "b", "c"}}, {3, 6, 12, 8, 4, 9});
  for (auto m : {ControlledRoundingMethod::kNetwork, ControlledRoundingMethod::kMip}) {
    const ControlledRoundingResult r = controlled_round(t, opts(5, m));
    ASSERT_EQ(r.status, Status::kOptimal) << to_string(m);
    expect_controlled(t, r, 5);
    EXPECT_DOUBLE_EQ(r.distance, 16);
    EXPECT_EQ(value_of(t, r, {"r2", "a"}), 5);
    EXPECT_EQ(value_of(t, r, {"r1", "c"}), 10);
    EXPECT_EQ(value_of(t, r, {"r1", "Total"}), 20);
    EXPECT_EQ(value_of(t, r, {"Total", "b"}), 10);
    EXPECT_EQ(value_of(t, r, {"Total", "Total"}), 40);
  }
  EXPECT_DOUBLE_EQ(brute_force_distance(t, 5), 16);
}

// The 2x2x2 table whose inner cells are 1 at (0,1,1), (1,0,1), (1,1,0) and 0 elsewhere, base 2.
// Faces x=1, y=1 and z=1 each hold two of the ones, so their totals are 2, a multiple that must
// stay: exactly one of each face's two ones goes up to 2. Writing u, v, w for "goes up" of the
// cells (0,1,1), (1,0,1), (1,1,0): v + w = 1, u + w = 1, u + v = 1, so 2(u + v + w) = 3, which
// no 0/1 values meet: no controlled rounding exists.
Tabulation parity_cube() {
  return flat_table({{"0", "1"}, {"0", "1"}, {"0", "1"}}, {0, 0, 0, 1, 0, 1, 1, 0});
}

// Brute force over every cell's up/down choice (16 free cells): the least total absolute
// violation of the relations, and the least distance among roundings that reach it.
std::pair<double, double> brute_force_relaxed(const Tabulation& t, double base) {
  std::vector<std::size_t> free;
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    if (std::fmod(t.cell(i).value, base) != 0) free.push_back(i);
  }
  const auto relations = t.relations();
  std::pair<double, double> best{std::numeric_limits<double>::infinity(), 0};
  std::vector<double> x(t.num_cells());
  for (std::uint32_t mask = 0; mask < (1U << free.size()); ++mask) {
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::floor(t.cell(i).value / base) * base;
    for (std::size_t k = 0; k < free.size(); ++k) x[free[k]] += (mask >> k & 1U) ? base : 0.0;
    double violation = 0, distance = 0;
    for (const auto& rel : relations) {
      double d = x[rel.total];
      for (std::size_t p : rel.parts) d -= x[p];
      violation += std::abs(d);
    }
    for (std::size_t i = 0; i < x.size(); ++i) distance += std::abs(x[i] - t.cell(i).value);
    best = std::min(best, std::make_pair(violation, distance));
  }
  return best;
}

TEST(ControlledRounding, ThreeDimensionalTableWithNoControlledRounding) {
  const Tabulation t = parity_cube();
  const ControlledRoundingResult r = controlled_round(t, opts(2));
  EXPECT_EQ(r.method, "mip");
  EXPECT_EQ(r.status, Status::kInfeasible);
  EXPECT_TRUE(r.values.empty());  // the relaxed rounding only when asked for
  EXPECT_FALSE(r.relaxed);
  EXPECT_TRUE(std::isinf(brute_force_distance(t, 2)));  // the parity argument, checked

  ControlledRoundingOptions o = opts(2);
  o.relaxed_if_infeasible = true;
  const ControlledRoundingResult rel = controlled_round(t, o);
  EXPECT_EQ(rel.status, Status::kInfeasible);
  ASSERT_TRUE(rel.relaxed);
  EXPECT_TRUE(rel.relaxed_optimal);
  ASSERT_EQ(rel.values.size(), t.num_cells());
  for (std::size_t i = 0; i < t.num_cells(); ++i) EXPECT_TRUE(adjacent(rel.values[i], t.cell(i).value, 2));
  // The brute force gives the least violation and the least distance among roundings that reach
  // it (6 here: relations() lists overlapping relations, so a misfit counts more than once).
  // Every relation's sides are multiples of 2, so the violation is a positive multiple of 2.
  const auto [violation, distance] = brute_force_relaxed(t, 2);
  EXPECT_GE(violation, 2);
  EXPECT_EQ(std::fmod(violation, 2), 0);
  EXPECT_DOUBLE_EQ(rel.total_violation, violation);
  EXPECT_DOUBLE_EQ(rel.distance, distance);
  ASSERT_FALSE(rel.violations.empty());
  const auto relations = t.relations();
  for (const RelationViolation& v : rel.violations) {
    const auto& relation = relations.at(v.relation);
    double sum = 0;
    for (std::size_t p : relation.parts) sum += rel.values[p];
    EXPECT_EQ(v.total, relation.total);
    EXPECT_DOUBLE_EQ(v.amount, rel.values[relation.total] - sum);
  }
  // Same input, same output.
  EXPECT_EQ(controlled_round(t, o).values, rel.values);
}

TEST(ControlledRounding, KeptCellsStayExact) {
  // 3, 7, 4, 1 | 15 to base 5 with 3 and 7 kept: 3 + 7 + x + y = 15 with x in {0, 5}, y in
  // {0, 5}: (5, 0) at distance 1 + 1 = 2 or (0, 5) at 4 + 4 = 8; the total 15 stays.
  const Tabulation t = flat_table({{"a", "b", "c", "d"}}, {3, 7, 4, 1});
  ControlledRoundingOptions o = opts(5);
  o.keep_exact = {1, 1, 0, 0, 0};
  const ControlledRoundingResult r = controlled_round(t, o);
  EXPECT_EQ(r.method, "mip");
  EXPECT_EQ(r.status, Status::kOptimal);
  EXPECT_EQ(r.values, (std::vector<double>{3, 7, 5, 0, 15}));
  EXPECT_DOUBLE_EQ(r.distance, 2);
  // Keeping the total 14 of 3, 4, 7 exact cannot work: the parts are multiples of 5.
  const Tabulation u = flat_table({{"a", "b", "c"}}, {3, 4, 7});
  o.keep_exact = {0, 0, 0, 1};
  EXPECT_EQ(controlled_round(u, o).status, Status::kInfeasible);
  o.relaxed_if_infeasible = true;
  const ControlledRoundingResult rel = controlled_round(u, o);
  ASSERT_TRUE(rel.relaxed);
  EXPECT_EQ(rel.values[3], 14);
  // The parts' sum is a multiple of 5, nearest to 14 at 15 (violation 1); of the parts summing to
  // 15, 5,5,5 is nearest (distance 2+1+2 = 5; 0,5,10: 7; 5,0,10: 9).
  EXPECT_DOUBLE_EQ(rel.total_violation, 1);
  EXPECT_EQ(rel.values, (std::vector<double>{5, 5, 5, 14}));
  // A kept multiple is simply unchanged: the network flow still applies.
  o = opts(5);
  o.keep_exact = {1, 0, 0};
  EXPECT_EQ(controlled_round(flat_table({{"a", "b"}}, {5, 12}), o).method, "network flow");
}

TEST(ControlledRounding, GenericRelationsAndStart) {
  // The 1-D example above as values and one relation: the same optimum through the MIP.
  const std::vector<double> values{3, 4, 7, 14};
  const std::vector<Tabulation::Relation> relations{{3, {0, 1, 2}, 0}};
  ControlledRoundingOptions o = opts(5);
  o.start = {0, 5, 10, 15};  // additive, distance 8: a start the solver must improve on
  const ControlledRoundingResult r = controlled_round(values, relations, o);
  EXPECT_EQ(r.method, "mip");
  EXPECT_EQ(r.status, Status::kOptimal);
  EXPECT_EQ(r.values, (std::vector<double>{5, 5, 5, 15}));
}

TEST(ControlledRounding, RefusesBadArguments) {
  const Tabulation t = flat_table({{"a", "b"}}, {3, 4});
  const auto error = [&](ControlledRoundingOptions o) { return test::error_of([&] { controlled_round(t, o); }); };
  EXPECT_NE(error(opts(0)).find("base must be finite and > 0"), std::string::npos);
  EXPECT_NE(error(opts(std::nan(""))).find("base must be"), std::string::npos);
  ControlledRoundingOptions o = opts(5);
  o.time_limit_seconds = 0;
  EXPECT_NE(error(o).find("time_limit_seconds"), std::string::npos);
  o = opts(5);
  o.keep_exact = {1};
  EXPECT_NE(error(o).find("keep_exact has 1 flags for 3 cells"), std::string::npos);
  o = opts(5);
  o.start = {5, 5, 15};  // 15 is not a rounding of 3 + 4 = 7
  EXPECT_NE(error(o).find("is not a rounding of 7"), std::string::npos);
  EXPECT_NE(test::error_of([&] { controlled_round(parity_cube(), opts(2, ControlledRoundingMethod::kNetwork)); })
                .find("method network needs"),
            std::string::npos);
  const Tabulation bad = flat_table({{"a", "b"}}, {3, -1});
  EXPECT_NE(test::error_of([&] { controlled_round(bad, opts(5)); }).find("cell d0=b has value -1"), std::string::npos);
  const std::vector<Tabulation::Relation> rel{{2, {0, 1}, 0}};
  EXPECT_NE(test::error_of([&] { controlled_round({1, 2, 4}, rel, opts(5)); }).find("not additive: cell 2"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { controlled_round({1, std::nan(""), 4}, rel, opts(5)); }).find("cell 1 has value nan"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { controlled_round({1, 2, 3}, {{5, {0}, 0}}, opts(5)); }).find("beyond the 3 cells"),
            std::string::npos);
}

TEST(ControlledRounding, TimeLimitKeepsThePromises) {
  // Whatever a very short time limit stops at (timing decides), what is returned keeps the
  // promises: an additive rounding with kOptimal or kFeasible, else the relaxed rounding asked for.
  Rng rng{77};
  std::vector<double> inner(6 * 6 * 5);
  for (double& v : inner) v = static_cast<double>(rng.below(40));
  std::vector<std::vector<std::string>> leaves{{"a", "b", "c", "d", "e", "f"}, {"a", "b", "c", "d", "e", "f"},
                                               {"a", "b", "c", "d", "e"}};
  const Tabulation t = flat_table(leaves, inner);
  ControlledRoundingOptions o = opts(5);
  o.time_limit_seconds = 0.02;
  o.relaxed_if_infeasible = true;
  const ControlledRoundingResult r = controlled_round(t, o);
  if (r.status == Status::kOptimal || r.status == Status::kFeasible) {
    EXPECT_FALSE(r.relaxed);
    expect_controlled(t, r, 5);
    EXPECT_LE(r.bound, r.distance + 1e-6);
  } else {
    ASSERT_TRUE(r.relaxed);
    ASSERT_EQ(r.values.size(), t.num_cells());
    for (std::size_t i = 0; i < t.num_cells(); ++i) EXPECT_TRUE(adjacent(r.values[i], t.cell(i).value, 5));
  }
}

// Under AddressSanitizer (Debug speed) fewer tables: the same code paths are checked.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kFlowTables = 500;
constexpr int kMipTables = 60;
#else
constexpr int kFlowTables = 3000;
constexpr int kMipTables = 300;
#endif

TEST(ControlledRoundingProperty, RandomTwoDimensionalTablesByNetworkFlow) {
  Rng rng{20260301};
  int brute = 0, compared = 0;
  for (int rep = 0; rep < test::long_run(kFlowTables); ++rep) {
    const bool small = rep % 4 == 0;
    const std::size_t rows = 1 + rng.below(small ? 3 : 20), cols = 1 + rng.below(small ? 3 : 20);
    const double base = rep % 2 == 0 ? 5 : 10;
    std::vector<std::vector<std::string>> leaves(2);
    for (std::size_t i = 0; i < rows; ++i) leaves[0].push_back("r" + std::to_string(i));
    for (std::size_t j = 0; j < cols; ++j) leaves[1].push_back("c" + std::to_string(j));
    std::vector<double> inner(rows * cols);
    for (double& v : inner) v = static_cast<double>(rng.below(5) == 0 ? 0 : rng.below(60));
    if (rep % 10 == 9) leaves.erase(leaves.begin()), inner.resize(cols);  // one-dimensional
    const Tabulation t = flat_table(leaves, inner);
    const ControlledRoundingResult r = controlled_round(t, opts(base));
    ASSERT_EQ(r.status, Status::kOptimal) << rep;
    EXPECT_EQ(r.method, "network flow") << rep;
    expect_controlled(t, r, base, rep);
    if (small) {
      EXPECT_NEAR(r.distance, brute_force_distance(t, base), 1e-9) << rep;
      ++brute;
    }
    if (rep % 25 == 0 && rows * cols <= 64) {  // the MIP, an independent formulation, agrees
      EXPECT_NEAR(controlled_round(t, opts(base, ControlledRoundingMethod::kMip)).distance, r.distance, 1e-6) << rep;
      ++compared;
    }
  }
  EXPECT_GT(brute, kFlowTables / 5);
  EXPECT_GT(compared, 5);
}

// Above max_optimal_cells the flow comes from push-relabel maximum flow, which ignores the
// distance: every result must still be additive with every cell adjacent, and no closer than the
// least-distance LP's (the LP's distance is a lower bound for any controlled rounding).
TEST(ControlledRoundingProperty, RandomTwoDimensionalTablesByMaxFlow) {
  Rng rng{20261207};
  for (int rep = 0; rep < test::long_run(kFlowTables / 3); ++rep) {
    const std::size_t rows = 1 + rng.below(20), cols = 1 + rng.below(20);
    const double base = rep % 2 == 0 ? 5 : 3;
    std::vector<std::vector<std::string>> leaves(2);
    for (std::size_t i = 0; i < rows; ++i) leaves[0].push_back("r" + std::to_string(i));
    for (std::size_t j = 0; j < cols; ++j) leaves[1].push_back("c" + std::to_string(j));
    std::vector<double> inner(rows * cols);
    for (double& v : inner) v = static_cast<double>(rng.below(4) == 0 ? 0 : rng.below(60));
    if (rep % 10 == 9) leaves.erase(leaves.begin()), inner.resize(cols);
    const Tabulation t = flat_table(leaves, inner);
    ControlledRoundingOptions o = opts(base);
    o.max_optimal_cells = 0;
    const ControlledRoundingResult r = controlled_round(t, o);
    ASSERT_EQ(r.status, Status::kFeasible) << rep;
    EXPECT_EQ(r.method, "max flow") << rep;
    expect_controlled(t, r, base, rep);
    EXPECT_GE(r.distance, controlled_round(t, opts(base)).distance - 1e-9) << rep;
  }
}

TEST(ControlledRoundingProperty, RandomHierarchicalAndThreeDimensionalTablesByMip) {
  Rng rng{20260302};
  int infeasible = 0, brute = 0;
  const int tables = test::long_run(kMipTables);
  for (int rep = 0; rep < tables; ++rep) {
    const Tabulation t = test::random_hierarchical_table(rng, rep % 2 == 0, 2);
    const double base = rep % 3 == 0 ? 3 : 5;
    ControlledRoundingOptions o = opts(base);
    o.time_limit_seconds = 20;
    const ControlledRoundingResult r = controlled_round(t, o);
    ASSERT_TRUE(r.status == Status::kOptimal || r.status == Status::kInfeasible) << rep << to_string(r.status);
    std::size_t free = 0;
    for (std::size_t i = 0; i < t.num_cells(); ++i) free += t.is_inner(i) && std::fmod(t.cell(i).value, base) != 0;
    const bool small = free <= 10;
    const double reference = small ? brute_force_distance(t, base) : 0;
    if (r.status == Status::kInfeasible) {
      ++infeasible;
      EXPECT_TRUE(r.values.empty()) << rep;
      if (small) {
        EXPECT_TRUE(std::isinf(reference)) << rep;
      }
    } else {
      expect_controlled(t, r, base, rep);
      if (small) {
        EXPECT_NEAR(r.distance, reference, 1e-6) << rep;
      }
    }
    brute += small;
  }
  EXPECT_GT(brute, tables / 4);
  std::printf("[ info ] %d of %d random tables had no controlled rounding\n", infeasible, tables);
}

}  // namespace
}  // namespace sdcore
