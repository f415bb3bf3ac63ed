#pragma once
// Key-column plumbing shared by every module that groups records: reading a code whatever its
// width, and turning named table columns into code views.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"
#include "sdcore/table.hpp"

namespace sdcore::detail {

// Calls f with a value of the code type of `width` (1, 2, 4 or 8 bytes).
template <class F>
decltype(auto) with_code_type(std::uint8_t width, F&& f) {
  switch (width) {
    case 1: return f(std::int8_t{});
    case 2: return f(std::int16_t{});
    case 4: return f(std::int32_t{});
    default: return f(std::int64_t{});
  }
}

inline std::int64_t code_at(const KeyCodes& k, std::size_t row) {
  return with_code_type(k.width, [&](auto t) {
    return static_cast<std::int64_t>(static_cast<const decltype(t)*>(k.data)[row]);
  });
}

// Code views of the named columns; numeric columns are factorised into `keep`, which must
// outlive the views (it is reserved here so the views never dangle).
inline std::vector<KeyCodes> key_views(const Table& table, const std::vector<std::string>& names,
                                       std::vector<Column>& keep) {
  keep.clear();
  keep.reserve(names.size());
  std::vector<KeyCodes> keys;
  for (const auto& name : names) {
    const Column& c = table.column(name);
    const Column* k = c.is_categorical() ? &c : &keep.emplace_back(factorize(c));
    keys.push_back(KeyCodes::of(k->codes(), static_cast<std::int64_t>(k->categories().size())));
  }
  return keys;
}

// What is wrong with a sampling weight ("missing", "infinite", "zero" or "negative"), or nullptr
// when it is positive and finite.
inline const char* weight_fault(double w) {
  if (w > 0 && std::isfinite(w)) return nullptr;
  return std::isnan(w) ? "missing" : std::isinf(w) ? "infinite" : w == 0 ? "zero" : "negative";
}

// The record counts of aggregated rows (each row stands for that many records): a numeric
// column of whole numbers >= 1. Throws InvalidArgument naming the column and the row (1-based).
inline std::vector<std::int64_t> record_counts(const Table& table, const std::string& column) {
  const Column& c = table.column(column);
  if (c.is_categorical()) throw InvalidArgument("frequency column '" + column + "' is not numeric");
  const auto v = c.values();
  std::vector<std::int64_t> count(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!(v[i] >= 1 && v[i] < 4.0e18 && v[i] == std::floor(v[i]))) {
      throw InvalidArgument("frequency column '" + column + "' has the value " + format_number(v[i]) + " in row " +
                            std::to_string(i + 1) + " (1-based); each row must stand for a whole number of "
                            "records, at least 1");
    }
    count[i] = static_cast<std::int64_t>(v[i]);
  }
  return count;
}

}  // namespace sdcore::detail
