// Fuzz harness: the anonymisation spec parser (sdcore::parse_anonymisation_spec, behind
// `sdcore anonymise --spec` and sdcore.anonymise(spec=...)) on a fixed small table, so that the
// builders (intervals, dates, postcodes, masking) run on real columns. Hierarchy files are looked
// up under a folder that does not exist, so a spec naming one is refused, never read.

#include "fuzz_common.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/kanon_spec.hpp"
#include "sdcore/table.hpp"

namespace {

const sdcore::Table& data() {
  static const sdcore::Table t = sdcore::read_csv_text(
      "age,sex,postcode,admitted,diagnosis\n"
      "34,F,SW1A 1AA,2024-03-02,J18\n"
      "71,M,LS6 2QT,2023-12-30,I21\n"
      "7,F,M14 5RR,2024-07-14,S72\n"
      "34,M,SW1A 2BB,2024-03-09,J18\n"
      "88,F,LS6 1AB,2022-01-01,C50\n");
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  sdcore::fuzz::refused_cleanly([&] {
    sdcore::parse_anonymisation_spec(sdcore::fuzz::text_of(bytes, size), data(), "/nonexistent-sdcore-fuzz", "<fuzz>");
  });
  return 0;
}
