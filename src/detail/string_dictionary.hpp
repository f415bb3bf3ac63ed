#pragma once
// Interns strings to dense int32 codes in order of first appearance, for dictionary-encoding
// categorical columns. Each distinct string is stored once, in the vector that becomes the
// column's categories; the hash table holds only codes. Given the number of distinct values up
// front (the CSV reader counts them in its first pass) nothing is ever reallocated, so the
// overhead beyond the strings is the slot table alone: 4 bytes x 2-4 slots per distinct value.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sdcore::detail {

class StringDictionary {
 public:
  // `all_distinct`: the caller knows every string it will intern is new (an identifier column),
  // so no table is kept at all.
  explicit StringDictionary(std::size_t expected = 0, bool all_distinct = false)
      : all_distinct_(all_distinct) {
    strings_.reserve(expected);
    if (!all_distinct_) slots_.assign(capacity_for(expected), -1);
  }

  // The code of `s`; a new string gets the next code. -1 if the dictionary is full (2^31-1).
  std::int32_t intern(std::string_view s) {
    if (all_distinct_) return append(s);
    std::size_t i = std::hash<std::string_view>{}(s) & (slots_.size() - 1);
    for (;;) {
      const std::int32_t code = slots_[i];
      if (code < 0) break;
      if (strings_[static_cast<std::size_t>(code)] == s) return code;
      i = (i + 1) & (slots_.size() - 1);
    }
    const std::int32_t code = append(s);
    if (code < 0) return code;
    slots_[i] = code;
    if (2 * strings_.size() > slots_.size()) grow();
    return code;
  }

  std::size_t size() const noexcept { return strings_.size(); }
  // The strings so far, in code order (valid until the next intern).
  const std::vector<std::string>& strings() const noexcept { return strings_; }

  // The strings in code order; the dictionary is left empty.
  std::vector<std::string> release() {
    slots_ = std::vector<std::int32_t>(16, -1);
    return std::move(strings_);
  }

 private:
  std::int32_t append(std::string_view s) {
    if (strings_.size() >= static_cast<std::size_t>(INT32_MAX)) return -1;
    if (strings_.size() == strings_.capacity()) {
      strings_.reserve(strings_.size() + strings_.size() / 4 + 16);  // under-counted: grow gently
    }
    strings_.emplace_back(s);
    return static_cast<std::int32_t>(strings_.size() - 1);
  }

  static std::size_t capacity_for(std::size_t n) {
    std::size_t cap = 16;
    while (cap < 2 * n + 2) cap *= 2;
    return cap;
  }

  // Only when the expected count was too low.
  void grow() {
    slots_.assign(slots_.size() * 2, -1);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t c = 0; c < strings_.size(); ++c) {
      std::size_t i = std::hash<std::string_view>{}(strings_[c]) & mask;
      while (slots_[i] >= 0) i = (i + 1) & mask;
      slots_[i] = static_cast<std::int32_t>(c);
    }
  }

  bool all_distinct_;
  std::vector<std::string> strings_;
  std::vector<std::int32_t> slots_;  // code, or -1 for empty
};

// Counts distinct strings by their 64-bit hashes (a collision, about n^2 / 2^65, only makes the
// count a little low, which StringDictionary absorbs by growing). 8 bytes x 2-4 per value.
class DistinctCounter {
 public:
  void add(std::string_view s) {
    ++added_;
    std::uint64_t h = std::hash<std::string_view>{}(s);
    h |= 1;  // 0 marks an empty slot
    if (slots_.empty()) slots_.assign(64, 0);
    std::size_t i = (h >> 7) & (slots_.size() - 1);
    while (slots_[i] != 0) {
      if (slots_[i] == h) return;
      i = (i + 1) & (slots_.size() - 1);
    }
    slots_[i] = h;
    if (2 * ++size_ > slots_.size()) grow();
  }
  std::size_t size() const noexcept { return size_; }
  // Values added, repeats included. size() == added() proves them all distinct: equal strings
  // hash equal, so distinct hashes mean distinct strings.
  std::size_t added() const noexcept { return added_; }
  void clear() {
    std::vector<std::uint64_t>().swap(slots_);  // `slots_ = {}` would keep the capacity
    size_ = added_ = 0;
  }

 private:
  void grow() {
    std::vector<std::uint64_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (std::uint64_t h : old) {
      if (h == 0) continue;
      std::size_t i = (h >> 7) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = h;
    }
  }
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
  std::size_t added_ = 0;
};

}  // namespace sdcore::detail
