#pragma once
// Open-addressing hash index from 64-bit keys to dense ids 0, 1, 2, ... in order of first
// insertion. Linear probing over a power-of-two table kept at most half full; Fibonacci hashing
// spreads packed keys whose low bits vary little.

#include <cstdint>
#include <vector>

#include "detail/huge_pages.hpp"

namespace sdcore::detail {

class KeyIndex {
 public:
  explicit KeyIndex(std::size_t expected = 1024) { rehash(capacity_for(expected)); }

  // The id of `key`, giving it the next id if it is new. `is_new` tells which.
  std::int32_t insert(std::uint64_t key, bool& is_new) {
    std::size_t i = slot_of(key);
    for (;;) {
      Slot& s = slots_[i];
      if (s.id < 0) {
        s.key = key;
        s.id = static_cast<std::int32_t>(size_++);
        is_new = true;
        const std::int32_t id = s.id;
        if (size_ * 2 > slots_.size()) rehash(slots_.size() * 2);
        return id;
      }
      if (s.key == key) {
        is_new = false;
        return s.id;
      }
      i = (i + 1) & mask_;
    }
  }

  // The id of `key`, or -1.
  std::int32_t find(std::uint64_t key) const {
    std::size_t i = slot_of(key);
    for (;;) {
      const Slot& s = slots_[i];
      if (s.id < 0) return -1;
      if (s.key == key) return s.id;
      i = (i + 1) & mask_;
    }
  }

  // Hint the memory system about the slot `key` will probe, for batched inserts.
  void prefetch(std::uint64_t key) const { __builtin_prefetch(&slots_[slot_of(key)]); }

  std::size_t size() const noexcept { return size_; }

 private:
  struct Slot {
    std::uint64_t key;
    std::int32_t id;
  };

  static std::size_t capacity_for(std::size_t expected) {
    std::size_t cap = 16;
    while (cap < expected * 2) cap *= 2;
    return cap;
  }

  std::size_t slot_of(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  void rehash(std::size_t capacity) {
    std::vector<Slot, HugePageAllocator<Slot>> old = std::move(slots_);
    slots_.assign(capacity, Slot{0, -1});
    mask_ = capacity - 1;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (const Slot& s : old) {
      if (s.id < 0) continue;
      std::size_t i = slot_of(s.key);
      while (slots_[i].id >= 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace sdcore::detail
