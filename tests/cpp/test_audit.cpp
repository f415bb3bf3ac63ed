// The LP audit against independently derived answers: small tables worked by hand (each
// interval's derivation is in the comment next to it), a naive enumeration of every integer
// completion of random tiny 2-D and 3-D tables, and sdcTable's 4x4 "trap" table, whose exact
// cell the data's README states (../shared/data/sdctable/README.md). Every certificate the audit
// returns is re-checked by verify_certificate, which does plain arithmetic and no LP.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "audit_grid.hpp"
#include "sdcore/audit.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "test_support.hpp"

using namespace sdcore;
using namespace sdcore::test;

// 2x2 with margins, values [[3,4],[5,1]]: rows 7, 6; columns 8, 5; total 13.
TEST(Audit, OneSuppressedInnerCellIsExact) {
  Grid g = make_grid({{"r1", "r2"}, {"a", "b"}}, {3, 4, 5, 1});
  const std::size_t target = g.find("r1,a");
  g.problem.cells[target].suppressed = true;
  const AuditResult r = audit(g.problem);
  ASSERT_EQ(r.cells.size(), 1u);
  // By hand: (r1,a) = (r1,tot) - (r1,b) = 7 - 4 = 3, from either its row or its column.
  EXPECT_EQ(r.cells[0].lower, 3);
  EXPECT_EQ(r.cells[0].upper, 3);
  EXPECT_EQ(r.cells[0].verdict, AuditVerdict::kExact);
  EXPECT_FALSE(r.all_protected());
  expect_certificates_verify(g.problem, r);
  const AuditCertificate& cert = *r.cells[0].lower_certificate;
  ASSERT_EQ(cert.relations.size(), 1u);  // one relation suffices; the dual picks a vertex
  EXPECT_TRUE(cert.bounds.empty());
  EXPECT_EQ(cert.published_part, 3);
}

TEST(Audit, AllInnerCellsSuppressedIntervalsByHand) {
  Grid g = make_grid({{"r1", "r2"}, {"a", "b"}}, {3, 4, 5, 1});
  for (std::size_t c = 0; c < g.problem.cells.size(); ++c) g.problem.cells[c].suppressed = g.inner(c);
  g.problem.cells[g.find("r2,b")].upper_protection = 5;  // needs upper >= 6
  g.problem.cells[g.find("r1,b")].sliding_protection = 6;  // needs a width of 6
  g.problem.cells[g.find("r1,a")].lower_protection = 1;
  g.problem.cells[g.find("r1,a")].upper_protection = 1;
  const AuditResult r = audit(g.problem);
  expect_certificates_verify(g.problem, r);
  // By hand, t = (r1,a): (r1,b) = 7 - t, (r2,a) = 8 - t, (r2,b) = 6 - 8 + t = t - 2; all >= 0
  // gives t in [2, 7], so (r1,b) in [0, 5], (r2,a) in [1, 6], (r2,b) in [0, 5].
  const std::vector<std::tuple<std::string, double, double>> want = {
      {"r1,a", 2, 7}, {"r1,b", 0, 5}, {"r2,a", 1, 6}, {"r2,b", 0, 5}};
  for (const auto& [label, lo, hi] : want) {
    const AuditCellResult& c = result_for(r, g.find(label));
    EXPECT_NEAR(c.lower, lo, kTol) << label;
    EXPECT_NEAR(c.upper, hi, kTol) << label;
  }
  EXPECT_EQ(result_for(r, g.find("r1,a")).verdict, AuditVerdict::kProtected);
  EXPECT_EQ(result_for(r, g.find("r2,a")).verdict, AuditVerdict::kProtected);
  const AuditCellResult& r2b = result_for(r, g.find("r2,b"));  // 5 < 1 + 5
  EXPECT_EQ(r2b.verdict, AuditVerdict::kUnderProtected);
  EXPECT_TRUE(r2b.upper_failed && !r2b.lower_failed && !r2b.sliding_failed);
  const AuditCellResult& r1b = result_for(r, g.find("r1,b"));  // width 5 < 6
  EXPECT_EQ(r1b.verdict, AuditVerdict::kUnderProtected);
  EXPECT_TRUE(r1b.sliding_failed && !r1b.upper_failed && !r1b.lower_failed);
}

// A suppressed cell in no relation: the attacker knows only its a-priori bounds [0, inf).
TEST(Audit, TargetsLimitWhichIntervalsAreComputed) {
  // All four inner cells suppressed; only (r2,b) is a target. Its interval is that of the full
  // audit (the others still enter as unknowns); the others get none.
  Grid g = make_grid({{"r1", "r2"}, {"a", "b"}}, {3, 4, 5, 1});
  for (const char* c : {"r1,a", "r1,b", "r2,a", "r2,b"}) g.problem.cells[g.find(c)].suppressed = true;
  const AuditResult all = audit(g.problem);
  AuditOptions o;
  o.targets = {g.find("r2,b")};
  const AuditResult one = audit(g.problem, o);
  ASSERT_EQ(one.cells.size(), 1u);
  EXPECT_EQ(one.cells[0].cell, g.find("r2,b"));
  for (const AuditCellResult& r : all.cells) {
    if (r.cell != g.find("r2,b")) continue;
    EXPECT_EQ(one.cells[0].lower, r.lower);
    EXPECT_EQ(one.cells[0].upper, r.upper);
  }
  o.targets = {g.find("r1,tot")};  // published: not a target
  EXPECT_NE(error_of([&] { audit(g.problem, o); }).find("not a suppressed cell"), std::string::npos);
  o.targets = {g.find("r2,b")};
  o.insiders = true;
  EXPECT_NE(error_of([&] { audit(g.problem, o); }).find("cannot be combined"), std::string::npos);
}

TEST(Audit, CellInNoRelationKeepsItsBounds) {
  AuditProblem p;
  p.cells.resize(1);
  p.cells[0].value = 4;
  p.cells[0].suppressed = true;
  const AuditResult r = audit(p);
  ASSERT_EQ(r.cells.size(), 1u);
  EXPECT_EQ(r.cells[0].lower, 0);
  EXPECT_TRUE(std::isinf(r.cells[0].upper));
  EXPECT_EQ(r.cells[0].verdict, AuditVerdict::kProtected);
  expect_certificates_verify(p, r);
  ASSERT_EQ(r.cells[0].lower_certificate->bounds.size(), 1u);  // its own lower bound
  EXPECT_TRUE(audit(AuditProblem{}).cells.empty());
}

// Naive reference: every integer completion of the suppressed inner cells in [0, kCap],
// totals recomputed and required to match the published ones.
constexpr int kCap = 4;
void check_against_enumeration(std::uint32_t seed, std::vector<std::size_t> sizes, bool totally_unimodular) {
  std::mt19937 rng(seed);
  std::vector<std::vector<std::string>> names;
  std::size_t inner_count = 1;
  for (std::size_t n : sizes) {
    names.emplace_back();
    for (std::size_t i = 0; i < n; ++i) names.back().push_back(std::string(1, static_cast<char>('a' + i)));
    inner_count *= n;
  }
  std::vector<double> inner(inner_count);
  for (double& x : inner) x = static_cast<double>(rng() % 4);  // 0..3, within [0, kCap]
  Grid g = make_grid(names, inner);
  std::vector<std::size_t> free_cells;
  for (std::size_t c = 0; c < g.problem.cells.size(); ++c) {
    AuditCell& cell = g.problem.cells[c];
    cell.suppressed = rng() % 5 < 2;
    if (!g.inner(c)) continue;
    cell.upper_bound = kCap;
    if (cell.suppressed && free_cells.size() < 6) free_cells.push_back(c);
    else cell.suppressed = false;  // at most 6 unknowns: 5^6 completions
  }
  std::vector<double> lo(g.problem.cells.size(), 1e9), hi(g.problem.cells.size(), -1e9);
  std::vector<double> v(g.problem.cells.size());
  for (std::size_t c = 0; c < v.size(); ++c) v[c] = g.problem.cells[c].value;
  std::function<void(std::size_t)> walk = [&](std::size_t k) {
    if (k == free_cells.size()) {
      std::vector<double> t = v;
      g.fill_totals(t);
      for (std::size_t c = 0; c < t.size(); ++c) {
        if (!g.problem.cells[c].suppressed && t[c] != g.problem.cells[c].value) return;
      }
      for (std::size_t c = 0; c < t.size(); ++c) lo[c] = std::min(lo[c], t[c]), hi[c] = std::max(hi[c], t[c]);
      return;
    }
    for (int x = 0; x <= kCap; ++x) v[free_cells[k]] = x, walk(k + 1);
  };
  walk(0);
  const AuditResult r = audit(g.problem);
  expect_certificates_verify(g.problem, r);
  for (const AuditCellResult& c : r.cells) {
    const std::string where = "seed " + std::to_string(seed) + " cell " + g.problem.cells[c.cell].label;
    if (totally_unimodular) {
      EXPECT_NEAR(c.lower, lo[c.cell], kTol) << where;
      EXPECT_NEAR(c.upper, hi[c.cell], kTol) << where;
    } else {
      EXPECT_LE(c.lower, lo[c.cell] + kTol) << where;
      EXPECT_GE(c.upper, hi[c.cell] - kTol) << where;
    }
  }
}

// 2-D tables with margins have a totally unimodular constraint matrix (each cell is in one row
// and one column relation; flipping the sign of the two total relations makes it a bipartite
// incidence matrix), so the LP's vertices are integral and its interval is the integer one.
TEST(Audit, MatchesEnumerationOnTiny2DTables) {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    check_against_enumeration(seed, seed % 2 ? std::vector<std::size_t>{2, 3} : std::vector<std::size_t>{3, 3}, true);
  }
}

// In 3-D the LP may be fractional: its interval must contain the integer one.
TEST(Audit, ContainsEnumerationOnTiny3DTables) {
  for (std::uint32_t seed = 100; seed < 115; ++seed) check_against_enumeration(seed, {2, 2, 2}, false);
}

// sdcTable's trap table. README: status "u" marks the 9 primary cells, and the question is the
// audit of that pattern; every row and column holds >= 2 of them, yet (w,b) = 47 follows from
// rows w + x and columns a + c (236 - 189). Protection: sdcTable's default lpl = upl = 1.
Grid trap_grid() {
  Grid g = make_grid({{"w", "x", "y", "z"}, {"a", "b", "c", "d"}}, std::vector<double>(16, 0));
  const Table t = read_csv(test::shared_data("sdctable/trap_4x4_problemdata.csv"));
  const auto v1 = test::texts(t, "v1"), v2 = test::texts(t, "v2"), freq = test::texts(t, "freq");
  const auto status = test::texts(t, "status");
  EXPECT_EQ(v1.size(), 25u);
  for (std::size_t i = 0; i < v1.size(); ++i) {
    AuditCell& c = g.problem.cells[g.find(v1[i] + "," + v2[i])];
    c.value = std::stod(freq[i]);
    c.suppressed = status[i] == "u";
    c.upper_protection = c.lower_protection = c.suppressed ? 1 : 0;
  }
  return g;
}

std::set<std::string> relation_labels(const AuditProblem& p, const AuditCertificate& c) {
  std::set<std::string> out;
  for (const AuditMultiplier& m : c.relations) out.insert(p.relations[m.relation].label);
  return out;
}

TEST(Audit, TrapTableHasExactlyOneExactCell) {
  const Grid g = trap_grid();
  const AuditResult r = audit(g.problem);
  ASSERT_EQ(r.cells.size(), 9u);
  expect_certificates_verify(g.problem, r);
  const std::size_t wb = g.find("w,b");
  for (const AuditCellResult& c : r.cells) {
    EXPECT_EQ(c.verdict, c.cell == wb ? AuditVerdict::kExact : AuditVerdict::kProtected)
        << g.problem.cells[c.cell].label;
  }
  EXPECT_EQ(result_for(r, wb).lower, 47);
  EXPECT_EQ(result_for(r, wb).upper, 47);
  // By hand, with (w,b) = 47: (w,a) + (w,c) = 94, (w,a) + (x,a) = 120, (x,a) + (x,c) = 95, so
  // (x,c) = (w,a) - 25 >= 0 and (w,c) = 94 - (w,a) >= 0: (w,a) in [25, 94]. (y,b) + (y,d) = 185
  // with (z,b), (z,d) then fixed and non-negative: (y,b) in [0, 185].
  EXPECT_NEAR(result_for(r, g.find("w,a")).lower, 25, kTol);
  EXPECT_NEAR(result_for(r, g.find("w,a")).upper, 94, kTol);
  EXPECT_NEAR(result_for(r, g.find("y,b")).lower, 0, kTol);
  EXPECT_NEAR(result_for(r, g.find("y,b")).upper, 185, kTol);
  // Why: rows w + x minus columns a + c leaves (w,b) alone. The sum of all rows minus all
  // columns involves totals only, so rows y + z minus columns b + d is the same proof.
  const std::set<std::set<std::string>> proofs = {{"row w", "row x", "column a", "column c"},
                                                  {"row y", "row z", "column b", "column d"}};
  for (const auto* cert : {&result_for(r, wb).lower_certificate, &result_for(r, wb).upper_certificate}) {
    EXPECT_EQ(proofs.count(relation_labels(g.problem, **cert)), 1u) << describe_certificate(g.problem, **cert);
    EXPECT_TRUE((*cert)->bounds.empty());  // no a-priori bound needed: an identity
    EXPECT_EQ((*cert)->published_part, 47);
  }
}

TEST(Audit, CorruptedCertificatesFail) {
  const Grid g = trap_grid();
  const AuditCertificate good = *result_for(audit(g.problem), g.find("w,b")).lower_certificate;
  ASSERT_TRUE(verify_certificate(g.problem, good).valid);
  const std::vector<std::function<void(AuditCertificate&)>> corruptions = {
      [](AuditCertificate& c) { c.bound = 48; },  // more than the combination proves (47)
      [](AuditCertificate& c) { c.relations.pop_back(); },  // leaves cells with bound +inf
      [](AuditCertificate& c) { c.relations[0].multiplier *= 1.5; },
      [](AuditCertificate& c) { c.published_part = 46; },
      [](AuditCertificate& c) { c.relations[0].relation = 999; }};
  for (const auto& corrupt : corruptions) {
    AuditCertificate c = good;
    corrupt(c);
    const CertificateCheck check = verify_certificate(g.problem, c);
    EXPECT_FALSE(check.valid) << describe_certificate(g.problem, c);
    EXPECT_FALSE(check.reason.empty());
  }
  AuditCertificate c = good;
  c.bound = 48;
  EXPECT_EQ(verify_certificate(g.problem, c).implied_bound, 47);
}

// Certificates written by hand for the 2x2 of the first test, (r1,a) = 3 suppressed.
TEST(Audit, HandWrittenCertificates) {
  Grid g = make_grid({{"r1", "r2"}, {"a", "b"}}, {3, 4, 5, 1});
  const std::size_t target = g.find("r1,a");
  g.problem.cells[target].suppressed = true;
  std::size_t row_r1 = 0;
  while (g.problem.relations[row_r1].label != "row r1") ++row_r1;
  // (r1,a) = (r1,a) - 1 * [-(r1,tot) + (r1,a) + (r1,b)] = 7 - 4: published part 3, no bounds.
  AuditCertificate c{target, AuditSense::kUpper, 3, {}, {{row_r1, 1}}, {}, 3};
  const CertificateCheck ok = verify_certificate(g.problem, c);
  EXPECT_TRUE(ok.valid) << ok.reason;
  EXPECT_EQ(ok.implied_bound, 3);
  EXPECT_NE(describe_certificate(g.problem, c).find("r1,a <= 3 from +1 [row r1]"), std::string::npos);
  // With no relation, only the cell's own lower bound 0 is known: (r1,a) >= 0 holds, >= 1 not.
  AuditCertificate weak{target, AuditSense::kLower, 0, {}, {}, {{target, 1, false, 0}}, 0};
  EXPECT_TRUE(verify_certificate(g.problem, weak).valid);
  weak.bound = 1;
  EXPECT_FALSE(verify_certificate(g.problem, weak).valid);
  weak.bound = 0;
  weak.bounds.clear();  // the combination uses the bound; the certificate must list it
  EXPECT_FALSE(verify_certificate(g.problem, weak).valid);
}

TEST(Audit, BadInputIsRejected) {
  const Grid g = make_grid({{"r1", "r2"}, {"a", "b"}}, {3, 4, 5, 1});
  const std::vector<std::pair<std::function<void(AuditProblem&)>, std::string>> cases = {
      {[](AuditProblem& p) { p.relations[0].terms.push_back({99, 1}); },
       "names cell 99, but the problem has 9 cells"},
      // (r1,tot) 7 -> 8: row r1 gives -8 + 3 + 4 = -1, column tot -13 + 8 + 6 = 1.
      {[](AuditProblem& p) { p.cells[2].value = 8; },
       "2 relations do not hold for the cells' values (sum of coefficient * value, instead of 0): "
       "'column tot' (index 2) = 1, 'row r1' (index 3) = -1"},
      {[](AuditProblem& p) { p.cells[2].value = 8, p.relations = {p.relations[3]}; },
       "relation 'row r1' (index 0) does not hold for the cells' values: sum of coefficient * value = -1"},
      {[](AuditProblem& p) { p.cells[0].lower_bound = 5, p.cells[0].upper_bound = 4; },
       "cell 'r1,a' (index 0): lower bound 5 exceeds upper bound 4"},
      {[](AuditProblem& p) { p.cells[0].upper_bound = 2; }, "value 3 is outside its bounds [0, 2]"},
      {[](AuditProblem& p) { p.cells[0].lower_protection = -1; },
       "lower_protection must be finite and >= 0, got -1"},
      {[](AuditProblem& p) { p.cells[0].contributions = {{1, 2}, {2, 2}}; },
       "contributions add up to 4, more than the value 3"},
      {[](AuditProblem& p) { p.relations[0].terms.push_back(p.relations[0].terms[1]); }, "twice"}};
  for (const auto& [mutate, message] : cases) {
    AuditProblem p = g.problem;
    mutate(p);
    try {
      audit(p);
      ADD_FAILURE() << "no error, expected: " << message;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
  AuditOptions opt;
  opt.tolerance = 0;
  EXPECT_THROW(audit(g.problem, opt), InvalidArgument);
}

// Threads (docs/methods/audit.md, "Threads"): the targets are cut into fixed blocks of 256, each
// solved from a fresh model in the same order on whichever thread, so 1, 2 and 4 threads must give
// the same result bit for bit: intervals, verdicts, flags and every multiplier of every
// certificate. The tables are large enough for several blocks, and 2-D tables with many
// suppressed cells have many optimal duals, so a different warm start would show.
namespace {

// A random table with margins: `dims` extents, inner values 1..20, each inner cell suppressed with
// probability percent/100; with `contributors`, each suppressed cell gets 80% and half the rest
// from two of holders 1..contributors and is protected by 30% of its value either way.
Grid random_grid(std::uint64_t seed, const std::vector<std::size_t>& dims, unsigned percent,
                 std::uint64_t contributors = 0) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<std::string>> names(dims.size());
  std::size_t inner = 1;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    for (std::size_t i = 0; i < dims[d]; ++i) names[d].push_back("d" + std::to_string(d) + "." + std::to_string(i));
    inner *= dims[d];
  }
  std::vector<double> v(inner);
  for (double& x : v) x = static_cast<double>(1 + rng() % 20);
  Grid g = make_grid(names, v);
  for (std::size_t c = 0; c < g.problem.cells.size(); ++c) {
    AuditCell& cell = g.problem.cells[c];
    if (!g.inner(c) || rng() % 100 >= percent) continue;
    cell.suppressed = true;
    if (contributors == 0) continue;
    cell.upper_protection = cell.lower_protection = 0.3 * cell.value;
    const double first = std::floor(cell.value * 0.8), second = std::floor((cell.value - first) / 2);
    cell.contributions = {{static_cast<std::int64_t>(1 + rng() % contributors), first},
                          {static_cast<std::int64_t>(1 + rng() % contributors), second}};
  }
  return g;
}

void expect_same_certificate(const std::optional<AuditCertificate>& a, const std::optional<AuditCertificate>& b,
                             const std::string& where) {
  ASSERT_EQ(a.has_value(), b.has_value()) << where;
  if (!a) return;
  EXPECT_EQ(a->cell, b->cell) << where;
  EXPECT_EQ(a->sense, b->sense) << where;
  EXPECT_EQ(a->bound, b->bound) << where;
  EXPECT_EQ(a->insiders, b->insiders) << where;
  EXPECT_EQ(a->published_part, b->published_part) << where;
  ASSERT_EQ(a->relations.size(), b->relations.size()) << where;
  for (std::size_t i = 0; i < a->relations.size(); ++i) {
    EXPECT_EQ(a->relations[i].relation, b->relations[i].relation) << where;
    EXPECT_EQ(a->relations[i].multiplier, b->relations[i].multiplier) << where;
  }
  ASSERT_EQ(a->bounds.size(), b->bounds.size()) << where;
  for (std::size_t i = 0; i < a->bounds.size(); ++i) {
    EXPECT_EQ(a->bounds[i].cell, b->bounds[i].cell) << where;
    EXPECT_EQ(a->bounds[i].coefficient, b->bounds[i].coefficient) << where;
    EXPECT_EQ(a->bounds[i].upper, b->bounds[i].upper) << where;
    EXPECT_EQ(a->bounds[i].bound, b->bounds[i].bound) << where;
  }
}

void expect_same_cells(const std::vector<AuditCellResult>& a, const std::vector<AuditCellResult>& b,
                       const std::string& where) {
  ASSERT_EQ(a.size(), b.size()) << where;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = where + " entry " + std::to_string(i);
    EXPECT_EQ(a[i].cell, b[i].cell) << at;
    EXPECT_EQ(a[i].insiders, b[i].insiders) << at;
    EXPECT_EQ(a[i].lower, b[i].lower) << at;  // exact equality: bit for bit, infinities included
    EXPECT_EQ(a[i].upper, b[i].upper) << at;
    EXPECT_EQ(a[i].verdict, b[i].verdict) << at;
    EXPECT_EQ(a[i].upper_failed, b[i].upper_failed) << at;
    EXPECT_EQ(a[i].lower_failed, b[i].lower_failed) << at;
    EXPECT_EQ(a[i].sliding_failed, b[i].sliding_failed) << at;
    expect_same_certificate(a[i].lower_certificate, b[i].lower_certificate, at + " lower");
    expect_same_certificate(a[i].upper_certificate, b[i].upper_certificate, at + " upper");
  }
}

void expect_same_for_threads(const AuditProblem& p, AuditOptions o, const std::string& where) {
  o.threads = 1;
  const AuditResult one = audit(p, o);
  expect_certificates_verify(p, one);
#if defined(__SANITIZE_ADDRESS__)
  const std::size_t counts[] = {2};  // the memory checks see the threaded path on two already
#else
  const std::size_t counts[] = {2, 4};
#endif
  for (const std::size_t threads : counts) {
    o.threads = threads;
    const AuditResult r = audit(p, o);
    const std::string at = where + ", " + std::to_string(threads) + " threads";
    expect_same_cells(one.cells, r.cells, at);
    expect_same_cells(one.insider_failures, r.insider_failures, at + " insiders");
    EXPECT_EQ(one.insider_scenarios, r.insider_scenarios) << at;
    EXPECT_EQ(one.insider_scenarios_skipped, r.insider_scenarios_skipped) << at;
    EXPECT_EQ(one.lp_solves, r.lp_solves) << at;
  }
  if (one.cells.size() <= 256 || o.insiders) return;  // one block needs no thread; insiders run on one
  test::NoThreadsToBeHad none;  // not one worker to be had: the blocks are solved here, in order
  o.threads = 2;
  const AuditResult here = audit(p, o);
  EXPECT_GT(none.refused(), 0) << where;
  expect_same_cells(one.cells, here.cells, where + ", no threads");
  EXPECT_EQ(one.lp_solves, here.lp_solves) << where;
}

}  // namespace

TEST(AuditThreads, SameResultOnOneTwoAndFourThreads) {
  // Sizes: one block (8x8), two to four blocks in 2-D (30x30 at 40%, 45x45 at 35%), two in 3-D.
  const std::vector<std::tuple<std::uint64_t, std::vector<std::size_t>, unsigned>> tables = {
      {1, {8, 8}, 30}, {2, {30, 30}, 40}, {3, {45, 45}, 35}, {4, {9, 9, 9}, 45}};
  for (const auto& [seed, dims, percent] : tables) {
    const Grid g = random_grid(seed, dims, percent);
    expect_same_for_threads(g.problem, {}, "grid seed " + std::to_string(seed));
  }
}

TEST(AuditThreads, SameResultWithTargetsAndInsiders) {
  const Grid g = random_grid(5, {30, 30}, 50, 40);
  AuditOptions o;
  for (std::size_t c = 0; c < g.problem.cells.size(); ++c) {
    if (g.problem.cells[c].suppressed && c % 3 != 0) o.targets.push_back(c);
  }
  ASSERT_GT(o.targets.size(), 256u);  // several blocks
  expect_same_for_threads(g.problem, o, "targets");
  // Sparser suppression and a few big contributors, so that insiders do break some cells.
  const Grid h = random_grid(7, {40, 40}, 18, 8);
  o.targets.clear();
  o.insiders = true;
  o.max_insider_scenarios = 10;
  const AuditResult r = audit(h.problem, o);
  ASSERT_GT(r.cells.size(), 256u);
  ASSERT_FALSE(r.insider_failures.empty());  // the comparison covers insider certificates too
  expect_same_for_threads(h.problem, o, "insiders");
}

TEST(AuditThreads, ProgressOnTheCallingThreadInOrder) {
  const Grid g = random_grid(6, {30, 30}, 40);
  AuditOptions o;
  o.threads = 2;
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::uint64_t> done;
  std::uint64_t last_total = 0;
  bool elsewhere = false;
  o.progress = [&](std::uint64_t d, std::uint64_t total) {
    elsewhere |= std::this_thread::get_id() != caller;
    done.push_back(d);
    last_total = total;
  };
  const AuditResult r = audit(g.problem, o);
  EXPECT_FALSE(elsewhere);
  ASSERT_FALSE(done.empty());
  // Strictly increasing (counts are reported when they change), ending at one unit per target.
  EXPECT_TRUE(std::adjacent_find(done.begin(), done.end(), std::greater_equal<>()) == done.end());
  EXPECT_EQ(done.back(), r.cells.size());
  EXPECT_EQ(last_total, r.cells.size());
}

TEST(AuditTimeLimit, ReachedMeansNoResult) {
  // An audit cut short proves nothing: reaching the limit throws, on any number of threads, and
  // a limit not reached changes nothing.
  const Grid g = random_grid(6, {30, 30}, 40);
  AuditOptions o;
  const AuditResult full = audit(g.problem, o);
  ASSERT_GT(full.cells.size(), 256u);  // several blocks, so two threads share the work
  for (const std::size_t threads : {1u, 2u}) {
    o.threads = threads;
    o.time_limit = 1e-9;  // gone before the first target
    try {
      audit(g.problem, o);
      ADD_FAILURE() << "no TimeLimitReached on " << threads << " threads";
    } catch (const TimeLimitReached& e) {
      EXPECT_NE(std::string(e.what()).find("before the audit of " + std::to_string(full.cells.size()) +
                                           " suppressed cells was complete"), std::string::npos) << e.what();
    }
  }
  o.time_limit = 1e6;  // not reached: the result of no limit
  const AuditResult r = audit(g.problem, o);
  expect_same_cells(full.cells, r.cells, "1e6 s on 2 threads");
  // The limit is checked in the insider audit too: the progress callback holds the calling thread
  // past it as soon as the outsider audit is done.
  const Grid h = random_grid(7, {16, 16}, 18, 8);
  AuditOptions in;
  in.insiders = true;
  in.max_insider_scenarios = 10;
  in.threads = 1;
  const auto start = std::chrono::steady_clock::now();
  const AuditResult plain = audit(h.problem, in);
  ASSERT_GT(plain.insider_scenarios, 0u);
  const std::size_t outsiders = plain.cells.size();
  // Ample for the outsider audit (however slow the build, e.g. under sanitizers), then held past.
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  in.time_limit = 1.5 * took + 0.1;
  in.progress = [&](std::uint64_t done, std::uint64_t) {
    if (done == outsiders) std::this_thread::sleep_for(std::chrono::duration<double>(in.time_limit + 0.05));
  };
  try {
    audit(h.problem, in);
    ADD_FAILURE() << "no TimeLimitReached in the insider audit";
  } catch (const TimeLimitReached& e) {
    EXPECT_NE(std::string(e.what()).find("insider scenarios"), std::string::npos) << e.what();
  }
  for (const double bad : {-1.0, std::numeric_limits<double>::infinity(), std::nan("")}) {
    o.time_limit = bad;
    EXPECT_THROW(audit(g.problem, o), InvalidArgument) << bad;
  }
}
