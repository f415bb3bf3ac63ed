"""Side-by-side benchmark of sdcore against the pure-Python peers pycanon and anjana (README.md).

    python3 bench/peers/run.py [--scales 1 10 100] [--repeat 3] [--json out.json]
                               [--venv build/peers-venv] [--timeout 600]

Every (scale, task, tool) runs in a process of its own (worker.py): the peers under the venv's
interpreter, sdcore under this one. Exits 1 if the tools disagree on k, l or t, or if sdcore's
release is not k-anonymous by the independent groupby check.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import select
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
WORKER = HERE / "worker.py"
TASKS = {"k": ("pycanon", "sdcore"), "l": ("pycanon", "sdcore"), "t": ("pycanon", "sdcore"),
         "anon": ("anjana", "sdcore")}
T_TOLERANCE = 1e-9  # both compute t in double precision from the same counts
LOAD_ALLOWANCE = 600.0  # seconds to import and build the frame, never counted as the task's


def default_venv() -> pathlib.Path:
    return pathlib.Path(os.environ.get("SDCORE_PEERS_VENV", REPO / "build" / "peers-venv"))


def venv_python(venv: pathlib.Path) -> pathlib.Path:
    return venv / "bin" / "python"


def run_worker(python, tool, task, scale, repeat, timeout, sample=None, budget=60.0):
    """One worker process. Returns its result dict, or {"status": "timeout"} when one call takes
    longer than `timeout` seconds (the process, which we started, is then killed)."""
    cmd = [str(python), str(WORKER), "--tool", tool, "--task", task, "--scale", str(scale),
           "--repeat", str(repeat), "--budget", str(budget)]
    if sample is not None:
        cmd += ["--sample", str(sample)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = {"status": "ok", "tool": tool, "task": task, "scale": scale}
    deadline = time.monotonic() + LOAD_ALLOWANCE
    try:
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([proc.stdout], [], [], max(left, 0))
            if not ready:
                proc.kill()
                proc.wait()
                return {**out, "status": "timeout", "timeout": timeout}
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                return {**out, "status": "failed", "returncode": proc.returncode}
            msg = json.loads(line)
            if msg["event"] == "loaded":
                out.update(rows=msg["rows"], versions=msg["versions"], peak_reset=msg["peak_reset"])
            if msg["event"] == "result":
                proc.wait()
                out.update({k: v for k, v in msg.items() if k != "event"})
                return out
            deadline = time.monotonic() + timeout
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def compare(task, peer, ours):
    """A disagreement as text, or None. k and l must be equal, t within T_TOLERANCE; for the
    anonymisation sdcore's release must be k-anonymous (the peer's is reported, not required)."""
    if peer["status"] != "ok" or ours["status"] != "ok":
        return None if ours["status"] == "ok" else f"sdcore {task}: {ours['status']}"
    a, b = peer["value"], ours["value"]
    if task in ("k", "l") and a[task] != b[task]:
        return f"{task}: {peer['tool']} says {a[task]}, sdcore says {b[task]}"
    if task == "t" and abs(a["t"] - b["t"]) > T_TOLERANCE:
        return f"t: {peer['tool']} says {a['t']!r}, sdcore says {b['t']!r}"
    if task == "anon" and not (b["found"] and b["k_anonymous"] and b["checked_k"] == b["min_class"]):
        return f"anon: sdcore's release fails the independent k check: {b}"
    return None


def describe(r):
    if r["status"] != "ok":
        return r["status"]
    v = r["value"]
    if r["task"] != "anon":
        return f"{r['task']} = {v[r['task']]:.6g}" if r["task"] == "t" else f"{r['task']} = {v[r['task']]}"
    if not v["found"]:
        return "no solution"
    levels = ",".join(str(v["levels"][q]) for q in v["levels"])
    ok = "yes" if v["k_anonymous"] else "NO"
    return f"levels {levels}; suppressed {v['suppressed']}; min class {v['checked_k']}; k-anon {ok}"


def table(results):
    head = ("scale", "rows", "task", "tool", "runs", "wall s", "CPU s", "peak MiB", "Δ MiB", "ratio", "result")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    by_key = {(r["scale"], r["task"], r["tool"]): r for r in results}
    for r in results:
        ours = by_key.get((r["scale"], r["task"], "sdcore"))
        if r["status"] == "ok":
            nums = (str(r["runs"]), f"{r['wall']:.3g}", f"{r['cpu']:.3g}", f"{r['peak_mib']:.0f}", f"{r['delta_mib']:.0f}")
        else:
            nums = ("-", f"> {r['timeout']:.0f}" if r["status"] == "timeout" else "-", "-", "-", "-")
        ratio = ""
        if r["tool"] != "sdcore" and ours and ours["status"] == "ok":
            ratio = f"{r['wall'] / ours['wall']:.3g}" if r["status"] == "ok" else "> timeout"
        rows = str(r.get("rows", ""))
        lines.append("| " + " | ".join((str(r["scale"]), rows, r["task"], r["tool"], *nums, ratio, describe(r))) + " |")
    return "\n".join(lines)


def machine():
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in subprocess.run(
            ["lscpu"], capture_output=True, text=True).stdout.splitlines() if line.startswith("Model name"))
    except (OSError, StopIteration):
        pass
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "cpu": model, "cpus": os.cpu_count(), "platform": platform.platform()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--tasks", nargs="+", choices=list(TASKS), default=list(TASKS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--budget", type=float, default=60.0, help="stop repeating a call once its runs took this long (s)")
    ap.add_argument("--timeout", type=float, default=600.0, help="per call, seconds")
    ap.add_argument("--venv", type=pathlib.Path, default=default_venv())
    ap.add_argument("--json", type=pathlib.Path)
    a = ap.parse_args(argv)
    peer_python = venv_python(a.venv)
    if not peer_python.exists():
        raise SystemExit(f"no peers venv at {a.venv}: run bench/peers/setup_venv.sh first")
    results, problems = [], []
    for scale in a.scales:
        for task in a.tasks:
            pair = []
            for tool in TASKS[task]:
                python = sys.executable if tool == "sdcore" else peer_python
                r = run_worker(python, tool, task, scale, a.repeat, a.timeout, budget=a.budget)
                print(f"[{time.strftime('%H:%M:%S')}] {scale}x {task} {tool}: {describe(r)}"
                      + (f" ({r['wall']:.3g} s)" if r["status"] == "ok" else ""), flush=True)
                pair.append(r)
            results += pair
            problem = compare(task, *pair)
            if problem:
                print(f"DISAGREEMENT at {scale}x: {problem}", flush=True)
                problems.append(f"{scale}x {problem}")
    print(table(results))
    if a.json:
        a.json.write_text(json.dumps({"machine": machine(), "results": results, "problems": problems}, indent=1))
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))


if __name__ == "__main__":
    main()
