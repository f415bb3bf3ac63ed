#!/usr/bin/env bash
# Installs what sdcore builds and tests with, on a Debian machine with pip (python-native kind).
# Idempotent and quick when everything is present. Needs root (or sudo) for apt.
set -euo pipefail

APT_PACKAGES=(
  g++ pkg-config
  libeigen3-dev libboost-dev            # linear algebra (risk models), multiprecision (SUDA scores)
  libgtest-dev libgmock-dev libbenchmark-dev  # C++ tests and benchmarks
  coinor-libclp-dev coinor-libcbc-dev   # LP audit and MIP suppression / controlled rounding
  libcli11-dev nlohmann-json3-dev       # command-line parsing, JSON reports
  libyaml-cpp-dev                       # the anonymisation spec (YAML)
  libssl-dev                            # SHA-256 (OpenSSL libcrypto) for disclosure certificates
  chromium                              # renders the HTML reports in tests (headless)
)
PIP_PACKAGES=(cmake ninja "scikit-build-core>=0.10" "pybind11>=2.12" numpy "pandas>=2.1" pytest hypothesis)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 - "${PIP_PACKAGES[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version, PackageNotFoundError
import re
for spec in sys.argv[1:]:
    name = re.split(r"[<>=]", spec)[0]
    try:
        version(name)
    except PackageNotFoundError:
        sys.exit(1)
PY
then
  echo "installing Python packages: ${PIP_PACKAGES[*]}"
  python3 -m pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
fi
