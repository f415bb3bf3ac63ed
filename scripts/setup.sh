#!/usr/bin/env bash
# README command 1: install everything, build and install sdcore (C++ CLI + Python package),
# then run the main job on the bundled example data.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install_deps.sh
python3 -m pip install -q --disable-pip-version-check --no-build-isolation .
# pip puts the `sdcore` executable in the interpreter's scripts folder; make sure it is on PATH.
export PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true

bash examples/cli/main_job.sh
