#pragma once
/// \file tabular.hpp
/// Tables of counts and sums ("tabulations") with their margins and subtotals, as published:
/// one to four dimensions, each a tree of codes (leaves, subtotals, a grand total), every cell of
/// the cross product, and per cell what the primary suppression rules need (number of
/// contributors, largest contributions). Built from record-level data (`tabulate`) or from a
/// published long-format table (`tabulation_from_long`), whose given totals are checked.
/// Method and definitions: docs/methods/tabular.md.
///
/// Example:
/// \code
///   auto episodes = sdcore::read_csv("episodes.csv");
///   sdcore::TabulateOptions opt;
///   opt.value = "length_of_stay";  // sum; leave empty to count records
///   sdcore::Tabulation t = sdcore::tabulate(
///       episodes, {sdcore::DimensionSpec{"provider", region_hierarchy}, sdcore::DimensionSpec{"sex"}}, opt);
///   sdcore::write_csv(t.to_table(), "los_by_provider_and_sex.csv");
/// \endcode
///
/// Thread-safety: Dimension and Tabulation are values; const methods may be called concurrently.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sdcore/hierarchy.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

/// One dimension: codes in a tree. Leaves are the categories of the data; inner nodes are
/// subtotals; the single root is the dimension's total. Codes are numbered so that every node
/// comes after its children (a post-order), which makes bottom-up sums one pass; the root is last.
/// Thread-safety: a value.
class Dimension {
 public:
  /// A dimension with no hierarchy: the leaves, in the order given, under one total.
  static Dimension flat(std::string name, const std::vector<std::string>& leaves, std::string total = "Total");
  /// A dimension from an ARX-style hierarchy: each value is a leaf, each (level, label) above it a
  /// node, the top level's single label the root. Leaves are the hierarchy's values that occur in
  /// `present` (all of them if empty); nodes left with no leaf are dropped. Throws InvalidArgument
  /// if the top level has more than one label (there would be no single total) or a label is used
  /// at two levels.
  static Dimension from_hierarchy(std::string name, const Hierarchy& hierarchy,
                                  const std::vector<std::string>& present = {});
  /// A dimension from (code, parent) pairs, e.g. {"RF4", "North"}, {"North", "England"},
  /// {"England", ""}: exactly one code has an empty parent (the total). Throws InvalidArgument,
  /// naming the codes, for a repeated code, a parent that is not a code, a cycle, or no or two roots.
  static Dimension from_parents(std::string name, const std::vector<std::pair<std::string, std::string>>& pairs);

  const std::string& name() const noexcept { return name_; }
  std::size_t size() const noexcept { return code_.size(); }
  const std::string& code(std::size_t node) const { return code_.at(node); }
  /// Node of a code, or nullopt.
  std::optional<std::size_t> find(const std::string& code) const;
  /// Parent node; the root's parent is the root itself.
  std::size_t parent(std::size_t node) const { return parent_.at(node); }
  const std::vector<std::size_t>& children(std::size_t node) const { return children_.at(node); }
  bool is_leaf(std::size_t node) const { return children_.at(node).empty(); }
  std::size_t root() const noexcept { return code_.size() - 1; }
  /// Distance from the root (the root is 0).
  std::size_t depth(std::size_t node) const { return depth_.at(node); }

 private:
  Dimension() = default;
  static Dimension build(std::string name, std::vector<std::string> codes, const std::vector<std::size_t>& parent,
                         std::size_t root);

  std::string name_;
  std::vector<std::string> code_;
  std::vector<std::size_t> parent_;
  std::vector<std::vector<std::size_t>> children_;
  std::vector<std::size_t> depth_;
  std::unordered_map<std::string, std::size_t> index_;
};

/// What one cell holds.
struct TabularCell {
  double value = 0;          ///< count of records, or sum of the value variable (weighted if a weight is given)
  std::int64_t records = 0;  ///< records in the cell (unweighted)
  std::int64_t contributors = 0;  ///< distinct contributors: holdings when a holding column is given, else records
  /// The largest contributions, descending (at most TabulateOptions::top_contributions), each the
  /// sum over one contributor's records (weighted). Empty for tables read in long format.
  std::vector<double> top;
  /// Who made each entry of `top`: the holding's code when a holding column is given, else the
  /// record's row (0-based). An insider audit links a contributor's cells through these ids.
  std::vector<std::int64_t> top_holder;
};

/// A table with every margin and subtotal. Cells are stored for the whole cross product of the
/// dimensions' nodes, the last dimension varying fastest. Thread-safety: a value.
class Tabulation {
 public:
  Tabulation(std::vector<Dimension> dimensions, std::vector<TabularCell> cells, std::string value_name);

  const std::vector<Dimension>& dimensions() const noexcept { return dims_; }
  std::size_t num_cells() const noexcept { return cells_.size(); }
  const TabularCell& cell(std::size_t index) const { return cells_.at(index); }
  const std::vector<TabularCell>& cells() const noexcept { return cells_; }
  /// Name of what the cells hold ("count" or the value column's name).
  const std::string& value_name() const noexcept { return value_name_; }
  /// Index of the cell at one node per dimension, and back.
  std::size_t index(const std::vector<std::size_t>& nodes) const;
  std::vector<std::size_t> nodes(std::size_t index) const;
  /// "provider=RF4, type=1" style label of a cell.
  std::string label(std::size_t index) const;
  /// Whether the cell is an inner cell (a leaf in every dimension).
  bool is_inner(std::size_t index) const;

  /// One additivity relation: `total` = sum of `parts` (one relation per dimension, per inner
  /// node of it, per combination of the other dimensions' nodes).
  struct Relation {
    std::size_t total;
    std::vector<std::size_t> parts;
    std::size_t dimension;  ///< along which dimension the parts add up
  };
  std::vector<Relation> relations() const;

  /// Long format: one row per cell, a column per dimension (its codes), then `value_name`,
  /// `records`, `contributors`, in cell order.
  Table to_table() const;

 private:
  std::vector<Dimension> dims_;
  std::vector<TabularCell> cells_;
  std::vector<std::size_t> stride_;
  std::string value_name_;
};

/// A dimension to tabulate by: a column of the records and, optionally, its hierarchy. The leaves
/// are the column's categories (for a numeric column its distinct values), in category order,
/// used or not: a category with no record is a zero cell. Without a hierarchy the dimension is
/// flat, under a total named `total`.
struct DimensionSpec {
  DimensionSpec(std::string column_name) : column(std::move(column_name)) {}  // NOLINT: implicit on purpose
  DimensionSpec(std::string column_name, Hierarchy h) : column(std::move(column_name)), hierarchy(std::move(h)) {}

  std::string column;
  std::optional<Hierarchy> hierarchy;
  std::string total = "Total";
};

/// Options of `tabulate`. Thread-safety: a plain value.
struct TabulateOptions {
  /// Numeric column to sum; empty: count records.
  std::string value;
  /// Sampling weight column (numeric, positive); empty: unweighted.
  std::string weight;
  /// Column identifying holdings (enterprise groups): contributions of one holding are summed
  /// before the rules look at them. Empty: each record is a contributor.
  std::string holding;
  /// How many of the largest contributions each cell keeps (dominance rules need n, p% and pq 2).
  std::size_t top_contributions = 2;
  /// Aggregated input for count tables: a numeric column saying how many records each row
  /// stands for (whole numbers >= 1), as a group-by's or a chunk's counts give (sdcore.stream,
  /// sdcore.spark). Values, records and contributors then count records; each record is one
  /// contributor of 1, so `top` holds ones whose holder is unknown (-1). Not with `value`,
  /// `weight` or `holding`, whose per-record contributions an aggregate has lost.
  std::string frequency;
};

/// Tabulates record-level data. Throws InvalidArgument, before any work, for: 0 or more than 4
/// dimensions, an unknown or repeated column, a missing dimension value (naming column and row),
/// a value the hierarchy does not cover, a value column that is not numeric or has a missing or
/// (when counting is not asked) negative value (naming the row), a weight that is missing, zero
/// or negative.
Tabulation tabulate(const Table& records, const std::vector<DimensionSpec>& dimensions,
                    const TabulateOptions& options = {});

/// A dimension of a long-format table: the column, its tree (flat or from a hierarchy), and
/// whether rows for the dimension's inner nodes (totals, subtotals) may appear in the input.
struct LongDimension {
  std::string column;
  Dimension dimension;
};

/// What to do with totals in long-format input.
enum class Margins : std::uint8_t {
  kAdd,    ///< totals absent from the input are computed; totals present are checked
  kCheck,  ///< every total must be present and is checked
};

/// Options of `tabulation_from_long`.
struct LongTableOptions {
  Margins margins = Margins::kAdd;
  /// Absolute difference allowed between a given total and the sum of its parts.
  double tolerance = 1e-9;
  /// Whether negative values are allowed (false for counts).
  bool allow_negative = false;
  /// Whether values must be whole numbers (counts).
  bool integers = true;
  /// A table as published with suppressed cells, for audit_published (audit.hpp): a missing value
  /// is a suppressed cell and stays NaN in the Tabulation; every total must then be given (a
  /// suppressed one as missing), and every cell keeps its given value (totals are not recomputed).
  /// A given total is checked only where it and every inner cell below it are known.
  bool missing_is_suppressed = false;
};

/// A published table in long format (one row per cell, a column per dimension, a value column),
/// as a Tabulation. Every combination of leaves absent from the input is a zero cell. Throws
/// InvalidArgument listing every problem found (up to 20, each naming the input row): a code not
/// in its dimension, a repeated cell, a negative or non-integer value where not allowed, a total
/// missing with Margins::kCheck, and every given total that differs from the sum of its parts
/// (with both numbers).
Tabulation tabulation_from_long(const Table& table, const std::vector<LongDimension>& dimensions,
                                const std::string& value_column, const LongTableOptions& options = {});

}  // namespace sdcore
