#pragma once
// The audit's linear programme, the only place that knows COIN-OR Clp. Variables are the
// suppressed cells, rows the relations that name at least one of them (published cells are
// constants on the right-hand side). A model is built per block of targets; each target then only
// changes the objective (and, for an insider, some lower bounds) and re-solves from the previous
// basis. Blocks run on threads of their own (run_blocks), each with its own model.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class ClpSimplex;

namespace sdcore::detail {

/// One equality row: sum(coefficient * x[var]) = rhs.
struct LpRow {
  std::vector<std::pair<int, double>> entries;  // (variable, coefficient)
  double rhs = 0;
};

/// Minimises +-x[var] over {x : rows hold, lower <= x <= upper}. Infinite bounds are allowed.
///
/// Thread-safety: one AuditLp is used by one thread at a time; different AuditLp objects may be
/// used on different threads at once, without the process-wide COIN-OR lock (coin_lock.hpp)
/// except around ClpSimplex::initialSolve. COIN-OR documents no thread-safety guarantee, so this
/// rests on what the calls made here touch besides their own ClpSimplex, established from the
/// Clp 1.17 / CoinUtils 2.11 sources and the disassembly of Debian's libClp.so.1 and
/// libCoinUtils.so.3 (every store to their .data/.bss, every global reached through the GOT, and
/// every libc call with process-wide effect), see docs/methods/audit.md, "Threads":
/// - loadProblem, set*, primal(), dual(), allSlackBasis() and the getters write only the
///   model's own members: message handlers are per model (log level 0: nothing printed), the
///   random generator (perturbation) is the per-model ClpModel::randomNumberGenerator_, and the global
///   CoinDrand48 state is used only by ClpSimplexNonlinear (not called here); the wall-clock
///   origin (CoinWallclockTime) is a guarded `static const`, initialised thread-safely.
/// - CoinFactorization::factorSparseSmall/Large increment a file-static debug counter
///   (`counter1`, built without NDEBUG) that is only compared with -1 to switch on consistency
///   checks. Concurrent increments may be lost; it never reaches -1 in practice and changes
///   nothing in the factorisation either way. This is the one known (benign) race.
/// - initialSolve (the last-resort fallback in minimise) stores the model in a file-static
///   pointer and swaps the process's SIGINT handler for its own and back; two at once could leave
///   Clp's handler installed for good. It therefore runs under coin_mutex(), as do all Lp and Cbc
///   models, which keep the lock for their lifetime.
class AuditLp {
 public:
  AuditLp(const std::vector<double>& lower, const std::vector<double>& upper,
          const std::vector<LpRow>& rows);
  ~AuditLp();
  AuditLp(const AuditLp&) = delete;
  AuditLp& operator=(const AuditLp&) = delete;

  struct Solution {
    bool unbounded = false;     // the objective has no finite minimum
    double objective = 0;       // the minimum of sign * x[var] when bounded
    std::vector<double> duals;  // one per row: y with c - A^T y >= 0 at lower bounds, etc.
  };

  /// Minimises sign * x[var], sign = +1 or -1. Throws Error when the programme is infeasible
  /// or the solver stops without an answer.
  Solution minimise(int var, double sign);

  /// A point of {x : rows hold, lower <= x <= upper}, or nothing if there is none.
  std::optional<std::vector<double>> feasible_point();

  /// Changes a variable's lower bound (for an insider's knowledge).
  void set_lower(int var, double lower);

  std::size_t solves() const noexcept { return solves_; }

 private:
  std::unique_ptr<ClpSimplex> model_;
  int objective_var_ = -1;
  std::size_t solves_ = 0;
};

/// Targets per block of the outsider audit (audit.md, "Threads"). Each block costs one solve from
/// scratch and a model; within a block every solve is warm-started from the previous one.
inline constexpr std::size_t kAuditBlockTargets = 256;

/// AuditOptions::threads resolved: 0 = std::thread::hardware_concurrency() (at least 1).
std::size_t audit_threads(std::size_t requested);

/// Calls work(b, tick) for every block b in [0, blocks), each call independent of the others
/// (its own AuditLp). threads <= 1 (or one block): in ascending order on the calling thread.
/// Otherwise on min(threads, blocks) new threads, which take blocks in ascending order, while
/// the calling thread only reports progress. `work` calls tick() after each unit of work;
/// report(done), if set, is called on the calling thread only, with done increasing. An
/// exception from a block stops the hand-out of further blocks and, after every thread has
/// finished, the lowest failing block's exception is rethrown: the one a sequential run throws.
void run_blocks(std::size_t blocks, std::size_t threads,
                const std::function<void(std::size_t block, const std::function<void()>& tick)>& work,
                const std::function<void(std::uint64_t done)>& report);

}  // namespace sdcore::detail
