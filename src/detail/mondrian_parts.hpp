#pragma once
// Private parts of Mondrian shared by src/mondrian.cpp (the cuts), src/mondrian_encode.cpp
// (arguments and ordinals) and src/mondrian_release.cpp (partition numbering and the published
// columns). See docs/methods/mondrian.md.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "detail/threads.hpp"
#include "sdcore/hierarchy.hpp"
#include "sdcore/mondrian.hpp"
#include "sdcore/table.hpp"

namespace sdcore::detail::mondrian {

using Ord = std::uint32_t;
constexpr std::size_t kHistogramMax = std::size_t{1} << 20;

enum class Kind : std::uint8_t { kNumeric, kOrdered, kHierarchy };

// One quasi-identifier as ordinals 0..card-1.
struct Dim {
  Kind kind = Kind::kOrdered;
  Ord card = 0;
  std::vector<double> values;      // numeric: value of each ordinal
  std::vector<std::string> names;  // ordered, hierarchy: text of each ordinal
  // Hierarchy: node[L][o] is o's node at level L (numbered ascending in o), last[L][n] the last
  // ordinal under node n, label[L][n] its label. Level 0 is the value; the top level is one
  // root "*" above the hierarchy's own levels.
  std::vector<std::vector<Ord>> node, last;
  std::vector<std::vector<std::string>> label;
};

// Lowest level whose node covers ordinals lo..hi (hierarchy dims).
inline std::size_t lca_level(const Dim& d, Ord lo, Ord hi) {
  std::size_t level = 0;
  while (d.node[level][lo] != d.node[level][hi]) ++level;
  return level;
}

// Normalised range of ordinals lo..hi, in [0, 1]; also the NCP of a numeric or hierarchy range.
double width(const Dim& d, Ord lo, Ord hi);

// Records as packed rows: {row, ordinal of each QI, sensitive code (if any), record count (if
// aggregated)}.
struct Records {
  std::vector<Ord> data;
  std::size_t width = 0;
  bool weighted = false;  // the last field is the row's record count
  Ord* at(std::size_t q) { return data.data() + q * width; }
  std::uint64_t count(std::size_t q) const { return weighted ? data[q * width + width - 1] : 1; }
  // Records in rows [b, e).
  std::uint64_t count(std::size_t b, std::size_t e) const {
    if (!weighted) return e - b;
    std::uint64_t sum = 0;
    for (std::size_t q = b; q < e; ++q) sum += data[q * width + width - 1];
    return sum;
  }
};

// How a column's values map to ordinals: through `lookup` by category code, or by value - base
// for whole numbers in a modest span (ages, counts: the usual case); otherwise by binary search
// in the sorted distinct values, then through `remap` if the ordinals were reordered.
struct Mapping {
  Span<const std::int32_t> codes;
  Span<const double> values;
  std::vector<Ord> lookup, remap;
  double base = 0;
  bool search = false;
};

inline Ord ordinal(const Mapping& m, const Dim& dim, std::size_t i) {
  if (m.values.empty()) return m.lookup[static_cast<std::size_t>(m.codes[i])];
  if (!m.search) return m.lookup[static_cast<std::size_t>(m.values[i] - m.base)];
  const auto at = std::lower_bound(dim.values.begin(), dim.values.end(), m.values[i]);
  const auto o = static_cast<Ord>(at - dim.values.begin());
  return m.remap.empty() ? o : m.remap[o];
}

// Encodes a quasi-identifier (reordered depth-first through `h` when given) into `dim`; returns
// how its values map to ordinals.
Mapping encode(const Column& c, const Hierarchy* h, Dim& dim);

// Sensitive values as codes: 0 for missing, 1 + the factorised code otherwise.
struct Sensitive {
  std::vector<Ord> code;
  Ord card = 0;
  std::size_t distinct = 0;  // codes that occur
};

// The columns and hierarchies to use, after every argument has been checked.
struct Plan {
  std::vector<const Column*> qi;
  std::vector<const Hierarchy*> hierarchy;
  std::optional<Sensitive> sensitive;  // only for l > 1
  std::vector<Ord> frequency;          // records per row; empty: one each
};

// Checks every argument before any work (see mondrian.hpp for the errors) and picks the columns.
Plan check_arguments(const Table& table, const std::vector<std::string>& qis, std::int64_t k,
                     const MondrianOptions& opt);

// Runs f(begin, end) on `threads` contiguous chunks of [0, count): the first here, the others on
// threads of their own (here too if none can be had). Callers write disjoint data per index, so
// the result does not depend on the number of threads.
template <class F>
void in_chunks(std::size_t threads, std::size_t count, const F& f) {
  threads = std::max<std::size_t>(1, std::min(threads, count));
  std::vector<std::exception_ptr> errors(threads);
  const auto chunk = [&](std::size_t t) {
    try {
      f(count * t / threads, count * (t + 1) / threads);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t t = 1; t < threads; ++t) start_or_run(pool, chunk, t);
  chunk(0);
  for (std::thread& th : pool) th.join();
  for (const std::exception_ptr& e : errors) if (e) std::rethrow_exception(e);
}

// Numbers the partitions (leaf_start marks the first record of each final partition),
// publishes the quasi-identifiers and measures the loss.
MondrianResult build_result(const Table& table, const std::vector<std::string>& qis,
                            const std::vector<Dim>& dims, Records& rec,
                            const std::vector<std::uint8_t>& leaf_start, std::size_t threads);

}  // namespace sdcore::detail::mondrian
