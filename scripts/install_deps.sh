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
  default-jre-headless                  # Java 17 for PySpark (sdcore.spark and its tests, local mode)
)
PIP_PACKAGES=(cmake ninja "scikit-build-core>=0.10" "pybind11>=2.12" numpy "pandas>=2.1" pytest hypothesis)
SPARK_EXTRA=("pyspark==4.0.5" "pyarrow==23.0.1")  # pyproject.toml's [spark] extra (tests/python/test_spark.py checks they agree)
PIP_PACKAGES+=("${SPARK_EXTRA[@]}")

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
    name, _, pinned = spec.partition("==")
    name = re.split(r"[<>=]", name)[0]
    try:
        if version(name) != (pinned or version(name)):
            sys.exit(1)  # an exact pin that is not the installed version
    except PackageNotFoundError:
        sys.exit(1)
PY
then
  echo "installing Python packages: ${PIP_PACKAGES[*]}"
  python3 -m pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
fi
