#include "cli/memory_limit.hpp"

#include <sys/resource.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "sdcore/error.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define SDCORE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SDCORE_ASAN 1
#endif
#endif

namespace sdcore::cli {
namespace {

constexpr std::uint64_t kMinimum = std::uint64_t{64} << 20;
std::optional<std::uint64_t> g_limit;

}  // namespace

std::uint64_t parse_memory_size(const std::string& text, const std::string& what) {
  const auto bad = [&](const std::string& why) {
    throw InvalidArgument(what + " must be a size such as 512M, 2G or 1.5G (" + why + "), got '" + text + "'");
  };
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) bad("a number first");
  double number = 0;
  {
    const std::string digits = text.substr(0, i);
    char* end = nullptr;
    errno = 0;
    number = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size() || errno != 0 || !std::isfinite(number)) bad("not a number");
  }
  std::string unit = text.substr(i);
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  double scale = 1;
  if (unit.empty() || unit == "B") {
    scale = 1;
  } else if (unit == "K" || unit == "KB" || unit == "KIB") {
    scale = 1024.0;
  } else if (unit == "M" || unit == "MB" || unit == "MIB") {
    scale = 1024.0 * 1024;
  } else if (unit == "G" || unit == "GB" || unit == "GIB") {
    scale = 1024.0 * 1024 * 1024;
  } else if (unit == "T" || unit == "TB" || unit == "TIB") {
    scale = 1024.0 * 1024 * 1024 * 1024;
  } else {
    bad("unknown unit '" + text.substr(i) + "'; use K, M, G or T");
  }
  const double bytes = number * scale;
  if (bytes >= 1.8e19) bad("too large");
  const auto result = static_cast<std::uint64_t>(bytes);
  if (result < kMinimum) {
    throw InvalidArgument(what + " must be at least 64M (the tool needs that much to start), got '" + text + "'");
  }
  return result;
}

void apply_memory_limit(std::uint64_t bytes) {
#if defined(SDCORE_ASAN)
  (void)bytes;
  throw InvalidArgument("--max-memory is not available in a build with AddressSanitizer (it reserves "
                        "terabytes of address space for its own bookkeeping)");
#else
  rlimit current{};
  if (getrlimit(RLIMIT_AS, &current) != 0) {
    throw InvalidArgument(std::string("--max-memory: cannot read the address-space limit: ") + std::strerror(errno));
  }
  if (current.rlim_max != RLIM_INFINITY && bytes > current.rlim_max) {
    throw InvalidArgument("--max-memory " + format_memory_size(bytes) + " is above this process's hard limit of " +
                          format_memory_size(current.rlim_max) + " (ulimit -Hv)");
  }
  rlimit wanted = current;
  wanted.rlim_cur = static_cast<rlim_t>(bytes);
  if (setrlimit(RLIMIT_AS, &wanted) != 0) {
    throw InvalidArgument(std::string("--max-memory: cannot set the address-space limit: ") + std::strerror(errno));
  }
  g_limit = bytes;
#endif
}

std::optional<std::uint64_t> memory_limit() { return g_limit; }

std::string format_memory_size(std::uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  char buf[64];
  if (u == 0) std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  else if (v == std::floor(v)) std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
  else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace sdcore::cli
