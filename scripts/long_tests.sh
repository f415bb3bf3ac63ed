#!/usr/bin/env bash
# The long run of the property tests, outside CI (issue 8, "guarantees at scale"):
#   bash scripts/long_tests.sh [FACTOR]      (default 20)
# Runs every property test with FACTOR times the random cases CI runs (SDCORE_LONG_TESTS; the
# extra cases continue CI's seeded streams): k-anonymised, Mondrian and locally suppressed releases
# against independent checkers, secondary suppression of random tables against the LP audit,
# controlled rounding additivity, lattice search against brute force, class counts against a
# naive map, the CSV reader against Python's, SUDA against enumeration; then the CLI's releases
# (row order, other columns, independent k-anonymity check), a column of 10 million distinct values
# (tests/python/test_scale.py) and the Python property tests. Uses
# an optimised build of its own (preset ci) and the installed package (scripts/test.sh installs it).
# Prints the time taken; docs/reliability.md records the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
factor="${1:-20}"
export SDCORE_LONG_TESTS="$factor"
export SDCORE_SHARED_DATA="${SDCORE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
start=$(date +%s)
cmake --preset ci >/dev/null
cmake --build --preset ci -j 2
filter='*Property*:*Random*:*Naive*:*BruteForce*:Classes.Match*:KanonModels.*:LocalSuppression.*:CsvProperty*:Suda.*'
echo "== C++ property tests x$factor ($filter)"
build/ci/tests/sdcore_tests --gtest_filter="$filter" --gtest_brief=1
echo "== CLI releases and Python property tests x$factor"
export SDCORE_EXE="${SDCORE_EXE:-$PWD/build/ci/src/cli/sdcore}"
python3 -m pytest -q tests/python/test_nothing_lost.py tests/python/test_scale.py \
  tests/python/test_kanon.py::test_random_tables_satisfy_the_models \
  tests/python/test_classes_property.py
echo "== long run x$factor passed in $(( $(date +%s) - start )) s"
