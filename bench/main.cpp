// One main for the whole Google Benchmark suite.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
