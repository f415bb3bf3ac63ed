// Primary suppression rules: every status and protection level worked by hand from the rules'
// definitions (tau-Argus manual; Hundepool et al. 2012, ch. 4), on cells whose contributions are
// chosen to sit on either side of each rule's boundary.

#include <gtest/gtest.h>

#include <functional>

#include "sdcore/error.hpp"
#include "sdcore/suppression.hpp"

namespace sdcore {
namespace {

// One flat dimension "c" whose leaf `name` holds exactly the given contributions (one record each).
Tabulation cells_with(const std::vector<std::pair<std::string, std::vector<double>>>& spec, std::size_t top = 2) {
  std::vector<std::int32_t> code;
  std::vector<std::string> names;
  std::vector<double> x;
  for (const auto& [name, contributions] : spec) {
    names.push_back(name);
    for (double v : contributions) code.push_back(static_cast<std::int32_t>(names.size() - 1)), x.push_back(v);
  }
  Table t;
  t.add_column(Column::categorical("c", code, names));
  t.add_column(Column::numeric("x", x));
  TabulateOptions o;
  o.value = "x";
  o.top_contributions = top;
  return tabulate(t, {{"c"}}, o);
}

std::size_t at(const Tabulation& t, const std::string& code) { return t.index({*t.dimensions()[0].find(code)}); }

TEST(PrimarySuppression, FrequencyRuleOneToSeven) {
  // Contributors 3, 7 and 8; a leaf with no record is an empty cell.
  Table t;
  t.add_column(Column::categorical("c", {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2}, {"a", "b", "c", "d"}));
  const Tabulation tab = tabulate(t, {{"c"}});
  PrimaryRules r;
  r.frequency = FrequencyRule{7};
  const PrimaryResult p = primary_suppression(tab, r);
  EXPECT_EQ(p.status[at(tab, "a")], CellStatus::kPrimary);
  EXPECT_EQ(p.status[at(tab, "b")], CellStatus::kPrimary);
  EXPECT_EQ(p.status[at(tab, "c")], CellStatus::kSafe);
  EXPECT_EQ(p.status[at(tab, "d")], CellStatus::kEmpty);  // a category with no record: a zero cell
  EXPECT_EQ(p.upper[at(tab, "a")], 1);
  EXPECT_EQ(p.lower[at(tab, "a")], 1);
  EXPECT_EQ(p.reason[at(tab, "a")], "frequency 3 <= 7");
  EXPECT_EQ(p.num_primary, 2u);  // the total, 18, is safe
}

TEST(PrimarySuppression, DominancePPercentAndPq) {
  const Tabulation t = cells_with({{"dom", {70, 20, 10}}, {"even", {50, 45, 5}}, {"p", {60, 35, 5}}, {"one", {100}}});
  PrimaryRules r;
  r.dominance = {{1, 60}, {2, 85}};
  PrimaryResult p = primary_suppression(t, r);
  // dom: top1 = 70 > 60% of 100 -> 100 * 70 / 60 - 100 = 16.667; top2 = 90 > 85 -> 5.882.
  EXPECT_EQ(p.status[at(t, "dom")], CellStatus::kPrimary);
  EXPECT_NEAR(p.upper[at(t, "dom")], 100.0 * 70 / 60 - 100, 1e-12);
  EXPECT_EQ(p.reason[at(t, "dom")], "(1, 60)-dominance; (2, 85)-dominance");
  // even: top1 = 50 <= 60, top2 = 95 > 85 -> 100 * 95 / 85 - 100 = 11.765.
  EXPECT_NEAR(p.upper[at(t, "even")], 100.0 * 95 / 85 - 100, 1e-12);
  r = PrimaryRules{};
  r.p_percent = PPercentRule{10};
  p = primary_suppression(t, r);
  // even: X - x1 - x2 = 5, not < 10% of 50 = 5: safe. p: 5 < 6 -> protection 1. one: 0 < 10 -> 10.
  EXPECT_EQ(p.status[at(t, "even")], CellStatus::kSafe);
  EXPECT_NEAR(p.upper[at(t, "p")], 1, 1e-12);
  EXPECT_NEAR(p.lower[at(t, "p")], 1, 1e-12);
  EXPECT_NEAR(p.upper[at(t, "one")], 10, 1e-12);
  r = PrimaryRules{};
  r.pq = PqRule{10, 50};
  p = primary_suppression(t, r);
  // p: (10/50) 60 = 12 > 5 -> 7; even: (10/50) 50 = 10 > 5 -> 5.
  EXPECT_NEAR(p.upper[at(t, "p")], 7, 1e-12);
  EXPECT_NEAR(p.upper[at(t, "even")], 5, 1e-12);
}

TEST(PrimarySuppression, ZerosContributorsAndManualCells) {
  const Tabulation t = cells_with({{"a", {4, 4}}, {"b", {}}, {"c", {1, 1, 1}}});
  PrimaryRules r;
  r.min_contributors = 3;
  r.zeros_unsafe = true;
  r.zero_protection = 2;
  PrimaryResult p = primary_suppression(t, r);
  EXPECT_EQ(p.status[at(t, "a")], CellStatus::kPrimary);  // 2 contributors < 3
  EXPECT_EQ(p.status[at(t, "b")], CellStatus::kPrimary);  // zero
  EXPECT_EQ(p.upper[at(t, "b")], 2);
  EXPECT_EQ(p.lower[at(t, "b")], 0);  // cannot go below zero
  EXPECT_EQ(p.status[at(t, "c")], CellStatus::kSafe);
  r = PrimaryRules{};
  r.manual_unsafe = {at(t, "c")};
  r.manual_protection = 0.5;
  r.manual_safe = {at(t, "a")};
  p = primary_suppression(t, r);
  EXPECT_EQ(p.status[at(t, "c")], CellStatus::kPrimary);
  EXPECT_EQ(p.reason[at(t, "c")], "manual");
  EXPECT_EQ(p.status[at(t, "b")], CellStatus::kEmpty);
  EXPECT_EQ(p.num_primary, 1u);
}

TEST(PrimarySuppression, BadRules) {
  const Tabulation t = cells_with({{"a", {5, 3, 1}}}, 1);
  const auto error_of = [&](const PrimaryRules& r) -> std::string {
    try {
      primary_suppression(t, r);
    } catch (const InvalidArgument& e) {
      return e.what();
    }
    return "no error";
  };
  PrimaryRules r;
  r.p_percent = PPercentRule{10};
  EXPECT_NE(error_of(r).find("needs the 2 largest contributions of each cell; the table kept 1"), std::string::npos);
  r = PrimaryRules{};
  r.dominance = {{1, 0}};
  EXPECT_NE(error_of(r).find("0 < k <= 100"), std::string::npos);
  r = PrimaryRules{};
  r.pq = PqRule{50, 10};
  EXPECT_NE(error_of(r).find("0 < p < q <= 100"), std::string::npos);
  r = PrimaryRules{};
  r.manual_unsafe = {7};
  EXPECT_NE(error_of(r).find("out of range"), std::string::npos);
  r.manual_unsafe = {0};
  r.manual_safe = {0};
  EXPECT_NE(error_of(r).find("both safe and unsafe"), std::string::npos);
}

}  // namespace
}  // namespace sdcore
