"""Secondary suppression on the peers' test tables and on NHS A&E months, every method side by side.

    python3 bench/secondary_tables.py [--months 12] [--time-limit 60]

Prints a Markdown table (bench/README.md keeps the last run): per table and method, the secondary
cells, the suppressed total, whether the optimum was proven, and the wall time; every pattern is
checked by the independent LP audit (column "audit"). Tables:

- A&E breaches, provider x type with margins, one table per month (the last --months months of
  shared/data/nhsr/ae_attendances.csv), 1..7 unsafe, protection 1, cost = number of cells, the
  grand total never suppressed;
- sdcTable's vignette problem (V1 x V2 x V3, V1 hierarchical), 1..10 unsafe, protection 1, cost =
  cells (tests/python/test_peer_tables.py builds it the same way);
- tau-Argus's pp.tab (Size x hierarchical Region of Var2), its own unsafe cells and protection
  levels, cost = suppressed value, built from its inner cells (its given totals do not all add up).
"""

import argparse
import os
import pathlib
import sys
import time

import pandas as pd

import sdcore.tables as st

# The peers' tables are read exactly as their tests read them.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "python"))
from test_peer_tables import pp_table, read_pp, vignette_table  # noqa: E402

METHODS = ("optimal", "modular", "hypercube", "network", "gauss")


def shared() -> pathlib.Path:
    env = os.environ.get("SDCORE_SHARED_DATA")
    return pathlib.Path(env) if env else pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"


def ae_months(n):
    ae = pd.read_csv(shared() / "nhsr" / "ae_attendances.csv", dtype={"type": str})
    for period in sorted(ae["period"].unique())[-n:]:
        month = ae[ae["period"] == period]
        t = st.from_long(month, ["org_code", "type"], "breaches", totals={"org_code": "All", "type": "All"})
        yield f"A&E breaches {period[:7]}", t, t.primary(frequency=7), "cells", [{}]


def vignette():
    _, t = vignette_table(shared() / "sdctable")
    return "sdcTable vignette (freq, 1..10)", t, t.primary(frequency=10), "cells", []


def tau_argus_pp():
    t, p = pp_table(*read_pp(shared() / "tauargus" / "tableinput"))
    return "tau-Argus pp.tab (its levels)", t, p, "value", []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--time-limit", type=float, default=60)
    args = ap.parse_args()
    print("| table | cells | primary | method | secondary | suppressed total | proven optimal | audit | time |")
    print("|---|---:|---:|---|---:|---:|---|---|---:|")
    for name, t, p, cost, keep in [*ae_months(args.months), vignette(), tau_argus_pp()]:
        for method in METHODS:
            start = time.perf_counter()
            s = t.suppress(p, method=method, cost=cost, time_limit=args.time_limit, never_suppress=keep)
            seconds = time.perf_counter() - start
            a = t.audit(s)
            verdict = "pass" if a.attrs["all_protected"] else f"{int((a['verdict'] != 'protected').sum())} fail"
            proven = ("yes" if s.attrs["optimal"] else f"gap {s.attrs['gap']:.1%}") if method == "optimal" else "–"
            print(f"| {name} | {len(t)} | {s.attrs['num_primary']} | {method} | {s.attrs['num_secondary']} | "
                  f"{s.attrs['suppressed_total']:.0f} | {proven} | {verdict} | {seconds * 1000:.1f} ms |", flush=True)


if __name__ == "__main__":
    main()
