#pragma once
// Helpers shared by the secondary suppression tests (test_secondary_modular.cpp,
// test_secondary_hypercube.cpp): count tables built from inner cells, random hierarchical
// dimensions, and the calls every such test makes.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sdcore/audit.hpp"
#include "sdcore/suppression.hpp"
#include "sdcore/tabular.hpp"
#include "test_support.hpp"

namespace sdcore::test {

inline bool below_or_at(const Dimension& d, std::size_t node, std::size_t top) {
  while (node != top && node != d.root()) node = d.parent(node);
  return node == top;
}

// A count table (long-format style: no contributor counts, so a cell's frequency is its value)
// whose inner cells are `inner(nodes)`; every other cell is the sum of the inner cells below it.
inline Tabulation count_table(const std::vector<Dimension>& dims,
                       const std::function<double(const std::vector<std::size_t>&)>& inner) {
  std::size_t n = 1;
  for (const Dimension& d : dims) n *= d.size();
  const Tabulation shape(dims, std::vector<TabularCell>(n), "count");
  std::vector<TabularCell> cells(n);
  for (std::size_t i = 0; i < n; ++i) {
    cells[i].records = cells[i].contributors = -1;
    if (shape.is_inner(i)) cells[i].value = inner(shape.nodes(i));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (shape.is_inner(i)) continue;
    const auto top = shape.nodes(i);
    for (std::size_t j = 0; j < n; ++j) {
      if (!shape.is_inner(j)) continue;
      const auto at = shape.nodes(j);
      bool under = true;
      for (std::size_t d = 0; d < dims.size(); ++d) under = under && below_or_at(dims[d], at[d], top[d]);
      if (under) cells[i].value += cells[j].value;
    }
  }
  return Tabulation(dims, std::move(cells), "count");
}

// A random dimension: flat (2..4 leaves), two levels (2..3 groups of 1..3 leaves) or, with
// `deep`, three (2 groups of 1..2 subgroups of 1..2 leaves).
inline Dimension random_dimension(Rng& rng, const std::string& name, std::size_t max_leaves, bool deep) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t next = 0;
  const auto code = [&] { return name + std::to_string(next++); };
  const auto leaves_under = [&](const std::string& parent, std::size_t most) {
    const std::size_t k = 1 + rng.below(most);
    for (std::size_t i = 0; i < k; ++i) pairs.emplace_back(code(), parent);
  };
  const std::string root = name + "T";
  const std::size_t kind = rng.below(deep ? 3 : 2);
  if (kind == 0) {
    const std::size_t k = 2 + rng.below(max_leaves - 1);
    for (std::size_t i = 0; i < k; ++i) pairs.emplace_back(code(), root);
  } else if (kind == 1) {
    const std::size_t groups = 2 + rng.below(2);
    for (std::size_t g = 0; g < groups; ++g) {
      const std::string group = code();
      pairs.emplace_back(group, root);
      leaves_under(group, std::min<std::size_t>(3, max_leaves));
    }
  } else {
    for (std::size_t g = 0; g < 2; ++g) {
      const std::string group = code();
      pairs.emplace_back(group, root);
      const std::size_t subs = 1 + rng.below(2);
      for (std::size_t s = 0; s < subs; ++s) {
        const std::string sub = code();
        pairs.emplace_back(sub, group);
        leaves_under(sub, 2);
      }
    }
  }
  pairs.emplace_back(root, "");
  return Dimension::from_parents(name, pairs);
}

inline PrimaryResult frequency(const Tabulation& t, std::int64_t max_unsafe, double protection = 1) {
  PrimaryRules rules;
  rules.frequency = FrequencyRule{max_unsafe, false, protection};
  return primary_suppression(t, rules);
}

inline SecondaryOptions with(SecondaryMethod m) {
  SecondaryOptions o;
  o.method = m;
  return o;
}

inline bool passes_audit(const Tabulation& t, const PrimaryResult& p, const SecondaryResult& r) {
  AuditOptions o;
  o.certificates = false;
  return audit(audit_problem(t, r.status, p.upper, p.lower), o).all_protected();
}

// A random table for the property tests: 2-D (x up to three levels, y up to two) or, with
// `three`, 3-D (x and y up to two levels with at most `x_leaves` and 2 parts, z flat p, q); inner
// cells 0 (one in six) or 1..20.
inline Tabulation random_hierarchical_table(Rng& rng, bool three, std::size_t x_leaves) {
  std::vector<Dimension> dims;
  if (three) {
    dims = {random_dimension(rng, "x", x_leaves, false), random_dimension(rng, "y", 2, false),
            Dimension::flat("z", {"p", "q"})};
  } else {
    dims = {random_dimension(rng, "x", 4, true), random_dimension(rng, "y", 3, false)};
  }
  return count_table(dims, [&](const std::vector<std::size_t>&) {
    return rng.below(6) == 0 ? 0.0 : static_cast<double>(1 + rng.below(20));
  });
}

// What every pattern must satisfy: the primary cells are exactly the given ones, and every cell
// the independent audit finds unprotected is one the method reported unprotectable. Returns the
// audit's verdict on the whole table.
inline bool expect_protected_but_unprotectable(const Tabulation& t, const PrimaryResult& p, const SecondaryResult& r,
                                               int rep) {
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    EXPECT_EQ(r.status[i] == CellStatus::kPrimary, p.status[i] == CellStatus::kPrimary) << rep << " cell " << i;
  }
  AuditOptions ao;
  ao.certificates = false;
  const AuditResult a = audit(audit_problem(t, r.status, p.upper, p.lower), ao);
  for (const AuditCellResult& c : a.cells) {
    if (c.verdict == AuditVerdict::kProtected) continue;
    EXPECT_TRUE(std::binary_search(r.unprotectable.begin(), r.unprotectable.end(), c.cell))
        << rep << ": " << t.label(c.cell) << " is " << to_string(c.verdict);
  }
  return a.all_protected();
}

}  // namespace sdcore::test
