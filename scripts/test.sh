#!/usr/bin/env bash
# README command 2 (and CI): every test — C++ (GoogleTest, CLI smoke, package consumers) under
# ctest, once optimised with warnings as errors and once under ASan+UBSan (without the package
# consumer tests, which rebuild the library and test packaging, not memory), then the Python
# package installed with pip and its pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export SDCORE_SHARED_DATA="${SDCORE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"

bash scripts/install_deps.sh

echo "== C++: configure, build, ctest (preset ci: warnings are errors)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j 2
ctest --preset ci -j 2

echo "== C++ again under AddressSanitizer + UndefinedBehaviorSanitizer (preset asan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j 2
ctest --preset asan -j 2

echo "== Python: pip install . and pytest"
python3 -m pip install -q --disable-pip-version-check --no-build-isolation .
export PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
export SDCORE_REQUIRE_CLI=1 SDCORE_REQUIRE_CHROMIUM=1
python3 -m pytest -q
