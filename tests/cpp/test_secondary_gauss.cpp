// Secondary suppression by Gaussian elimination (SecondaryMethod::kGauss, src/secondary_gauss.cpp):
// hand-worked 2x2 tables, a naive dense re-run of the same greedy on random 2-D and 3-D tables,
// and sdcTable's 4x4 "trap" table judged by the LP audit (audit.hpp). The method is called
// through its private entry (src/detail/secondary_internal.hpp) with the input built here.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "audit_grid.hpp"
#include "detail/secondary_internal.hpp"
#include "sdcore/audit.hpp"
#include "sdcore/io/csv.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

using test::Grid;
using test::make_grid;

using test::Rng;

struct GaussRun {
  std::vector<char> suppressed;
  SecondaryResult result;
  std::vector<std::uint64_t> progress_done;
};

// kGauss as secondary_suppression calls it: `suppressed` holds the primary cells on entry.
GaussRun run_gauss(const AuditProblem& p, std::vector<double> cost, std::vector<char> candidate) {
  GaussRun run;
  SecondaryOptions o;
  o.method = SecondaryMethod::kGauss;
  o.progress = [&run](std::uint64_t done, std::uint64_t) { run.progress_done.push_back(done); };
  const detail::SecondaryInput in{p, o, std::move(cost), std::move(candidate)};
  for (const AuditCell& c : p.cells) run.suppressed.push_back(c.suppressed ? 1 : 0);
  detail::gauss_suppression(in, run.suppressed, run.result);
  return run;
}

std::vector<char> non_primary(const AuditProblem& p) {
  std::vector<char> c;
  for (const AuditCell& cell : p.cells) c.push_back(cell.suppressed ? 0 : 1);
  return c;
}

std::vector<std::string> secondary_labels(const AuditProblem& p, const std::vector<char>& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] && !p.cells[i].suppressed) out.push_back(p.cells[i].label);
  }
  return out;
}

// Cells: r1,a=3 r1,b=4 r1,tot=7 r2,a=5 r2,b=1 r2,tot=6 tot,a=8 tot,b=5 tot,tot=13.
Grid table_2x2() {
  Grid g = make_grid({{"r1", "r2"}, {"a", "b"}}, {3, 4, 5, 1});
  g.problem.cells[g.find("r1,a")].suppressed = true;
  return g;
}

// By hand: with the totals published first (cost 100), the four inner cells suppressed leave
// (r1,a) free (it can move by +x with (r1,b), (r2,a) -x and (r2,b) +x). Then each inner cell in
// index order: publishing (r1,b) gives (r1,a) from row r1, (r2,a) from column a, and (r2,b)
// gives (r2,a) from row r2, then (r1,a) from column a. So all three become secondary.
TEST(SecondaryGauss, TwoByTwoSuppressesTheOtherInnerCells) {
  const Grid g = table_2x2();
  std::vector<double> cost(g.problem.cells.size(), 100.0);
  for (std::size_t c = 0; c < cost.size(); ++c) cost[c] = g.inner(c) ? 1.0 : 100.0;
  const GaussRun run = run_gauss(g.problem, cost, non_primary(g.problem));
  EXPECT_EQ(secondary_labels(g.problem, run.suppressed), (std::vector<std::string>{"r1,b", "r2,a", "r2,b"}));
  EXPECT_EQ(run.result.iterations, 8u);  // the 8 non-primary cells are the candidates
  ASSERT_FALSE(run.progress_done.empty());
  EXPECT_EQ(run.progress_done.back(), 8u);
}

// By hand, on the graph whose nodes are the relations (rows r1, r2, tot; columns a, b, tot) and
// whose edges are the cells (cell (i,j) joins row i and column j): a suppressed cell is
// recomputable iff it is a bridge of the suppressed cells' graph (the relations' row space is
// its cut space). (r2,b) is forced out; cost = value, ties in index order: (tot,tot) 13 and
// (tot,a) 8 are published ((r1,a) stays on the cycle r1-a-r2-tot), (r1,tot) 7 and (r2,tot) 6 are
// kept (without either, (r1,a) is a bridge), (r2,a) 5 too; (tot,b) 5 and (r1,b) 4 are published,
// leaving the cycle (r1,a) (r2,a) (r2,tot) (r1,tot).
TEST(SecondaryGauss, ForcedCellIsPublishedAndWorkedAround) {
  const Grid g = table_2x2();
  std::vector<double> cost;
  for (const AuditCell& c : g.problem.cells) cost.push_back(c.value);
  std::vector<char> candidate = non_primary(g.problem);
  candidate[g.find("r2,b")] = 0;
  const GaussRun run = run_gauss(g.problem, cost, candidate);
  EXPECT_EQ(secondary_labels(g.problem, run.suppressed), (std::vector<std::string>{"r1,tot", "r2,a", "r2,tot"}));
  EXPECT_EQ(run.result.iterations, 7u);
}

// --- The naive reference: the same greedy with dense ranks --------------------------------------

// Rank of a dense row-major matrix with `cols` columns, by Gaussian elimination with partial
// pivoting; entries here are small multiples of the relations' coefficients.
std::size_t dense_rank(std::vector<double> a, std::size_t cols) {
  const std::size_t rows = a.size() / cols;
  std::size_t rank = 0;
  for (std::size_t c = 0; c < cols && rank < rows; ++c) {
    std::size_t best = rank;
    for (std::size_t r = rank; r < rows; ++r) {
      if (std::abs(a[r * cols + c]) > std::abs(a[best * cols + c])) best = r;
    }
    if (std::abs(a[best * cols + c]) < 1e-9) continue;
    for (std::size_t k = 0; k < cols; ++k) std::swap(a[rank * cols + k], a[best * cols + k]);
    for (std::size_t r = rank + 1; r < rows; ++r) {
      const double f = a[r * cols + c] / a[rank * cols + c];
      for (std::size_t k = c; k < cols; ++k) a[r * cols + k] -= f * a[rank * cols + k];
    }
    ++rank;
  }
  return rank;
}

// The primary cells that the relations and the published cells determine: e_p is in the span of
// the relations and the unit rows of the published cells iff adding e_p keeps the rank.
std::vector<char> determined(const AuditProblem& p, const std::vector<char>& published) {
  const std::size_t n = p.cells.size();
  std::vector<double> m;
  for (const AuditRelation& rel : p.relations) {
    std::vector<double> row(n, 0.0);
    for (const AuditTerm& t : rel.terms) row[t.cell] = t.coefficient;
    m.insert(m.end(), row.begin(), row.end());
  }
  for (std::size_t j = 0; j < n; ++j) {
    if (!published[j]) continue;
    std::vector<double> row(n, 0.0);
    row[j] = 1;
    m.insert(m.end(), row.begin(), row.end());
  }
  const std::size_t base = dense_rank(m, n);
  std::vector<char> out(n, 0);
  for (std::size_t q = 0; q < n; ++q) {
    if (!p.cells[q].suppressed) continue;
    std::vector<double> with = m;
    with.resize(m.size() + n, 0.0);
    with[m.size() + q] = 1;
    out[q] = dense_rank(with, n) == base ? 1 : 0;
  }
  return out;
}

// Forced cells published; candidates by cost descending, ties by index; a candidate is kept
// suppressed when publishing it would determine a primary cell that was not determined before.
std::vector<char> naive_gauss(const AuditProblem& p, const std::vector<double>& cost, const std::vector<char>& cand) {
  const std::size_t n = p.cells.size();
  std::vector<char> published(n, 0);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i) {
    if (!p.cells[i].suppressed && !cand[i]) published[i] = 1;
    if (cand[i]) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return cost[a] != cost[b] ? cost[a] > cost[b] : a < b;
  });
  for (std::size_t c : order) {
    const std::vector<char> before = determined(p, published);
    published[c] = 1;
    if (determined(p, published) != before) published[c] = 0;
  }
  std::vector<char> suppressed(n);
  for (std::size_t i = 0; i < n; ++i) suppressed[i] = published[i] ? 0 : 1;
  return suppressed;
}

// A random table with margins (2-D up to 4x4, or 3-D up to 2x3x2), some zero cells, 1 to 3
// primary cells (now and then a total), about one cell in eight forced out, costs either the
// values or small integers with many ties, and each relation scaled by a random factor (same
// row space, but coefficients other than +-1 go through the elimination).
struct RandomCase {
  Grid grid;
  std::vector<double> cost;
  std::vector<char> candidate;
};

RandomCase random_case(Rng& rng, bool three_d) {
  std::vector<std::vector<std::string>> names;
  const std::size_t dims = three_d ? 3 : 2;
  for (std::size_t d = 0; d < dims; ++d) {
    const std::size_t k = three_d ? 2 + (d == 1 ? rng.below(2) : 0) : 2 + rng.below(3);
    std::vector<std::string> cats;
    for (std::size_t i = 0; i < k; ++i) cats.push_back(std::string(1, static_cast<char>('a' + i)));
    names.push_back(cats);
  }
  std::size_t inner = 1;
  for (const auto& cats : names) inner *= cats.size();
  std::vector<double> values;
  for (std::size_t i = 0; i < inner; ++i) values.push_back(static_cast<double>(rng.below(4) == 0 ? 0 : 1 + rng.below(9)));
  RandomCase rc{make_grid(names, values), {}, {}};
  AuditProblem& p = rc.grid.problem;
  const std::size_t n = p.cells.size();
  for (std::size_t k = 1 + rng.below(3); k > 0; --k) {
    std::size_t c = rng.below(n);
    while (rng.below(4) != 0 && !rc.grid.inner(c)) c = rng.below(n);  // mostly inner cells
    p.cells[c].suppressed = true;
  }
  const bool by_value = rng.below(2) == 0;
  for (std::size_t i = 0; i < n; ++i) {
    rc.cost.push_back(by_value ? p.cells[i].value + 0.5 : static_cast<double>(1 + rng.below(3)));
    rc.candidate.push_back(!p.cells[i].suppressed && rng.below(8) != 0 ? 1 : 0);
  }
  const double factors[] = {1, -1, 2, -0.5, 3};
  for (AuditRelation& rel : p.relations) {
    const double f = factors[rng.below(5)];
    for (AuditTerm& t : rel.terms) t.coefficient *= f;
  }
  return rc;
}

// Several hundred random tables: the pattern equals the naive greedy's exactly; primary cells
// stay suppressed and forced cells published; and every primary cell that some pattern can
// protect (one not determined with every candidate suppressed) is not determined.
TEST(SecondaryGauss, MatchesNaiveGreedyOnRandomTables) {
  Rng rng{20240401};
  for (int t = 0; t < 300; ++t) {
    const RandomCase rc = random_case(rng, t % 3 == 2);
    const AuditProblem& p = rc.grid.problem;
    const GaussRun run = run_gauss(p, rc.cost, rc.candidate);
    ASSERT_EQ(run.suppressed, naive_gauss(p, rc.cost, rc.candidate)) << "table " << t;
    std::vector<char> published(p.cells.size()), forced_only(p.cells.size());
    for (std::size_t i = 0; i < p.cells.size(); ++i) {
      if (p.cells[i].suppressed) {
        EXPECT_TRUE(run.suppressed[i]) << "table " << t;
      } else if (!rc.candidate[i]) {
        EXPECT_FALSE(run.suppressed[i]) << "table " << t;
      }
      published[i] = run.suppressed[i] ? 0 : 1;
      forced_only[i] = !p.cells[i].suppressed && !rc.candidate[i];
    }
    const std::vector<char> unavoidable = determined(p, forced_only), after = determined(p, published);
    for (std::size_t i = 0; i < p.cells.size(); ++i) {
      if (p.cells[i].suppressed && !unavoidable[i]) {
        EXPECT_FALSE(after[i]) << "table " << t << " cell " << i;
      }
    }
  }
}

// --- sdcTable's trap table ----------------------------------------------------------------------

// README (shared/data/sdctable): status "u" marks 9 primary cells; every row and column holds
// >= 2 of them, yet (w,b) = 47 follows from rows w + x and columns a + c. Bounds are set to
// (-inf, +inf) so that the audit judges exactly kGauss's guarantee: no primary cell recomputable.
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
  }
  for (AuditCell& c : g.problem.cells) c.lower_bound = -std::numeric_limits<double>::infinity();
  return g;
}

TEST(SecondaryGauss, ProtectsTheTrapCell) {
  Grid g = trap_grid();
  const AuditProblem primary_only = g.problem;
  AuditOptions ao;
  ao.certificates = false;
  const std::size_t wb = g.find("w,b");
  // The trap is there before: with the primary cells alone, (w,b) is exact at 47.
  const AuditResult before = audit(g.problem, ao);
  EXPECT_EQ(test::result_for(before, wb).verdict, AuditVerdict::kExact);
  EXPECT_NEAR(test::result_for(before, wb).lower, 47, test::kTol);

  std::vector<double> cost;
  for (const AuditCell& c : g.problem.cells) cost.push_back(std::max(c.value, 1.0));
  const GaussRun run = run_gauss(g.problem, cost, non_primary(g.problem));
  EXPECT_FALSE(secondary_labels(g.problem, run.suppressed).empty());
  for (std::size_t i = 0; i < run.suppressed.size(); ++i) g.problem.cells[i].suppressed = run.suppressed[i] != 0;
  const AuditResult after = audit(g.problem, ao);
  for (const AuditCellResult& c : after.cells) {
    if (!primary_only.cells[c.cell].suppressed) continue;  // kGauss protects the primary cells only
    EXPECT_EQ(c.lower, -std::numeric_limits<double>::infinity()) << g.problem.cells[c.cell].label;
    EXPECT_EQ(c.upper, std::numeric_limits<double>::infinity()) << g.problem.cells[c.cell].label;
  }
}

}  // namespace
}  // namespace sdcore
