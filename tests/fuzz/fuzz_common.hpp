#pragma once
// Shared by the fuzz harnesses: what counts as a finding. A harness feeds one input to a reader;
// the reader may refuse it, but only with sdcore's own errors (ParseError, IoError,
// InvalidArgument: what the CLI turns into a message with a location and an exit code). Any other
// exception escapes the harness and, like a crash, a leak or a sanitizer report, is a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sdcore/error.hpp"

namespace sdcore::fuzz {

template <class F>
void refused_cleanly(F&& run) {
  try {
    run();
  } catch (const sdcore::Error&) {
  } catch (const sdcore::InvalidArgument&) {
  }
}

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace sdcore::fuzz
