// Strict multidimensional Mondrian (see mondrian.hpp and docs/methods/mondrian.md).
//
// Every quasi-identifier is first encoded as ordinals 0..card-1: the rank of a numeric value
// among the distinct values present, of a category code among the codes present, or of a value
// in a depth-first order of its hierarchy (so every node covers a contiguous ordinal range).
// Each record becomes a packed row of uint32 {row, ordinal per QI, sensitive code}; a partition
// is a contiguous range of those rows, cut in place by a two-pointer pass that also collects
// both halves' ordinal bounds. Every pass is therefore sequential over the partition's own
// memory; an index permutation into the columns would cost a cache miss per value per level.

#include "sdcore/mondrian.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <limits>
#include <string>
#include <system_error>
#include <thread>

#include "detail/mondrian_parts.hpp"

namespace sdcore {
namespace {

using namespace detail::mondrian;

// What every worker reads, and the byte per leaf start that each writes for its own range.
struct Shared {
  const std::vector<Dim>* dims = nullptr;
  Records* rec = nullptr;
  std::size_t k = 1, l = 1, parallel_min_rows = 0, hist_size = 0;
  Ord sensitive_card = 0;  // 0: no l-diversity
  std::vector<std::uint8_t> leaf_start;
  std::atomic<std::size_t> free_threads{0};
};

// Rows lo..hi-1 of the packed records, standing for `records` records.
struct Part {
  std::size_t lo, hi;
  std::uint64_t records;
  std::size_t size() const { return hi - lo; }
};

// Cuts partitions depth-first from an explicit stack (unbalanced cuts can nest deeply) and hands
// large parts to workers on threads of their own. Nothing is allocated per partition.
class Worker {
 public:
  explicit Worker(Shared& s)
      : s_(s), d_(s.dims->size()), hist_(s.hist_size), cur_(2 * d_), left_(2 * d_), right_(2 * d_),
        order_(d_), seen_left_(s.sensitive_card, 0), seen_right_(s.sensitive_card, 0) {}
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() {
    for (std::thread& t : children_) if (t.joinable()) t.join();
  }

  void run(Part p, const Ord* bounds) {
    push(p, bounds);
    while (!stack_.empty()) {
      const Part q = stack_.back();
      stack_.pop_back();
      std::copy(bounds_.end() - static_cast<std::ptrdiff_t>(2 * d_), bounds_.end(), cur_.begin());
      bounds_.resize(bounds_.size() - 2 * d_);
      process(q);
    }
    for (std::thread& t : children_) t.join();
    for (const std::exception_ptr& e : errors_) if (e) std::rethrow_exception(e);
  }

 private:
  struct Median {
    Ord value;
    std::uint64_t below, upto;  // records with a value < and <= the median
  };

  Ord* row(std::size_t q) const { return s_.rec->at(q); }
  Ord ord(std::size_t q, std::size_t j) const { return row(q)[1 + j]; }

  void push(Part p, const Ord* b) {
    stack_.push_back(p);
    bounds_.insert(bounds_.end(), b, b + 2 * d_);
  }

  void process(Part p) {
    if (p.records >= 2 * s_.k) {
      for (std::size_t j = 0; j < d_; ++j) order_[j] = {width((*s_.dims)[j], cur_[j], cur_[d_ + j]), j};
      std::sort(order_.begin(), order_.end(), [](const auto& a, const auto& b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
      });
      for (const auto& [w, j] : order_) {
        if (w <= 0) break;
        if (try_cut(p, j)) return;
      }
    }
    s_.leaf_start[p.lo] = 1;
  }

  // The median cut on dim j (ties of the median left or right, the more even first), if allowed.
  bool try_cut(Part p, std::size_t j) {
    const Dim& dim = (*s_.dims)[j];
    const std::size_t level = dim.kind == Kind::kHierarchy ? lca_level(dim, cur_[j], cur_[d_ + j]) : 0;
    const Ord* map = level > 0 ? dim.node[level - 1].data() : nullptr;  // value = child node
    const Median m = median(p, j, map);
    const auto threshold = [&](Ord v) { return map ? dim.last[level - 1][v] : v; };
    std::pair<std::uint64_t, Ord> cuts[2] = {{m.upto, threshold(m.value)},
                                             {m.below, m.below > 0 ? threshold(m.value - 1) : 0}};
    const auto uneven = [&](std::uint64_t left) {
      return std::max(2 * left, p.records) - std::min(2 * left, p.records);
    };
    if (uneven(cuts[1].first) < uneven(cuts[0].first)) std::swap(cuts[0], cuts[1]);
    for (const auto& [left, t] : cuts) {
      if (left < s_.k || p.records - left < s_.k || !diverse(p, j, t)) continue;
      split(p, j, t, left);
      return true;
    }
    return false;
  }

  // Lower median of the records' values (ordinals, or child nodes through `map`): by a histogram
  // when their range is small, else by nth_element on a copy (a sort of value and count pairs
  // for aggregated rows).
  Median median(Part p, std::size_t j, const Ord* map) {
    const auto value = [&](Ord o) { return map ? map[o] : o; };
    const std::uint64_t want = (p.records - 1) / 2;
    const Ord lo = value(cur_[j]);
    const std::size_t range = std::size_t{value(cur_[d_ + j])} - lo + 1;
    const Records& rec = *s_.rec;
    if (range <= p.size() && range <= hist_.size()) {
      std::fill_n(hist_.begin(), range, std::uint64_t{0});
      if (rec.weighted) {
        for (std::size_t q = p.lo; q < p.hi; ++q) hist_[value(ord(q, j)) - lo] += rec.count(q);
      } else {
        for (std::size_t q = p.lo; q < p.hi; ++q) ++hist_[value(ord(q, j)) - lo];
      }
      std::uint64_t below = 0;
      std::size_t c = 0;
      while (below + hist_[c] <= want) below += hist_[c++];
      return {static_cast<Ord>(lo + c), below, below + hist_[c]};
    }
    if (rec.weighted) {
      pairs_.clear();
      for (std::size_t q = p.lo; q < p.hi; ++q) pairs_.emplace_back(value(ord(q, j)), rec.count(q));
      std::sort(pairs_.begin(), pairs_.end());
      std::uint64_t below = 0;
      std::size_t i = 0;
      while (below + pairs_[i].second <= want) below += pairs_[i++].second;
      Median m{pairs_[i].first, 0, 0};
      for (const auto& [v, c] : pairs_) m.below += v < m.value ? c : 0, m.upto += v <= m.value ? c : 0;
      return m;
    }
    if (scratch_.size() < p.size()) scratch_.resize(p.size());
    Ord* sc = scratch_.data();
    for (std::size_t q = p.lo; q < p.hi; ++q) sc[q - p.lo] = value(ord(q, j));
    std::nth_element(sc, sc + want, sc + p.size());
    Median m{sc[want], 0, 0};
    for (std::size_t i = 0; i < p.size(); ++i) m.below += sc[i] < m.value, m.upto += sc[i] <= m.value;
    return m;
  }

  // Whether both sides of the cut keep at least l distinct sensitive values.
  bool diverse(Part p, std::size_t j, Ord threshold) {
    if (s_.sensitive_card == 0) return true;
    if (++epoch_ == 0) {
      std::fill(seen_left_.begin(), seen_left_.end(), 0u);
      std::fill(seen_right_.begin(), seen_right_.end(), 0u);
      epoch_ = 1;
    }
    std::size_t left = 0, right = 0;
    const std::size_t f = 1 + d_;  // the sensitive code
    for (std::size_t q = p.lo; q < p.hi; ++q) {
      const Ord* r = row(q);
      const bool is_left = r[1 + j] <= threshold;
      Ord& seen = (is_left ? seen_left_ : seen_right_)[r[f]];
      if (seen == epoch_) continue;
      seen = epoch_;
      ++(is_left ? left : right);
      if (left >= s_.l && right >= s_.l) return true;
    }
    return false;
  }

  // Bounds are d lowest then d highest ordinals. Restrict lets the compiler keep them in vector
  // registers: this min/max is the hottest loop of the cut.
  void reset(std::vector<Ord>& b) const {
    std::fill(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(d_), std::numeric_limits<Ord>::max());
    std::fill(b.begin() + static_cast<std::ptrdiff_t>(d_), b.end(), 0);
  }
  void widen(std::vector<Ord>& b, std::size_t q) const {
    Ord* __restrict lo = b.data();
    Ord* __restrict hi = b.data() + d_;
    const Ord* __restrict r = row(q) + 1;
    for (std::size_t t = 0; t < d_; ++t) lo[t] = std::min(lo[t], r[t]), hi[t] = std::max(hi[t], r[t]);
  }

  // Records with ordinal <= threshold on dim j (`left` of them) to the front, in place; both
  // parts queued.
  void split(Part p, std::size_t j, Ord threshold, std::uint64_t left) {
    reset(left_);
    reset(right_);
    const std::size_t w = s_.rec->width;
    std::size_t i = p.lo, e = p.hi;
    for (;;) {
      while (i < e && ord(i, j) <= threshold) widen(left_, i++);
      while (i < e && ord(e - 1, j) > threshold) widen(right_, --e);
      if (i >= e) break;
      std::swap_ranges(row(i), row(i) + w, row(e - 1));
      widen(left_, i++);
      widen(right_, --e);
    }
    enqueue({i, p.hi, p.records - left}, right_.data());
    enqueue({p.lo, i, left}, left_.data());
  }

  bool take_thread() {
    std::size_t n = s_.free_threads.load();
    while (n > 0) {
      if (s_.free_threads.compare_exchange_weak(n, n - 1)) return true;
    }
    return false;
  }

  void enqueue(Part p, const Ord* b) {
    if (p.size() >= s_.parallel_min_rows && p.records >= 2 * s_.k && take_thread()) {
      std::exception_ptr& error = errors_.emplace_back();
      if (detail::try_start(children_, [&shared = s_, p, bounds = std::vector<Ord>(b, b + 2 * d_), &error] {
            try {
              Worker(shared).run(p, bounds.data());
            } catch (...) {
              error = std::current_exception();
            }
            shared.free_threads.fetch_add(1);
          })) {
        return;
      }
      s_.free_threads.fetch_add(1);  // no thread to be had: carry on here
    }
    push(p, b);
  }

  Shared& s_;
  std::size_t d_;
  std::vector<std::uint64_t> hist_;
  std::vector<Ord> scratch_, cur_, left_, right_;
  std::vector<std::pair<Ord, std::uint64_t>> pairs_;
  std::vector<std::pair<double, std::size_t>> order_;
  std::vector<Ord> seen_left_, seen_right_;
  Ord epoch_ = 0;
  std::vector<Part> stack_;
  std::vector<Ord> bounds_;  // per stack entry: the lowest ordinal of each dim, then the highest
  std::vector<std::thread> children_;
  std::deque<std::exception_ptr> errors_;  // one per child; a deque keeps references valid
};

}  // namespace

MondrianResult mondrian(const Table& table, const std::vector<std::string>& quasi_identifiers, std::int64_t k,
                        const MondrianOptions& options) {
  const Plan plan = check_arguments(table, quasi_identifiers, k, options);
  const std::size_t n = table.num_rows(), d = quasi_identifiers.size();
  const std::size_t threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<Dim> dims(d);
  std::vector<Mapping> maps;
  for (std::size_t j = 0; j < d; ++j) maps.push_back(encode(*plan.qi[j], plan.hierarchy[j], dims[j]));
  Records rec;
  rec.weighted = !plan.frequency.empty();
  rec.width = 1 + d + (plan.sensitive ? 1 : 0) + (rec.weighted ? 1 : 0);
  rec.data.resize(n * rec.width);
  in_chunks(n >= options.parallel_min_rows ? threads : 1, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      Ord* r = rec.at(i);
      r[0] = static_cast<Ord>(i);
      for (std::size_t j = 0; j < d; ++j) r[1 + j] = ordinal(maps[j], dims[j], i);
      if (plan.sensitive) r[1 + d] = plan.sensitive->code[i];
      if (rec.weighted) r[rec.width - 1] = plan.frequency[i];
    }
  });
  Shared shared;
  shared.dims = &dims;
  shared.rec = &rec;
  shared.k = static_cast<std::size_t>(k);
  shared.l = static_cast<std::size_t>(options.l);
  if (plan.sensitive) shared.sensitive_card = plan.sensitive->card;
  shared.parallel_min_rows = options.parallel_min_rows;
  shared.free_threads = threads - 1;
  for (const Dim& dim : dims) {
    shared.hist_size = std::max(shared.hist_size, std::min<std::size_t>(dim.card, kHistogramMax));
  }
  shared.leaf_start.assign(n, 0);
  std::vector<Ord> root(2 * d);
  for (std::size_t j = 0; j < d; ++j) root[d + j] = dims[j].card - 1;
  Worker(shared).run({0, n, rec.count(0, n)}, root.data());
  // The output passes are split between the threads only when the table is as large as a part
  // that would get a thread of its own.
  return build_result(table, quasi_identifiers, dims, rec, shared.leaf_start,
                      n >= options.parallel_min_rows ? threads : 1);
}

}  // namespace sdcore
