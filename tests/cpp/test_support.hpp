#pragma once
// Helpers shared by the C++ tests.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

#include "detail/threads.hpp"
#include "sdcore/error.hpp"
#include "sdcore/table.hpp"

namespace sdcore::test {

// splitmix64: a fixed mapping from seed to numbers, the same on every platform.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

// While alive, every attempt of the library to start a worker thread fails as it would when the
// system has no thread to give (e.g. under the CLI's --max-memory); refused() says how many were.
// For the tests that the work then falls back to the calling thread with the same result.
class NoThreadsToBeHad {
 public:
  NoThreadsToBeHad() : before_(detail::thread_starts_refused.load()) { ++detail::refuse_thread_starts_for_testing; }
  ~NoThreadsToBeHad() { --detail::refuse_thread_starts_for_testing; }
  NoThreadsToBeHad(const NoThreadsToBeHad&) = delete;
  NoThreadsToBeHad& operator=(const NoThreadsToBeHad&) = delete;
  long refused() const { return detail::thread_starts_refused.load() - before_; }

 private:
  long before_;
};

// How many random cases a property test runs: `ci` in CI, SDCORE_LONG_TESTS times as many in a
// long run (scripts/long_tests.sh; e.g. SDCORE_LONG_TESTS=20). The extra cases continue the same
// seeded stream, so a long run checks the CI cases and new ones after them.
inline int long_run(int ci) {
  const char* factor = std::getenv("SDCORE_LONG_TESTS");
  if (factor == nullptr || *factor == '\0') return ci;
  const long f = std::strtol(factor, nullptr, 10);
  return f > 1 ? static_cast<int>(ci * f) : ci;
}

// The message of the InvalidArgument that `f` throws, or "no error".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

// shared/data: where $SDCORE_SHARED_DATA says (scripts/test.sh sets it), else beside the repository.
inline std::string shared_data(const std::string& rel) {
  const char* env = std::getenv("SDCORE_SHARED_DATA");
  return std::string(env != nullptr && *env != '\0' ? env : SDCORE_SHARED_DATA) + "/" + rel;
}

// A fresh empty folder under the system temp folder, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("sdcore-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Values of column `name` as text, "<NA>" for missing.
inline std::vector<std::string> texts(const Table& t, const std::string& name) {
  const Column& c = t.column(name);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < c.size(); ++i) out.push_back(c.is_missing(i) ? "<NA>" : c.format(i));
  return out;
}

}  // namespace sdcore::test
