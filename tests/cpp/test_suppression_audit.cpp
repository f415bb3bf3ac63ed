// A tabulation and its statuses as an audit problem, audited: hand-worked tables and NHS A&E
// breaches with only the primary cells of the 1..7 rule suppressed, where every primary cell that
// is the only suppressed cell of some relation is recomputable by subtraction (checked here by a
// plain scan of the relations, independently of the LP).

#include <gtest/gtest.h>

#include <set>

#include "sdcore/io/csv.hpp"
#include "sdcore/suppression.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

TEST(SuppressionAudit, TwoByTwoWithOnePrimaryCellIsRecomputable) {
  // Inner cells (a,F) 3 records, (a,M) 9, (b,F) 10, (b,M) 12; with only (a,F) suppressed, it is
  // the a-row total 12 minus (a,M) 9 = 3.
  Table t;
  std::vector<std::int32_t> org, sex;
  const auto add = [&](int o, int s, int n) {
    for (int i = 0; i < n; ++i) org.push_back(o), sex.push_back(s);
  };
  add(0, 0, 3), add(0, 1, 9), add(1, 0, 10), add(1, 1, 12);
  t.add_column(Column::categorical("org", org, {"a", "b"}));
  t.add_column(Column::categorical("sex", sex, {"F", "M"}));
  const Tabulation tab = tabulate(t, {{"org"}, {"sex"}});
  PrimaryRules rules;
  rules.frequency = FrequencyRule{7};
  const PrimaryResult p = primary_suppression(tab, rules);
  ASSERT_EQ(p.num_primary, 1u);
  const AuditProblem problem = audit_problem(tab, p.status, p.upper, p.lower);
  EXPECT_EQ(problem.relations.size(), 6u);  // 1 inner node of org x 3 sex nodes + 1 x 3
  const AuditResult r = audit(problem);
  ASSERT_EQ(r.cells.size(), 1u);
  EXPECT_EQ(problem.cells[r.cells[0].cell].label, "org=a, sex=F");
  EXPECT_EQ(r.cells[0].verdict, AuditVerdict::kExact);
  EXPECT_NEAR(r.cells[0].lower, 3, 1e-9);
  EXPECT_FALSE(r.all_protected());
}

TEST(SuppressionAudit, PrimaryOnlySuppressionOfAeBreachesIsCaught) {
  CsvReadOptions ro;
  ro.column_types = {{"period", ColumnType::kCategorical}, {"org_code", ColumnType::kCategorical},
                     {"type", ColumnType::kCategorical}};
  const Table all = read_csv(test::shared_data("nhsr/ae_attendances.csv"), ro);
  // One month, provider x type: the shape NHS England publishes each month.
  std::vector<std::int32_t> org, type;
  std::vector<double> breaches;
  for (std::size_t r = 0; r < all.num_rows(); ++r) {
    if (all.column("period").format(r) != "2019-03-01") continue;
    org.push_back(all.column("org_code").codes()[r]);
    type.push_back(all.column("type").codes()[r]);
    breaches.push_back(all.column("breaches").values()[r]);
  }
  Table ae;
  ae.add_column(Column::categorical("org_code", org, all.column("org_code").categories()));
  ae.add_column(Column::categorical("type", type, all.column("type").categories()));
  ae.add_column(Column::numeric("breaches", breaches));
  const auto flat = [&](const char* name) {
    return LongDimension{name, Dimension::flat(name, ae.column(name).categories(), "All")};
  };
  const Tabulation tab = tabulation_from_long(ae, {flat("org_code"), flat("type")}, "breaches");
  PrimaryRules rules;
  rules.frequency = FrequencyRule{7};
  const PrimaryResult p = primary_suppression(tab, rules);
  ASSERT_GT(p.num_primary, 0u);
  const AuditProblem problem = audit_problem(tab, p.status, p.upper, p.lower);
  std::set<std::size_t> alone;  // suppressed cells alone in some relation
  for (const auto& rel : problem.relations) {
    std::vector<std::size_t> hidden;
    for (const auto& term : rel.terms) {
      if (problem.cells[term.cell].suppressed) hidden.push_back(term.cell);
    }
    if (hidden.size() == 1) alone.insert(hidden[0]);
  }
  ASSERT_FALSE(alone.empty());
  const AuditResult r = audit(problem);
  std::set<std::size_t> exact;
  for (const auto& c : r.cells) {
    if (c.verdict == AuditVerdict::kExact) exact.insert(c.cell);
  }
  for (std::size_t c : alone) EXPECT_TRUE(exact.count(c)) << problem.cells[c].label;
  EXPECT_FALSE(r.all_protected());
}

}  // namespace
}  // namespace sdcore
