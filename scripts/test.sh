#!/usr/bin/env bash
# README command 2 (and CI): every test. First `pip install .` builds, in one optimised build with
# warnings as errors, the library, the CLI, the Python extension and the C++ tests (GoogleTest,
# CLI smoke, fuzz-corpus replay), which ctest runs there; then the C++ tests again under
# ASan+UBSan (preset asan), with the package-consumer tests (install + find_package,
# add_subdirectory); then the Python suite against the installed package. One optimised build
# instead of two (a CMake preset and the wheel) keeps CI under 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export SDCORE_SHARED_DATA="${SDCORE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
start=$(date +%s)
stage() { echo "== $1 ($(( $(date +%s) - start )) s so far)"; }

bash scripts/install_deps.sh

stage "C++ and Python, optimised: pip install . with the C++ tests (warnings are errors), then ctest"
python3 -m pip install -q --disable-pip-version-check --no-build-isolation . \
  --config-settings=build-dir=build/ci-wheel \
  --config-settings=cmake.define.SDCORE_BUILD_TESTS=ON \
  --config-settings=cmake.define.SDCORE_WERROR=ON
ctest --test-dir build/ci-wheel -j 2 --output-on-failure

stage "C++ again under AddressSanitizer + UndefinedBehaviorSanitizer (preset asan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j 2
ctest --preset asan -j 2

stage "Python: pytest against the installed package and CLI"
export PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
export SDCORE_REQUIRE_CLI=1 SDCORE_REQUIRE_CHROMIUM=1
python3 -m pytest -q
stage "all tests passed"
