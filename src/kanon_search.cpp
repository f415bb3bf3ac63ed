// The lattice search (see detail/kanon_problem.hpp and docs/methods/kanon.md).
//
// Nodes are visited level by level from the bottom (height = sum of levels above the minimum).
// A node is skipped when a predecessor was skipped or when its lower bound reaches the best score
// found at a lower height: bounds never decrease up the lattice, so neither can any node above
// it do better, and ties go to the lower height. Every other node is evaluated from the cells of
// one of its predecessors (all of which were evaluated), so records are read once, at the start.
// Decisions use only results of earlier heights, which makes the outcome independent of threads.

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "detail/kanon_problem.hpp"
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
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

SearchOutcome search_lattice(const Problem& p, std::size_t threads, const ProgressCallback& progress,
                             std::uint64_t max_lattice_size) {
  const Lattice lat = make_lattice(p, max_lattice_size);
  const auto heights = by_height(lat);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  enum : std::uint8_t { kUnknown, kPruned, kEvaluated };
  std::vector<std::uint8_t> state(lat.size, kUnknown);
  std::vector<double> bound(lat.size, -std::numeric_limits<double>::infinity());
  const Cells base = base_cells(p);
  const Levels zero(p.qis.size(), 0);
  std::unordered_map<std::uint64_t, Cells> previous;
  SearchOutcome out;
  out.lattice_size = lat.size;
  std::uint64_t done = 0;
  for (std::size_t h = 0; h < heights.size(); ++h) {
    std::vector<std::uint64_t> todo;
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
      if (!pruned && out.found && b >= out.best.score) pruned = true;
      state[id] = pruned ? kPruned : kEvaluated;
      bound[id] = b;
      if (!pruned) todo.push_back(id);
    }
    std::vector<TransformationQuality> result(todo.size());
    std::vector<Cells> cells(todo.size());
    parallel_for(todo.size(), threads, [&](std::size_t i) {
      const std::uint64_t id = todo[i];
      const Levels levels = lat.levels(id);
      const Cells* from = &base;
      Levels from_levels = zero;
      for (std::size_t q = 0; q < levels.size(); ++q) {  // the predecessor with the fewest cells
        if (h == 0 || levels[q] == lat.min[q]) continue;
        const auto it = previous.find(id - lat.stride[q]);
        if (it == previous.end()) continue;  // not kept (memory budget): another source will do
        const Cells& c = it->second;
        if (from == &base || c.size() < from->size()) {
          from = &c;
          from_levels = levels;
          --from_levels[q];
        }
      }
      cells[i] = roll_up(p, *from, from_levels, levels);
      assess(p, levels, cells[i], judge_classes(p, cells[i]), result[i], false);
    });
    for (std::size_t i = 0; i < todo.size(); ++i) {
      bound[todo[i]] = std::max(bound[todo[i]], result[i].lower_bound);
      if (result[i].anonymous && (!out.found || result[i].score < out.best.score)) {
        out.found = true;
        out.best = std::move(result[i]);
      }
    }
    // Keep the smallest cell lists within the budget as sources for the next height; a node
    // whose predecessors were all dropped rolls up from the base cells (same result, more work).
    std::vector<std::size_t> order(todo.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cells[a].size() < cells[b].size(); });
    std::unordered_map<std::uint64_t, Cells> current;
    std::size_t kept = 0;
    const std::size_t per_cell = (p.qis.size() + p.sensitive.size()) * sizeof(std::int32_t) + 2 * sizeof(std::int64_t);
    for (const std::size_t i : order) {
      kept += cells[i].size() * per_cell;
      if (kept > kCellBudgetBytes) break;
      current.emplace(todo[i], std::move(cells[i]));
    }
    out.evaluated += todo.size();
    previous = std::move(current);
    done += heights[h].size();
    if (progress) progress(done, lat.size);
  }
  return out;
}

}  // namespace sdcore::detail
