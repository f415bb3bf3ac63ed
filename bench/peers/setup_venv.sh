#!/usr/bin/env bash
# Creates the peers' virtual environment (pycanon, anjana; no sdcore) for bench/peers/run.py.
#   bash bench/peers/setup_venv.sh                 # -> build/peers-venv
#   SDCORE_PEERS_VENV=/tmp/pv bash bench/peers/setup_venv.sh
# --no-deps: requirements.txt is the complete, exact set (see the note at its top for why the
# resolver cannot be used for it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${SDCORE_PEERS_VENV:-$repo/build/peers-venv}"
python="${PYTHON:-python3}"

"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --no-deps -r "$here/requirements.txt"
"$venv/bin/python" -c 'import pycanon, anjana; print("pycanon", pycanon.__version__, "anjana", anjana.__version__)'
echo "peers venv ready: $venv (run: python3 bench/peers/run.py --venv $venv)"
