// Fuzz harness: the CSV reader (sdcore::read_csv_text, the same tokenizer and typing as
// read_csv). The first byte picks the options, so that delimiters, decimal commas, headerless
// files, typing off and blank-line skipping are all reached; the rest is the file.
// A table that is read must be consistent: every column as long as the table.

#include <cstdlib>
#include <string>

#include "fuzz_common.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned pick = data[0];
  sdcore::CsvReadOptions o;
  static const char kDelimiters[] = {'\0', ',', ';', '\t'};
  o.delimiter = kDelimiters[pick & 3u];
  o.decimal = (pick & 4u) != 0 ? ',' : '.';
  o.header = (pick & 8u) == 0;
  o.infer_types = (pick & 16u) == 0;
  o.skip_blank_lines = (pick & 32u) != 0;
  if ((pick & 64u) != 0) o.missing = {"", "NA"};
  if (o.decimal == ',' && o.delimiter == ',') o.delimiter = ';';
  sdcore::fuzz::refused_cleanly([&] {
    const sdcore::Table t = sdcore::read_csv_text(sdcore::fuzz::text_of(data + 1, size - 1), o, "<fuzz>");
    for (std::size_t j = 0; j < t.num_columns(); ++j) {
      if (t.column(j).size() != t.num_rows()) std::abort();
    }
  });
  return 0;
}
