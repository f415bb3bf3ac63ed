// A program a user might write against an installed sdcore, compiled as C++17.
#include <sdcore/classes.hpp>
#include <sdcore/io/csv.hpp>
#include <sdcore/version.hpp>

#include <iostream>

int main() {
  const sdcore::Table t = sdcore::read_csv_text("k1,k2\na,x\nb,y\na,x\n");
  const auto ec = sdcore::equivalence_classes(t, {"k1", "k2"});
  for (std::size_t i = 0; i < ec.num_rows(); ++i) {
    std::cout << (i ? " " : "") << ec.frequency[static_cast<std::size_t>(ec.row_class[i])];
  }
  std::cout << "\n";
  return sdcore::version()[0] == '\0';
}
