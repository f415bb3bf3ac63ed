#pragma once
/// \file hierarchy.hpp
/// Generalisation hierarchies: for each original value of an attribute, its label at each level
/// of generalisation, level 0 being the value itself. The file format is ARX's: one row per
/// value, `value;level1;level2;...`, no header.
///
/// A hierarchy is valid when every row has the same number of levels, no value appears twice,
/// and generalisation is a chain: values with the same label at one level have the same label at
/// every higher level (otherwise a coarser level would split a class that a finer one merged).
///
/// Example:
/// \code
///   auto age = sdcore::read_hierarchy("adult_hierarchy_age.csv", "age");
///   sdcore::Column banded = age.apply(table.column("age"), 2);  // e.g. "20-29"
/// \endcode
///
/// Thread-safety: const member functions may be called concurrently.

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sdcore/table.hpp"

namespace sdcore {

class Hierarchy {
 public:
  /// Builds and validates a hierarchy from rows {value, level 1, ..., level h}. Throws
  /// InvalidArgument naming the row (1-based) and values at fault.
  static Hierarchy from_rows(std::string attribute, const std::vector<std::vector<std::string>>& rows);

  const std::string& attribute() const noexcept { return attribute_; }
  /// Number of levels, level 0 (the original values) included.
  std::size_t levels() const noexcept { return labels_.size(); }
  std::size_t num_values() const noexcept { return labels_.empty() ? 0 : labels_[0].size(); }
  /// Distinct labels at `level` (level 0: the values).
  std::size_t num_labels(std::size_t level) const;
  /// The label of `value` at `level`; InvalidArgument if the value is not covered.
  const std::string& generalise(std::string_view value, std::size_t level) const;

  /// The column with every value replaced by its label at `level`, as a categorical column
  /// (missing stays missing; numeric columns are matched by their shortest decimal text).
  /// Throws InvalidArgument listing up to ten values the hierarchy does not cover.
  Column apply(const Column& column, std::size_t level) const;

  /// Index (row of the hierarchy, from 0) of an original value, or nullopt if not covered.
  std::optional<std::size_t> find(std::string_view value) const;
  /// The label at `level` of the value with index `value_index` (level 0: the value itself).
  const std::string& label(std::size_t value_index, std::size_t level) const;
  /// Distinct values of `column` (as Column::format writes them, missing excluded) that the
  /// hierarchy does not cover, in order of first appearance, at most `limit`.
  std::vector<std::string> uncovered(const Column& column, std::size_t limit = 10) const;
  /// Throws InvalidArgument if the hierarchy does not cover every value of `column`, naming the
  /// hierarchy, `what` (default: "column '<name>'") and up to ten uncovered values in order of
  /// first appearance. The one check behind apply() and the anonymisation methods.
  void require_covers(const Column& column, const std::string& what = "") const;

 private:
  std::string attribute_;
  std::vector<std::vector<std::string>> labels_;  // [level][value index]
  std::unordered_map<std::string, std::size_t> index_;
};

/// Builders for common hierarchies. Each returns a validated Hierarchy whose last level is "*".
/// Explicit groupings are rows given to Hierarchy::from_rows.
namespace hierarchies {

/// Numeric intervals of growing width, e.g. widths {5, 10, 20}: 37 -> "35-39" -> "30-39" ->
/// "20-39" -> "*". Each width must be a whole multiple of the one before (so levels nest), and
/// intervals start at multiples of the width from `origin`. Whole-number data get labels
/// "lo-hi"; other data "[lo, hi)". Values below `bottom` become "<bottom" and values at or above
/// `top` become ">=top" at every level (bottom and top coding); NaN disables either. Values are
/// labelled by their shortest decimal text at level 0, as Column::format writes them.
Hierarchy intervals(const std::string& attribute, const std::vector<double>& values,
                    const std::vector<double>& widths, double origin = 0, double bottom = std::nan(""),
                    double top = std::nan(""));

/// ISO dates "YYYY-MM-DD" -> "YYYY-MM" -> "YYYY-Qn" -> "YYYY" -> "*". InvalidArgument names the
/// first value that is not a valid calendar date.
Hierarchy dates(const std::string& attribute, const std::vector<std::string>& values);

/// UK postcodes, as the ONS publishes them coarser: "SW1A 1AA" -> "SW1A" (outward code) -> "SW1"
/// -> "SW" (area) -> "*"; a label that is already the area repeats until the top.
Hierarchy postcodes(const std::string& attribute, const std::vector<std::string>& values);

/// Masking from the right, one character per level: "SW1A" -> "SW1*" -> "SW**" -> "S***" ->
/// "****" -> "*" (as many levels as the longest value needs).
Hierarchy mask_right(const std::string& attribute, const std::vector<std::string>& values, char mask = '*');

}  // namespace hierarchies

/// Reads an ARX-style hierarchy file (`;`-separated unless another delimiter is given; quoted
/// fields allowed). ParseError for malformed text, InvalidArgument for an invalid hierarchy.
Hierarchy read_hierarchy(const std::string& path, const std::string& attribute, char delimiter = ';');

/// The same for hierarchy text in memory; `name` stands for the file in errors.
Hierarchy parse_hierarchy(std::string_view text, const std::string& attribute, char delimiter = ';',
                          const std::string& name = "<text>");

}  // namespace sdcore
