#include "detail/audit_lp.hpp"

#include <ClpSimplex.hpp>
#include <CoinFinite.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "detail/coin_lock.hpp"
#include "detail/threads.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {

namespace {

double to_clp(double bound) {
  if (std::isinf(bound)) return bound > 0 ? COIN_DBL_MAX : -COIN_DBL_MAX;
  return bound;
}

}  // namespace

AuditLp::AuditLp(const std::vector<double>& lower, const std::vector<double>& upper,
                 const std::vector<LpRow>& rows)
    : model_(std::make_unique<ClpSimplex>()) {
  const int num_vars = static_cast<int>(lower.size());
  const int num_rows = static_cast<int>(rows.size());
  // Clp takes the matrix by columns: transpose the rows.
  std::vector<CoinBigIndex> start(static_cast<std::size_t>(num_vars) + 1, 0);
  for (const LpRow& row : rows) {
    for (const auto& [var, coefficient] : row.entries) ++start[static_cast<std::size_t>(var) + 1];
  }
  for (std::size_t v = 0; v < static_cast<std::size_t>(num_vars); ++v) start[v + 1] += start[v];
  std::vector<int> index(static_cast<std::size_t>(start.back()));
  std::vector<double> value(index.size());
  std::vector<CoinBigIndex> fill(start.begin(), start.end() - 1);
  std::vector<double> row_bound(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    row_bound[r] = rows[r].rhs;
    for (const auto& [var, coefficient] : rows[r].entries) {
      const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(var)]++);
      index[at] = static_cast<int>(r);
      value[at] = coefficient;
    }
  }
  std::vector<double> col_lower(lower.size()), col_upper(upper.size()), objective(lower.size(), 0.0);
  for (std::size_t v = 0; v < lower.size(); ++v) {
    col_lower[v] = to_clp(lower[v]);
    col_upper[v] = to_clp(upper[v]);
  }
  model_->setLogLevel(0);
  model_->loadProblem(num_vars, num_rows, start.data(), index.data(), value.data(), col_lower.data(),
                      col_upper.data(), objective.data(), row_bound.data(), row_bound.data());
  model_->setOptimizationDirection(1.0);
}

AuditLp::~AuditLp() = default;

void AuditLp::set_lower(int var, double lower) { model_->setColumnLower(var, to_clp(lower)); }

std::optional<std::vector<double>> AuditLp::feasible_point() {
  if (objective_var_ >= 0) model_->setObjectiveCoefficient(objective_var_, 0.0);
  objective_var_ = -1;
  model_->primal();
  ++solves_;
  if (model_->status() > 2) model_->dual();
  if (model_->status() == 1) return std::nullopt;
  if (model_->status() != 0) {
    throw Error("audit: COIN-OR Clp stopped without an answer (status " + std::to_string(model_->status()) + ")");
  }
  const double* x = model_->primalColumnSolution();
  return std::vector<double>(x, x + model_->numberColumns());
}

AuditLp::Solution AuditLp::minimise(int var, double sign) {
  if (objective_var_ >= 0) model_->setObjectiveCoefficient(objective_var_, 0.0);
  model_->setObjectiveCoefficient(var, sign);
  objective_var_ = var;
  // Only the objective (or a few bounds) changed since the last solve, so the previous basis
  // stays primal feasible (or nearly so) and the primal simplex restarts from it.
  model_->primal();
  ++solves_;
  // As in Lp::solve (lp.cpp): when the primal simplex gives up, the dual simplex and then a
  // solve from the all-slack basis.
  if (model_->status() > 2) model_->dual();
  if (model_->status() > 2) {
    // initialSolve swaps the process's SIGINT handler and sets a file-static pointer (ClpSolve.cpp;
    // "is this threadsafe?" says its own comment): one at a time, with every other COIN-OR user.
    const std::lock_guard<std::recursive_mutex> lock(coin_mutex());
    model_->allSlackBasis(true);
    model_->initialSolve();
  }
  Solution s;
  switch (model_->status()) {
    case 0:
      s.objective = model_->objectiveValue();
      s.duals.assign(model_->dualRowSolution(), model_->dualRowSolution() + model_->numberRows());
      return s;
    case 1:
      throw Error("audit: the published table contradicts its relations and bounds (the linear "
                  "programme is infeasible)");
    case 2:
      s.unbounded = true;
      return s;
    default:
      throw Error("audit: COIN-OR Clp stopped without an answer (status " +
                  std::to_string(model_->status()) + ")");
  }
}

void run_blocks(std::size_t blocks, std::size_t threads,
                const std::function<void(std::size_t block, const std::function<void()>& tick)>& work,
                const std::function<void(std::uint64_t done)>& report) {
  if (threads <= 1 || blocks <= 1) {
    std::uint64_t done = 0;
    const std::function<void()> tick = [&] {
      if (report) report(++done);
    };
    for (std::size_t b = 0; b < blocks; ++b) work(b, tick);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::exception_ptr> error(blocks);
  std::mutex m;  // guards done and running
  std::condition_variable changed;
  std::uint64_t done = 0;
  std::size_t running = 0;
  const std::function<void()> tick = [&] {
    {
      const std::lock_guard<std::mutex> g(m);
      ++done;
    }
    changed.notify_one();
  };
  // Blocks are handed out in ascending order, so every block below a failing one has been handed
  // out and runs to its end: the lowest failure is the sequential run's first.
  auto worker = [&] {
    while (!stop.load()) {
      const std::size_t b = next.fetch_add(1);
      if (b >= blocks) break;
      try {
        work(b, tick);
      } catch (...) {
        error[b] = std::current_exception();
        stop.store(true);
      }
    }
    {
      const std::lock_guard<std::mutex> g(m);
      --running;
    }
    changed.notify_one();
  };
  std::vector<std::thread> pool;
  const std::size_t n = std::min(threads, blocks);
  for (std::size_t t = 0; t < n; ++t) {
    {
      const std::lock_guard<std::mutex> g(m);
      ++running;
    }
    if (!try_start(pool, worker)) {  // no more threads to be had: the started ones do it all
      {
        const std::lock_guard<std::mutex> g(m);
        --running;
      }
      if (pool.empty()) {  // none at all: here, in order, as on one thread
        const std::function<void()> tick_here = [&] {
          if (report) report(++done);
        };
        for (std::size_t b = 0; b < blocks; ++b) work(b, tick_here);
        return;
      }
      break;
    }
  }
  std::uint64_t reported = 0;
  {
    std::unique_lock<std::mutex> lock(m);
    for (;;) {
      changed.wait(lock, [&] { return running == 0 || done != reported; });
      if (done != reported) {
        reported = done;
        if (report) {
          lock.unlock();
          report(reported);
          lock.lock();
        }
        continue;
      }
      break;  // running == 0 and everything reported
    }
  }
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : error) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace sdcore::detail
