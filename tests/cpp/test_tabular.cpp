// Tabulations: dimension trees, tables built from records (values worked by hand), published
// long-format tables (NHS A&E attendances, margins recomputed by plain loops over the rows), and
// the errors for bad input.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <tuple>
#include <algorithm>
#include <map>
#include <random>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/tabular.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

using test::error_of;

TEST(Dimension, FlatHasLeavesThenTheTotal) {
  const Dimension d = Dimension::flat("sex", {"F", "M"});
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.code(d.root()), "Total");
  EXPECT_EQ(d.children(d.root()).size(), 2u);
  EXPECT_TRUE(d.is_leaf(*d.find("F")));
  EXPECT_EQ(d.parent(*d.find("M")), d.root());
  EXPECT_EQ(d.depth(*d.find("M")), 1u);
}

TEST(Dimension, FromParentsIsPostOrderedAndChecked) {
  const Dimension d = Dimension::from_parents(
      "org", {{"England", ""}, {"North", "England"}, {"RF4", "North"}, {"R1H", "North"}, {"South", "England"}, {"RA2", "South"}});
  ASSERT_EQ(d.size(), 6u);
  for (std::size_t n = 0; n + 1 < d.size(); ++n) EXPECT_LT(n, d.parent(n)) << d.code(n);  // children first
  EXPECT_EQ(d.code(d.root()), "England");
  EXPECT_EQ(d.depth(*d.find("RF4")), 2u);
  EXPECT_NE(error_of([] { Dimension::from_parents("x", {{"a", ""}, {"b", ""}}); }).find("exactly one total"),
            std::string::npos);
  EXPECT_NE(error_of([] { Dimension::from_parents("x", {{"t", ""}, {"a", "b"}, {"b", "a"}}); }).find("cycle"),
            std::string::npos);
  EXPECT_NE(error_of([] { Dimension::from_parents("x", {{"t", ""}, {"a", "zz"}}); }).find("'zz' of 'a' is not a code"),
            std::string::npos);
  EXPECT_NE(error_of([] { Dimension::from_parents("x", {{"t", ""}, {"a", "t"}, {"a", "t"}}); }).find("given twice"),
            std::string::npos);
}

TEST(Dimension, FromHierarchyCollapsesRepeatedLabels) {
  // "c" is not grouped at level 1 (its label repeats), so it hangs under "*" directly.
  const Hierarchy h = Hierarchy::from_rows("v", {{"a", "ab", "*"}, {"b", "ab", "*"}, {"c", "c", "*"}});
  const Dimension d = Dimension::from_hierarchy("v", h);
  ASSERT_EQ(d.size(), 5u);  // a, b, ab, c, *
  EXPECT_EQ(d.code(d.parent(*d.find("a"))), "ab");
  EXPECT_EQ(d.code(d.parent(*d.find("c"))), "*");
  EXPECT_EQ(d.code(d.parent(*d.find("ab"))), "*");
  // Only the values present: "b" absent leaves "ab" with one child.
  const Dimension e = Dimension::from_hierarchy("v", h, {"a", "c"});
  EXPECT_EQ(e.size(), 4u);
  EXPECT_FALSE(e.find("b"));
  // Two labels at the top: no single total.
  const Hierarchy two = Hierarchy::from_rows("v", {{"a", "x"}, {"b", "y"}});
  EXPECT_NE(error_of([&] { Dimension::from_hierarchy("v", two); }).find("exactly one total"), std::string::npos);
}

// Six records: region (North: RF4, R1H; South: RA2) x sex, with a value and a holding.
Table six_records() {
  Table t;
  t.add_column(Column::categorical("org", {0, 0, 1, 2, 2, 0}, {"RF4", "R1H", "RA2"}));
  t.add_column(Column::categorical("sex", {0, 1, 0, 0, 0, 0}, {"F", "M"}));
  t.add_column(Column::numeric("cost", {10, 20, 5, 7, 1, 30}));
  t.add_column(Column::categorical("holding", {0, 1, 0, 2, 2, 0}, {"h1", "h2", "h3"}));
  return t;
}

Hierarchy regions() {
  return Hierarchy::from_rows("org", {{"RF4", "North", "England"}, {"R1H", "North", "England"}, {"RA2", "South", "England"}});
}

TEST(Tabulate, SumsAndMarginsByHand) {
  TabulateOptions o;
  o.value = "cost";
  const Tabulation t = tabulate(six_records(), {{"org", regions()}, {"sex"}}, o);
  const auto& org = t.dimensions()[0];
  const auto& sex = t.dimensions()[1];
  const auto at = [&](const char* a, const char* b) { return t.cell(t.index({*org.find(a), *sex.find(b)})); };
  // By hand: RF4,F = rows 0,5 = 10+30; R1H,F = row 2 = 5; RA2,F = rows 3,4 = 7+1; RF4,M = row 1 = 20.
  EXPECT_EQ(at("RF4", "F").value, 40);
  EXPECT_EQ(at("RF4", "F").records, 2);
  EXPECT_EQ(at("RA2", "F").value, 8);
  EXPECT_EQ(at("R1H", "M").value, 0);
  EXPECT_EQ(at("North", "F").value, 45);
  EXPECT_EQ(at("North", "Total").value, 65);
  EXPECT_EQ(at("England", "F").value, 53);
  EXPECT_EQ(at("England", "Total").value, 73);
  EXPECT_EQ(at("England", "Total").records, 6);
  // Records as contributors: the largest two of North,F are 30 (row 5) and 10 (row 0).
  EXPECT_EQ(at("North", "F").contributors, 3);
  EXPECT_EQ(at("North", "F").top, (std::vector<double>{30, 10}));
  EXPECT_EQ(at("North", "F").top_holder, (std::vector<std::int64_t>{5, 0}));  // their rows
  EXPECT_EQ(t.label(t.index({*org.find("North"), *sex.find("F")})), "org=North, sex=F");
  // Every additivity relation holds, and there are 3 inner nodes of org (North, South with its
  // one child, England) x 3 nodes of sex plus 1 inner node of sex x 6 nodes of org = 15 relations.
  const auto rel = t.relations();
  EXPECT_EQ(rel.size(), 15u);
  for (const auto& r : rel) {
    double sum = 0;
    for (auto p : r.parts) sum += t.cell(p).value;
    EXPECT_EQ(t.cell(r.total).value, sum) << t.label(r.total);
  }
}

TEST(Tabulate, AggregatedRowsMakeTheCountTableOfTheirRecords) {
  // six_records() aggregated by hand: (org, sex) with how many records each row stands for, a
  // pair split over two rows as chunks would give it. Counts of the six records by hand:
  // RF4,F 2; RF4,M 1; R1H,F 1; RA2,F 2.
  Table agg;
  agg.add_column(Column::categorical("org", {0, 0, 1, 2, 0}, {"RF4", "R1H", "RA2"}));
  agg.add_column(Column::categorical("sex", {0, 1, 0, 0, 0}, {"F", "M"}));
  agg.add_column(Column::numeric("n", {1, 1, 1, 2, 1}));
  TabulateOptions o;
  o.frequency = "n";
  const Tabulation got = tabulate(agg, {{"org", regions()}, {"sex"}}, o);
  const Tabulation want = tabulate(six_records(), {{"org", regions()}, {"sex"}});
  ASSERT_EQ(got.num_cells(), want.num_cells());
  for (std::size_t i = 0; i < want.num_cells(); ++i) {
    EXPECT_EQ(got.label(i), want.label(i));
    EXPECT_EQ(got.cell(i).value, want.cell(i).value) << want.label(i);
    EXPECT_EQ(got.cell(i).records, want.cell(i).records) << want.label(i);
    EXPECT_EQ(got.cell(i).contributors, want.cell(i).contributors) << want.label(i);
    EXPECT_EQ(got.cell(i).top, want.cell(i).top) << want.label(i);
  }
  o.value = "n";
  EXPECT_THROW(tabulate(agg, {{"org", regions()}, {"sex"}}, o), InvalidArgument);  // sums need the records
  agg.add_column(Column::numeric("half", {1, 1, 1, 1.5, 1}));
  TabulateOptions h;
  h.frequency = "half";
  EXPECT_THROW(tabulate(agg, {{"org", regions()}, {"sex"}}, h), InvalidArgument);
}

TEST(Tabulate, HoldingsSumTheirContributionsFirst) {
  TabulateOptions o;
  o.value = "cost";
  o.holding = "holding";
  const Tabulation t = tabulate(six_records(), {{"org", regions()}, {"sex"}}, o);
  const auto& org = t.dimensions()[0];
  const auto& sex = t.dimensions()[1];
  // England,F: h1 = 10+5+30 = 45 (rows 0, 2, 5), h3 = 7+1 = 8 (rows 3, 4): two contributors.
  const TabularCell& c = t.cell(t.index({*org.find("England"), *sex.find("F")}));
  EXPECT_EQ(c.contributors, 2);
  EXPECT_EQ(c.top, (std::vector<double>{45, 8}));
  EXPECT_EQ(c.top_holder, (std::vector<std::int64_t>{0, 2}));
  // Counting records with a weight: England,Total = sum of weights.
  Table w = six_records();
  w.add_column(Column::numeric("w", {1.5, 2, 2, 1, 1, 0.5}));
  TabulateOptions ow;
  ow.weight = "w";
  const Tabulation tw = tabulate(w, {{"sex"}}, ow);
  EXPECT_EQ(tw.cell(tw.index({tw.dimensions()[0].root()})).value, 8.0);
  EXPECT_EQ(tw.value_name(), "count");
}

TEST(Tabulate, RandomTablesMatchANaiveCellByCellSum) {
  // Naive reference: a record belongs to a cell if, in every dimension, the cell's node is the
  // record's leaf or one of its ancestors (walked up through parent()); value, records,
  // contributors and the two largest holding sums are recomputed per cell from that alone.
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t nd = 1 + rng() % 3, n = 1 + rng() % 60;
    Table t;
    std::vector<DimensionSpec> specs;
    for (std::size_t d = 0; d < nd; ++d) {
      const std::string name = "d" + std::to_string(d);
      const int m = 1 + static_cast<int>(rng() % 5);
      std::vector<std::string> cats;
      std::vector<std::vector<std::string>> rows;
      for (int v = 0; v < m; ++v) {
        cats.push_back("v" + std::to_string(v));
        rows.push_back({cats.back(), "g" + std::to_string(v % 2), "*"});
      }
      std::vector<std::int32_t> codes(n);
      for (auto& c : codes) c = static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(m));
      t.add_column(Column::categorical(name, codes, cats));
      if (rng() % 2) {
        specs.emplace_back(name, Hierarchy::from_rows(name, rows));
      } else {
        specs.emplace_back(name);
      }
    }
    std::vector<double> x(n);
    std::vector<std::int32_t> hold(n);
    for (std::size_t r = 0; r < n; ++r) x[r] = static_cast<double>(rng() % 50), hold[r] = static_cast<std::int32_t>(rng() % 4);
    t.add_column(Column::numeric("x", x));
    t.add_column(Column::categorical("h", hold, {"a", "b", "c", "d"}));
    TabulateOptions o;
    o.value = "x";
    o.holding = "h";
    const Tabulation tab = tabulate(t, specs, o);
    for (std::size_t i = 0; i < tab.num_cells(); ++i) {
      const auto nodes = tab.nodes(i);
      double value = 0;
      std::int64_t records = 0;
      std::map<std::int64_t, double> by_holding;
      for (std::size_t r = 0; r < n; ++r) {
        bool in = true;
        for (std::size_t d = 0; d < nd && in; ++d) {
          const Dimension& dim = tab.dimensions()[d];
          std::size_t node = *dim.find(t.column("d" + std::to_string(d)).format(r));
          while (node != nodes[d] && node != dim.root()) node = dim.parent(node);
          in = node == nodes[d];
        }
        if (!in) continue;
        value += x[r], ++records, by_holding[hold[r]] += x[r];
      }
      std::vector<double> sums;
      for (const auto& [h, v] : by_holding) sums.push_back(v);
      std::sort(sums.rbegin(), sums.rend());
      sums.resize(std::min<std::size_t>(sums.size(), 2));
      const TabularCell& c = tab.cell(i);
      ASSERT_EQ(c.value, value) << "trial " << trial << " " << tab.label(i);
      ASSERT_EQ(c.records, records);
      ASSERT_EQ(c.contributors, static_cast<std::int64_t>(by_holding.size()));
      ASSERT_EQ(c.top, sums);
    }
  }
}

TEST(Tabulate, BadInput) {
  const Table t = six_records();
  TabulateOptions o;
  EXPECT_NE(error_of([&] { tabulate(t, {}); }).find("1 to 4 dimensions"), std::string::npos);
  EXPECT_NE(error_of([&] { tabulate(t, {{"sex"}, {"sex"}}); }).find("named twice"), std::string::npos);
  Table m = t;
  m.add_column(Column::numeric("neg", {1, 2, -3, 4, 5, 6}));
  o.value = "neg";
  EXPECT_NE(error_of([&] { tabulate(m, {{"sex"}}, o); }).find("the value -3 in row 3"), std::string::npos);
  o.value.clear();
  o.weight = "cost";
  m.add_column(Column::numeric("zero", {1, 0, 1, 1, 1, 1}));
  o.weight = "zero";
  EXPECT_NE(error_of([&] { tabulate(m, {{"sex"}}, o); }).find("must be positive"), std::string::npos);
  m.add_column(Column::categorical("gap", {0, -1, 0, 0, 0, 0}, {"x"}));
  EXPECT_NE(error_of([&] { tabulate(m, {{"gap"}}); }).find("missing in row 2"), std::string::npos);
  const Hierarchy partial = Hierarchy::from_rows("org", {{"RF4", "*"}, {"R1H", "*"}});
  EXPECT_NE(error_of([&] { tabulate(t, {{"org", partial}}); }).find("'RA2'"), std::string::npos);
}

TEST(LongTable, AeAttendancesMarginsMatchPlainSums) {
  CsvReadOptions ro;
  ro.column_types = {{"period", ColumnType::kCategorical}, {"org_code", ColumnType::kCategorical},
                     {"type", ColumnType::kCategorical}};
  const Table ae = read_csv(test::shared_data("nhsr/ae_attendances.csv"), ro);
  const auto flat = [&](const char* name) {
    const Column& c = ae.column(name);
    return LongDimension{name, Dimension::flat(name, c.categories(), "All")};
  };
  const Tabulation t = tabulation_from_long(ae, {flat("period"), flat("org_code"), flat("type")}, "attendances");
  // Plain sums over the rows, written out here.
  double total = 0, type1 = 0, rf4_month = 0;
  const auto att = ae.column("attendances").values();
  for (std::size_t r = 0; r < ae.num_rows(); ++r) {
    total += att[r];
    if (ae.column("type").format(r) == "1") type1 += att[r];
    if (ae.column("org_code").format(r) == "RF4" && ae.column("period").format(r) == "2017-03-01") rf4_month += att[r];
  }
  const auto& [period, org, type] = std::tie(t.dimensions()[0], t.dimensions()[1], t.dimensions()[2]);
  EXPECT_EQ(t.cell(t.index({period.root(), org.root(), type.root()})).value, total);
  EXPECT_EQ(t.cell(t.index({period.root(), org.root(), *type.find("1")})).value, type1);
  EXPECT_EQ(t.cell(t.index({*period.find("2017-03-01"), *org.find("RF4"), type.root()})).value, rf4_month);
  EXPECT_EQ(t.num_cells(), period.size() * org.size() * type.size());
}

TEST(LongTable, GivenTotalsAreCheckedAndEveryProblemListed) {
  Table t;
  t.add_column(Column::categorical("type", {0, 1, 2, 0, 3}, {"1", "2", "All", "x"}));
  t.add_column(Column::numeric("n", {5, 7, 13, 5, 1.5}));
  const Dimension d = Dimension::flat("type", {"1", "2"}, "All");
  const std::string e = error_of([&] { tabulation_from_long(t, {{"type", d}}, "n"); });
  // Row 4 repeats row 1's cell; row 5 has an unknown code and a non-integer; row 3's total 13 is
  // not 5 + 7 = 12.
  EXPECT_NE(e.find("row 4: the same cell as row 1"), std::string::npos) << e;
  EXPECT_NE(e.find("row 5: code 'x' is not in dimension 'type'"), std::string::npos) << e;
  EXPECT_NE(e.find("row 5: the value 1.5 is not a non-negative whole number"), std::string::npos) << e;
  Table ok;
  ok.add_column(Column::categorical("type", {0, 1, 2}, {"1", "2", "All"}));
  ok.add_column(Column::numeric("n", {5, 7, 13}));
  const std::string total = error_of([&] { tabulation_from_long(ok, {{"type", d}}, "n"); });
  EXPECT_NE(total.find("row 3: the total type=All is 13 but its parts sum to 12"), std::string::npos) << total;
  Table no_total;
  no_total.add_column(Column::categorical("type", {0, 1}, {"1", "2"}));
  no_total.add_column(Column::numeric("n", {5, 7}));
  LongTableOptions check;
  check.margins = Margins::kCheck;
  EXPECT_NE(error_of([&] { tabulation_from_long(no_total, {{"type", d}}, "n", check); }).find("type=All is missing"),
            std::string::npos);
  const Tabulation added = tabulation_from_long(no_total, {{"type", d}}, "n");
  EXPECT_EQ(added.cell(added.index({d.root()})).value, 12);
}

TEST(LongTable, NegativeAndFractionalCountsAreRefusedUnlessAllowed) {
  // A count table (the default) takes neither a negative nor a fractional count; each is named
  // by its row (an infinite value cannot reach it: Column::numeric refuses one). With allow_negative (a table of sums, e.g. net costs) -3 is a
  // value, and by hand the total is 5 + (-3) = 2; fractions are still refused while integers
  // are asked for, with the wording of what was wanted.
  const Dimension d = Dimension::flat("type", {"1", "2", "3"}, "All");
  Table t;
  t.add_column(Column::categorical("type", {0, 1, 2}, {"1", "2", "3"}));
  t.add_column(Column::numeric("n", {5, -3, 0.25}));
  const std::string e = error_of([&] { tabulation_from_long(t, {{"type", d}}, "n"); });
  EXPECT_NE(e.find("row 2: the value -3 is not a non-negative whole number"), std::string::npos) << e;
  EXPECT_NE(e.find("row 3: the value 0.25 is not a non-negative whole number"), std::string::npos) << e;
  Table net;
  net.add_column(Column::categorical("type", {0, 1, 2}, {"1", "2", "3"}));
  net.add_column(Column::numeric("n", {5, -3, 0}));
  LongTableOptions signed_values;
  signed_values.allow_negative = true;
  const Tabulation ok = tabulation_from_long(net, {{"type", d}}, "n", signed_values);
  EXPECT_EQ(ok.cell(ok.index({d.root()})).value, 2);
  Table half;
  half.add_column(Column::categorical("type", {0}, {"1"}));
  half.add_column(Column::numeric("n", {2.5}));
  const std::string f = error_of([&] { tabulation_from_long(half, {{"type", d}}, "n", signed_values); });
  EXPECT_NE(f.find("row 1: the value 2.5 is not a whole number"), std::string::npos) << f;
}

TEST(LongTable, PublishedWithSuppressedCells) {
  // region {a, b} x sex {F, M} as published, (a,F) and (a,M) suppressed (NaN). By hand: a's total
  // 12 is given; the b row 10 + 12 = 22 and the grand total are checkable only where every inner
  // cell below is known: the b row is, so a wrong b total is reported; the F column is not.
  const double nan = std::nan("");
  const Dimension r = Dimension::flat("r", {"a", "b"}, "T"), c = Dimension::flat("c", {"F", "M"}, "T");
  const auto table = [&](double b_total, bool with_grand_total) {
    Table t;
    std::vector<std::int32_t> rc{0, 0, 0, 1, 1, 1, 2, 2, 2}, cc{0, 1, 2, 0, 1, 2, 0, 1, 2};
    std::vector<double> v{nan, nan, 12, 10, 12, b_total, 13, 21, 34};
    if (!with_grand_total) rc.pop_back(), cc.pop_back(), v.pop_back();
    t.add_column(Column::categorical("r", rc, {"a", "b", "T"}));
    t.add_column(Column::categorical("c", cc, {"F", "M", "T"}));
    t.add_column(Column::numeric("n", v));
    return t;
  };
  LongTableOptions o;
  o.missing_is_suppressed = true;
  const Tabulation p = tabulation_from_long(table(22, true), {{"r", r}, {"c", c}}, "n", o);
  EXPECT_TRUE(std::isnan(p.cell(p.index({0, 0})).value));
  EXPECT_TRUE(std::isnan(p.cell(p.index({0, 1})).value));
  EXPECT_EQ(p.cell(p.index({0, 2})).value, 12);  // as given, not recomputed
  EXPECT_EQ(p.cell(p.index({2, 0})).value, 13);
  EXPECT_NE(error_of([&] { tabulation_from_long(table(23, true), {{"r", r}, {"c", c}}, "n", o); })
                .find("the total r=b, c=T is 23 but its parts sum to 22"),
            std::string::npos);
  EXPECT_NE(error_of([&] { tabulation_from_long(table(22, false), {{"r", r}, {"c", c}}, "n", o); })
                .find("the total r=T, c=T is missing"),
            std::string::npos);
  // Without the option a missing value is an error.
  EXPECT_NE(error_of([&] { tabulation_from_long(table(22, true), {{"r", r}, {"c", c}}, "n"); })
                .find("row 1: the value is missing"),
            std::string::npos);
}

}  // namespace
}  // namespace sdcore
