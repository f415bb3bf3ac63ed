#pragma once
// A counter-based random stream: the draw for (seed, index) is a fixed function of the two, so a
// method that draws one number per cell gives every cell the same draw whatever the other cells
// are and in whatever order they are visited, on every platform (no std distributions, whose
// mapping is implementation-defined).

#include <cstdint>

namespace sdcore::detail {

// The splitmix64 finaliser (Steele, Lea & Flood 2014): a bijection of 64-bit words whose output
// passes BigCrush when fed a counter.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// 64 random bits for draw `index` of stream `seed`.
constexpr std::uint64_t counter_bits(std::uint64_t seed, std::uint64_t index) noexcept {
  return mix64(mix64(seed + 0x9e3779b97f4a7c15ULL) ^ (index * 0x9e3779b97f4a7c15ULL + 0x6a09e667f3bcc909ULL));
}

// A double uniform on [0, 1) with 53 random bits: the top 53 bits scaled exactly by 2^-53.
constexpr double counter_uniform(std::uint64_t seed, std::uint64_t index) noexcept {
  return static_cast<double>(counter_bits(seed, index) >> 11) * 0x1.0p-53;
}

}  // namespace sdcore::detail
