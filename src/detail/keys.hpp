#pragma once
// Key-column plumbing shared by every module that groups records: reading a code whatever its
// width, and turning named table columns into code views.

#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
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

}  // namespace sdcore::detail
