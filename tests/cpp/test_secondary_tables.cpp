// Secondary suppression of tabulations: NHS A&E breaches by provider and type for single months
// with the 1..7 rule (shared/data/nhsr), each pattern judged by the independent LP audit and by a
// plain scan of the relations (no relation may hide exactly one cell, which would be its
// difference: a necessary condition checked without any LP).

#include <gtest/gtest.h>

#include <iostream>

#include "ae_table.hpp"
#include "sdcore/suppression.hpp"

namespace sdcore {
namespace {

using test::ae_month;

std::size_t relations_hiding_one(const AuditProblem& p) {
  std::size_t n = 0;
  for (const AuditRelation& r : p.relations) {
    std::size_t hidden = 0;
    for (const AuditTerm& t : r.terms) hidden += p.cells[t.cell].suppressed ? 1 : 0;
    n += hidden == 1 ? 1 : 0;
  }
  return n;
}

TEST(SecondaryTables, AeBreachesWithTheOneToSevenRuleArePublishable) {
  const Tabulation t = ae_month("2019-03-01", "breaches");
  ASSERT_EQ(t.num_cells(), 908u);  // 227 x 4, counted with pandas from the same file
  PrimaryRules rules;
  rules.frequency = FrequencyRule{7};
  const PrimaryResult primary = primary_suppression(t, rules);
  ASSERT_GT(primary.num_primary, 10u);
  double network_cost = 0;
  for (SecondaryMethod m : {SecondaryMethod::kNetwork, SecondaryMethod::kOptimal}) {
    SecondaryOptions o;
    o.method = m;
    o.cost = SuppressionCost::kCells;
    o.time_limit = 120;
    const SecondaryResult r = secondary_suppression(t, primary, o);
    EXPECT_EQ(r.num_primary, primary.num_primary);
    EXPECT_GT(r.num_secondary, 0u);
    EXPECT_TRUE(r.unprotectable.empty());
    for (std::size_t i = 0; i < t.num_cells(); ++i) {
      // Primary cells stay primary; zero cells stay empty (never used, by default).
      if (primary.status[i] == CellStatus::kPrimary) {
        EXPECT_EQ(r.status[i], CellStatus::kPrimary);
      }
      if (primary.status[i] == CellStatus::kEmpty) {
        EXPECT_EQ(r.status[i], CellStatus::kEmpty);
      }
    }
    const AuditProblem published = audit_problem(t, r.status, primary.upper, primary.lower);
    EXPECT_EQ(relations_hiding_one(published), 0u) << to_string(m);
    EXPECT_TRUE(audit(published).all_protected()) << to_string(m);
    if (m == SecondaryMethod::kNetwork) network_cost = r.cost;
    if (m == SecondaryMethod::kOptimal) {
      EXPECT_LE(r.cost, network_cost);
      EXPECT_LE(r.lower_bound, r.cost + 1e-9);
      std::cout << "A&E 2019-03 breaches: " << t.num_cells() << " cells, " << r.num_primary << " primary, "
                << r.num_secondary << " secondary (network " << network_cost << "), optimal " << r.optimal
                << ", gap " << r.gap() << ", " << r.seconds << " s\n";
    }
  }
}

}  // namespace
}  // namespace sdcore
