#pragma once
// Seeded count tables for the table benchmarks (bench_secondary.cpp, bench_rounding.cpp): flat and
// two-level dimensions, inner cells uniform on 1..max_value, every other cell the sum below it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sdcore/tabular.hpp"

namespace sdcore_bench {

inline std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A count table over `dims` whose inner cells (leaves in every dimension) are uniform on
// 1..max_value (seeded), so that 7 / max_value of them fall under the 1..7 rule; every other cell
// is the sum of the inner cells below it.
inline sdcore::Tabulation seeded_table(std::vector<sdcore::Dimension> dims, std::uint64_t seed, std::uint64_t max_value) {
  std::size_t n = 1;
  for (const auto& d : dims) n *= d.size();
  const sdcore::Tabulation shape(dims, std::vector<sdcore::TabularCell>(n), "count");
  std::vector<sdcore::TabularCell> cells(n);
  std::vector<std::size_t> up(dims.size());
  for (std::size_t i = 0; i < n; ++i) {
    cells[i].records = cells[i].contributors = -1;  // a count table: the frequency is the value
    if (!shape.is_inner(i)) continue;
    const double v = static_cast<double>(1 + splitmix(seed) % max_value);
    // Add v to every cell above: each combination of the inner cell's ancestors (itself included).
    const std::vector<std::size_t> at = shape.nodes(i);
    std::vector<std::vector<std::size_t>> chains(dims.size());
    for (std::size_t d = 0; d < dims.size(); ++d) {
      for (std::size_t node = at[d];; node = dims[d].parent(node)) {
        chains[d].push_back(node);
        if (node == dims[d].root()) break;
      }
    }
    std::vector<std::size_t> k(dims.size(), 0);
    while (true) {
      for (std::size_t d = 0; d < dims.size(); ++d) up[d] = chains[d][k[d]];
      cells[shape.index(up)].value += v;
      std::size_t d = dims.size();
      while (d-- > 0 && ++k[d] == chains[d].size()) k[d] = 0;
      if (d == static_cast<std::size_t>(-1)) break;
    }
  }
  return sdcore::Tabulation(std::move(dims), std::move(cells), "count");
}

inline std::vector<std::string> codes(const std::string& prefix, std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

// `groups` groups of `per_group` codes under one total.
inline sdcore::Dimension two_level(const std::string& name, std::size_t groups, std::size_t per_group) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::string group = name + "g" + std::to_string(g);
    for (std::size_t i = 0; i < per_group; ++i) pairs.emplace_back(group + "_" + std::to_string(i), group);
    pairs.emplace_back(group, "Total");
  }
  pairs.emplace_back("Total", "");
  return sdcore::Dimension::from_parents(name, pairs);
}

}  // namespace sdcore_bench
