// The insider audit on a table worked by hand: a contributor, or a coalition of two, who knows
// its own contributions in one suppressed cell narrows another cell that is safe from outsiders.

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "audit_grid.hpp"
#include "sdcore/audit.hpp"

using namespace sdcore;
using namespace sdcore::test;

namespace {

// 2x2, every inner cell 10 and suppressed; margins 20 published. By hand, t = (r1,a):
// (r1,b) = 20 - t, (r2,a) = 20 - t, (r2,b) = t, so an outsider has t in [0, 20].
Grid insider_grid(double lower_protection, std::vector<AuditContribution> r2b) {
  Grid g = make_grid({{"r1", "r2"}, {"a", "b"}}, {10, 10, 10, 10});
  for (std::size_t c = 0; c < g.problem.cells.size(); ++c) g.problem.cells[c].suppressed = g.inner(c);
  AuditCell& target = g.problem.cells[g.find("r1,a")];
  target.lower_protection = target.upper_protection = lower_protection;
  target.contributions = {{1, 7}, {2, 3}};
  g.problem.cells[g.find("r2,b")].contributions = std::move(r2b);
  return g;
}

}  // namespace

TEST(AuditInsider, InsiderNarrowsTargetThroughItsOwnContribution) {
  // Holder 3 puts 8 into (r2,b) = (r1,a), so it knows (r1,a) >= 8 > 10 - 5. Holder 4 (2) gets
  // (r1,a) >= 2, fine; holders 1 and 2 contribute to the target itself, which its protection
  // levels allow for; pairs with holder 3 are not listed again, and {3,4} owns (r2,b) outright.
  const Grid g = insider_grid(5, {{3, 8}, {4, 2}});
  AuditOptions opt;
  opt.insiders = true;
  std::vector<std::uint64_t> seen;
  opt.progress = [&seen](std::uint64_t done, std::uint64_t total) { seen.push_back(done * 100 + total); };
  const AuditResult r = audit(g.problem, opt);
  expect_certificates_verify(g.problem, r);
  EXPECT_EQ(result_for(r, g.find("r1,a")).verdict, AuditVerdict::kProtected);  // [0, 20]
  EXPECT_EQ(r.insider_scenarios, 4u + 6u);  // holders 1..4 and their 6 pairs
  EXPECT_EQ(seen.back(), 14u * 100 + 14u);  // 4 suppressed cells + 10 scenarios
  ASSERT_EQ(r.insider_failures.size(), 1u);
  const AuditCellResult& f = r.insider_failures[0];
  EXPECT_EQ(f.insiders, std::vector<std::int64_t>{3});
  EXPECT_EQ(f.cell, g.find("r1,a"));
  EXPECT_EQ(f.lower, 8);
  EXPECT_EQ(f.upper, 20);
  EXPECT_EQ(f.verdict, AuditVerdict::kUnderProtected);
  EXPECT_TRUE(f.lower_failed && !f.upper_failed);
  const AuditCertificate& cert = *f.lower_certificate;  // uses (r2,b) >= 8
  ASSERT_EQ(cert.bounds.size(), 1u);
  EXPECT_EQ(cert.bounds[0].cell, g.find("r2,b"));
  EXPECT_EQ(cert.bounds[0].bound, 8);
  AuditCertificate outsider = cert;  // the same proof without holder 3's knowledge fails
  outsider.insiders.clear();
  EXPECT_FALSE(verify_certificate(g.problem, outsider).valid);
  EXPECT_FALSE(r.all_protected());
}

TEST(AuditInsider, CoalitionOfTwoNarrowsWhatNeitherCanAlone) {
  // Holders 3 and 4 put 4 and 6 into (r2,b) = (r1,a); lower protection 3 needs lower <= 7:
  // alone they reach 4 and 6, together 10.
  const Grid g = insider_grid(3, {{3, 4}, {4, 6}});
  AuditOptions opt;
  opt.insiders = true;
  const AuditResult r = audit(g.problem, opt);
  expect_certificates_verify(g.problem, r);
  ASSERT_EQ(r.insider_failures.size(), 1u);
  EXPECT_EQ(r.insider_failures[0].insiders, (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(r.insider_failures[0].lower, 10);
  opt.insider_pairs = false;
  EXPECT_TRUE(audit(g.problem, opt).all_protected());
  opt.insider_pairs = true;
  opt.max_insider_scenarios = 4;  // the four single holders only
  const AuditResult capped = audit(g.problem, opt);
  EXPECT_TRUE(capped.insider_failures.empty());
  EXPECT_EQ(capped.insider_scenarios_skipped, 6u);
  EXPECT_FALSE(capped.all_protected());
}

