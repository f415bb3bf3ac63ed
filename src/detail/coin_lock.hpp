#pragma once
// COIN-OR (Clp, Cbc) documents no thread-safety guarantee. Every object that holds a Cbc model or
// a general Lp (lp.hpp) takes this process-wide lock for its lifetime. It is recursive because one
// method may hold several models at once on one thread (the optimal suppression's master MIP and
// its attacker LPs).
//
// The audit's models (AuditLp, audit_lp.hpp) do not hold it: each thread of an audit solves on a
// ClpSimplex of its own, and the calls they make (loadProblem, primal, dual, setters, getters)
// touch no process-wide state except a debug counter in CoinFactorization that changes no result
// (audit_lp.hpp and docs/methods/audit.md, "Threads", give the evidence). They take the lock only
// around ClpSimplex::initialSolve, which swaps the process's SIGINT handler and sets a file-static
// pointer, so that it never runs on two threads at once, nor beside a lock holder's.

#include <mutex>

namespace sdcore::detail {

std::recursive_mutex& coin_mutex();

}  // namespace sdcore::detail
