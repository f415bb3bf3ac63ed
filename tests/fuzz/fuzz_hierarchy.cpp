// Fuzz harness: the ARX-style hierarchy reader (sdcore::parse_hierarchy, the parser behind
// read_hierarchy). The first byte picks the delimiter. A hierarchy that is accepted must answer
// consistently: every value is found at its own row, and generalise() agrees with label().

#include <cstdlib>
#include <string>

#include "fuzz_common.hpp"
#include "sdcore/hierarchy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char kDelimiters[] = {';', ',', '\t', '|'};
  const char delimiter = kDelimiters[data[0] & 3u];
  sdcore::fuzz::refused_cleanly([&] {
    const sdcore::Hierarchy h =
        sdcore::parse_hierarchy(sdcore::fuzz::text_of(data + 1, size - 1), "attribute", delimiter, "<fuzz>");
    for (std::size_t i = 0; i < h.num_values(); ++i) {
      const std::string& value = h.label(i, 0);
      const auto found = h.find(value);
      if (!found || *found != i) std::abort();
      for (std::size_t level = 0; level < h.levels(); ++level) {
        if (h.generalise(value, level) != h.label(i, level)) std::abort();
      }
    }
  });
  return 0;
}
