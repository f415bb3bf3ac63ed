#pragma once
// Starting worker threads so that failing to start one is not fatal. A thread can fail to start
// (std::system_error) when the process is short of memory or of threads, e.g. under the CLI's
// --max-memory limit, where every thread's stack counts against the address space. If that
// exception left a std::vector<std::thread> holding already started, still joinable threads,
// its destructor would call std::terminate: the process would die instead of reporting. Here the
// work meant for the missing thread runs on the calling thread instead, so callers that write
// disjoint results per piece of work get the same result either way.

#include <atomic>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace sdcore::detail {

// For tests only: while nonzero, try_start fails as if the system had no thread to give, so that
// the fallbacks below are exercised deterministically.
inline std::atomic<int> refuse_thread_starts_for_testing{0};
inline std::atomic<long> thread_starts_refused{0};  // how many starts were refused so (tests)

// Starts f(args...) on a new thread appended to `pool`; false (and nothing started) when no
// thread can be had.
template <class F, class... Args>
bool try_start(std::vector<std::thread>& pool, F&& f, Args&&... args) {
  if (refuse_thread_starts_for_testing.load(std::memory_order_relaxed) != 0) {
    thread_starts_refused.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  try {
    pool.emplace_back(std::forward<F>(f), std::forward<Args>(args)...);
    return true;
  } catch (const std::system_error&) {
    return false;
  }
}

// Starts f(args...) on a new thread appended to `pool`, or runs it here and now when no thread
// can be had. f must not throw (callers catch inside and keep an exception_ptr).
template <class F, class... Args>
void start_or_run(std::vector<std::thread>& pool, F& f, const Args&... args) {
  if (!try_start(pool, f, args...)) f(args...);
}

}  // namespace sdcore::detail
