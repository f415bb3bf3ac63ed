// Fuzz harness: the YAML spec of `sdcore table build|suppress|audit` and of publication rules
// (cli::parse_table_spec, the parser behind read_table_spec), with the top-level keys
// `sdcore publish` adds to it (publish_spec.cpp).

#include "cli/table_spec.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  sdcore::fuzz::refused_cleanly([&] {
    sdcore::cli::parse_table_spec(sdcore::fuzz::text_of(bytes, size), "/nonexistent-sdcore-fuzz/spec.yaml",
                                  {"rule", "national", "seed", "percent_of", "percent_decimals", "mean", "median",
                                   "mean_decimals", "audit_rounded"});
  });
  return 0;
}
