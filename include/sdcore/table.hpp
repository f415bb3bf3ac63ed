#pragma once
/// \file table.hpp
/// The in-memory data model: a Table of named columns, each either categorical
/// (dictionary-encoded: int32 codes into a list of category strings, -1 = missing) or numeric
/// (double, NaN = missing). This is pandas' Categorical / float64 layout, so the Python
/// bindings hand buffers across without copying.
///
/// Thread-safety: const member functions may be called concurrently; mutation is not
/// synchronised.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdcore/span.hpp"

namespace sdcore {

namespace detail {
struct ColumnAccess;
}

/// Code of a missing value in a categorical column.
inline constexpr std::int32_t kMissingCode = -1;

enum class ColumnType : std::uint8_t { kCategorical, kNumeric };

/// "categorical" or "numeric".
const char* to_string(ColumnType type) noexcept;

/// One named column. Construct with `Column::categorical` or `Column::numeric`, which validate.
class Column {
 public:
  /// Codes must lie in [-1, categories.size()); categories must be distinct.
  /// Throws InvalidArgument otherwise.
  static Column categorical(std::string name, std::vector<std::int32_t> codes,
                            std::vector<std::string> categories);
  /// NaN marks a missing value; infinities are refused (InvalidArgument).
  static Column numeric(std::string name, std::vector<double> values);

  const std::string& name() const noexcept { return name_; }
  ColumnType type() const noexcept { return type_; }
  bool is_categorical() const noexcept { return type_ == ColumnType::kCategorical; }
  std::size_t size() const noexcept;

  /// Codes of a categorical column (InvalidArgument for a numeric one).
  Span<const std::int32_t> codes() const;
  /// Categories of a categorical column (InvalidArgument for a numeric one).
  const std::vector<std::string>& categories() const;
  /// Values of a numeric column (InvalidArgument for a categorical one).
  Span<const double> values() const;

  /// Moves the buffers out of a column that is no longer needed (zero-copy hand-off, e.g. to
  /// numpy). InvalidArgument if the column is of the other type.
  std::pair<std::vector<std::int32_t>, std::vector<std::string>> release_categorical() &&;
  std::vector<double> release_numeric() &&;

  bool is_missing(std::size_t row) const noexcept;
  /// The value as text: the category, or the shortest decimal form that reads back to the same
  /// double. Missing values give an empty string (test with is_missing).
  std::string format(std::size_t row) const;

 private:
  friend struct detail::ColumnAccess;
  Column(std::string name, ColumnType type) : name_(std::move(name)), type_(type) {}
  std::string name_;
  ColumnType type_;
  std::vector<std::int32_t> codes_;
  std::vector<std::string> categories_;
  std::vector<double> values_;
};

/// A list of equally long, uniquely named columns.
class Table {
 public:
  Table() = default;

  /// Appends a column. Throws InvalidArgument if its name is taken or its length differs from
  /// the table's.
  void add_column(Column column);

  std::size_t num_rows() const noexcept { return num_rows_; }
  std::size_t num_columns() const noexcept { return columns_.size(); }
  const std::vector<Column>& columns() const noexcept { return columns_; }
  const Column& column(std::size_t index) const { return columns_.at(index); }

  /// The column called `name`; InvalidArgument naming the columns that do exist otherwise.
  const Column& column(std::string_view name) const;
  std::optional<std::size_t> find(std::string_view name) const noexcept;

  /// Moves the columns out of a table that is no longer needed.
  std::vector<Column> release_columns() && { num_rows_ = 0; return std::move(columns_); }

 private:
  std::vector<Column> columns_;
  std::size_t num_rows_ = 0;
};

/// Shortest decimal text that parses back to exactly `value` ("" for NaN).
std::string format_number(double value);

/// A numeric column recoded as categorical: categories are the distinct values in ascending
/// numeric order, written with format_number. Categorical columns are returned unchanged.
Column factorize(const Column& column);

}  // namespace sdcore
