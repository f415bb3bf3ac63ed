// Publication rules and their residual-risk audit (publication.hpp). Small tables are worked by
// hand in the comments; the A&E month (NHS England A&E attendances, shared/data/nhsr) is checked
// for the rule's promises directly from the data.

#include "sdcore/publication.hpp"

#include "sdcore/cellkey.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "ae_table.hpp"
#include "secondary_support.hpp"
#include "test_support.hpp"

namespace sdcore::test {
namespace {

// The NHS HES/ECDS rule of September 2018: 1..7 suppressed, the rest rounded to the nearest 5.
PublicationRule nhs2018() {
  PublicationRule r;
  r.name = "nhs-hes-ecds-2018";
  r.suppress_min = 1;
  r.suppress_max = 7;
  r.rounding = PublicationRounding::kNearest;
  r.base = 5;
  return r;
}

Tabulation providers(const std::vector<double>& counts) {
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < counts.size(); ++i) codes.push_back("P" + std::to_string(i));
  return count_table({Dimension::flat("provider", codes, "England")},
                     [&](const std::vector<std::size_t>& n) { return counts[n[0]]; });
}

TEST(Publication, ImpliedIntervalsReadTheRuleBackwards) {
  PublicationRule r = nhs2018();
  r.suppress_max = 0;  // no small-count rule for the first cases
  r.base = 10;
  // Nearest 10, ties up: 20 stands for [15, 25) -> 15..24; ties down (15, 25] -> 16..25.
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 20).lower, 15);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 20).upper, 24);
  r.tie = TieRule::kDown;
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 20).lower, 16);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 20).upper, 25);
  // Ties to even: 20 = 2 x 10 (even) takes both ties 15 and 25; 30 = 3 x 10 takes neither.
  r.tie = TieRule::kEven;
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 20).lower, 15);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 20).upper, 25);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 30).lower, 26);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 30).upper, 34);
  // Random rounding to 5: 10 comes from anything strictly between 5 and 15.
  r = nhs2018();
  r.rounding = PublicationRounding::kRandom;
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 10, false).lower, 6);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 10, false).upper, 14);
  // ... and with the small-count rule 1..7 it cannot be 6 or 7.
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 10).lower, 8);
  // The 2018 rule: 10 means 8..12; 0 means exactly 0 (1 and 2 would have been '*'); '*' means
  // 1..7; 5 cannot be published (3..7 are all '*').
  r = nhs2018();
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 10).lower, 8);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 10).upper, 12);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 0).upper, 0);
  EXPECT_EQ(implied_interval(r, PublishedKind::kPrimary, std::nan("")).lower, 1);
  EXPECT_EQ(implied_interval(r, PublishedKind::kPrimary, std::nan("")).upper, 7);
  EXPECT_NE(error_of([&] { implied_interval(r, PublishedKind::kRounded, 5); }).find("impossible"), std::string::npos);
  EXPECT_NE(error_of([&] { implied_interval(r, PublishedKind::kRounded, 12); }).find("not a multiple"), std::string::npos);
  // With secondary suppression a '*' may hide any count.
  r.secondary = SecondaryOptions{};
  EXPECT_TRUE(std::isinf(implied_interval(r, PublishedKind::kPrimary, std::nan("")).upper));
}

TEST(Publication, Nhs2018RuleOnAHandWorkedTable) {
  // Providers 2, 10, 40, 0, 13; England 65 (exact: national figures are not altered).
  const Tabulation t = providers({2, 10, 40, 0, 13});
  const std::size_t england = t.num_cells() - 1;
  const PublishedTable p = apply_publication_rule(t, nhs2018(), {england});
  EXPECT_EQ(p.kind[0], PublishedKind::kPrimary);
  EXPECT_TRUE(std::isnan(p.value[0]));
  EXPECT_EQ(p.value[1], 10);
  EXPECT_EQ(p.value[2], 40);
  EXPECT_EQ(p.value[3], 0);
  EXPECT_EQ(p.value[4], 15);
  EXPECT_EQ(p.kind[england], PublishedKind::kExact);
  EXPECT_EQ(p.value[england], 65);
  EXPECT_EQ(p.primary, 1u);
  EXPECT_EQ(p.rounded, 4u);
  EXPECT_EQ(p.changed, 1u);  // only 13 -> 15
  // The attacker: x0 = 65 - x1 - x2 - x3 - x4 with x1 in 8..12, x2 in 38..42, x3 = 0, x4 in
  // 13..17 (15 stands for 13..17): x0 in [65 - 71, 65 - 59] = [-6, 6], within the rule's 1..7:
  // [1, 6]. And x4 = 65 - x0 - x1 - x2 in [65 - 7 - 12 - 42, 65 - 1 - 8 - 38] = [4, 18] -> 13..17.
  const PublicationAudit a = audit_publication(t, nhs2018(), p);
  ASSERT_EQ(a.cells.size(), 5u);
  EXPECT_EQ(a.cells[0].cell, 0u);
  EXPECT_NEAR(a.cells[0].lower, 1, 1e-9);
  EXPECT_NEAR(a.cells[0].upper, 6, 1e-9);
  EXPECT_EQ(a.cells[0].rule_upper, 7);
  EXPECT_NEAR(a.cells[4].lower, 13, 1e-9);
  EXPECT_NEAR(a.cells[4].upper, 17, 1e-9);
  EXPECT_EQ(a.exact_suppressed, 0u);
  EXPECT_NEAR(a.narrowest_suppressed, 5, 1e-9);
}

TEST(Publication, TheAuditFindsASmallCountTheNationalTotalGivesAway) {
  // One provider has all of England's 3 cases: the exact national 3 and the published zeros
  // recompute the '*' (3 = 3 - 0 - 0). The 2018 rule alone does not prevent this.
  const Tabulation t = providers({3, 0, 0});
  const PublishedTable p = apply_publication_rule(t, nhs2018(), {t.num_cells() - 1});
  const PublicationAudit a = audit_publication(t, nhs2018(), p);
  ASSERT_EQ(a.cells.size(), 3u);
  EXPECT_TRUE(a.cells[0].exact);
  EXPECT_NEAR(a.cells[0].lower, 3, 1e-9);
  EXPECT_EQ(a.exact_suppressed, 1u);
  EXPECT_EQ(a.narrowest_suppressed, 0);
}

TEST(Publication, SecondarySuppressionLeavesNoSuppressedCellExact) {
  // The pre-2018 rule (1..5 and secondary suppression) on seeded random 2-D tables: every
  // attacker interval of a suppressed cell must have width > 0, and must contain the truth.
  Rng rng{2018};
  PublicationRule r;
  r.name = "nhs-pre-2018";
  r.suppress_min = 1;
  r.suppress_max = 5;
  r.secondary = SecondaryOptions{};
  for (int rep = 0; rep < 30; ++rep) {
    std::vector<Dimension> dims = {random_dimension(rng, "a", 4, false), random_dimension(rng, "b", 4, false)};
    const Tabulation t = count_table(dims, [&](const std::vector<std::size_t>&) { return double(rng.below(12)); });
    PublishedTable p;
    try {
      p = apply_publication_rule(t, r);
    } catch (const Error&) {
      continue;  // a small cell alone in a row of zeros cannot be protected: reported, fine
    }
    const PublicationAudit a = audit_publication(t, r, p);
    EXPECT_EQ(a.exact_suppressed, 0u) << "rep " << rep;
    for (const HiddenCell& h : a.cells) {
      ASSERT_LE(h.lower, t.cell(h.cell).value + 1e-6);
      ASSERT_GE(h.upper, t.cell(h.cell).value - 1e-6);
    }
  }
}

TEST(Publication, AeMonthThroughThe2018Rule) {
  const Tabulation t = ae_month("2019-03-01", "breaches");  // 4-hour breaches: 53 small counts
  std::vector<std::size_t> national;  // org_code = All: every national figure
  const std::size_t all = t.dimensions()[0].root();
  for (std::size_t i = 0; i < t.num_cells(); ++i)
    if (t.nodes(i)[0] == all) national.push_back(i);
  const PublishedTable p = apply_publication_rule(t, nhs2018(), national);
  std::size_t small = 0;
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    const double truth = t.cell(i).value;
    if (t.nodes(i)[0] == all) {
      ASSERT_EQ(p.value[i], truth) << "national figures are not altered: " << t.label(i);
      continue;
    }
    if (truth >= 1 && truth <= 7) {
      ++small;
      ASSERT_TRUE(std::isnan(p.value[i])) << t.label(i);
      continue;
    }
    // Every other figure, inner or total, is its own unrounded value rounded to the nearest 5.
    ASSERT_EQ(std::fmod(p.value[i], 5.0), 0.0) << t.label(i);
    ASSERT_LE(std::fabs(p.value[i] - truth), 2.0) << t.label(i);
    ASSERT_FALSE(p.value[i] >= 1 && p.value[i] <= 7) << t.label(i);
  }
  EXPECT_EQ(p.primary, small);
  EXPECT_GT(small, 0u);
  const PublicationAudit a = audit_publication(t, nhs2018(), p);
  EXPECT_EQ(a.cells.size(), p.primary + p.rounded);
  for (const HiddenCell& h : a.cells) {
    ASSERT_LE(h.lower, t.cell(h.cell).value + 1e-6) << t.label(h.cell);
    ASSERT_GE(h.upper, t.cell(h.cell).value - 1e-6) << t.label(h.cell);
    ASSERT_GE(h.lower, h.rule_lower - 1e-6);
    ASSERT_LE(h.upper, h.rule_upper + 1e-6);
  }
  // Auditing only the suppressed figures gives them the same intervals (the rounded ones still
  // enter as unknowns), with two LPs per '*' instead of per hidden figure.
  const PublicationAudit stars = audit_publication(t, nhs2018(), p, {}, false);
  ASSERT_EQ(stars.cells.size(), p.primary);
  std::size_t k = 0;
  for (const HiddenCell& h : a.cells) {
    if (h.kind != PublishedKind::kPrimary) continue;
    ASSERT_EQ(stars.cells[k].cell, h.cell);
    ASSERT_NEAR(stars.cells[k].lower, h.lower, 1e-6);
    ASSERT_NEAR(stars.cells[k].upper, h.upper, 1e-6);
    ++k;
  }
  EXPECT_EQ(stars.narrowest_suppressed, a.narrowest_suppressed);
  EXPECT_LT(stars.lp_solves, a.lp_solves / 5);
  std::printf("A&E breaches 2019-03 under the 2018 rule: %zu cells, %zu '*', %zu rounded; suppressed cells recomputable: %zu, "
              "narrowest interval of a '*': %g\n",
              t.num_cells(), p.primary, p.rounded, a.exact_suppressed, a.narrowest_suppressed);
}

TEST(Publication, CellKeyRuleUsesTheRecordKeys) {
  // One record in group A with record key 0.7; group B empty. In 20160511_szenario_5a.txt count 1
  // with cell key 0.7 becomes 3 (0.666749933 < 0.7 <= 0.9997505); the total (one record, key 0.7)
  // too; the empty cell stays 0. The p-table's largest |noise| is 5, so a published 3 stands for
  // 0..8 (never negative).
  const Tabulation t =
      count_table({Dimension::flat("g", {"A", "B"})}, [](const std::vector<std::size_t>& n) { return n[0] == 0 ? 1.0 : 0.0; });
  PublicationRule r;
  r.name = "ckm";
  r.rounding = PublicationRounding::kCellKey;
  r.ptable = read_perturbation_table(shared_data("tauargus/cellkey/Frequency/20160511_szenario_5a.txt"));
  const std::vector<double> keys = {0.7, 0.0, 0.7};  // A, B, Total (B has no record)
  const PublishedTable p = apply_publication_rule(t, r, {}, keys);
  EXPECT_EQ(p.value[0], 3);
  EXPECT_EQ(p.value[1], 0);
  EXPECT_EQ(p.value[2], 3);
  EXPECT_EQ(p.changed, 2u);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 3).lower, 0);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 3).upper, 8);
  EXPECT_NE(error_of([&] { apply_publication_rule(t, r, {}, {0.7}); }).find("one cell key per cell"), std::string::npos);
}

TEST(Publication, ControlledRoundingRuleIsAdditiveAndReadBack) {
  // Providers 3, 4, 7: England 14. Controlled rounding to 5 (controlled_rounding.md's hand example):
  // 5, 5, 5 | 15. A published 5 under controlled rounding stands for 1..9.
  const Tabulation t = providers({3, 4, 7});
  PublicationRule r;
  r.name = "controlled";
  r.rounding = PublicationRounding::kControlled;
  const PublishedTable p = apply_publication_rule(t, r);
  EXPECT_EQ(p.value, (std::vector<double>{5, 5, 5, 15}));
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 5).lower, 1);
  EXPECT_EQ(implied_interval(r, PublishedKind::kRounded, 5).upper, 9);
  const PublicationAudit a = audit_publication(t, r, p);
  for (const HiddenCell& h : a.cells) {
    EXPECT_LE(h.lower, t.cell(h.cell).value + 1e-9);
    EXPECT_GE(h.upper, t.cell(h.cell).value - 1e-9);
  }
  // Keeping England's 14 exact: no multiples of 5 add up to 14, so it is refused clearly.
  EXPECT_THROW(apply_publication_rule(t, r, {3}), Error);
  r.suppress_max = 7;
  EXPECT_NE(error_of([&] { apply_publication_rule(t, r); }).find("controlled rounding keeps the table additive"),
            std::string::npos);
}

TEST(Publication, PercentagesFromPublishedFigures) {
  // Published 10, *, 40 | England 52: 10 / 52 = 19.23...% -> 19.2; * -> NaN; 40 / 52 -> 76.9;
  // England itself 100.
  const Tabulation t = providers({10, 2, 40});
  const std::vector<double> pub = {10, std::nan(""), 40, 52};
  const auto pct = published_percentages(t, pub, "provider", 1);
  EXPECT_DOUBLE_EQ(pct[0], 19.2);
  EXPECT_TRUE(std::isnan(pct[1]));
  EXPECT_DOUBLE_EQ(pct[2], 76.9);
  EXPECT_DOUBLE_EQ(pct[3], 100);
  EXPECT_NE(error_of([&] { published_percentages(t, pub, "region"); }).find("not a dimension"), std::string::npos);
}

TEST(Publication, MediansWithheldOverSmallCounts) {
  // Group A: values 5, 1, 9, 3 (4 records: withheld under 1..7 unless exact); B: 2 (1 record);
  // C: 10 values 1..10 -> median (5 + 6) / 2 = 5.5. Total (15 records): 1,2,3,5,9 and 1..10 sorted
  // 1 1 2 2 3 3 4 5 5 6 7 8 9 9 10 -> 8th value 5.
  std::vector<std::string> g;
  std::vector<double> v;
  for (double x : {5, 1, 9, 3}) g.push_back("A"), v.push_back(x);
  g.push_back("B"), v.push_back(2);
  for (int x = 1; x <= 10; ++x) g.push_back("C"), v.push_back(x);
  Table records;
  records.add_column(categorical("g", g));
  records.add_column(Column::numeric("los", v));
  const Tabulation t = tabulate(records, {DimensionSpec("g")});
  const auto a = t.dimensions()[0].find("A");
  ASSERT_TRUE(a.has_value());
  const auto med = published_medians(t, records, "los", nhs2018());
  EXPECT_TRUE(std::isnan(med[t.index({*a})]));
  EXPECT_DOUBLE_EQ(med[t.index({*t.dimensions()[0].find("C")})], 5.5);
  EXPECT_DOUBLE_EQ(med[t.num_cells() - 1], 5);
  // A as an exact cell: (3 + 5) / 2 = 4.
  EXPECT_DOUBLE_EQ(published_medians(t, records, "los", nhs2018(), {t.index({*a})})[t.index({*a})], 4);
}

TEST(Publication, RandomRoundingRuleMovesToAdjacentMultiples) {
  // 12 -> 10 or 15; 3 -> '*'; 40 stays; England 55 -> 55. The same seed gives the same release,
  // and every published figure's implied interval holds the truth.
  const Tabulation t = providers({12, 3, 40});
  PublicationRule r = nhs2018();
  r.rounding = PublicationRounding::kRandom;
  r.seed = 99;
  const PublishedTable p = apply_publication_rule(t, r);
  EXPECT_TRUE(p.value[0] == 10 || p.value[0] == 15);
  EXPECT_TRUE(std::isnan(p.value[1]));
  EXPECT_EQ(p.value[2], 40);
  EXPECT_EQ(p.value[3], 55);
  EXPECT_EQ(apply_publication_rule(t, r).value[0], p.value[0]);
  for (std::size_t i : {0u, 2u, 3u}) {
    const ValueInterval x = implied_interval(r, PublishedKind::kRounded, p.value[i]);
    EXPECT_LE(x.lower, t.cell(i).value);
    EXPECT_GE(x.upper, t.cell(i).value);
  }
}

TEST(Publication, RefusesWhatItCannotDo) {
  const Tabulation t = providers({2, 10});
  PublicationRule r = nhs2018();
  r.totals = TotalsRule::kSumOfRounded;
  EXPECT_NE(error_of([&] { apply_publication_rule(t, r); }).find("cannot be combined with suppression"), std::string::npos);
  r = nhs2018();
  EXPECT_NE(error_of([&] { apply_publication_rule(t, r, {7}); }).find("out of range"), std::string::npos);
  const Tabulation frac = providers({2.5, 10});
  EXPECT_NE(error_of([&] { apply_publication_rule(frac, r); }).find("holds 2.5"), std::string::npos);
}

}  // namespace
}  // namespace sdcore::test
