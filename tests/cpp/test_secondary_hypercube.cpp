// Secondary suppression, kHypercube (GHMITER): hand-worked rectangles and one-dimensional pairs,
// the cheapest rectangle checked against an exhaustive search that finds each rectangle's move by
// trying every sign pattern against the table's sums, random hierarchical tables judged by the
// independent LP audit, and the A&E table.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ae_table.hpp"
#include "detail/suppressed_cycles.hpp"
#include "secondary_support.hpp"
#include "sdcore/error.hpp"
#include "sdcore/suppression.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

using test::count_table;
using test::frequency;
using test::passes_audit;
using test::random_dimension;
using test::Rng;
using test::with;

std::vector<std::string> secondary_labels(const Tabulation& t, const SecondaryResult& r) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.status.size(); ++i) {
    if (r.status[i] == CellStatus::kSecondary) out.push_back(t.label(i));
  }
  return out;
}

// A primary result with one primary cell and the protection given.
PrimaryResult one_primary(const Tabulation& t, std::size_t cell, double upper, double lower) {
  PrimaryResult p;
  p.status.assign(t.num_cells(), CellStatus::kSafe);
  p.upper.assign(t.num_cells(), 0);
  p.lower.assign(t.num_cells(), 0);
  p.status[cell] = CellStatus::kPrimary;
  p.upper[cell] = upper;
  p.lower[cell] = lower;
  p.num_primary = 1;
  return p;
}

// region {A, B, C, D} x sex {F, M}, flat, inner counts as sdcTable's microdata1 (A 2/18, B 19/14,
// C 10/12, D 14/11).
Tabulation region_by_sex() {
  const std::vector<Dimension> dims{Dimension::flat("region", {"A", "B", "C", "D"}),
                                    Dimension::flat("sex", {"F", "M"})};
  const std::map<std::string, double> v{{"A,F", 2},  {"A,M", 18}, {"B,F", 19}, {"B,M", 14},
                                        {"C,F", 10}, {"C,M", 12}, {"D,F", 14}, {"D,M", 11}};
  return count_table(dims, [&](const std::vector<std::size_t>& n) {
    return v.at(dims[0].code(n[0]) + "," + dims[1].code(n[1]));
  });
}

std::size_t at(const Tabulation& t, const std::vector<std::string>& codes) {
  std::vector<std::size_t> nodes;
  for (std::size_t d = 0; d < codes.size(); ++d) nodes.push_back(*t.dimensions()[d].find(codes[d]));
  return t.index(nodes);
}

TEST(SecondaryHypercube, TwoWayTableGetsTheCheapestRectangle) {
  // (A,F) = 2 is the only cell in 1..7. The rectangles through it, by hand (cost = values of the
  // three other corners): (B,M) 18+19+14 = 51, (C,M) 18+10+12 = 40, (D,M) 18+14+11 = 43,
  // (Total,M) 18+45+55 = 118, (B,Total) 20+19+33 = 72, (C,Total) 20+10+22 = 52,
  // (D,Total) 20+14+25 = 59, (Total,Total) 20+45+100 = 165. Cheapest: C and M, which is also the
  // pattern sdcTable's test suite expects of its HYPERCUBE method on this table.
  const Tabulation t = region_by_sex();
  const PrimaryResult p = frequency(t, 7);
  ASSERT_EQ(p.num_primary, 1u);
  const SecondaryResult r = secondary_suppression(t, p, with(SecondaryMethod::kHypercube));
  EXPECT_EQ(secondary_labels(t, r),
            (std::vector<std::string>{"region=A, sex=M", "region=C, sex=F", "region=C, sex=M"}));
  EXPECT_DOUBLE_EQ(r.suppressed_total, 40);
  EXPECT_EQ(r.lp_solves, 0u);  // the rectangle is the proof in a flat table
  EXPECT_TRUE(passes_audit(t, p, r));

  // Upper protection 11: moving (A,F) up by 11 moves (A,M) and (C,F) down by 11, and (C,F) = 10
  // cannot. (D,M) is next: (A,M) 18 and (D,F) 14 can go down 11, (D,M) = 11 down by the lower
  // protection 1. Cost 43.
  const PrimaryResult big = one_primary(t, at(t, {"A", "F"}), 11, 1);
  const SecondaryResult r11 = secondary_suppression(t, big, with(SecondaryMethod::kHypercube));
  EXPECT_EQ(secondary_labels(t, r11),
            (std::vector<std::string>{"region=A, sex=M", "region=D, sex=F", "region=D, sex=M"}));
  EXPECT_EQ(r11.lp_solves, 0u);
  EXPECT_TRUE(passes_audit(t, big, r11));
}

TEST(SecondaryHypercube, OneDimensionalPairsAndTotals) {
  // a 3, b 5, c 10, Total 18. A part moves against another part (a +t, b -t) or with the total
  // (a +t, Total +t). Primary a, protection 1: b (5) is the cheapest partner. Upper protection 6:
  // b cannot go down by 6, c (10) can.
  const std::vector<Dimension> dims{Dimension::flat("x", {"a", "b", "c"})};
  const std::map<std::string, double> v{{"a", 3}, {"b", 5}, {"c", 10}};
  const Tabulation t = count_table(dims, [&](const std::vector<std::size_t>& n) { return v.at(dims[0].code(n[0])); });
  const auto run = [&](const PrimaryResult& p) {
    const SecondaryResult r = secondary_suppression(t, p, with(SecondaryMethod::kHypercube));
    EXPECT_TRUE(passes_audit(t, p, r));
    EXPECT_EQ(r.lp_solves, 0u);
    return secondary_labels(t, r);
  };
  EXPECT_EQ(run(one_primary(t, at(t, {"a"}), 1, 1)), std::vector<std::string>{"x=b"});
  EXPECT_EQ(run(one_primary(t, at(t, {"a"}), 6, 1)), std::vector<std::string>{"x=c"});
  // The total as primary moves with a part, in the same direction: a (3) can go down by 1.
  EXPECT_EQ(run(one_primary(t, at(t, {"Total"}), 1, 1)), std::vector<std::string>{"x=a"});
}

TEST(SecondaryHypercube, PrimariesOnACycleProtectOneAnother) {
  // rows a, b, c x columns x, y, z, inner counts by hand:
  //   a: x 3, y 2, z 10;  b: x 12, y 3, z 4;  c: x 5, y 15, z 2   (margins 15, 19, 22; 20, 20, 16).
  // The six cells in 1..7 form one cycle a-x, a-y, b-y, b-z, c-z, c-x and no rectangle (two rows
  // share at most one column). Moving them by +1, -1, +1, -1, +1, -1 keeps every sum, and each can
  // go down by 1, so every primary is protected already: no secondary cell, no LP.
  const std::vector<Dimension> dims{Dimension::flat("r", {"a", "b", "c"}), Dimension::flat("c", {"x", "y", "z"})};
  const std::map<std::string, double> v{{"a,x", 3},  {"a,y", 2}, {"a,z", 10}, {"b,x", 12}, {"b,y", 3},
                                        {"b,z", 4},  {"c,x", 5}, {"c,y", 15}, {"c,z", 2}};
  const Tabulation t = count_table(dims, [&](const std::vector<std::size_t>& n) {
    return v.at(dims[0].code(n[0]) + "," + dims[1].code(n[1]));
  });
  const PrimaryResult p = frequency(t, 7);
  ASSERT_EQ(p.num_primary, 6u);
  const SecondaryResult r = secondary_suppression(t, p, with(SecondaryMethod::kHypercube));
  EXPECT_EQ(r.num_secondary, 0u);
  EXPECT_EQ(r.lp_solves, 0u);
  EXPECT_TRUE(passes_audit(t, p, r));
}

TEST(SecondaryHypercube, CyclesThroughTheMarginsMoveWithTheSameSign) {
  // Rows a, b, Total x columns x, y, Total with (a,x), (a,Total), (Total,x), (Total,Total)
  // suppressed. Moving (a,x) by +1 needs (a,Total) +1 (row a), (Total,x) +1 (column x) and then
  // (Total,Total) +1 (row Total: x + y - Total = 1 - 1), all with sign +1, by hand.
  detail::SuppressedCycles cycles(3, 3);
  cycles.add(0, 0);
  cycles.add(0, 2);
  cycles.add(2, 0);
  cycles.add(2, 2);
  std::vector<detail::SuppressedCycles::Step> steps;
  const auto any = [](std::size_t, std::size_t, int) { return true; };
  ASSERT_TRUE(cycles.find(0, 0, any, steps));
  ASSERT_EQ(steps.size(), 3u);
  for (const auto& step : steps) EXPECT_EQ(step.sign, 1) << step.row << "," << step.col;
  // Inner rectangle (a,x) (a,y) (b,x) (b,y): the others move by -1, -1, +1.
  detail::SuppressedCycles inner(3, 3);
  for (auto [r, c] : {std::pair<std::size_t, std::size_t>{0, 0}, {0, 1}, {1, 0}, {1, 1}}) inner.add(r, c);
  ASSERT_TRUE(inner.find(0, 0, any, steps));
  std::map<std::pair<std::size_t, std::size_t>, int> sign;
  for (const auto& step : steps) sign[{step.row, step.col}] = step.sign;
  EXPECT_EQ(sign, (std::map<std::pair<std::size_t, std::size_t>, int>{{{0, 1}, -1}, {{1, 0}, -1}, {{1, 1}, 1}}));
  // A cell refused by `usable` breaks the cycle; a lone cell has none.
  const auto not_11 = [](std::size_t r, std::size_t c, int) { return !(r == 1 && c == 1); };
  EXPECT_FALSE(inner.find(0, 0, not_11, steps));
  detail::SuppressedCycles lone(3, 3);
  lone.add(0, 0);
  EXPECT_FALSE(lone.find(0, 0, any, steps));
}

// Exhaustive reference for one primary in a flat r x c table with margins: every rectangle through
// it, the corners' move found by trying all eight sign patterns against every row and column sum,
// then the bounds (non-negative; only non-zero cells may be suppressed). Least cost, or infinity.
double cheapest_rectangle(const Tabulation& t, std::size_t primary, double up, double down) {
  const std::size_t rows = t.dimensions()[0].size(), cols = t.dimensions()[1].size();
  const std::size_t tr = rows - 1, tc = cols - 1;  // the totals are the last nodes
  const auto pn = t.nodes(primary);
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t r2 = 0; r2 < rows; ++r2) {
    for (std::size_t c2 = 0; c2 < cols; ++c2) {
      if (r2 == pn[0] || c2 == pn[1]) continue;
      const std::size_t corner[3] = {t.index({pn[0], c2}), t.index({r2, pn[1]}), t.index({r2, c2})};
      for (int signs = 0; signs < 8; ++signs) {
        std::vector<double> move(t.num_cells(), 0);
        move[primary] = 1;
        for (int k = 0; k < 3; ++k) move[corner[k]] = (signs >> k & 1) ? 1 : -1;
        bool additive = true;
        for (std::size_t i = 0; i < rows && additive; ++i) {
          double sum = 0;
          for (std::size_t j = 0; j < tc; ++j) sum += move[t.index({i, j})];
          additive = std::abs(sum - move[t.index({i, tc})]) < 1e-12;
        }
        for (std::size_t j = 0; j < cols && additive; ++j) {
          double sum = 0;
          for (std::size_t i = 0; i < tr; ++i) sum += move[t.index({i, j})];
          additive = std::abs(sum - move[t.index({tr, j})]) < 1e-12;
        }
        if (!additive) continue;
        bool fits = true;
        double cost = 0;
        for (std::size_t c : corner) {
          const double v = t.cell(c).value;
          fits = fits && v > 0 && v + move[c] * up >= 0 && v - move[c] * down >= 0;
          cost += v;
        }
        if (fits) best = std::min(best, cost);
      }
    }
  }
  return best;
}

TEST(SecondaryHypercube, CheapestRectangleMatchesExhaustiveSearch) {
  // 300 seeded flat tables of 2..7 x 2..7 parts, one primary anywhere (margins too), protections
  // 1..6 up and down; cost = suppressed total. Where a rectangle exists, kHypercube's pattern costs
  // exactly the exhaustive minimum and needs no linear programme; always, it passes the audit.
  Rng rng{77};
  int compared = 0;
  for (int rep = 0; rep < 300; ++rep) {
    std::vector<std::string> a, b;
    for (std::size_t i = 0, n = 2 + rng.below(6); i < n; ++i) a.push_back("r" + std::to_string(i));
    for (std::size_t i = 0, n = 2 + rng.below(6); i < n; ++i) b.push_back("c" + std::to_string(i));
    const std::vector<Dimension> dims{Dimension::flat("r", a), Dimension::flat("c", b)};
    const Tabulation t = count_table(dims, [&](const std::vector<std::size_t>&) {
      return rng.below(8) == 0 ? 0.0 : static_cast<double>(1 + rng.below(30));
    });
    std::size_t cell = rng.below(t.num_cells());
    while (t.cell(cell).value == 0) cell = rng.below(t.num_cells());
    const double up = static_cast<double>(1 + rng.below(6));
    const double down = std::min(static_cast<double>(1 + rng.below(6)), t.cell(cell).value);
    const PrimaryResult p = one_primary(t, cell, up, down);
    const SecondaryResult r = secondary_suppression(t, p, with(SecondaryMethod::kHypercube));
    EXPECT_TRUE(r.unprotectable.empty() ? passes_audit(t, p, r) : true) << rep;
    const double expected = cheapest_rectangle(t, cell, up, down);
    if (!std::isfinite(expected)) continue;
    EXPECT_DOUBLE_EQ(r.suppressed_total, expected) << rep << " " << t.label(cell);
    EXPECT_EQ(r.lp_solves, 0u) << rep;
    ++compared;
  }
  EXPECT_GT(compared, 200);
}

TEST(SecondaryHypercube, RandomHierarchicalTablesPassTheAudit) {
  // 160 seeded tables, 2-D (up to three levels) and 3-D, cells 1..3 primary with protection 1 or
  // 2..3: every pattern keeps the primaries, passes the audit except for the cells reported
  // unprotectable, and those are the ones kNetwork reports (they depend only on which cells may
  // move). In 3-D flat tables no linear programme is needed unless a cell has no hypercube.
  Rng rng{4711};
  for (int rep = 0; rep < 160; ++rep) {
    const Tabulation t = test::random_hierarchical_table(rng, rep % 4 == 3, 3);
    const double protection = rng.below(4) == 0 ? static_cast<double>(2 + rng.below(2)) : 1.0;
    const PrimaryResult p = frequency(t, 3, protection);
    SecondaryOptions o = with(SecondaryMethod::kHypercube);
    o.cost = rng.below(3) == 0 ? SuppressionCost::kCells : SuppressionCost::kValue;
    const SecondaryResult r = secondary_suppression(t, p, o);
    SecondaryOptions net = o;
    net.method = SecondaryMethod::kNetwork;
    EXPECT_EQ(r.unprotectable, secondary_suppression(t, p, net).unprotectable) << rep;
    test::expect_protected_but_unprotectable(t, p, r, rep);
  }
}

TEST(SecondaryHypercube, AeMonthNeedsNoLinearProgramme) {
  // org_code x type of 2019-03 (908 cells, flat), 1..7 unsafe, cost = cells: every primary gets a
  // rectangle, so no LP is solved; the pattern passes the audit and costs no less than kOptimal's
  // proven optimum (31 cells, bench/README.md).
  const Tabulation t = test::ae_month("2019-03-01", "breaches");
  const PrimaryResult p = frequency(t, 7);
  SecondaryOptions o = with(SecondaryMethod::kHypercube);
  o.cost = SuppressionCost::kCells;
  const SecondaryResult r = secondary_suppression(t, p, o);
  EXPECT_EQ(r.lp_solves, 0u);
  EXPECT_TRUE(r.unprotectable.empty());
  EXPECT_TRUE(passes_audit(t, p, r));
  SecondaryOptions opt = o;
  opt.method = SecondaryMethod::kOptimal;
  opt.time_limit = 30;
  const SecondaryResult best = secondary_suppression(t, p, opt);
  ASSERT_TRUE(best.optimal);
  EXPECT_GE(r.num_secondary, best.num_secondary);
}

TEST(SecondaryHypercube, GenericProblemIsRefused) {
  const Tabulation t = region_by_sex();
  const PrimaryResult p = frequency(t, 7);
  try {
    secondary_suppression(audit_problem(t, p.status, p.upper, p.lower), with(SecondaryMethod::kHypercube));
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "secondary suppression: method hypercube needs a Tabulation (its hierarchies)");
  }
  EXPECT_STREQ(to_string(SecondaryMethod::kHypercube), "hypercube");
}

}  // namespace
}  // namespace sdcore
