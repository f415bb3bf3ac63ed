#!/usr/bin/env bash
# Runs the whole Google Benchmark suite family by family, one JSON file per family, with the
# machine, compiler and commit recorded next to them, so an auditor can reproduce bench/README.md:
#   bash bench/run_all.sh [--quick] [OUT_DIR]          (default OUT_DIR: build/bench/results/DATE)
# --quick leaves out the 10M-row extracts and the solver runs that wait for a 60 s time limit
# (about 10 minutes instead of over an hour). Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [[ "${1:-}" == "--quick" ]]; then quick=1; shift; fi
out="${1:-build/bench/results/$(date -u +%Y-%m-%d)}"
mkdir -p "$out"

cmake --preset bench >/dev/null
cmake --build --preset bench -j 2
bin=build/bench/bench/sdcore_bench

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
  echo "compiler: $(c++ --version | head -1)"
  echo "quick: $quick"
} > "$out/machine.txt"
cat "$out/machine.txt"

# family name -> benchmark filter
families=(
  "classes:^BM_(EquivalenceClasses|EquivalenceClassesWeighted|ReadCodes)/"
  "risk:^BM_MeasureRisk/"
  "suda:^BM_Suda2/"
  "kanon:^BM_Anonymise"
  "mondrian_mdav:^BM_(Mondrian|Mdav)"
  "local_suppression:^BM_LocalSuppression"
  "audit:^BM_Audit"
  "secondary:^BM_Secondary"
  "rounding:^BM_(RoundToBase|RandomRound|CellKey|ControlledRound|Publication)"
)
for entry in "${families[@]}"; do
  name="${entry%%:*}"
  filter="${entry#*:}"
  if ((quick)); then
    # drop 10M-row cases, 1M-cell secondary tables and the MIP runs that stop at their limit
    filter="$filter"'(?!.*(10000000|rows:10000000|side:1000|groups:40|ControlledRound3D/(12|20)))'
  fi
  echo "== $name"
  "$bin" --benchmark_filter="$filter" --benchmark_out="$out/$name.json" --benchmark_out_format=json \
    --benchmark_counters_tabular=true
done
echo "results in $out"
