#pragma once
// The --max-memory guard: a ceiling on the process's address space (setrlimit(RLIMIT_AS)), so that
// work that would outgrow it fails inside sdcore with std::bad_alloc, which the tool reports as
// "out of memory" with exit code 8 and without leaving an output file, instead of the machine's
// out-of-memory killer ending it (or another job) without a word.

#include <cstdint>
#include <optional>
#include <string>

namespace sdcore::cli {

// Parses a size: a number of bytes, or a number (may have a fraction) with the suffix K, M, G or
// T (powers of 1024; "KB"/"KiB" etc. and lower case are accepted too). InvalidArgument naming
// `what` when it is not one, or is below 64 MiB (too little to start at all).
std::uint64_t parse_memory_size(const std::string& text, const std::string& what);

// Lowers the soft RLIMIT_AS to `bytes` (the hard limit is left alone). InvalidArgument when it is
// above the hard limit; unavailable (InvalidArgument) in builds with AddressSanitizer, which
// reserves terabytes of address space for its shadow memory.
void apply_memory_limit(std::uint64_t bytes);

// The limit apply_memory_limit set, if any (for the out-of-memory message).
std::optional<std::uint64_t> memory_limit();

// "1.5 GiB", "200 MiB": a size for messages.
std::string format_memory_size(std::uint64_t bytes);

}  // namespace sdcore::cli
