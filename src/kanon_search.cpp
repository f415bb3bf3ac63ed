// The lattice search (see detail/kanon_problem.hpp and docs/methods/kanon.md).
//
// Two phases. When the privacy models are monotone (a generalisation of an anonymous node is
// anonymous: always so without suppression, and for k-anonymity, distinct l-diversity and k-map
// with it), Flash's predictive tagging (Kohlmayer et al. 2012) first settles which nodes are
// anonymous: paths are walked up from the lowest untagged node and binary-searched; an anonymous
// node tags everything above it, one that is not everything below. Without suppression every
// quality model is monotone too, so the optimum is the best of the nodes checked (each minimal
// anonymous node is among them) and the search ends there.
//
// Otherwise the nodes are visited level by level from the bottom (height = sum of levels above the
// minimum), skipping those known not to be anonymous. A node is pruned when a predecessor was
// pruned or when its lower bound reaches the best score found at a lower height: bounds never
// decrease up the lattice, so neither can any node above it do better, and ties go to the lower
// height. Every node is evaluated from the cells of an evaluated node below it (a predecessor when
// one is kept), so records are read once, at the start. Decisions use only results of earlier
// heights, and the tagging runs on one thread, which makes the outcome independent of threads.

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "detail/kanon_problem.hpp"
#include "detail/threads.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {
namespace {

// Memory for the cells kept between two heights of the search.
constexpr std::size_t kCellBudgetBytes = std::size_t{128} << 20;

struct Lattice {
  std::vector<std::size_t> min, radix;
  std::vector<std::uint64_t> stride;
  std::uint64_t size = 1;

  Levels levels(std::uint64_t id) const {
    Levels l(radix.size());
    for (std::size_t q = 0; q < radix.size(); ++q) l[q] = min[q] + static_cast<std::size_t>((id / stride[q]) % radix[q]);
    return l;
  }
};

Lattice make_lattice(const Problem& p, std::uint64_t max_size) {
  Lattice lat;
  const std::size_t d = p.qis.size();
  lat.min.resize(d);
  lat.radix.resize(d);
  lat.stride.assign(d, 1);
  for (std::size_t q = 0; q < d; ++q) {
    lat.min[q] = p.qis[q].min_level;
    lat.radix[q] = p.qis[q].max_level - p.qis[q].min_level + 1;
    if (lat.size > max_size / lat.radix[q]) {
      throw InvalidArgument("the generalisation lattice has more than " + std::to_string(max_size) +
                            " transformations; restrict the levels searched (min_level/max_level), use fewer "
                            "quasi-identifiers, or use Mondrian");
    }
    lat.size *= lat.radix[q];
  }
  for (std::size_t q = d; q-- > 1;) lat.stride[q - 1] = lat.stride[q] * lat.radix[q];
  return lat;
}

// Node ids by height, ascending within a height (= lexicographic order of the levels).
std::vector<std::vector<std::uint64_t>> by_height(const Lattice& lat) {
  std::size_t top = 0;
  for (const auto r : lat.radix) top += r - 1;
  std::vector<std::vector<std::uint64_t>> out(top + 1);
  std::vector<std::size_t> digit(lat.radix.size(), 0);
  std::size_t height = 0;
  for (std::uint64_t id = 0; id < lat.size; ++id) {
    out[height].push_back(id);
    for (std::size_t q = lat.radix.size(); q-- > 0;) {  // odometer, last digit fastest
      if (++digit[q] < lat.radix[q]) {
        ++height;
        break;
      }
      height -= digit[q] - 1;
      digit[q] = 0;
    }
  }
  return out;
}

// Runs f(i) for i in [0, n) on `threads` workers; rethrows the first exception.
template <class F>
void parallel_for(std::size_t n, std::size_t threads, F&& f) {
  threads = std::max<std::size_t>(1, std::min(threads, n));
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) {
      try {
        f(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next = n;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) detail::start_or_run(pool, work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Cells of evaluated nodes kept as sources for roll-ups, within a memory budget. The base cells
// (level 0 everywhere) are always available.
class CellCache {
 public:
  CellCache(const Problem& p, const Lattice& lat, std::size_t threads)
      : lat_(lat), base_(base_cells(p, threads)), zero_(p.qis.size(), 0),
        per_cell_((p.qis.size() + p.sensitive.size()) * sizeof(std::int32_t) + 2 * sizeof(std::int64_t)) {}

  // The kept node below `id` with the fewest cells (the base cells when none): a direct
  // predecessor if one is kept, else (with `scan`) any node below. Thread-safe between puts.
  const Cells& source(std::uint64_t id, const Levels& levels, bool scan, Levels& from) const {
    const Cells* best = &base_;
    from = zero_;
    for (std::size_t q = 0; q < levels.size(); ++q) {
      if (levels[q] == lat_.min[q]) continue;
      const auto it = kept_.find(id - lat_.stride[q]);
      if (it != kept_.end() && it->second.cells.size() < best->size()) {
        best = &it->second.cells;
        from = levels;
        --from[q];
      }
    }
    if (best != &base_ || !scan) return *best;
    for (const auto& [other, entry] : kept_) {
      if (entry.cells.size() >= best->size()) continue;
      bool below = true;
      for (std::size_t q = 0; q < levels.size() && below; ++q) below = entry.levels[q] <= levels[q];
      if (below) best = &entry.cells, from = entry.levels;
    }
    return *best;
  }

  void put(std::uint64_t id, std::size_t height, Levels levels, Cells cells) {
    bytes_ += cells.size() * per_cell_;
    kept_.insert_or_assign(id, Entry{height, std::move(levels), std::move(cells)});
    trim();
  }

  // Forgets the nodes below height `h` (no longer direct predecessors of anything to come).
  void forget_below(std::size_t h) {
    for (auto it = kept_.begin(); it != kept_.end();) {
      if (it->second.height < h) {
        bytes_ -= it->second.cells.size() * per_cell_;
        it = kept_.erase(it);
      } else {
        ++it;
      }
    }
  }

  std::size_t size() const { return kept_.size(); }

 private:
  struct Entry {
    std::size_t height;
    Levels levels;
    Cells cells;
  };

  // Drops the largest cell lists (highest id first among equals) until within the budget.
  void trim() {
    while (bytes_ > kCellBudgetBytes && !kept_.empty()) {
      auto largest = kept_.begin();
      for (auto it = kept_.begin(); it != kept_.end(); ++it) {
        const std::size_t a = it->second.cells.size(), b = largest->second.cells.size();
        if (a > b || (a == b && it->first > largest->first)) largest = it;
      }
      bytes_ -= largest->second.cells.size() * per_cell_;
      kept_.erase(largest);
    }
  }

  const Lattice& lat_;
  Cells base_;
  Levels zero_;
  std::size_t per_cell_;
  std::size_t bytes_ = 0;
  std::unordered_map<std::uint64_t, Entry> kept_;
};

// Whether a generalisation of an anonymous node is always anonymous. Without suppression every
// model is (classes only merge, and each model holds for a union of classes that each satisfy
// it). With suppression the records of failing classes must also only decrease, which holds
// when any class containing a passing one passes: k-anonymity (and max_risk, folded into k),
// k-map and distinct l-diversity, but not entropy or recursive l-diversity, t-closeness or the
// average-risk bound.
bool anonymity_is_monotone(const Problem& p) {
  if (p.max_suppressed == 0) return true;
  if (p.average_risk < 1) return false;
  for (const EncodedSensitive& s : p.sensitive) {
    if (!s.t_closeness.empty()) return false;
    for (const LDiversity& l : s.l_diversity) if (l.kind != DiversityKind::kDistinct) return false;
  }
  return true;
}

// Whether (score, height, id) of a is before b's: the documented order of preference.
bool preferred(const TransformationQuality& a, std::size_t ha, std::uint64_t ia, const TransformationQuality& b,
               std::size_t hb, std::uint64_t ib) {
  if (a.score != b.score) return a.score < b.score;
  return ha != hb ? ha < hb : ia < ib;
}

// Flash's predictive tagging: settles the anonymity of every node with as few checks as binary
// search along upward paths allows; keeps the quality of each node checked.
class Tagger {
 public:
  enum Tag : std::uint8_t { kUnknown, kAnonymous, kNotAnonymous };

  Tagger(const Problem& p, const Lattice& lat, CellCache& cache, const std::vector<std::size_t>& height,
         std::size_t threads)
      : p_(p), lat_(lat), cache_(cache), height_(height), threads_(threads), tag_(lat.size, kUnknown) {}

  void run(const std::vector<std::vector<std::uint64_t>>& heights, const ProgressCallback& progress,
           std::uint64_t progress_total) {
    std::vector<std::uint64_t> path;
    for (const auto& level : heights) {
      for (const std::uint64_t start : level) {
        if (tag_[start] != kUnknown || dominated(start)) continue;
        path.assign(1, start);
        for (std::uint64_t next; (next = step_up(path.back())) != kNone;) path.push_back(next);
        std::size_t lo = 0, hi = path.size();  // the first anonymous node on the path is in [lo, hi]
        while (lo < hi) {
          const std::size_t mid = lo + (hi - lo) / 2;
          if (check(path[mid])) {
            hi = mid;
          } else {
            lo = mid + 1;
          }
        }
        if (progress) progress(tagged_, progress_total);
      }
    }
  }

  Tag tag(std::uint64_t id) const { return static_cast<Tag>(tag_[id]); }
  // Quality of the nodes checked, by id.
  const std::unordered_map<std::uint64_t, TransformationQuality>& checked() const { return checked_; }
  // The preferred anonymous node checked (kNone if none).
  std::uint64_t best() const { return best_; }

 private:
  static constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();

  std::size_t digit(std::uint64_t id, std::size_t q) const {
    return static_cast<std::size_t>((id / lat_.stride[q]) % lat_.radix[q]);
  }

  // The untagged successor that raises the attribute with the lowest share of its levels used
  // (the first such attribute on ties), so that paths climb through the middle of the lattice.
  std::uint64_t step_up(std::uint64_t id) const {
    std::uint64_t best = kNone;
    double best_share = 2;
    for (std::size_t q = 0; q < lat_.radix.size(); ++q) {
      const std::size_t d = digit(id, q);
      if (d + 1 >= lat_.radix[q] || tag_[id + lat_.stride[q]] != kUnknown || dominated(id + lat_.stride[q])) continue;
      const double share = double(d + 1) / double(lat_.radix[q]);
      if (share < best_share) best = id + lat_.stride[q], best_share = share;
    }
    return best;
  }

  bool check(std::uint64_t id) {
    const Levels levels = lat_.levels(id);
    Levels from;
    const Cells& source = cache_.source(id, levels, true, from);
    Cells cells = roll_up(p_, source, from, levels, threads_);
    TransformationQuality q;
    assess(p_, levels, cells, judge_classes(p_, cells), q, false);
    const bool anonymous = q.anonymous;
    if (anonymous && (best_ == kNone || preferred(q, height_[id], id, checked_.at(best_), height_[best_], best_))) {
      best_ = id;
    }
    checked_.emplace(id, std::move(q));
    cache_.put(id, height_[id], levels, std::move(cells));
    spread(id, anonymous ? kAnonymous : kNotAnonymous);
    return anonymous;
  }

  // Whether nothing at or above `id` can match the best anonymous node checked so far: its
  // lower bound (which never decreases upwards) is already above that node's score. Such nodes
  // are left untagged; the second phase prunes them by the same bound.
  bool dominated(std::uint64_t id) const {
    return best_ != kNone && level_lower_bound(p_, lat_.levels(id)) > checked_.at(best_).score;
  }

  // Tags `id` and everything above it (anonymous) or below it (not anonymous). Tags are closed
  // upwards and downwards, so the walk stops at nodes already tagged.
  void spread(std::uint64_t id, Tag t) {
    stack_.assign(1, id);
    while (!stack_.empty()) {
      const std::uint64_t n = stack_.back();
      stack_.pop_back();
      if (tag_[n] == t) continue;
      tag_[n] = t;
      ++tagged_;
      for (std::size_t q = 0; q < lat_.radix.size(); ++q) {
        const std::size_t d = digit(n, q);
        if (t == kAnonymous && d + 1 < lat_.radix[q]) stack_.push_back(n + lat_.stride[q]);
        if (t == kNotAnonymous && d > 0) stack_.push_back(n - lat_.stride[q]);
      }
    }
  }

  const Problem& p_;
  const Lattice& lat_;
  CellCache& cache_;
  const std::vector<std::size_t>& height_;
  std::size_t threads_;  // for the grouping inside a check: checks themselves run one at a time
  std::vector<std::uint8_t> tag_;
  std::unordered_map<std::uint64_t, TransformationQuality> checked_;
  std::vector<std::uint64_t> stack_;
  std::uint64_t tagged_ = 0;
  std::uint64_t best_ = kNone;
};

}  // namespace

SearchOutcome search_lattice(const Problem& p, std::size_t threads, const ProgressCallback& progress,
                             std::uint64_t max_lattice_size) {
  const Lattice lat = make_lattice(p, max_lattice_size);
  const auto heights = by_height(lat);
  std::vector<std::size_t> height(lat.size);
  for (std::size_t h = 0; h < heights.size(); ++h) for (const std::uint64_t id : heights[h]) height[id] = h;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  CellCache cache(p, lat, threads);
  SearchOutcome out;
  out.lattice_size = lat.size;
  const bool tagging = anonymity_is_monotone(p);
  const std::uint64_t progress_total = tagging ? 2 * lat.size : lat.size;
  std::optional<Tagger> tagger;
  constexpr std::uint64_t kNoNode = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t best_id = kNoNode;  // id of out.best when found
  if (tagging) {
    tagger.emplace(p, lat, cache, height, threads);
    tagger->run(heights, progress, progress_total);
    out.evaluated = tagger->checked().size();
    if (tagger->best() != kNoNode) {
      out.found = true;
      best_id = tagger->best();
      out.best = tagger->checked().at(best_id);
    }
    if (p.max_suppressed == 0) {  // every quality model is monotone: the best node was checked
      if (progress) progress(progress_total, progress_total);
      return out;
    }
  }
  enum : std::uint8_t { kUnknown, kPruned, kEvaluated, kSkipped };
  std::vector<std::uint8_t> state(lat.size, kUnknown);
  std::vector<double> bound(lat.size, -std::numeric_limits<double>::infinity());
  std::uint64_t done = 0;
  for (std::size_t h = 0; h < heights.size(); ++h) {
    // Candidates of this height in id order: evaluated here (todo) or already checked.
    std::vector<std::uint64_t> candidates, todo;
    for (const std::uint64_t id : heights[h]) {
      const Levels levels = lat.levels(id);
      double b = level_lower_bound(p, levels);
      bool pruned = false;
      for (std::size_t q = 0; q < levels.size() && !pruned; ++q) {
        if (levels[q] == lat.min[q]) continue;
        const std::uint64_t pred = id - lat.stride[q];
        pruned = state[pred] == kPruned;
        b = std::max(b, bound[pred]);
      }
      // Nothing at or above this node can be preferred to the best found: its score would be
      // higher, or equal at a greater height (or the same height and a greater id).
      if (!pruned && out.found && (b > out.best.score || (b == out.best.score && (h > height[best_id] ||
                                                                                  (h == height[best_id] && id > best_id))))) {
        pruned = true;
      }
      bound[id] = b;
      if (pruned) {
        state[id] = kPruned;
      } else if (tagger && tagger->tag(id) == Tagger::kNotAnonymous) {
        state[id] = kSkipped;
      } else {
        state[id] = kEvaluated;
        candidates.push_back(id);
        if (!tagger || !tagger->checked().count(id)) todo.push_back(id);
      }
    }
    std::vector<TransformationQuality> result(todo.size());
    std::vector<Cells> cells(todo.size());
    parallel_for(todo.size(), threads, [&](std::size_t i) {
      const Levels levels = lat.levels(todo[i]);
      Levels from;
      const Cells& source = cache.source(todo[i], levels, cache.size() <= 256, from);
      cells[i] = roll_up(p, source, from, levels, todo.size() == 1 ? threads : 1);
      assess(p, levels, cells[i], judge_classes(p, cells[i]), result[i], false);
    });
    for (std::size_t c = 0, i = 0; c < candidates.size(); ++c) {
      const std::uint64_t id = candidates[c];
      const bool fresh = i < todo.size() && todo[i] == id;
      const TransformationQuality& q = fresh ? result[i++] : tagger->checked().at(id);
      bound[id] = std::max(bound[id], q.lower_bound);
      if (q.anonymous && (!out.found || preferred(q, h, id, out.best, height[best_id], best_id))) {
        out.found = true;
        out.best = q;
        best_id = id;
      }
    }
    out.evaluated += todo.size();
    cache.forget_below(h);
    for (std::size_t i = 0; i < todo.size(); ++i) cache.put(todo[i], h, lat.levels(todo[i]), std::move(cells[i]));
    done += heights[h].size();
    if (progress) progress(progress_total - lat.size + done, progress_total);
  }
  return out;
}

}  // namespace sdcore::detail
