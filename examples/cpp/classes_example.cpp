// Reads a CSV and prints how many records are sample uniques on the given quasi-identifiers.
//   classes_example examples/data/hospital_episodes.csv age sex ethnic_group postcode_district
#include <sdcore/classes.hpp>
#include <sdcore/error.hpp>
#include <sdcore/io/csv.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: classes_example FILE.csv QI [QI...]\n";
    return 2;
  }
  try {
    const sdcore::Table table = sdcore::read_csv(argv[1]);
    const std::vector<std::string> qi(argv + 2, argv + argc);
    const auto ec = sdcore::equivalence_classes(table, qi);
    std::size_t uniques = 0;
    for (std::size_t c = 0; c < ec.num_classes(); ++c) uniques += ec.frequency[c] == 1;
    std::cout << table.num_rows() << " records, " << ec.num_classes() << " classes, " << uniques
              << " sample uniques\n";
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
