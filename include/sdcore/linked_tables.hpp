#pragma once
/// \file linked_tables.hpp
/// Linked tables: several tabulations that share cells (e.g. region x sex x old industry code and
/// region x sex x new industry code share every region x sex cell), protected as one problem so
/// that an attacker who combines the tables' relations learns no more than from each alone.
/// Suppressing each table separately can leave a shared cell recomputable through the other
/// table; the audit of the linked problem uses every table's relations together.
///
/// Example:
/// \code
///   sdcore::LinkedTables linked = sdcore::link_tables({{old_codes, p_old}, {new_codes, p_new}});
///   sdcore::SecondaryResult r = sdcore::secondary_suppression(linked.problem, options);
///   std::vector<std::vector<sdcore::CellStatus>> per_table = linked.statuses(r.status);
///   sdcore::AuditResult proof = sdcore::audit(linked.published(r.status));
/// \endcode
///
/// Thread-safety: functions are re-entrant; results are plain values.

#include <cstddef>
#include <vector>

#include "sdcore/audit.hpp"
#include "sdcore/suppression.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore {

/// One table of a linked set, with its primary suppression.
struct LinkedTable {
  const Tabulation& table;
  const PrimaryResult& primary;
};

/// The tables as one problem. Two cells are the same cell when they have the same code in every
/// dimension that either names, a dimension a table does not have counting as its total: e.g.
/// (region=R1, sex=f, eco_old=Total) of one table is (region=R1, sex=f, eco_new=Total) of the
/// other, because both are the region x sex cell; so tables must name shared dimensions alike
/// and describe the same population. Thread-safety: a value.
struct LinkedTables {
  /// Every distinct cell once (labels like "region=R1, sex=f"), primary where any table says so
  /// with the largest protection any asks, and the relations of every table.
  AuditProblem problem;
  /// cell[t][i]: the problem's cell for cell i of table t.
  std::vector<std::vector<std::size_t>> cell;
  /// Which cells are zero cells of a table whose primary result calls them kEmpty.
  std::vector<char> empty;

  /// Per table, the status of each of its cells under `status` (one per problem cell).
  std::vector<std::vector<CellStatus>> statuses(const std::vector<CellStatus>& status) const;
  /// The problem as published with `status`: suppressed where kPrimary or kSecondary.
  AuditProblem published(const std::vector<CellStatus>& status) const;
};

/// Links `tables`. Throws InvalidArgument for fewer than one table, a primary result of the
/// wrong size, a dimension name used with a different total code in two tables, or a shared cell
/// whose values differ between tables (naming both tables' cells and values).
LinkedTables link_tables(const std::vector<LinkedTable>& tables);

}  // namespace sdcore
