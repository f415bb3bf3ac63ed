#!/usr/bin/env bash
# Runs the whole Google Benchmark suite family by family, one JSON file per family, with the
# machine, compiler and commit recorded next to them, so an auditor can reproduce bench/README.md:
#   bash bench/run_all.sh [--quick] [OUT_DIR]          (default OUT_DIR: build/bench/results/DATE)
# --quick leaves out the 10M-row extracts and the solver runs that wait for a 60 s time limit
# (about 5 minutes instead of over an hour). Run on an otherwise idle machine.
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
# The cases --quick leaves out (Google Benchmark's filter has no negative lookahead, so the list
# of cases is filtered here and passed as an alternation of exact names).
slow='rows:10000000|side:1000/|groups:40/|ControlledRound3D/side:(12|20)'
all_cases=$("$bin" --benchmark_list_tests)
for entry in "${families[@]}"; do
  name="${entry%%:*}"
  filter="${entry#*:}"
  cases=$(grep -E "$filter" <<<"$all_cases" || true)
  if ((quick)); then cases=$(grep -Ev "$slow" <<<"$cases" || true); fi
  if [[ -z "$cases" ]]; then
    echo "== $name: no cases" >&2
    exit 1
  fi
  # strip the suffixes the list shows but the filter does not match on, and anchor each name
  names=$(sed -E 's#/(process_time|real_time|iterations:[0-9]+)##g' <<<"$cases" | sort -u | paste -sd'|')
  echo "== $name ($(wc -l <<<"$cases") cases)"
  "$bin" --benchmark_filter="^($names)(/.*)?$" --benchmark_out="$out/$name.json" --benchmark_out_format=json \
    --benchmark_counters_tabular=true
  [[ -s "$out/$name.json" ]] || { echo "no results for $name" >&2; exit 1; }
done
echo "results in $out"
