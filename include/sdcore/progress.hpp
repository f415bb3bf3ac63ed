#pragma once
/// \file progress.hpp
/// Progress of long-running work, for a caller that wants to show it.

#include <cstdint>
#include <functional>

namespace sdcore {

/// Called from the working thread with units of work done so far and the total (units are
/// the function's own: bytes for reading, top-level search items for SUDA2). An empty function
/// means no reporting. The callback must not throw.
using ProgressCallback = std::function<void(std::uint64_t done, std::uint64_t total)>;

}  // namespace sdcore
