#pragma once
// A table with margins for the audit tests (test_audit.cpp, test_audit_insider.cpp), and the
// check every audit test applies to the certificates it gets back.

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sdcore/audit.hpp"

namespace sdcore::test {

inline constexpr double kTol = 1e-6;

// A table with margins: dimension d has names[d] categories and a total ("tot") at index
// names[d].size(). Cells are in mixed-radix order, last dimension fastest; every line along a
// dimension gives a relation total = sum of parts. Bounds are [0, inf), nothing suppressed.
struct Grid {
  std::vector<std::vector<std::string>> names;
  AuditProblem problem;

  std::size_t extent(std::size_t d) const { return names[d].size() + 1; }
  std::vector<std::size_t> index_of(std::size_t cell) const {
    std::vector<std::size_t> idx(names.size());
    for (std::size_t d = names.size(); d-- > 0;) idx[d] = cell % extent(d), cell /= extent(d);
    return idx;
  }
  std::size_t cell_of(const std::vector<std::size_t>& idx) const {
    std::size_t c = 0;
    for (std::size_t d = 0; d < names.size(); ++d) c = c * extent(d) + idx[d];
    return c;
  }
  bool inner(std::size_t cell) const {
    const auto idx = index_of(cell);
    for (std::size_t d = 0; d < names.size(); ++d) if (idx[d] == names[d].size()) return false;
    return true;
  }
  std::size_t find(const std::string& label) const {
    for (std::size_t c = 0; c < problem.cells.size(); ++c) if (problem.cells[c].label == label) return c;
    throw std::runtime_error("no cell " + label);
  }
  // Recomputes every total from the inner cells.
  void fill_totals(std::vector<double>& v) const {
    for (std::size_t d = 0; d < names.size(); ++d) {
      for (std::size_t c = 0; c < v.size(); ++c) {
        auto idx = index_of(c);
        if (idx[d] != names[d].size()) continue;
        v[c] = 0;
        for (idx[d] = 0; idx[d] < names[d].size(); ++idx[d]) v[c] += v[cell_of(idx)];
      }
    }
  }
};

inline std::string name_at(const Grid& g, std::size_t d, std::size_t i) {
  return i == g.names[d].size() ? std::string("tot") : g.names[d][i];
}

// `inner` lists the inner cells' values in cell order.
inline Grid make_grid(std::vector<std::vector<std::string>> names, const std::vector<double>& inner) {
  Grid g{std::move(names), {}};
  std::size_t n = 1;
  for (std::size_t d = 0; d < g.names.size(); ++d) n *= g.extent(d);
  std::vector<double> v(n, 0);
  for (std::size_t c = 0, k = 0; c < n; ++c) if (g.inner(c)) v[c] = inner.at(k++);
  g.fill_totals(v);
  for (std::size_t c = 0; c < n; ++c) {
    AuditCell cell;
    const auto idx = g.index_of(c);
    for (std::size_t d = 0; d < idx.size(); ++d) cell.label += (d ? "," : "") + name_at(g, d, idx[d]);
    cell.value = v[c];
    g.problem.cells.push_back(cell);
  }
  for (std::size_t d = 0; d < g.names.size(); ++d) {
    for (std::size_t c = 0; c < n; ++c) {
      auto idx = g.index_of(c);
      if (idx[d] != g.names[d].size()) continue;
      AuditRelation rel;
      // In 2-D, "row w" adds up row w (along dimension 1), "column a" column a.
      if (g.names.size() == 2) {
        rel.label = d == 1 ? "row " + name_at(g, 0, idx[0]) : "column " + name_at(g, 1, idx[1]);
      } else {
        rel.label = "dim " + std::to_string(d) + " at " + g.problem.cells[c].label;
      }
      rel.terms.push_back({c, -1});
      for (idx[d] = 0; idx[d] < g.names[d].size(); ++idx[d]) rel.terms.push_back({g.cell_of(idx), 1});
      g.problem.relations.push_back(rel);
    }
  }
  return g;
}

// Every certificate in `r` must verify by verify_certificate's arithmetic, prove the end it
// belongs to, and be present whenever that end is finite.
inline void expect_certificates_verify(const AuditProblem& p, const AuditResult& r) {
  std::vector<AuditCellResult> all = r.cells;
  all.insert(all.end(), r.insider_failures.begin(), r.insider_failures.end());
  for (const AuditCellResult& c : all) {
    ASSERT_EQ(c.lower_certificate.has_value(), std::isfinite(c.lower)) << p.cells[c.cell].label;
    ASSERT_EQ(c.upper_certificate.has_value(), std::isfinite(c.upper)) << p.cells[c.cell].label;
    for (const auto* cert : {&c.lower_certificate, &c.upper_certificate}) {
      if (!cert->has_value()) continue;
      const CertificateCheck check = verify_certificate(p, **cert);
      EXPECT_TRUE(check.valid) << check.reason << " | " << describe_certificate(p, **cert);
      EXPECT_EQ((*cert)->insiders, c.insiders);
      EXPECT_NEAR((*cert)->bound, (*cert)->sense == AuditSense::kLower ? c.lower : c.upper, kTol);
    }
  }
}

inline const AuditCellResult& result_for(const AuditResult& r, std::size_t cell) {
  for (const AuditCellResult& c : r.cells) if (c.cell == cell) return c;
  throw std::runtime_error("cell not audited");
}

}  // namespace sdcore::test
