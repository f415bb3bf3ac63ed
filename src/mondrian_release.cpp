// Mondrian's output: partitions numbered by first appearance, one published summary per
// partition and quasi-identifier, and the loss measures (see detail/mondrian_parts.hpp).

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>

#include "detail/column_access.hpp"
#include "detail/mondrian_parts.hpp"

namespace sdcore::detail::mondrian {
namespace {

// The final partitions: leaf i is records start[i]..start[i+1] (record order); leaf[id] is the
// leaf of partition `id`, ids being in order of first appearance (smallest row).
struct Leaves {
  std::vector<std::size_t> start, leaf;
  std::size_t size() const { return leaf.size(); }
};

Leaves number_partitions(Records& rec, const std::vector<std::uint8_t>& leaf_start, std::size_t threads,
                         std::vector<std::int32_t>& partition) {
  Leaves out;
  const std::size_t n = leaf_start.size();
  for (std::size_t q = 0; q < n; ++q) if (leaf_start[q]) out.start.push_back(q);
  out.start.push_back(n);
  const std::size_t count = out.start.size() - 1;
  std::vector<Ord> first(count, std::numeric_limits<Ord>::max());
  in_chunks(threads, count, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      for (std::size_t q = out.start[i]; q < out.start[i + 1]; ++q) {
        first[i] = std::min(first[i], rec.at(q)[0]);
      }
    }
  });
  out.leaf.resize(count);
  std::iota(out.leaf.begin(), out.leaf.end(), std::size_t{0});
  std::sort(out.leaf.begin(), out.leaf.end(),
            [&](std::size_t a, std::size_t b) { return first[a] < first[b]; });
  std::vector<std::int32_t> id_of(count);
  for (std::size_t id = 0; id < count; ++id) id_of[out.leaf[id]] = static_cast<std::int32_t>(id);
  partition.resize(n);
  in_chunks(threads, count, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      for (std::size_t q = out.start[i]; q < out.start[i + 1]; ++q) partition[rec.at(q)[0]] = id_of[i];
    }
  });
  return out;
}

// The published columns. Leaves are summarised in record order (sequential memory, in parallel
// chunks) into one key per leaf and QI: numeric lo << 32 | hi, hierarchy level << 32 | node,
// category set a bit mask (up to 64 categories) or the offset of the set in `sets_`. Each QI is
// then published on its own: keys get category codes in partition-id order, so categories are
// numbered by first appearance.
class Release {
 public:
  Release(const std::vector<Dim>& dims, const Leaves& leaves, std::size_t rows)
      : dims_(dims), leaves_(leaves), d_(dims.size()), key_(leaves.size() * d_), ncp_(leaves.size()),
        large_(d_, kNone) {
    std::size_t m = 0;
    for (std::size_t j = 0; j < d_; ++j) {
      if (dims[j].kind == Kind::kOrdered && dims[j].card > 64) large_[j] = m++;
    }
    sets_.resize(m * (rows + leaves.size()));
  }

  // Summarises leaves [begin, end), one pass over each; disjoint ranges may run concurrently.
  void summarise(Records& rec, std::size_t begin, std::size_t end) {
    std::vector<Ord> lo(d_), hi(d_);
    std::vector<std::vector<Ord>> stamp(d_);
    for (std::size_t j = 0; j < d_; ++j) if (large_[j] != kNone) stamp[j].assign(dims_[j].card, 0);
    for (std::size_t i = begin; i < end; ++i) {
      std::uint64_t* key = key_.data() + i * d_;
      std::fill(lo.begin(), lo.end(), std::numeric_limits<Ord>::max());
      std::fill(hi.begin(), hi.end(), 0);
      for (std::size_t j = 0; j < d_; ++j) key[j] = large_[j] == kNone ? 0 : set_at(j, i);
      for (std::size_t q = leaves_.start[i]; q < leaves_.start[i + 1]; ++q) {
        const Ord* r = rec.at(q) + 1;
        for (std::size_t j = 0; j < d_; ++j) {
          lo[j] = std::min(lo[j], r[j]), hi[j] = std::max(hi[j], r[j]);
          if (dims_[j].kind != Kind::kOrdered) continue;
          if (large_[j] == kNone) {
            key[j] |= std::uint64_t{1} << r[j];
          } else if (stamp[j][r[j]] != i + 1) {
            stamp[j][r[j]] = static_cast<Ord>(i + 1);
            Ord& size = sets_[key[j]];
            sets_[key[j] + 1 + size++] = r[j];
          }
        }
      }
      ncp_[i] = finish(key, lo, hi);
    }
  }

  // NCP of leaf i summed over the QIs.
  double ncp(std::size_t i) const { return ncp_[i]; }

  // The published column of QI j; different QIs may be published concurrently.
  Column publish(std::size_t j, const std::string& name, const std::vector<std::int32_t>& partition) const {
    std::unordered_map<std::uint64_t, std::int32_t> ids;
    std::unordered_map<std::string, std::int32_t> set_ids;
    std::vector<std::string> categories;
    std::vector<std::int32_t> code(leaves_.size());
    for (std::size_t id = 0; id < code.size(); ++id) {
      const std::uint64_t key = key_[leaves_.leaf[id] * d_ + j];
      const auto next = static_cast<std::int32_t>(categories.size());
      std::pair<std::int32_t, bool> got;
      if (large_[j] == kNone) {
        const auto [at, added] = ids.try_emplace(key, next);
        got = {at->second, added};
      } else {
        const Ord* set = sets_.data() + key;
        std::string bytes(reinterpret_cast<const char*>(set), (set[0] + 1) * sizeof(Ord));
        const auto [at, added] = set_ids.try_emplace(std::move(bytes), next);
        got = {at->second, added};
      }
      if (got.second) categories.push_back(label(j, key));
      code[id] = got.first;
    }
    std::vector<std::int32_t> codes(partition.size());
    for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = code[static_cast<std::size_t>(partition[i])];
    return detail::ColumnAccess::categorical_trusted(name, std::move(codes), std::move(categories));
  }

 private:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  // Where leaf i's set of QI j goes: room for its size and up to one ordinal per record.
  std::uint64_t set_at(std::size_t j, std::size_t i) const {
    return large_[j] * (leaves_.start.back() + leaves_.size()) + leaves_.start[i] + i;
  }

  // Completes the keys of a leaf from its ordinal bounds; returns its NCP summed over the QIs.
  double finish(std::uint64_t* key, const std::vector<Ord>& lo, const std::vector<Ord>& hi) {
    double ncp = 0;
    for (std::size_t j = 0; j < d_; ++j) {
      const Dim& dim = dims_[j];
      if (dim.kind == Kind::kOrdered) {
        std::size_t size = std::size_t(std::popcount(key[j]));
        if (large_[j] != kNone) {
          Ord* set = sets_.data() + key[j];
          std::sort(set + 1, set + 1 + set[0]);
          size = set[0];
        }
        ncp += size > 1 ? double(size) / double(dim.card) : 0.0;
        continue;
      }
      if (dim.kind == Kind::kNumeric) {
        key[j] = std::uint64_t{lo[j]} << 32 | hi[j];
      } else {
        const std::size_t level = lca_level(dim, lo[j], hi[j]);
        key[j] = std::uint64_t{level} << 32 | dim.node[level][lo[j]];
      }
      ncp += width(dim, lo[j], hi[j]);
    }
    return ncp;
  }

  std::string label(std::size_t j, std::uint64_t key) const {
    const Dim& dim = dims_[j];
    const auto a = static_cast<Ord>(key >> 32), b = static_cast<Ord>(key);
    if (dim.kind == Kind::kNumeric) {
      const std::string low = format_number(dim.values[a]);
      return a == b ? low : low + "-" + format_number(dim.values[b]);
    }
    if (dim.kind == Kind::kHierarchy) return dim.label[a][b];
    std::vector<Ord> set;
    if (large_[j] != kNone) {
      const Ord* first = sets_.data() + key + 1;
      set.assign(first, first + sets_[key]);
    } else {
      for (std::uint64_t m = key; m != 0; m &= m - 1) set.push_back(static_cast<Ord>(std::countr_zero(m)));
    }
    if (set.size() == 1) return dim.names[set[0]];
    std::string text = "{";
    for (Ord o : set) text += (text.size() > 1 ? "," : "") + dim.names[o];
    return text + "}";
  }

  const std::vector<Dim>& dims_;
  const Leaves& leaves_;
  std::size_t d_;
  std::vector<std::uint64_t> key_;  // [leaf * d + j]
  std::vector<double> ncp_;
  std::vector<std::size_t> large_;  // for a QI with a set of more than 64 categories: its index among them
  std::vector<Ord> sets_;
};


}  // namespace

// Numbers the partitions, publishes the quasi-identifiers and measures the loss.
MondrianResult build_result(const Table& table, const std::vector<std::string>& qis,
                            const std::vector<Dim>& dims, Records& rec,
                            const std::vector<std::uint8_t>& leaf_start, std::size_t threads) {
  MondrianResult out;
  const std::size_t n = table.num_rows(), d = qis.size();
  const Leaves leaves = number_partitions(rec, leaf_start, threads, out.partition);
  out.num_partitions = leaves.size();
  Release release(dims, leaves, n);
  in_chunks(threads, leaves.size(), [&](std::size_t b, std::size_t e) { release.summarise(rec, b, e); });
  double ncp = 0;  // summed in record order whatever the threads, so bit for bit the same
  const auto records = static_cast<std::int64_t>(rec.count(0, n));
  out.min_partition_size = records;
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const auto size = static_cast<std::int64_t>(rec.count(leaves.start[i], leaves.start[i + 1]));
    ncp += release.ncp(i) * double(size);
    out.discernibility += size * size;
    out.min_partition_size = std::min(out.min_partition_size, size);
  }
  out.ncp = ncp / (double(records) * double(d));
  std::vector<std::optional<Column>> published(d);
  in_chunks(threads, d, [&](std::size_t b, std::size_t e) {
    for (std::size_t j = b; j < e; ++j) published[j].emplace(release.publish(j, qis[j], out.partition));
  });
  for (const Column& c : table.columns()) {
    const auto j = static_cast<std::size_t>(std::find(qis.begin(), qis.end(), c.name()) - qis.begin());
    out.table.add_column(j < d ? std::move(*published[j]) : c);
  }
  return out;
}

}  // namespace sdcore::detail::mondrian
