#!/usr/bin/env bash
# Generates a ~1.08 GB synthetic extract (10M rows, seed 5) and reads it, reporting peak memory
# against the encoded table. Needs the bench preset built and the sdcore CLI (build/bench).
#   bash bench/read_1gb.sh [workdir]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp}"
cmake --preset bench >/dev/null
cmake --build --preset bench --target sdcore_read_memory sdcore_cli >/dev/null
./build/bench/src/cli/sdcore generate hospital --rows 10000000 --seed 5 -o "$work/sdcore_1gb.csv"
ls -l "$work/sdcore_1gb.csv"
./build/bench/bench/sdcore_read_memory "$work/sdcore_1gb.csv"
rm -f "$work/sdcore_1gb.csv"
