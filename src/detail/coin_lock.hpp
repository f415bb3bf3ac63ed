#pragma once
// COIN-OR (Clp, Cbc) documents no thread-safety guarantee, so every object that holds a COIN-OR
// model takes this process-wide lock for its lifetime. It is recursive because one method may
// hold several models at once on one thread (the optimal suppression's master MIP and its
// attacker LPs).

#include <mutex>

namespace sdcore::detail {

std::recursive_mutex& coin_mutex();

}  // namespace sdcore::detail
