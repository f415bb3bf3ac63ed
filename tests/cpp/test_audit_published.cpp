// The audit of a published table without its original (audit_published): the trap table from
// its published cells alone, agreement with the audit that knows the true values on random tables
// (the intervals depend only on what is published), and bad input.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "audit_grid.hpp"
#include "sdcore/audit.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

using test::Grid;
using test::kTol;
using test::make_grid;

// Forgets the suppressed cells' values, as a published file does.
AuditProblem as_published(AuditProblem p, double junk) {
  for (AuditCell& c : p.cells) {
    if (c.suppressed) c.value = junk;
  }
  return p;
}

TEST(AuditPublished, TrapTableCellIsRecomputedFromThePublishedCellsAlone) {
  // sdcTable's trap table (shared/data/sdctable, see its README), the 9 cells marked "u"
  // suppressed: (w,b) = 47 follows from rows w + x and columns a + c (236 - 189), by hand; the
  // other eight are not exact.
  Grid g = make_grid({{"w", "x", "y", "z"}, {"a", "b", "c", "d"}}, std::vector<double>(16, 0));
  const Table t = read_csv(test::shared_data("sdctable/trap_4x4_problemdata.csv"));
  const auto v1 = test::texts(t, "v1"), v2 = test::texts(t, "v2"), freq = test::texts(t, "freq");
  const auto status = test::texts(t, "status");
  for (std::size_t i = 0; i < v1.size(); ++i) {
    AuditCell& c = g.problem.cells[g.find(v1[i] + "," + v2[i])];
    c.suppressed = status[i] == "u";
    c.value = c.suppressed ? std::nan("") : std::stod(freq[i]);  // unknown, as published
  }
  const AuditResult r = audit_published(g.problem);
  ASSERT_EQ(r.cells.size(), 9u);
  for (const AuditCellResult& c : r.cells) {
    const bool wb = c.cell == g.find("w,b");
    EXPECT_EQ(c.verdict, wb ? AuditVerdict::kExact : AuditVerdict::kProtected) << g.problem.cells[c.cell].label;
    if (wb) {
      EXPECT_NEAR(c.lower, 47, kTol);
    }
  }
}

TEST(AuditPublished, AgreesWithTheAuditThatKnowsTheTruth) {
  // 200 seeded 2-D and 3-D tables with random suppressed cells: every interval from the published
  // cells alone equals the one audit() finds from the true values (by LP duality it cannot depend
  // on them), and so does the exactness verdict; protections are left at 0 for the comparison.
  test::Rng rng{99};
  for (int rep = 0; rep < 200; ++rep) {
    const bool three = rep % 3 == 2;
    std::vector<std::vector<std::string>> names = three ? std::vector<std::vector<std::string>>{{"a", "b"}, {"c", "d"}, {"e", "f", "g"}}
                                                        : std::vector<std::vector<std::string>>{{"a", "b", "c"}, {"d", "e", "f", "g"}};
    std::vector<double> inner(12);
    for (double& x : inner) x = static_cast<double>(rng.below(4) == 0 ? 0 : 1 + rng.below(40));
    Grid g = make_grid(names, inner);
    for (AuditCell& c : g.problem.cells) c.suppressed = rng.below(3) == 0;
    AuditOptions o;
    o.certificates = false;
    const AuditResult truth = audit(g.problem, o);
    const AuditResult seen = audit_published(as_published(g.problem, 1e6), o);
    ASSERT_EQ(truth.cells.size(), seen.cells.size());
    for (std::size_t k = 0; k < truth.cells.size(); ++k) {
      const std::string& label = g.problem.cells[truth.cells[k].cell].label;
      EXPECT_EQ(seen.cells[k].cell, truth.cells[k].cell);
      EXPECT_NEAR(seen.cells[k].lower, truth.cells[k].lower, kTol) << rep << " " << label;
      if (std::isinf(truth.cells[k].upper)) {
        EXPECT_TRUE(std::isinf(seen.cells[k].upper)) << rep << " " << label;
      } else {
        EXPECT_NEAR(seen.cells[k].upper, truth.cells[k].upper, kTol) << rep << " " << label;
      }
      EXPECT_EQ(seen.cells[k].verdict == AuditVerdict::kExact, truth.cells[k].verdict == AuditVerdict::kExact)
          << rep << " " << label;
    }
  }
}

TEST(AuditPublished, BadInputIsRefused) {
  // a (suppressed) + b 5 = total 3: no a >= 0 makes it add up.
  Grid g = make_grid({{"a", "b"}}, {0, 5});
  g.problem.cells[g.find("a")].suppressed = true;
  g.problem.cells[g.find("tot")].value = 3;
  EXPECT_NE(test::error_of([&] { audit_published(g.problem); }).find("contradict the table's relations"), std::string::npos);
  // (b,c) published as 30 breaks the b row (30 + 4 is not 7), whose cells are all published.
  Grid h = make_grid({{"a", "b"}, {"c", "d"}}, {1, 2, 3, 4});
  h.problem.cells[h.find("a,c")].suppressed = true;
  h.problem.cells[h.find("b,c")].value = 30;
  EXPECT_NE(test::error_of([&] { audit_published(h.problem); }).find("does not hold"), std::string::npos);
  // Insiders need the true contributions.
  Grid k = make_grid({{"a", "b"}}, {1, 5});
  k.problem.cells[k.find("a")].suppressed = true;
  AuditOptions o;
  o.insiders = true;
  EXPECT_NE(test::error_of([&] { audit_published(k.problem, o); }).find("insider"), std::string::npos);
}

}  // namespace
}  // namespace sdcore
