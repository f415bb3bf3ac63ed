#include "sdcore/table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_set>

#include "detail/text.hpp"
#include "sdcore/error.hpp"

namespace sdcore {

const char* to_string(ColumnType type) noexcept {
  return type == ColumnType::kCategorical ? "categorical" : "numeric";
}

Column Column::categorical(std::string name, std::vector<std::int32_t> codes,
                           std::vector<std::string> categories) {
  if (categories.size() > static_cast<std::size_t>(INT32_MAX)) {
    throw InvalidArgument("column '" + name + "': too many categories for int32 codes");
  }
  std::unordered_set<std::string_view> seen(categories.size() * 2);
  for (const auto& c : categories) {
    if (!seen.insert(c).second) {
      throw InvalidArgument("column '" + name + "': category " + detail::quote(c) +
                            " appears twice");
    }
  }
  const auto n = static_cast<std::int32_t>(categories.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] < kMissingCode || codes[i] >= n) {
      throw InvalidArgument("column '" + name + "' row " + std::to_string(i) + ": code " +
                            std::to_string(codes[i]) + " outside [-1, " + std::to_string(n) +
                            ")");
    }
  }
  Column col(std::move(name), ColumnType::kCategorical);
  col.codes_ = std::move(codes);
  col.categories_ = std::move(categories);
  return col;
}

Column Column::numeric(std::string name, std::vector<double> values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isinf(values[i])) {
      throw InvalidArgument("column '" + name + "' row " + std::to_string(i) +
                            ": infinite value");
    }
  }
  Column col(std::move(name), ColumnType::kNumeric);
  col.values_ = std::move(values);
  return col;
}

std::size_t Column::size() const noexcept {
  return is_categorical() ? codes_.size() : values_.size();
}

Span<const std::int32_t> Column::codes() const {
  if (!is_categorical()) throw InvalidArgument("column '" + name_ + "' is numeric, not categorical");
  return codes_;
}

const std::vector<std::string>& Column::categories() const {
  if (!is_categorical()) throw InvalidArgument("column '" + name_ + "' is numeric, not categorical");
  return categories_;
}

Span<const double> Column::values() const {
  if (is_categorical()) throw InvalidArgument("column '" + name_ + "' is categorical, not numeric");
  return values_;
}

std::pair<std::vector<std::int32_t>, std::vector<std::string>> Column::release_categorical() && {
  categories();  // throws for a numeric column
  return {std::move(codes_), std::move(categories_)};
}

std::vector<double> Column::release_numeric() && {
  values();  // throws for a categorical column
  return std::move(values_);
}

bool Column::is_missing(std::size_t row) const noexcept {
  return is_categorical() ? codes_[row] == kMissingCode : std::isnan(values_[row]);
}

std::string Column::format(std::size_t row) const {
  if (is_categorical()) {
    const auto code = codes_[row];
    return code == kMissingCode ? std::string() : categories_[static_cast<std::size_t>(code)];
  }
  return format_number(values_[row]);
}

void Table::add_column(Column column) {
  if (find(column.name())) {
    throw InvalidArgument("duplicate column name '" + column.name() + "'");
  }
  if (!columns_.empty() && column.size() != num_rows_) {
    throw InvalidArgument("column '" + column.name() + "' has " + std::to_string(column.size()) +
                          " rows, the table has " + std::to_string(num_rows_));
  }
  num_rows_ = column.size();
  columns_.push_back(std::move(column));
}

std::optional<std::size_t> Table::find(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name() == name) return i;
  }
  return std::nullopt;
}

const Column& Table::column(std::string_view name) const {
  if (auto i = find(name)) return columns_[*i];
  std::string names;
  for (const auto& c : columns_) names += (names.empty() ? "" : ", ") + c.name();
  throw InvalidArgument("no column named '" + std::string(name) + "' (columns: " + names + ")");
}

std::string format_number(double value) {
  if (std::isnan(value)) return {};
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

Column factorize(const Column& column) {
  if (column.is_categorical()) return column;
  auto values = column.values();
  std::vector<double> levels;
  levels.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) levels.push_back(v == 0.0 ? 0.0 : v);  // -0 and +0 are one level
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  std::vector<std::int32_t> codes(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      codes[i] = kMissingCode;
    } else {
      auto it = std::lower_bound(levels.begin(), levels.end(), values[i]);
      codes[i] = static_cast<std::int32_t>(it - levels.begin());
    }
  }
  std::vector<std::string> categories;
  categories.reserve(levels.size());
  for (double v : levels) categories.push_back(format_number(v));
  return Column::categorical(column.name(), std::move(codes), std::move(categories));
}

}  // namespace sdcore
