"""Risk scoring of a large CSV: streamed in chunks (sdcore.stream.risk_csv) against the whole file
read into memory (sdcore.read_csv + sdcore.risk), each in a process of its own, reporting wall
time and peak resident memory, and checking that both give the same summary. With --cli, the
same for the command line: `sdcore risk --stream --block-rows N` against `sdcore risk` (the
executable on PATH, or $SDCORE_EXE).

    python3 bench/stream_memory.py [--rows 10000000] [--chunk-mb 64] [--file PATH] [--keep]
    python3 bench/stream_memory.py --cli [--block-rows 1048576] ...

Without --file it generates the seeded synthetic extract with the sdcore CLI
(``sdcore generate hospital --rows N --seed 5``; 10M rows is about 1.08 GB) in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

QIS = ["age", "sex", "ethnic_group", "postcode_district", "admission_method"]


def run_cli(mode: str, path: str, block_rows: int) -> None:
    """The CLI as a child of this small process; its peak RSS is RUSAGE_CHILDREN's."""
    cmd = [os.environ.get("SDCORE_EXE") or shutil.which("sdcore") or "sdcore", "risk", path, "--qi", ",".join(QIS), "--format", "json", "-q"]
    if mode == "cli-stream":
        cmd += ["--stream", "--block-rows", str(block_rows)]
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    s = json.loads(out)
    print(json.dumps({"mode": mode, "wall_s": wall, "peak_mib": peak, "records": s["records"],
                      "classes": s["classes"], "sample_uniques": s["sample_uniques"],
                      "expected_reidentifications": s["expected_reidentifications"],
                      "threshold": s["threshold"], "high_risk_records": s["high_risk_records"]}))


def run_one(mode: str, path: str, chunk_mb: int) -> None:
    import sdcore
    import sdcore.stream

    start = time.perf_counter()
    if mode == "stream":
        r = sdcore.stream.risk_csv(path, QIS, chunk_bytes=chunk_mb << 20)
    else:
        df = sdcore.read_csv(path, dtype={q: "categorical" for q in QIS})
        r = sdcore.risk(df, QIS)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    s = r.summary
    print(json.dumps({"mode": mode, "wall_s": wall, "peak_mib": peak, "records": s["records"],
                      "classes": s["classes"], "sample_uniques": s["sample_uniques"],
                      "expected_reidentifications": s["expected_reidentifications"],
                      "threshold": s["threshold"], "high_risk_records": s["high_risk_records"]}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--chunk-mb", type=int, default=64)
    ap.add_argument("--file")
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    ap.add_argument("--cli", action="store_true", help="time the sdcore command line instead of Python")
    ap.add_argument("--block-rows", type=int, default=1 << 20, help="records per block of risk --stream (--cli)")
    ap.add_argument("--one", choices=["stream", "memory", "cli-stream", "cli-memory"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        if args.one.startswith("cli-"):
            run_cli(args.one, args.file, args.block_rows)
        else:
            run_one(args.one, args.file, args.chunk_mb)
        return 0
    work = None
    path = args.file
    if path is None:
        cli = shutil.which("sdcore")
        if cli is None:
            sys.exit("the sdcore CLI is not on PATH (pip install . puts it there)")
        work = tempfile.mkdtemp(prefix="sdcore_stream_")
        path = os.path.join(work, "extract.csv")
        subprocess.run([cli, "generate", "hospital", "--rows", str(args.rows), "--seed", "5", "-o", path], check=True)
    size = os.path.getsize(path)
    print(f"file: {path}, {size / 1e9:.2f} GB; keys: {', '.join(QIS)}")
    results = {}
    modes = ("cli-stream", "cli-memory") if args.cli else ("stream", "memory")
    for mode in modes:
        out = subprocess.run([sys.executable, __file__, "--one", mode, "--file", path, "--chunk-mb", str(args.chunk_mb),
                              "--block-rows", str(args.block_rows)], check=True, capture_output=True, text=True).stdout
        results[mode] = json.loads(out.strip().splitlines()[-1])
        r = results[mode]
        print(f"{mode:10s}: {r['wall_s']:.1f} s wall, peak RSS {r['peak_mib']:.0f} MiB, "
              f"{r['records']} records, {r['classes']} classes")
    a, b = (results[m] for m in modes)
    same = all(a[k] == b[k] for k in ("records", "classes", "sample_uniques", "threshold", "high_risk_records")) \
        and abs(a["expected_reidentifications"] - b["expected_reidentifications"]) <= 1e-9 * b["expected_reidentifications"]
    print("same summary:", "yes" if same else "NO")
    if work and not args.keep:
        shutil.rmtree(work)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
