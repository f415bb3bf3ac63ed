"""Issue 8, "nothing lost" and "guarantees at scale", through the `sdcore` executable: every
command that releases records keeps the row count, the row order, the header and every column it
was not asked to change (field for field, text that a numeric round trip would alter included),
leaves its input file as it was, and its output passes a checker written here from the
definitions alone (k-anonymity by a plain count of equal keys; for local suppression, sdcMicro's
rule that a missing value matches anything; for Mondrian, that each published value covers the
original). The random cases continue for SDCORE_LONG_TESTS times as many seeds in a long run
(scripts/long_tests.sh)."""

import csv
import hashlib
import io
import os
import random
import shutil
import subprocess
from collections import Counter

import pytest
from longrun import long_run

EXE = os.environ.get("SDCORE_EXE") or shutil.which("sdcore")  # SDCORE_EXE: a build's executable
if EXE is None and os.environ.get("SDCORE_REQUIRE_CLI"):
    raise RuntimeError("the sdcore executable is not on PATH")
pytestmark = pytest.mark.skipif(EXE is None, reason="sdcore executable not on PATH")


# Text a careless writer would change: leading zeros, trailing zeros, exponent, minus zero,
# padding, commas, quotes, a line break, non-ASCII, a token that reads as missing elsewhere.
AWKWARD = ["007", "0.500", "1e3", "-0", " padded ", "a,b", 'say "hi"', "two\nlines", "Zoë", "NA", "", "+1"]


def make_table(rng, rows):
    header = ["id", "age", "sex", "area", "note", "score", "stay"]
    body = []
    for i in range(rows):
        body.append([
            f"{i:06d}",
            str(rng.randint(18, 90)),
            rng.choice(["F", "M"]),
            rng.choice(["N1", "N2", "E5", "W3", "SE1", "B12"][: rng.randint(2, 6)]),
            rng.choice(AWKWARD),
            f"{rng.random() * 10:.3f}0",
            str(rng.randint(0, 40)),
        ])
    return header, body


def write_csv(path, header, body):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + body)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def run(args):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def covers(published, value):
    """Whether a Mondrian value ("lo-hi", "{a,b}" or the value itself) covers the original."""
    if published == value:
        return True
    if published.startswith("{") and published.endswith("}"):
        return value in published[1:-1].split(",")
    lo, sep, hi = published.partition("-")
    return bool(sep) and float(lo) <= float(value) <= float(hi)


def check_kept(header, body, out_header, out_body, changed):
    assert out_header == header
    assert len(out_body) == len(body)
    keep = [j for j, name in enumerate(header) if name not in changed]
    for i, (a, b) in enumerate(zip(body, out_body)):
        assert [a[j] for j in keep] == [b[j] for j in keep], f"row {i + 1}: {a} -> {b}"


def smallest_class(out_header, out_body, qis):
    at = [out_header.index(q) for q in qis]
    return min(Counter(tuple(r[j] for j in at) for r in out_body).values())


def sdcmicro_counts(out_header, out_body, qis):
    """Per record, the records matching it on every QI where a missing value (empty) matches any."""
    at = [out_header.index(q) for q in qis]
    keys = [tuple(r[j] for j in at) for r in out_body]
    return [sum(all(x == "" or y == "" or x == y for x, y in zip(a, b)) for b in keys) for a in keys]


QIS = ["age", "sex", "area"]


def release(kind, src, out, k, tmp_path, threads=1):
    if kind == "mondrian":
        args = ["mondrian", src, "--qi", ",".join(QIS), "-k", k, "--threads", threads]
        changed = set(QIS)
    elif kind == "local-suppress":
        args = ["local-suppress", src, "--qi", "sex,area,stay", "-k", k]
        changed = {"sex", "area", "stay"}
    elif kind == "microaggregate":
        args = ["microaggregate", src, "--columns", "age,stay", "-k", k]
        changed = {"age", "stay"}
    else:
        spec = tmp_path / "spec.yaml"
        spec.write_text("quasi_identifiers:\n  age: {builder: intervals, widths: [5, 10, 20, 40, 80]}\n"
                        "  sex: {rows: [[F, '*'], [M, '*']]}\n"
                        "  area: {rows: [[N1, N, '*'], [N2, N, '*'], [E5, E, '*'], [W3, W, '*'], [SE1, SE, '*'],"
                        " [B12, B, '*']]}\n"
                        f"models: {{k: {k}}}\nsuppression_limit: 0.1\nthreads: {threads}\n")
        args = ["anonymise", src, "--spec", spec]
        changed = set(QIS)
    r = run(args + ["-o", out, "-q"])
    assert r.returncode == 0, (kind, r.stderr)
    return changed


def check_release(kind, header, body, out, k):
    out_header, out_body = read_csv(out)
    changed = {"mondrian": set(QIS), "local-suppress": {"sex", "area", "stay"},
               "microaggregate": {"age", "stay"}, "anonymise": set(QIS)}[kind]
    check_kept(header, body, out_header, out_body, changed)
    if kind == "mondrian":
        assert smallest_class(out_header, out_body, QIS) >= k
        for a, b in zip(body, out_body):
            for q in QIS:
                j = header.index(q)
                assert covers(b[j], a[j]), (q, a[j], b[j])
    elif kind == "local-suppress":
        assert min(sdcmicro_counts(out_header, out_body, ["sex", "area", "stay"])) >= k
        for a, b in zip(body, out_body):  # a cell is kept or blanked, never altered
            for q in ("sex", "area", "stay"):
                j = header.index(q)
                assert b[j] in (a[j], ""), (q, a[j], b[j])
    elif kind == "microaggregate":
        assert smallest_class(out_header, out_body, ["age", "stay"]) >= k
    else:
        at = [out_header.index(q) for q in QIS]
        # Suppressed records show '*' in every quasi-identifier; the rest form classes of >= k.
        kept = [r for r in out_body if any(r[j] != "*" for j in at)]
        assert len(body) - len(kept) <= 0.1 * len(body) + 1e-9
        if kept:
            assert smallest_class(out_header, kept, QIS) >= k


KINDS = ["mondrian", "local-suppress", "microaggregate", "anonymise"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_release_keeps_rows_order_and_other_columns(tmp_path, kind):
    header, body = make_table(random.Random(8), 500)
    src = tmp_path / "in.csv"
    write_csv(src, header, body)
    before = digest(src)
    out = tmp_path / "out.csv"
    release(kind, src, out, 5, tmp_path)
    assert digest(src) == before  # the input is never modified
    check_release(kind, header, body, out, 5)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".yaml")) == ["in.csv", "out.csv"]


def test_random_releases_pass_the_independent_checker(tmp_path):
    # 8 seeded random tables per command in CI (32 releases), SDCORE_LONG_TESTS times as many in a
    # long run; sizes, k and the number of areas vary with the seed.
    checked = Counter()
    for seed in range(long_run(8)):
        rng = random.Random(1000 + seed)
        header, body = make_table(rng, rng.randint(30, 400))
        src = tmp_path / f"in{seed}.csv"
        write_csv(src, header, body)
        for kind in KINDS:
            k = rng.randint(2, 8)
            out = tmp_path / f"{kind}{seed}.csv"
            release(kind, src, out, k, tmp_path, threads=1 + seed % 2)
            check_release(kind, header, body, out, k)
            out.unlink()
            checked[kind] += 1
        src.unlink()
    assert min(checked.values()) == long_run(8)


def test_a_long_table_keeps_its_rows_and_other_columns(tmp_path, shared_data):
    # `table suppress` on a long table: the rows as given, in order, every column but the value
    # as read (the symbol replaces suppressed values only), a status column added, and after them
    # the margins the input lacked.
    import pandas as pd
    ae = pd.read_csv(shared_data / "nhsr" / "ae_attendances.csv", dtype=str)
    src = tmp_path / "month.csv"
    ae[ae["period"] == "2019-03-01"].to_csv(src, index=False)
    spec = tmp_path / "s.yaml"
    spec.write_text("input: long\ndimensions:\n  - {column: org_code, total: All}\n  - {column: type, total: All}\n"
                    "value: breaches\nprimary: {frequency: 7}\nsecondary: {method: network}\n")
    out = tmp_path / "out.csv"
    before = digest(src)
    r = run(["table", "suppress", src, "--spec", spec, "-o", out, "-q"])
    assert r.returncode == 0, r.stderr
    assert digest(src) == before
    header, body = read_csv(src)
    out_header, out_body = read_csv(out)
    assert out_header == header + ["status"]
    # The input's rows first, then the margins it lacked (rows with a total), in cell order.
    assert len(out_body) > len(body)
    value = header.index("breaches")
    for a, b in zip(body, out_body):
        assert [x for j, x in enumerate(a) if j != value] == [x for j, x in enumerate(b[:-1]) if j != value]
        assert b[value] == ("*" if b[-1] in ("primary", "secondary") else a[value]), (a, b)
    dims = [header.index("org_code"), header.index("type")]
    assert all(any(r[j] == "All" for j in dims) for r in out_body[len(body):])
    assert not any(any(r[j] == "All" for j in dims) for r in body)
    assert Counter(r[-1] for r in out_body[: len(body)])["primary"] > 0
