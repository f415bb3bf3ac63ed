// Fuzz harness: reading a published long table as `sdcore table audit` and `sdcore verify` do
// (every field as text; the value column as numbers or the suppression symbol; each row's cell
// looked up in the tabulation), under a fixed two-dimensional spec: sdcTable's trap table layout.

#include <cmath>
#include <cstdlib>

#include "cli/table_spec.hpp"
#include "fuzz_common.hpp"
#include "sdcore/io/csv.hpp"

namespace {

const sdcore::cli::TableSpec& spec() {
  static const sdcore::cli::TableSpec s = sdcore::cli::parse_table_spec(
      "input: long\n"
      "dimensions: [{column: v1, total: tot}, {column: v2, total: tot}]\n"
      "value: freq\n",
      "<fuzz spec>");
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  sdcore::CsvReadOptions o;
  o.infer_types = false;
  sdcore::fuzz::refused_cleanly([&] {
    const sdcore::Table text = sdcore::read_csv_text(sdcore::fuzz::text_of(bytes, size), o, "<fuzz>");
    const sdcore::Tabulation t = sdcore::cli::tabulate_input(spec(), text, '.', "*");
    const sdcore::cli::LongValues v = sdcore::cli::long_values(text, "freq", "*", '.');
    const std::vector<std::size_t> cell = sdcore::cli::cells_of_rows(t, text);
    if (cell.size() != text.num_rows() || v.value.size() != text.num_rows()) std::abort();
    for (std::size_t r = 0; r < cell.size(); ++r) {
      if (cell[r] >= t.num_cells()) std::abort();
      if (!v.suppressed[r] && std::isnan(v.value[r])) std::abort();
    }
  });
  return 0;
}
