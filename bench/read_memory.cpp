// Reads one CSV file and reports time, peak resident memory and the size of the encoded table,
// to check the reader's promise: memory stays at the encoded table whatever the file size.
//   sdcore_read_memory FILE.csv
// Peak RSS comes from getrusage (whole process, so it includes the program itself).

#include <sys/resource.h>

#include <chrono>
#include <cstdio>

#include "sdcore/io/csv.hpp"

namespace {

// Bytes the table holds: 4 per categorical code, 8 per number, and each category string
// (its object, plus its heap buffer when longer than the 15 bytes std::string keeps inline).
double encoded_mib(const sdcore::Table& t) {
  double bytes = 0;
  for (const auto& c : t.columns()) {
    if (!c.is_categorical()) {
      bytes += 8.0 * static_cast<double>(c.size());
      continue;
    }
    bytes += 4.0 * static_cast<double>(c.size());
    for (const auto& s : c.categories()) {
      bytes += sizeof(std::string) + (s.size() > 15 ? static_cast<double>(s.size()) + 1 : 0);
    }
  }
  return bytes / 1048576.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: sdcore_read_memory FILE.csv\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const sdcore::Table t = sdcore::read_csv(argv[1]);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("rows %zu  columns %zu  read %.2f s  encoded table %.1f MiB  peak RSS %.1f MiB\n",
              t.num_rows(), t.num_columns(), seconds, encoded_mib(t), static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
