// The lattice search against brute force: on random small problems every transformation is
// evaluated by the plain reference implementation (kanon_reference.hpp) and the optimum picked by
// the documented rule (least score, then lower height, then lexicographically smaller levels).

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "kanon_reference.hpp"
#include "sdcore/kanon.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

// A random hierarchy over values v0..v{m-1}: each level merges neighbouring labels of the one
// below at random, and the top is "*".
Hierarchy random_hierarchy(const std::string& name, int m, std::mt19937_64& rng) {
  std::vector<std::vector<std::string>> rows(static_cast<std::size_t>(m));
  std::vector<int> group(static_cast<std::size_t>(m));
  for (int v = 0; v < m; ++v) {
    rows[static_cast<std::size_t>(v)].push_back("v" + std::to_string(v));
    group[static_cast<std::size_t>(v)] = v;
  }
  const int middle = static_cast<int>(rng() % 3);
  for (int l = 1; l <= middle; ++l) {
    int next = 0;
    for (int v = 0; v < m; ++v) {  // a new group starts where the old one did, with probability 1/2
      if (v > 0 && group[static_cast<std::size_t>(v)] != group[static_cast<std::size_t>(v - 1)] && rng() % 2) ++next;
      rows[static_cast<std::size_t>(v)].push_back("L" + std::to_string(l) + "g" + std::to_string(next));
    }
    for (int v = 0; v < m; ++v) {
      const std::string& s = rows[static_cast<std::size_t>(v)].back();
      group[static_cast<std::size_t>(v)] = std::stoi(s.substr(s.find('g') + 1));
    }
  }
  for (auto& r : rows) r.push_back("*");
  return Hierarchy::from_rows(name, rows);
}

struct RandomProblem {
  Table table;
  std::vector<QuasiIdentifier> qis;
  AnonymiseOptions options;
  std::string sensitive;
};

RandomProblem random_problem(std::mt19937_64& rng) {
  RandomProblem p;
  const std::size_t rows = 10 + rng() % 120;
  const int nq = 1 + static_cast<int>(rng() % 3);
  for (int q = 0; q < nq; ++q) {
    const int m = 2 + static_cast<int>(rng() % 6);
    const std::string name = "q" + std::to_string(q);
    std::vector<std::string> cats;
    for (int v = 0; v < m; ++v) cats.push_back("v" + std::to_string(v));
    std::vector<std::int32_t> codes(rows);
    for (auto& c : codes) c = static_cast<std::int32_t>(std::min(rng() % m, rng() % m));  // skewed
    p.table.add_column(Column::categorical(name, codes, cats));
    p.qis.push_back({name, random_hierarchy(name, m, rng)});
  }
  std::vector<std::int32_t> s(rows);
  for (auto& c : s) c = static_cast<std::int32_t>(rng() % 4);
  p.table.add_column(Column::categorical("s", s, {"a", "b", "c", "d"}));
  AnonymiseOptions& o = p.options;
  o.models.k = 1 + static_cast<std::int64_t>(rng() % 5);
  const double limits[] = {0, 0.02, 0.1, 0.3};
  o.suppression_limit = limits[rng() % 4];
  o.quality = static_cast<QualityModel>(rng() % 6);
  const double gs[] = {0.5, 0.5, 0.2, 0.8};
  o.gs_factor = gs[rng() % 4];
  o.threads = 1 + rng() % 2;
  switch (rng() % 7) {
    case 0: o.models.l_diversity.push_back({"s", DiversityKind::kDistinct, 2, 1}); break;
    case 1: o.models.l_diversity.push_back({"s", DiversityKind::kEntropy, 1.8, 1}); break;
    case 2: o.models.l_diversity.push_back({"s", DiversityKind::kRecursive, 2, 3}); break;
    case 3: o.models.t_closeness.push_back({"s", GroundDistance::kEqual, 0.3, std::nullopt}); break;
    case 4: o.models.t_closeness.push_back({"s", GroundDistance::kOrdered, 0.25, std::nullopt}); break;
    case 5: o.models.average_risk = 0.3; break;
    default: break;
  }
  if (!o.models.l_diversity.empty() || !o.models.t_closeness.empty()) p.sensitive = "s";
  return p;
}

std::vector<std::vector<std::size_t>> all_nodes(const std::vector<QuasiIdentifier>& qis) {
  std::vector<std::vector<std::size_t>> nodes = {{}};
  for (const auto& q : qis) {
    std::vector<std::vector<std::size_t>> next;
    for (const auto& n : nodes) {
      for (std::size_t l = 0; l < q.hierarchy.levels(); ++l) {
        next.push_back(n);
        next.back().push_back(l);
      }
    }
    nodes = std::move(next);
  }
  return nodes;
}

std::size_t height(const std::vector<std::size_t>& levels) {
  std::size_t h = 0;
  for (auto l : levels) h += l;
  return h;
}

// Evaluates every node with the reference and checks that the search returns the preferred
// anonymous one. Returns whether there was one, and counts results with suppression.
bool expect_brute_force_optimum(const RandomProblem& p, int& with_suppression, int& rounding_ties) {
  bool have = false;
  std::vector<std::size_t> best;
  test::ReferenceNode best_node;
  std::map<std::vector<std::size_t>, std::pair<double, double>> scores;  // anonymous: (reference, library)
  for (const auto& node : all_nodes(p.qis)) {
    const auto ref = test::reference_node(p.table, p.qis, p.options, node, p.sensitive);
    // The library's evaluation of the same node agrees with the reference.
    const auto mine = evaluate_transformation(p.table, p.qis, p.options, node);
    if (ref.anonymous) scores[node] = {ref.score, mine.score};
    EXPECT_EQ(mine.anonymous, ref.anonymous);
    EXPECT_EQ(mine.suppressed_records, ref.suppressed);
    EXPECT_NEAR(mine.score, ref.score, 1e-9 * std::max(1.0, std::fabs(ref.score)));
    if (!ref.anonymous) continue;
    const bool better = !have || ref.score < best_node.score - 1e-12 ||
                        (std::fabs(ref.score - best_node.score) <= 1e-12 &&
                         (height(node) < height(best) || (height(node) == height(best) && node < best)));
    if (better) {
      have = true;
      best = node;
      best_node = ref;
    }
  }
  const AnonymiseResult r = anonymise(p.table, p.qis, p.options);
  EXPECT_EQ(r.found, have);
  if (!have || !r.found) return false;
  with_suppression += r.best.suppressed_records > 0;
  if (r.best.levels != best && scores.count(r.best.levels)) {
    // Two nodes whose scores are equal but for rounding (the long run met one in 8,000 problems:
    // the same sums taken over differently ordered cells). The reference, summing records, calls
    // it a tie and breaks it by height and id; the library compares its own sums exactly. Either
    // node is optimal; the library's choice must follow the documented order on its own scores.
    const auto [ref_pick, lib_pick] = scores.at(r.best.levels);
    const auto [ref_best, lib_best] = scores.at(best);
    EXPECT_NEAR(ref_pick, ref_best, 1e-9 * std::max(1.0, std::fabs(ref_best)));
    EXPECT_TRUE(lib_pick < lib_best || (lib_pick == lib_best && (height(r.best.levels) < height(best) ||
                                                                 (height(r.best.levels) == height(best) && r.best.levels < best))));
    ++rounding_ties;
    return true;
  }
  EXPECT_EQ(r.best.levels, best);
  EXPECT_NEAR(r.best.score, best_node.score, 1e-9 * std::max(1.0, std::fabs(best_node.score)));
  EXPECT_LE(r.nodes_evaluated, r.lattice_size);
  return true;
}

TEST(KanonSearch, MatchesBruteForceOnRandomProblems) {
  std::mt19937_64 rng(20261123);
  int found = 0, with_suppression = 0, rounding_ties = 0;
  for (int trial = 0; trial < test::long_run(400); ++trial) {
    const RandomProblem p = random_problem(rng);
    SCOPED_TRACE("trial " + std::to_string(trial));
    found += expect_brute_force_optimum(p, with_suppression, rounding_ties);
    if (testing::Test::HasFailure()) return;
  }
  // The generator must exercise both outcomes and suppression, or the test proves little.
  EXPECT_GT(found, 200);
  EXPECT_GT(with_suppression, 30);
  EXPECT_LE(rounding_ties * 1000, found);  // rare, or the search is choosing by noise
}

TEST(KanonSearch, TiesBrokenAsDocumentedOnMirroredProblems) {
  // A quasi-identifier and its exact copy (same values, same hierarchy) make mirrored nodes tie
  // exactly; integer-valued quality models (discernibility, height) and AECS keep the ties exact
  // in floating point. Suppression with k-anonymity alone exercises both search phases.
  std::mt19937_64 rng(314159);
  int found = 0, with_suppression = 0, rounding_ties = 0;
  for (int trial = 0; trial < test::long_run(150); ++trial) {
    RandomProblem p = random_problem(rng);
    SCOPED_TRACE("trial " + std::to_string(trial));
    const Column& first = p.table.column("q0");
    const auto codes = first.codes();
    p.table.add_column(Column::categorical("q0_copy", {codes.begin(), codes.end()}, first.categories()));
    const Hierarchy& h = p.qis[0].hierarchy;
    std::vector<std::vector<std::string>> rows;
    for (std::size_t v = 0; v < h.num_values(); ++v) {
      rows.emplace_back();
      for (std::size_t l = 0; l < h.levels(); ++l) rows.back().push_back(h.label(v, l));
    }
    p.qis.insert(p.qis.begin() + 1, {"q0_copy", Hierarchy::from_rows("q0_copy", rows)});
    const QualityModel exact[] = {QualityModel::kDiscernibility, QualityModel::kHeight, QualityModel::kAverageClassSize};
    p.options.quality = exact[rng() % 3];
    p.options.models.l_diversity.clear();
    p.options.models.t_closeness.clear();
    p.options.models.average_risk = 1;
    p.sensitive.clear();
    found += expect_brute_force_optimum(p, with_suppression, rounding_ties);
    if (testing::Test::HasFailure()) return;
  }
  EXPECT_GT(found, 75);
  EXPECT_GT(with_suppression, 30);
  EXPECT_EQ(rounding_ties, 0);  // integer-valued models: every tie is exact
}

TEST(KanonSearch, NoPredictiveTaggingWhereSuppressionBreaksMonotonicity) {
  // Worked by hand: one QI (v0, v1 -> *), sensitive s, entropy l-diversity with l = 2 (class
  // entropy >= ln 2 = 0.693), limit 75% of 10 records = 7. Level 0: class v0 = {a, b, c} has
  // entropy ln 3 and passes, class v1 = {a x 7} has entropy 0 and is suppressed: 7 records, within
  // the limit, so level 0 is anonymous. Level 1: one class {a x 8, b, c}, entropy
  // -(0.8 ln 0.8 + 2 * 0.1 ln 0.1) = 0.639 < 0.693, all 10 suppressed: not anonymous. A search that
  // tagged the generalisation's predecessors as not anonymous would find nothing.
  Table t;
  t.add_column(Column::categorical("q", {0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, {"v0", "v1"}));
  t.add_column(Column::categorical("s", {0, 1, 2, 0, 0, 0, 0, 0, 0, 0}, {"a", "b", "c"}));
  const std::vector<QuasiIdentifier> qis = {{"q", Hierarchy::from_rows("q", {{"v0", "*"}, {"v1", "*"}})}};
  AnonymiseOptions o;
  o.suppression_limit = 0.75;
  o.models.l_diversity.push_back({"s", DiversityKind::kEntropy, 2, 1});
  const AnonymiseResult r = anonymise(t, qis, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.best.levels, (std::vector<std::size_t>{0}));
  EXPECT_EQ(r.best.suppressed_records, 7);
  EXPECT_FALSE(evaluate_transformation(t, qis, o, {1}).anonymous);
}

TEST(KanonSearch, LargeTablesMatchBruteForceOnOneAndTwoThreads) {
  // 300,000 records with about 290,000 distinct keys: the cells are grouped in two halves (the
  // split starts at 2^18 items), on one thread or two. Every node of the 30-node lattice is
  // evaluated record by record (evaluate_transformation, which does not use cells), and the
  // search must pick the preferred anonymous one with either thread count.
  std::mt19937_64 rng(99);
  const std::size_t n = 300'000;
  const auto numbered = [](int m) {
    std::vector<std::string> v;
    for (int i = 0; i < m; ++i) v.push_back(std::to_string(i));
    return v;
  };
  const auto hierarchy = [](const std::string& name, int m, const std::vector<int>& divisors) {
    std::vector<std::vector<std::string>> rows;
    for (int v = 0; v < m; ++v) {
      rows.push_back({std::to_string(v)});
      for (int d : divisors) rows.back().push_back(std::to_string(v / d) + "/" + std::to_string(d));
      rows.back().push_back("*");
    }
    return Hierarchy::from_rows(name, rows);
  };
  Table t;
  std::vector<std::int32_t> a(n), b(n), c(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = static_cast<std::int32_t>(std::min(rng() % 10000, rng() % 10000));
    b[i] = static_cast<std::int32_t>(rng() % 30);
    c[i] = static_cast<std::int32_t>(rng() % 10);
  }
  t.add_column(Column::categorical("a", a, numbered(10000)));
  t.add_column(Column::categorical("b", b, numbered(30)));
  t.add_column(Column::categorical("c", c, numbered(10)));
  const std::vector<QuasiIdentifier> qis = {{"a", hierarchy("a", 10000, {10, 100, 1000})},
                                            {"b", hierarchy("b", 30, {5})},
                                            {"c", hierarchy("c", 10, {})}};
  AnonymiseOptions o;
  o.models.k = 5;
  o.suppression_limit = 0.05;
  bool have = false;
  std::vector<std::size_t> best;
  TransformationQuality best_q;
  for (const auto& node : all_nodes(qis)) {
    const TransformationQuality q = evaluate_transformation(t, qis, o, node);
    if (!q.anonymous) continue;
    if (!have || q.score < best_q.score - 1e-12 ||
        (std::fabs(q.score - best_q.score) <= 1e-12 &&
         (height(node) < height(best) || (height(node) == height(best) && node < best)))) {
      have = true, best = node, best_q = q;
    }
  }
  ASSERT_TRUE(have);
  for (const std::size_t threads : {1, 2}) {
    o.threads = threads;
    const AnonymiseResult r = anonymise(t, qis, o);
    ASSERT_TRUE(r.found);
    EXPECT_EQ(r.best.levels, best) << threads << " threads";
    EXPECT_NEAR(r.best.score, best_q.score, 1e-9 * std::max(1.0, std::fabs(best_q.score)));
    EXPECT_EQ(r.best.suppressed_records, best_q.suppressed_records);
  }
}

TEST(KanonSearch, SameResultWithOneOrTwoThreads) {
  std::mt19937_64 rng(7);
  long refused = 0;
  for (int trial = 0; trial < 50; ++trial) {
    RandomProblem p = random_problem(rng);
    p.options.threads = 1;
    const auto a = anonymise(p.table, p.qis, p.options);
    p.options.threads = 2;
    const auto b = anonymise(p.table, p.qis, p.options);
    ASSERT_EQ(a.found, b.found);
    EXPECT_EQ(a.best.levels, b.best.levels);
    EXPECT_EQ(a.nodes_evaluated, b.nodes_evaluated);
    EXPECT_EQ(a.suppressed, b.suppressed);
    {  // no second thread to be had: the calling thread evaluates every node
      test::NoThreadsToBeHad none;
      const auto c = anonymise(p.table, p.qis, p.options);
      refused += none.refused();
      ASSERT_EQ(a.found, c.found);
      EXPECT_EQ(a.best.levels, c.best.levels);
      EXPECT_EQ(a.nodes_evaluated, c.nodes_evaluated);
      EXPECT_EQ(a.suppressed, c.suppressed);
    }
  }
  EXPECT_GT(refused, 0);  // some searches were large enough to want the second thread
}

}  // namespace
}  // namespace sdcore
