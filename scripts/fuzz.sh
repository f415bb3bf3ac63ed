#!/usr/bin/env bash
# Runs the libFuzzer harnesses (docs/fuzzing.md): builds the fuzz preset (clang, ASan + UBSan),
# then fuzzes each named harness (default: all) for SECONDS each, starting from a copy of the
# committed corpus in build/fuzz/work/<name>/corpus. Inputs that crash are written to
# build/fuzz/work/<name>/crash-*; the script exits non-zero if any harness found one.
#   bash scripts/fuzz.sh 300                 # every harness, 5 minutes each
#   bash scripts/fuzz.sh 3600 csv hierarchy  # an hour each on two of them
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(csv hierarchy kanon_spec table_spec published_table)

command -v clang++ >/dev/null || { echo "clang++ is needed: apt-get install clang" >&2; exit 2; }
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j 2

status=0
for name in "${harnesses[@]}"; do
  work="build/fuzz/work/$name"
  mkdir -p "$work/corpus"
  cp -n "tests/fuzz/corpus/$name/"* "$work/corpus/" 2>/dev/null || true
  echo "== fuzz_$name for $seconds s"
  if ! "build/fuzz/tests/fuzz/fuzz_$name" "$work/corpus" -max_total_time="$seconds" -max_len=4096 -len_control=20 \
      -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/" -print_final_stats=1 >"$work/log.txt" 2>&1; then
    status=1
    echo "   FOUND: see $work/log.txt and $work/crash-*"
  fi
  grep -E "^stat::(number_of_executed_units|new_units_added|peak_rss_mb)" "$work/log.txt" | sed 's/^/   /'
done
exit $status
