#pragma once
// SUDA2's recursive search for minimal sample uniques (Manning, Haglin & Keane 2008).
//
// An item is a (key, code) pair with the sorted list of records holding it. Items are ranked by
// support; every MSU is found exactly once, at its lowest-ranked item I: the records holding I
// form a sub-dataset over the items ranked after I, whose MSUs S are found recursively, and
// S + {I} is an MSU of the parent exactly when S alone is not unique there. The paper's pruning
// properties are used:
//  - uniqueness: an item held by one record is a 1-MSU and takes no further part;
//  - an item held by every record of a (sub-)dataset can complete no MSU and is dropped;
//  - perfect correlation: items with identical record lists are searched once and the MSUs of
//    the representative are copied to its twins;
//  - an item without a unique record (all its records duplicated) can be in no MSU and is
//    dropped, as is a whole branch without a unique record.
// The paper tests "S alone is not unique in the parent" on the way up, by scanning the parent's
// records. Nearly every such test passes, yet the scans cost a third of the time, so instead
// every candidate climbs to the top, where it is a set unique in the data, and is tested once:
// a unique set is an MSU exactly when no other unique set of the same record lies inside it,
// and every MSU of the record is among the candidates. A record's items are one per key, so
// candidates are key bitmasks and the test is a subset test between masks.
//
// Records are the distinct key patterns, weighted 1 (unique) or 2 (held by two or more rows):
// only "one" versus "more" ever matters. Each recursion depth owns reusable buffers, so the hot
// loops do not allocate once the buffers have grown.

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "sdcore/progress.hpp"
#include "sdcore/span.hpp"

namespace sdcore::detail {

// The records SUDA2 searches.
struct SudaPatterns {
  std::size_t num_keys = 0;
  std::size_t size = 0;
  std::vector<std::int32_t> codes;         // pattern-major, size * num_keys, -1 = missing
  std::vector<std::uint8_t> weight;        // 1 = unique pattern, 2 = held by several rows
  std::vector<std::uint32_t> item_offset;  // item id of (key j, code c) = item_offset[j] + c
};

// Calls sink(pattern, groups) once per MSU of the full data: groups[i] lists the items that
// may fill the MSU's i-th place (a representative and its perfectly correlated twins), so the
// call stands for prod |groups[i]| MSUs of size groups.size().
template <class Sink>
class Suda2Search {
 public:
  Suda2Search(const SudaPatterns& data, int max_size, Sink& sink,
              const ProgressCallback* progress = nullptr)
      : data_(data), max_size_(max_size), sink_(sink), progress_(progress) {
    const std::uint32_t num_items = data.item_offset.back();
    item_key_.resize(num_items);
    for (std::size_t j = 0; j < data.num_keys; ++j) {
      for (std::uint32_t g = data.item_offset[j]; g < data.item_offset[j + 1]; ++g) {
        item_key_[g] = static_cast<std::uint32_t>(j);
      }
    }
    levels_.resize(static_cast<std::size_t>(max_size) + 1);  // a depth's index is made on first use
  }

  void run() {
    build_top();
    if (max_size_ >= 2) search(0, max_size_);
    keep_minimal();
  }

 private:
  struct Item {
    std::uint32_t id = 0;                  // item id
    std::uint32_t begin = 0, end = 0;      // its records in the level's member buffer
    std::uint32_t weight = 0, uniques = 0;  // summed record weight; records of weight 1
    std::uint32_t twins_begin = 0, twins_end = 0;  // twins in the level's twin buffer
    std::uint64_t hash = 0;
  };
  struct Msu {
    std::uint32_t pattern, begin, size;  // items in the level's msu_items
  };
  // A (sub-)dataset and the scratch used to derive its children.
  struct Level {
    std::vector<std::uint32_t> members, twins, msu_items, touched;
    std::vector<Item> items, staging;
    std::vector<Msu> msus;
    std::vector<std::int32_t> local;  // item id -> rank in items, -1 if absent
    std::vector<std::uint32_t> count, wsum, uniq, single, slot, order;
    std::vector<std::uint64_t> hash;
    std::vector<std::uint32_t> keys;  // keys with an item in this level
    std::vector<std::pair<std::uint32_t, std::uint32_t>> hits;
  };
  static constexpr std::uint64_t kHashSeed = 1469598103934665603ULL;
  static std::uint64_t mix(std::uint64_t h, std::uint32_t p) {
    return (h ^ p) * 1099511628211ULL;
  }

  const std::int32_t* row(std::uint32_t p) const { return data_.codes.data() + p * data_.num_keys; }
  std::uint32_t item_of(std::size_t key, std::int32_t code) const {
    return data_.item_offset[key] + static_cast<std::uint32_t>(code);
  }

  // Level 0: every item of the data, by a counting sort of the patterns.
  void build_top() {
    Level& top = levels_[0];
    const std::uint32_t num_items = data_.item_offset.back();
    std::vector<std::uint32_t> start(num_items + 1, 0);
    std::uint32_t total_weight = 0;
    for (std::uint32_t p = 0; p < data_.size; ++p) {
      total_weight += data_.weight[p];
      for (std::size_t j = 0; j < data_.num_keys; ++j) {
        if (row(p)[j] >= 0) ++start[item_of(j, row(p)[j]) + 1];
      }
    }
    std::partial_sum(start.begin(), start.end(), start.begin());
    top.members.resize(start.back());
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    top.staging.assign(num_items, Item{});
    for (std::uint32_t g = 0; g < num_items; ++g) top.staging[g].hash = kHashSeed;
    for (std::uint32_t p = 0; p < data_.size; ++p) {
      for (std::size_t j = 0; j < data_.num_keys; ++j) {
        if (row(p)[j] < 0) continue;
        const std::uint32_t g = item_of(j, row(p)[j]);
        Item& it = top.staging[g];
        top.members[fill[g]++] = p;
        it.weight += data_.weight[p];
        it.uniques += data_.weight[p] == 1;
        it.hash = mix(it.hash, p);
      }
    }
    std::uint32_t kept = 0;
    for (std::uint32_t g = 0; g < num_items; ++g) {
      Item it = top.staging[g];
      it.id = g;
      it.begin = start[g];
      it.end = start[g + 1];
      if (it.weight == 1) {
        const std::uint32_t one[1] = {g};
        const Span<const std::uint32_t> group(one, 1);
        sink_(top.members[it.begin], Span<const Span<const std::uint32_t>>(&group, 1));
      } else if (it.weight < total_weight && it.uniques > 0) {
        top.staging[kept++] = it;
      }
    }
    top.staging.resize(kept);
    group_and_rank(top);
  }

  // Turns level.staging into level.items: items with identical record lists are merged into
  // their first member (the others recorded as its twins); the representatives are ranked by
  // support, ties by item id, and indexed in level.local.
  void group_and_rank(Level& level) {
    std::vector<Item>& st = level.staging;
    auto& order = level.order;
    order.resize(st.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const Item &x = st[a], &y = st[b];
      if (x.weight != y.weight) return x.weight < y.weight;
      if (x.end - x.begin != y.end - y.begin) return x.end - x.begin < y.end - y.begin;
      if (x.hash != y.hash) return x.hash < y.hash;
      return x.id < y.id;
    });
    level.items.clear();
    level.twins.clear();
    auto same_records = [&](const Item& x, const Item& y) {
      return x.weight == y.weight && x.hash == y.hash && x.end - x.begin == y.end - y.begin &&
             std::equal(level.members.begin() + x.begin, level.members.begin() + x.end,
                        level.members.begin() + y.begin);
    };
    for (std::size_t a = 0; a < order.size();) {
      std::size_t b = a + 1;
      while (b < order.size() && st[order[b]].weight == st[order[a]].weight &&
             st[order[b]].hash == st[order[a]].hash) {
        ++b;
      }
      // Usually a run of one; otherwise split it into classes of equal record lists.
      for (std::size_t r = a; r < b; ++r) {
        if (st[order[r]].id == UINT32_MAX) continue;  // already taken as a twin
        Item rep = st[order[r]];
        rep.twins_begin = static_cast<std::uint32_t>(level.twins.size());
        for (std::size_t t = r + 1; t < b; ++t) {
          Item& other = st[order[t]];
          if (other.id != UINT32_MAX && same_records(rep, other)) {
            level.twins.push_back(other.id);
            other.id = UINT32_MAX;
          }
        }
        rep.twins_end = static_cast<std::uint32_t>(level.twins.size());
        level.items.push_back(rep);
      }
      a = b;
    }
    std::sort(level.items.begin(), level.items.end(), [](const Item& x, const Item& y) {
      return x.weight != y.weight ? x.weight < y.weight : x.id < y.id;
    });
    const std::size_t n = level.items.size();
    if (level.local.empty()) level.local.assign(data_.item_offset.back(), -1);
    level.keys.clear();
    for (std::size_t i = 0; i < n; ++i) {
      level.local[level.items[i].id] = static_cast<std::int32_t>(i);
      level.keys.push_back(item_key_[level.items[i].id]);
    }
    std::sort(level.keys.begin(), level.keys.end());
    level.keys.erase(std::unique(level.keys.begin(), level.keys.end()), level.keys.end());
    for (auto* v : {&level.count, &level.wsum, &level.uniq, &level.single}) v->assign(n, 0);
    level.slot.assign(n, UINT32_MAX);
    level.hash.assign(n, kHashSeed);
  }

  void clear(Level& level) {
    for (const Item& it : level.items) level.local[it.id] = -1;
    level.items.clear();
    level.staging.clear();
    level.members.clear();
    level.twins.clear();
    level.msus.clear();
    level.msu_items.clear();
  }

  void emit(Level& level, std::uint32_t pattern, Span<const std::uint32_t> items,
            std::uint32_t extra) {
    level.msus.push_back(Msu{pattern, static_cast<std::uint32_t>(level.msu_items.size()),
                             static_cast<std::uint32_t>(items.size() + 1)});
    level.msu_items.insert(level.msu_items.end(), items.begin(), items.end());
    level.msu_items.push_back(extra);
  }

  // Builds level d + 1: the records of item i of level d over the items ranked after i. Pairs
  // {i, J} held by a single unique record are emitted as 2-MSUs of level d directly. Lists are
  // kept only when the child will be searched (`deeper`). Returns the number of child items.
  std::size_t build_child(std::size_t d, std::uint32_t i, bool deeper) {
    Level& lv = levels_[d];
    Level& child = levels_[d + 1];
    clear(child);
    const Item self = lv.items[i];
    count_pass(lv, self, i, deeper);
    const std::uint32_t total = classify(lv, child, self, deeper);
    if (!child.staging.empty()) {
      child.members.resize(total);
      for (const auto& [k, p] : lv.hits) {
        if (lv.slot[k] != UINT32_MAX) child.members[child.staging[lv.slot[k]].begin + lv.count[k]++] = p;
      }
    }
    for (std::uint32_t k : lv.touched) {
      lv.count[k] = lv.wsum[k] = lv.uniq[k] = 0;
      lv.slot[k] = UINT32_MAX;
      lv.hash[k] = kHashSeed;
    }
    group_and_rank(child);
    return child.items.size();
  }

  // Visits each record of `self` once and tallies it under its items ranked after rank i:
  // count, weight, unique records, list hash. Records the (item, record) hits for the fill.
  void count_pass(Level& lv, const Item& self, std::uint32_t i, bool deeper) {
    lv.touched.clear();
    lv.hits.clear();
    for (std::uint32_t m = self.begin; m < self.end; ++m) {
      const std::uint32_t p = lv.members[m];
      const std::uint32_t w = data_.weight[p];
      const std::int32_t* r = row(p);
      for (std::uint32_t j : lv.keys) {
        if (r[j] < 0) continue;
        const std::int32_t at = lv.local[item_of(j, r[j])];
        if (at <= static_cast<std::int32_t>(i)) continue;  // absent, self, or ranked before
        const auto k = static_cast<std::uint32_t>(at);
        if (lv.count[k]++ == 0) lv.touched.push_back(k);
        lv.wsum[k] += w;
        if (w == 1) {
          ++lv.uniq[k];
          lv.single[k] = p;
        }
        lv.hash[k] = mix(lv.hash[k], p);
        if (deeper) lv.hits.push_back({k, p});
      }
    }
  }

  // Sorts the tallied items: dropped (they cover all of self's records, or none of their
  // records is unique), 2-MSUs {self, J} (one unique record), or items of the child, whose
  // list ranges are laid out here. Returns the total length of the child's lists.
  std::uint32_t classify(Level& lv, Level& child, const Item& self, bool deeper) {
    std::uint32_t next = 0;
    for (std::uint32_t k : lv.touched) {
      if (lv.wsum[k] == self.weight || lv.uniq[k] == 0) continue;
      if (lv.wsum[k] == 1) {
        const std::uint32_t id = lv.items[k].id;
        emit(lv, lv.single[k], Span<const std::uint32_t>(&id, 1), self.id);
      } else if (deeper) {
        lv.slot[k] = static_cast<std::uint32_t>(child.staging.size());
        Item it;
        it.id = lv.items[k].id;
        it.weight = lv.wsum[k];
        it.uniques = lv.uniq[k];
        it.hash = lv.hash[k];
        it.begin = next;
        next += lv.count[k];
        it.end = next;
        child.staging.push_back(it);
        lv.count[k] = 0;  // from here on the fill cursor
      }
    }
    return next;
  }

  // Level d's MSUs ranked from item i onwards; level d + 1 is scratch for the recursion.
  void search(std::size_t d, int budget) {
    Level& lv = levels_[d];
    for (std::uint32_t i = 0; i < lv.items.size(); ++i) {
      const bool deeper = budget >= 3;
      if (build_child(d, i, deeper) >= 2 && deeper) {
        search(d + 1, budget - 1);
        extend(d, i);
      }
      if (d == 0) {
        flush_top();
        if (progress_ != nullptr && *progress_) (*progress_)(i + 1, lv.items.size());
      }
    }
  }

  // Candidates S of level d + 1 (the records of item i), each copied to every combination of
  // twins, become candidates S + {i} of level d.
  void extend(std::size_t d, std::uint32_t i) {
    Level& lv = levels_[d];
    const Level& child = levels_[d + 1];
    const std::uint32_t self = lv.items[i].id;
    std::uint32_t choice[64], pick[64];
    for (const Msu& msu : child.msus) {
      const std::uint32_t* reps = child.msu_items.data() + msu.begin;
      for (std::uint32_t a = 0; a < msu.size; ++a) pick[a] = 0;
      for (;;) {
        for (std::uint32_t a = 0; a < msu.size; ++a) {
          const Item& rep = child.items[static_cast<std::size_t>(child.local[reps[a]])];
          choice[a] = pick[a] == 0 ? rep.id : child.twins[rep.twins_begin + pick[a] - 1];
        }
        emit(lv, msu.pattern, Span<const std::uint32_t>(choice, msu.size), self);
        std::uint32_t a = 0;  // odometer over the twin choices
        for (; a < msu.size; ++a) {
          const Item& rep = child.items[static_cast<std::size_t>(child.local[reps[a]])];
          if (++pick[a] <= rep.twins_end - rep.twins_begin) break;
          pick[a] = 0;
        }
        if (a == msu.size) break;
      }
    }
  }

  // Moves level 0's candidates, unique sets of the data, to the candidate list as key masks.
  void flush_top() {
    Level& top = levels_[0];
    for (const Msu& msu : top.msus) {
      std::uint64_t mask = 0;
      for (std::uint32_t a = 0; a < msu.size; ++a) {
        mask |= std::uint64_t{1} << item_key_[top.msu_items[msu.begin + a]];
      }
      candidates_.push_back(Candidate{msu.pattern, msu.size, mask});
    }
    top.msus.clear();
    top.msu_items.clear();
  }

  // Keeps the candidates with no other candidate of their record inside them, and hands them to
  // the sink with the twin groups of their items.
  void keep_minimal() {
    std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& x, const Candidate& y) {
      if (x.pattern != y.pattern) return x.pattern < y.pattern;
      return x.size != y.size ? x.size < y.size : x.mask < y.mask;
    });
    std::vector<std::uint64_t> kept;
    for (std::size_t a = 0; a < candidates_.size();) {
      const std::uint32_t p = candidates_[a].pattern;
      kept.clear();
      for (; a < candidates_.size() && candidates_[a].pattern == p; ++a) {
        const std::uint64_t mask = candidates_[a].mask;
        bool minimal = true;
        for (std::uint64_t k : kept) minimal = minimal && (k & mask) != k;
        if (!minimal) continue;
        kept.push_back(mask);
        hand_over(p, mask);
      }
    }
  }

  void hand_over(std::uint32_t p, std::uint64_t mask) {
    const Level& top = levels_[0];
    group_buf_.clear();
    std::size_t size = 0, lens[64];
    for (std::size_t j = 0; j < data_.num_keys; ++j) {
      if (!(mask >> j & 1)) continue;
      const std::uint32_t id = item_of(j, row(p)[j]);
      const Item& rep = top.items[static_cast<std::size_t>(top.local[id])];
      group_buf_.push_back(id);
      group_buf_.insert(group_buf_.end(), top.twins.begin() + rep.twins_begin,
                        top.twins.begin() + rep.twins_end);
      lens[size++] = 1 + rep.twins_end - rep.twins_begin;
    }
    Span<const std::uint32_t> groups[64];
    for (std::size_t a = 0, at = 0; a < size; at += lens[a], ++a) {
      groups[a] = Span<const std::uint32_t>(group_buf_.data() + at, lens[a]);
    }
    sink_(p, Span<const Span<const std::uint32_t>>(groups, size));
  }

  const SudaPatterns& data_;
  const int max_size_;
  Sink& sink_;
  const ProgressCallback* progress_;
  struct Candidate {
    std::uint32_t pattern, size;
    std::uint64_t mask;  // keys of its items
  };
  std::vector<std::uint32_t> item_key_;
  std::vector<Level> levels_;
  std::vector<std::uint32_t> group_buf_;
  std::vector<Candidate> candidates_;
};

}  // namespace sdcore::detail
