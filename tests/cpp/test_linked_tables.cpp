// Linked tables: sdcTable's microdata2 example (shared/data/sdctable, two tables sharing every
// region x gender cell), linked by hand-checkable rules and protected as one problem.

#include <gtest/gtest.h>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/linked_tables.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

Table microdata2() {
  CsvReadOptions ro;
  ro.column_types = {{"region", ColumnType::kCategorical}, {"gender", ColumnType::kCategorical},
                     {"ecoOld", ColumnType::kCategorical}, {"ecoNew", ColumnType::kCategorical}};
  return read_csv(test::shared_data("sdctable/microdata2.csv"), ro);
}

TEST(LinkedTables, SharedCellsAreOneCell) {
  const Table t = microdata2();
  const Tabulation a = tabulate(t, {{"region"}, {"gender"}, {"ecoOld"}});
  const Tabulation b = tabulate(t, {{"region"}, {"gender"}, {"ecoNew"}});
  PrimaryRules rules;
  rules.frequency = FrequencyRule{3};
  const PrimaryResult pa = primary_suppression(a, rules), pb = primary_suppression(b, rules);
  const LinkedTables linked = link_tables({{a, pa}, {b, pb}});
  // Cells by hand: region 2+1 nodes, gender 2+1, ecoOld 4+1, ecoNew 6+1 (Ca..Dc) codes.
  const std::size_t eco_old = t.column("ecoOld").categories().size() + 1;
  const std::size_t eco_new = t.column("ecoNew").categories().size() + 1;
  ASSERT_EQ(a.num_cells(), 3 * 3 * eco_old);
  ASSERT_EQ(b.num_cells(), 3 * 3 * eco_new);
  // The 3 x 3 region x gender cells (eco at its total) are shared; the rest are not.
  EXPECT_EQ(linked.problem.cells.size(), a.num_cells() + b.num_cells() - 9);
  const std::size_t total_a = a.num_cells() - 1, total_b = b.num_cells() - 1;  // the root comes last
  EXPECT_EQ(linked.cell[0][total_a], linked.cell[1][total_b]);
  EXPECT_EQ(linked.problem.cells[linked.cell[0][total_a]].label, "total");
  EXPECT_DOUBLE_EQ(linked.problem.cells[linked.cell[0][total_a]].value, 100);  // 100 records
}

TEST(LinkedTables, ProtectedTogetherPassTheAuditOfAllRelations) {
  const Table t = microdata2();
  const Tabulation a = tabulate(t, {{"region"}, {"gender"}, {"ecoOld"}});
  const Tabulation b = tabulate(t, {{"region"}, {"gender"}, {"ecoNew"}});
  PrimaryRules rules;
  rules.frequency = FrequencyRule{3};
  const PrimaryResult pa = primary_suppression(a, rules), pb = primary_suppression(b, rules);
  ASSERT_GT(pa.num_primary + pb.num_primary, 0u);
  const LinkedTables linked = link_tables({{a, pa}, {b, pb}});
  for (SecondaryMethod m : {SecondaryMethod::kNetwork, SecondaryMethod::kOptimal}) {
    SecondaryOptions o;
    o.method = m;
    const SecondaryResult r = secondary_suppression(linked.problem, o);
    ASSERT_TRUE(r.unprotectable.empty());
    EXPECT_TRUE(audit(linked.published(r.status)).all_protected()) << to_string(m);
    // Each table on its own, with its own relations only, is then protected too, and a shared
    // cell has one status in both tables.
    const auto per_table = linked.statuses(r.status);
    EXPECT_TRUE(audit(audit_problem(a, per_table[0], pa.upper, pa.lower)).all_protected());
    EXPECT_TRUE(audit(audit_problem(b, per_table[1], pb.upper, pb.lower)).all_protected());
    for (std::size_t i = 0; i < a.num_cells(); ++i) {
      for (std::size_t j = 0; j < b.num_cells(); ++j) {
        if (linked.cell[0][i] == linked.cell[1][j]) {
          EXPECT_EQ(per_table[0][i], per_table[1][j]);
        }
      }
    }
  }
}

TEST(LinkedTables, DisagreeingSharedCellsAreRefused) {
  const Table t = microdata2();
  const Tabulation a = tabulate(t, {{"region"}, {"gender"}});
  // The same dimensions over only the first 50 records: shared cells with other values.
  Table half;
  for (const char* name : {"region", "gender"}) {
    const Column& c = t.column(name);
    half.add_column(Column::categorical(name, std::vector<std::int32_t>(c.codes().begin(), c.codes().begin() + 50),
                                        c.categories()));
  }
  const Tabulation b = tabulate(half, {{"region"}, {"gender"}});
  PrimaryRules rules;
  rules.frequency = FrequencyRule{3};
  const PrimaryResult pa = primary_suppression(a, rules), pb = primary_suppression(b, rules);
  EXPECT_THROW(link_tables({{a, pa}, {b, pb}}), InvalidArgument);
  const Tabulation c = tabulate(t, {DimensionSpec{"region"}, DimensionSpec{"gender"}});
  DimensionSpec other_total{"region"};
  other_total.total = "All";
  const Tabulation d = tabulate(t, {other_total, DimensionSpec{"gender"}});
  const PrimaryResult pc = primary_suppression(c, rules), pd = primary_suppression(d, rules);
  EXPECT_THROW(link_tables({{c, pc}, {d, pd}}), InvalidArgument);  // region's total named twice
}

}  // namespace
}  // namespace sdcore
