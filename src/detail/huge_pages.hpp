#pragma once
// Memory for the kernels' large, randomly accessed tables (class id tables, hash indexes), asked
// of the kernel in 2 MiB pages where Linux offers transparent huge pages on request
// (/sys/kernel/mm/transparent_hugepage/enabled = madvise, Debian's default). A 32 MiB index then
// costs 16 page faults instead of 8,192, and its random accesses one TLB entry per 2 MiB: on the
// benchmark machine the faults of fresh tables were a fifth of the class count's time when the
// classes are many (bench/README.md). Elsewhere, and below 4 MiB, it is std::allocator.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace sdcore::detail {

inline constexpr std::size_t kHugePage = std::size_t{1} << 21;
inline constexpr std::size_t kHugeMin = std::size_t{1} << 22;

// Asks for huge pages on the whole 2 MiB-aligned pages inside [p, p + bytes) of memory not yet
// touched (a no-op where unsupported; advice only, so failure is harmless).
inline void advise_huge_pages([[maybe_unused]] void* p, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < kHugeMin) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

template <class T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() noexcept = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)

  T* allocate(std::size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    if (bytes >= kHugeMin) {
      // One huge page more than needed, so that the block can start on a 2 MiB boundary; the
      // unused head and tail are returned at once.
      const std::size_t mapped = round_up(bytes) + kHugePage;
      void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (raw == MAP_FAILED) throw std::bad_alloc();
      const auto base = reinterpret_cast<std::uintptr_t>(raw);
      const auto aligned = (base + kHugePage - 1) & ~(kHugePage - 1);
      const std::size_t head = aligned - base, tail = mapped - head - round_up(bytes);
      if (head > 0) munmap(raw, head);
      if (tail > 0) munmap(reinterpret_cast<void*>(aligned + round_up(bytes)), tail);
      madvise(reinterpret_cast<void*>(aligned), round_up(bytes), MADV_HUGEPAGE);
      return reinterpret_cast<T*>(aligned);
    }
#endif
    return std::allocator<T>().allocate(n);
  }

  void deallocate(T* p, std::size_t n) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const std::size_t bytes = n * sizeof(T);
    if (bytes >= kHugeMin) {
      munmap(static_cast<void*>(p), round_up(bytes));
      return;
    }
#endif
    std::allocator<T>().deallocate(p, n);
  }

  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }

 private:
  static std::size_t round_up(std::size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }
};

}  // namespace sdcore::detail
