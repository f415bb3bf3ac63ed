"""One tool, one task, one scale, in a process of its own (run.py starts it).

    worker.py --tool pycanon|anjana|sdcore --task k|l|t|anon --scale S [--sample N] [--repeat R]

Loads the data (not timed), resets the peak-RSS mark, then times the call --repeat times (fewer if
the calls use up --budget seconds). Protocol: one JSON object per line on the original stdout;
anything the tools print goes to stderr instead (anjana prints progress messages).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import QIS, SENSITIVE  # noqa: E402

K_ANON = 5  # per replica: the anonymisation asks for k = K_ANON * scale (see README.md)
SUPPRESSION_LIMIT = 0.05  # fraction of records, for both tools (anjana takes it in percent)


# --- sdcore: k, l and t from measure_anonymity (one library call each, C++ kernel) ----------------

def sdcore_task(task, df, scale, ctx):
    import sdcore
    if task == "k":
        return {"k": sdcore.measure_anonymity(df, QIS).k}
    if task in ("l", "t"):
        # occupation is text, for which pycanon's t uses the equal ground distance (README)
        m = sdcore.measure_anonymity(df, QIS, [SENSITIVE], distance="equal").sensitive.loc[SENSITIVE]
        return {"l": int(m["l_distinct"])} if task == "l" else {"t": float(m["t"])}
    r = sdcore.anonymise(df, quasi_identifiers={q: str(common.hierarchy_path(q)) for q in QIS},
                         k=K_ANON * scale, suppression_limit=SUPPRESSION_LIMIT, threads=1)
    ctx["released"] = r
    return None


def sdcore_anon_summary(df, scale, r):
    if not r.summary["found"]:
        return {"found": False}
    kept = r.data[~r.suppressed]
    return {"found": True, "levels": r.summary["levels"], "suppressed": int(r.suppressed.sum()),
            "min_class": int(r.summary["smallest_class"]), "checked_k": common.k_of(kept, QIS),
            "k_anonymous": common.is_k_anonymous(kept, QIS, K_ANON * scale)}


# --- peers ----------------------------------------------------------------------------------

def pycanon_task(task, df, scale, ctx):
    import pycanon.anonymity as pa
    if task == "k":
        return {"k": int(pa.k_anonymity(df, QIS))}
    if task == "l":
        return {"l": int(pa.l_diversity(df, QIS, [SENSITIVE]))}
    if task == "t":
        return {"t": float(pa.t_closeness(df, QIS, [SENSITIVE]))}
    raise SystemExit(f"pycanon has no task {task!r}")


def anjana_task(task, df, scale, ctx):
    import anjana.anonymity
    if task != "anon":
        raise SystemExit(f"anjana has no task {task!r}")
    out = anjana.anonymity.k_anonymity(df, [], QIS, K_ANON * scale, SUPPRESSION_LIMIT * 100, ctx.pop("hierarchies"))
    ctx["released"] = out
    return None


def anjana_anon_summary(df, scale, out):
    if out.empty:
        return {"found": False}
    return {"found": True, "levels": common.infer_levels(df, out, QIS), "suppressed": len(df) - len(out),
            "min_class": common.k_of(out, QIS), "checked_k": common.k_of(out, QIS),
            "k_anonymous": common.is_k_anonymous(out, QIS, K_ANON * scale)}


TOOLS = {"sdcore": sdcore_task, "pycanon": pycanon_task, "anjana": anjana_task}


def versions(tool):
    import numpy
    import pandas
    v = {"python": sys.version.split()[0], "pandas": pandas.__version__, "numpy": numpy.__version__}
    if tool == "sdcore":
        import sdcore
        v["sdcore"] = sdcore.__version__
    else:
        import anjana
        import pycanon
        v.update(pycanon=pycanon.__version__, anjana=anjana.__version__)
    return v


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", choices=sorted(TOOLS), required=True)
    ap.add_argument("--task", choices=["k", "l", "t", "anon"], required=True)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--sample", type=int)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--budget", type=float, default=60.0, help="no further repeat once the calls took this long")
    ap.add_argument("--categorical", action="store_true",
                    help="convert every column to a pandas categorical before timing (sdcore's native input)")
    a = ap.parse_args(argv)

    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(**obj):
        proto.write(json.dumps(obj) + "\n")

    run = TOOLS[a.tool]
    versions(a.tool)  # imports everything before the baseline is taken
    df = common.load_adult(a.scale, a.sample)
    if a.categorical:
        df = df.astype("category")
    gc.collect()
    reset_ok = common.reset_peak()
    baseline = common.rss_mib()
    send(event="loaded", rows=len(df), baseline_mib=baseline, peak_reset=reset_ok, versions=versions(a.tool))
    walls, cpus, value, ctx = [], [], None, {}
    for _ in range(a.repeat):
        if a.tool == "anjana":
            ctx["hierarchies"] = common.anjana_hierarchies(QIS)  # anjana converts them in place
        ctx.pop("released", None)
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        value = run(a.task, df, a.scale, ctx)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        send(event="run", wall=walls[-1], cpu=cpus[-1])
        if sum(walls) >= a.budget:
            break
    peak = common.peak_mib()
    if a.task == "anon":
        summarise = sdcore_anon_summary if a.tool == "sdcore" else anjana_anon_summary
        value = summarise(df, a.scale, ctx["released"])
    send(event="result", value=value, runs=len(walls), wall=statistics.median(walls), cpu=statistics.median(cpus),
         peak_mib=peak, delta_mib=peak - baseline, baseline_mib=baseline, loadavg=os.getloadavg())


if __name__ == "__main__":
    main()
