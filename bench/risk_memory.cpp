// Time and peak memory of risk scoring at scale, the issue-7 target (10M rows x 8
// quasi-identifiers under 2 s and 1 GB): seeded codes are drawn straight into 1-byte arrays (the
// width pandas gives categorical codes), with a sampling weight per row, and measure_risk runs
// once on `threads` threads.
//   sdcore_risk_memory [ROWS=10000000] [THREADS=0]
// Peak RSS comes from getrusage (whole process: input, result and the program itself).

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "sdcore/risk.hpp"

namespace {

double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: KiB
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const std::size_t threads = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
  // Cardinalities of the benchmark extract's 8 published quasi-identifiers (bench/README.md).
  const std::int64_t card[8] = {10, 4, 5, 6, 22, 4, 3, 2};
  std::mt19937_64 rng(2026);
  std::vector<std::vector<std::int8_t>> codes(8, std::vector<std::int8_t>(rows));
  std::vector<double> weight(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < 8; ++j) {
      // skewed: low codes far more common, as real categories are
      const auto u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
      codes[j][i] = static_cast<std::int8_t>(static_cast<double>(card[j]) * u * u);
    }
    weight[i] = 1 + static_cast<double>(rng() % 400) / 4;
  }
  std::vector<sdcore::KeyCodes> keys;
  for (std::size_t j = 0; j < 8; ++j) keys.push_back({codes[j].data(), 1, card[j]});
  const double before = peak_mib();
  sdcore::RiskOptions options;
  options.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  const sdcore::RiskResult r = sdcore::measure_risk(sdcore::Span<const sdcore::KeyCodes>(keys), rows, weight,
                                                    nullptr, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("rows %zu, QIs 8, threads %zu: %.3f s, %lld classes, expected re-identifications %.3f\n", rows,
              threads, seconds, static_cast<long long>(r.summary.classes), r.summary.expected_reidentifications);
  std::printf("peak RSS: %.0f MiB before scoring (input), %.0f MiB after (input + result)\n", before, peak_mib());
  return 0;
}
