"""`sdcore mondrian`, `sdcore microaggregate` and `sdcore local-suppress` as a user runs them: the
CSV they write agrees with the Python functions on the same file, columns they do not recode come
back byte for byte, the JSON summaries carry the documented keys, and bad input gets the
documented exit code (docs/cli.md)."""

import csv
import json
import os
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import sdcore

EXE = os.environ.get("SDCORE_EXE") or shutil.which("sdcore")  # SDCORE_EXE: a build's executable
# scripts/test.sh sets SDCORE_REQUIRE_CLI so that a missing executable fails rather than skips.
if EXE is None and os.environ.get("SDCORE_REQUIRE_CLI"):
    raise RuntimeError("the sdcore executable is not on PATH")
pytestmark = pytest.mark.skipif(EXE is None, reason="sdcore executable not on PATH")

KEYS = ["urbrur", "roof", "walls", "water", "sex"]
MONEY = ["expend", "income", "savings"]


def run(*args):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True)


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def column(rows, name):
    j = rows[0].index(name)
    return [r[j] for r in rows[1:]]


@pytest.fixture
def sample(tmp_path, shared_data):
    """800 records of sdcMicro's testdata, with an identifier whose leading zeros and a score
    whose trailing zeros a numeric round trip would lose, and a text field that needs quoting."""
    src = read_rows(shared_data / "sdcmicro" / "testdata.csv")
    header = ["id"] + src[0] + ["score", "note"]
    rows = [header] + [[f"{i:05d}"] + r + [f"{i / 8:.3f}0", f"a, {i % 3}"] for i, r in enumerate(src[1:801])]
    path = tmp_path / "sample.csv"
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path, rows


def assert_untouched(original, written, recoded):
    assert written[0] == original[0]
    assert len(written) == len(original)
    for name in original[0]:
        if name not in recoded:
            assert column(written, name) == column(original, name), name


def test_mondrian_round_trip(tmp_path, sample):
    path, rows = sample
    out = tmp_path / "out.csv"
    qis = ["age", "sex", "roof"]
    r = run("mondrian", path, "--qi", ",".join(qis), "-k", 10, "--sensitive", "water", "--l", 2, "-o", out, "--json")
    assert r.returncode == 0, r.stderr
    written = read_rows(out)
    assert_untouched(rows, written, qis)
    py = sdcore.mondrian(sdcore.read_csv(path), qis, 10, sensitive="water", l=2)
    for q in qis:
        assert column(written, q) == py.data[q].astype(str).tolist(), q
    j = json.loads(r.stdout)
    assert j["schema"] == "sdcore.mondrian/1"
    assert list(j) == ["schema", "sdcore_version", "input", "output", "records", "quasi_identifiers", "k",
                       "sensitive", "l", "hierarchies", "frequency", "partitions", "smallest_partition", "discernibility", "ncp"]
    assert (j["records"], j["partitions"], j["smallest_partition"], j["discernibility"]) == (
        800, py.num_partitions, py.min_partition_size, py.discernibility)
    assert j["ncp"] == py.ncp and j["sensitive"] == "water" and j["output"] == str(out)
    # The text summary shows the same figures.
    text = run("mondrian", path, "--qi", ",".join(qis), "-k", 10, "--sensitive", "water", "--l", 2)
    assert text.returncode == 0, text.stderr
    assert f"partitions          {py.num_partitions}\n" in text.stdout
    assert f"smallest partition  {py.min_partition_size}\n" in text.stdout
    assert f"discernibility      {py.discernibility} " in text.stdout


def test_mondrian_hierarchy_matches_python(tmp_path, shared_data):
    adult = shared_data / "adult" / "adult.csv"
    h = {q: shared_data / "adult" / f"adult_hierarchy_{q}.csv" for q in ["age", "education"]}
    out = tmp_path / "out.csv"
    r = run("mondrian", adult, "--qi", "age,education,sex", "-k", 20, "--hierarchy", f"age={h['age']}",
            "--hierarchy", f"education={h['education']}", "--threads", 2, "-o", out, "--format", "json", "-q")
    assert r.returncode == 0, r.stderr
    frames = {q: pd.read_csv(p, sep=";", header=None, dtype=str) for q, p in h.items()}
    py = sdcore.mondrian(sdcore.read_csv(adult), ["age", "education", "sex"], 20, hierarchies=frames)
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    for q in ["age", "education", "sex"]:
        assert written[q].tolist() == py.data[q].astype(str).tolist(), q
    j = json.loads(r.stdout)
    assert j["hierarchies"] == {q: str(p) for q, p in h.items()}
    assert j["partitions"] == py.num_partitions and j["ncp"] == py.ncp


def test_microaggregate_round_trip(tmp_path, sample):
    path, rows = sample
    out = tmp_path / "out.csv"
    r = run("microaggregate", path, "--columns", ",".join(MONEY), "-k", 3, "-o", out, "--json")
    assert r.returncode == 0, r.stderr
    written = read_rows(out)
    assert_untouched(rows, written, MONEY)
    py = sdcore.mdav(sdcore.read_csv(path), MONEY, 3)
    got = pd.read_csv(out)[MONEY]
    # Written as the shortest text that reads back to the same double, so equal exactly.
    np.testing.assert_array_equal(got.to_numpy(), py.data[MONEY].to_numpy())
    j = json.loads(r.stdout)
    assert list(j) == ["schema", "sdcore_version", "input", "output", "records", "columns", "k", "standardisation",
                       "measure", "exclude_missing", "groups", "excluded_records", "sse", "sst", "information_loss"]
    assert j["schema"] == "sdcore.microaggregate/1"
    assert (j["groups"], j["sse"], j["sst"], j["information_loss"]) == (py.num_groups, py.sse, py.sst,
                                                                        py.information_loss)
    assert (j["standardisation"], j["measure"], j["excluded_records"]) == ("zscore", "mean", 0)
    # --median and --no-standardise reach the kernel.
    med = run("microaggregate", path, "--columns", "income,savings", "-k", 4, "--median", "--no-standardise",
              "--format", "json")
    ref = sdcore.mdav(sdcore.read_csv(path), ["income", "savings"], 4, measure="median", standardise=False)
    j = json.loads(med.stdout)
    assert (j["measure"], j["standardisation"], j["groups"], j["sse"]) == ("median", "none", ref.num_groups, ref.sse)
    text = run("microaggregate", path, "--columns", ",".join(MONEY), "-k", 3)
    assert f"groups             {py.num_groups}\n" in text.stdout and "information loss" in text.stdout


def test_microaggregate_exclude_missing(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,x,y\n001,1,10\n002,2,\n003,3,12\n004,40,50\n005,41,51\n006,,52\n007,42,53\n008,4,13\n")
    out = tmp_path / "out.csv"
    assert run("microaggregate", src, "--columns", "x,y", "-k", 2, "-o", out).returncode == 3
    r = run("microaggregate", src, "--columns", "x,y", "-k", 2, "--exclude-missing", "-o", out, "--json")
    assert r.returncode == 0, r.stderr
    written = read_rows(out)
    # Rows 2 and 6 (1-based) take no part and are written back as they were.
    assert written[2] == ["002", "2", ""] and written[6] == ["006", "", "52"]
    assert json.loads(r.stdout)["excluded_records"] == 2


def test_local_suppress_round_trip(tmp_path, sample):
    path, rows = sample
    out = tmp_path / "out.csv"
    r = run("local-suppress", path, "--qi", ",".join(KEYS), "-k", 3, "--importance", "1,3,2,5,4", "-o", out, "--json")
    assert r.returncode == 0, r.stderr
    written = read_rows(out)
    assert_untouched(rows, written, KEYS)
    py = sdcore.local_suppression(sdcore.read_csv(path), KEYS, 3, importance=[1, 3, 2, 5, 4])
    assert py.total_suppressed > 0
    for q in KEYS:
        blank = [v == "" for v in column(written, q)]
        assert blank == py.mask[q].tolist(), q
        # Cells not suppressed keep their text.
        assert [w for w, b in zip(column(written, q), blank) if not b] == \
               [o for o, b in zip(column(rows, q), blank) if not b], q
    j = json.loads(r.stdout)
    assert list(j) == ["schema", "sdcore_version", "input", "output", "records", "quasi_identifiers", "k",
                       "importance", "combs", "combs_k", "suppressed", "total_suppressed", "k_anonymous"]
    assert j["schema"] == "sdcore.local-suppress/1"
    assert j["suppressed"] == py.suppressed and j["total_suppressed"] == py.total_suppressed
    assert j["importance"] == {"urbrur": 1, "roof": 3, "walls": 2, "water": 5, "sex": 4}
    assert j["k_anonymous"] is True
    combs = run("local-suppress", path, "--qi", ",".join(KEYS), "-k", 3, "--combs", "2,3", "--combs-k", "5,3", "--json")
    ref = sdcore.local_suppression(sdcore.read_csv(path), KEYS, 3, combs=[2, 3], combs_k=[5, 3])
    j = json.loads(combs.stdout)
    assert (j["combs"], j["combs_k"], j["total_suppressed"]) == ([2, 3], [5, 3], ref.total_suppressed)
    text = run("local-suppress", path, "--qi", ",".join(KEYS), "-k", 3, "--importance", "1,3,2,5,4")
    assert f"total               {py.total_suppressed} (" in text.stdout
    for q in KEYS:
        assert f"{q:<19} {py.suppressed[q]}\n" in text.stdout


def test_json_flag_and_summary_file(tmp_path, sample):
    path, _ = sample
    a = run("local-suppress", path, "--qi", "roof,sex", "-k", 2, "--json")
    b = run("local-suppress", path, "--qi", "roof,sex", "-k", 2, "--format", "json")
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout
    summary = tmp_path / "summary.json"
    c = run("local-suppress", path, "--qi", "roof,sex", "-k", 2, "--json", "--summary", summary)
    assert c.returncode == 0 and c.stdout == "" and summary.read_text() == a.stdout


def test_local_suppress_undone_subset_exits_6(tmp_path):
    # The 13-record table of test_recode.test_local_suppression_flags_a_subset_undone: with
    # --combs 1,2 a pair blanks cells that a single key needed, so the result is not k-anonymous
    # on every subset. Nothing is written; the summary says so.
    src = tmp_path / "in.csv"
    src.write_text("q0,q1,q2\n1,1,0\n2,1,0\n1,2,0\n2,2,\n2,,0\n1,1,\n2,0,1\n0,,\n0,1,0\n2,0,1\n2,,0\n1,2,1\n0,0,1\n")
    out = tmp_path / "out.csv"
    r = run("local-suppress", src, "--qi", "q0,q1,q2", "-k", 3, "--combs", "1,2", "-o", out, "--json")
    assert r.returncode == 6, r.stderr
    assert r.stderr.startswith("sdcore: no solution: ") and r.stderr.count("\n") == 1
    assert json.loads(r.stdout)["k_anonymous"] is False
    assert not out.exists()


@pytest.mark.parametrize("args, code, message", [
    (["mondrian", "{data}", "--qi", "age,nope", "-k", "5"], 3, "no column named 'nope'"),
    (["mondrian", "{data}", "--qi", "age", "-k", "0"], 3, "k must be at least 1"),
    (["mondrian", "{data}", "--qi", "age", "-k", "5", "--l", "2"], 3, "needs a sensitive column"),
    (["mondrian", "{data}", "--qi", "age", "-k", "5", "--threads", "-1"], 3, "--threads"),
    (["mondrian", "{data}", "--qi", "age", "-k", "5", "--hierarchy", "age"], 3, "COLUMN=FILE"),
    (["mondrian", "{data}", "--qi", "sex", "-k", "5", "--hierarchy", "sex={hier}"], 3, "does not cover"),
    (["mondrian", "{holes}", "--qi", "x", "-k", "2"], 3, "'x' is missing in row 1"),
    (["mondrian", "{data}", "--qi", "age", "-k", "5", "--hierarchy", "age=/nonexistent/h.csv"], 5, "/nonexistent/h.csv"),
    (["mondrian", "{data}", "--qi", "age", "-k", "5", "-o", "/nonexistent/out.csv"], 5, "/nonexistent/out.csv"),
    (["mondrian", "{bad}", "--qi", "a", "-k", "1"], 4, "bad.csv"),
    (["mondrian", "{data}", "--qi", "age"], 2, "-k"),
    (["microaggregate", "{holes}", "--columns", "x,y", "-k", "2"], 3, "'y' is categorical"),
    (["microaggregate", "{data}", "--columns", "expend", "-k", "1"], 3, "k must be at least 2"),
    (["microaggregate", "{holes}", "--columns", "x", "-k", "2"], 3, "'x' is missing (NaN) in row 1"),
    (["microaggregate", "{data}", "--columns", "expend", "-k", "3", "-o", "/nonexistent/out.csv"], 5, "/nonexistent"),
    (["microaggregate", "{data}", "--columns", "expend", "-k", "3", "--summary", "/nonexistent/s.txt"], 5, "/nonexistent"),
    (["local-suppress", "{data}", "--qi", "roof,sex", "-k", "3", "--importance", "1"], 3, "importance has 1 values"),
    (["local-suppress", "{data}", "--qi", "roof,sex", "-k", "3", "--combs", "0"], 3, "--combs sizes must be at least 1"),
    (["local-suppress", "{data}", "--qi", "roof,sex", "-k", "3", "--combs-k", "2"], 3, "combs_k given without combs"),
    (["local-suppress", "{data}", "--qi", "roof,sex", "-k", "99999"], 3, "exceeds the number of rows"),
    (["local-suppress", "{data}", "--qi", "roof,,sex", "-k", "3"], 3, "empty name"),
    (["local-suppress", "{data}", "--qi", "roof,sex", "-k", "3", "-o", "/nonexistent/out.csv"], 5, "/nonexistent"),
    (["local-suppress", "{data}", "--qi", "roof,sex", "-k", "3", "--importance", "1,x"], 2, "--importance"),
])
def test_exit_codes(tmp_path, shared_data, args, code, message):
    bad = tmp_path / "bad.csv"
    bad.write_text('a,b\n1,"open\n')
    holes = tmp_path / "holes.csv"
    holes.write_text("x,y\n1,a\n,b\n3,c\n")
    hier = tmp_path / "sex.csv"
    hier.write_text("1;*\n")
    data = shared_data / "sdcmicro" / "testdata.csv"
    r = run(*[a.format(data=data, bad=bad, holes=holes, hier=hier) for a in args])
    assert r.returncode == code, r.stderr
    assert r.stderr.startswith("sdcore: ") and r.stderr.count("\n") == 1
    assert message in r.stderr


def test_help_lists_the_subcommands():
    r = run("--help")
    assert r.returncode == 0
    for sub in ["mondrian", "microaggregate", "local-suppress"]:
        assert sub in r.stdout
        h = run(sub, "--help")
        assert h.returncode == 0 and "--json" in h.stdout and "-o,--output" in h.stdout


def _aggregated(tmp_path):
    """300 records (sorted, so that categories first appear in the same order as in the groups:
    Mondrian cuts categorical values in order of first appearance) and the same records grouped,
    with a count column written with leading zeros ("003") so that a numeric round trip would
    show."""
    rng = np.random.default_rng(17)
    n = 300
    records = pd.DataFrame({
        "age": rng.integers(20, 60, n).astype(str),
        "sex": rng.choice(["F", "M"], n),
        "area": rng.choice(["N1", "N2", "E5", "W3"], n),
        "diag": rng.choice(["I21", "J18", "K35"], n),
    })
    records = records.sort_values(list(records.columns), ignore_index=True)
    groups = records.groupby(list(records.columns)).size().rename("n").reset_index()
    groups["n"] = groups["n"].map(lambda c: f"{c:03d}")
    rec, agg = tmp_path / "records.csv", tmp_path / "groups.csv"
    records.to_csv(rec, index=False)
    groups.to_csv(agg, index=False)
    return records, groups, rec, agg


def _expanded(rows, count="n"):
    """The rows of a CSV output, each repeated as many times as its count, sorted (a multiset)."""
    j = rows[0].index(count)
    out = []
    for r in rows[1:]:
        out += [tuple(x for i, x in enumerate(r) if i != j)] * int(r[j])
    return sorted(out)


def test_frequency_gives_the_release_of_the_records(tmp_path):
    # Issue 7: --frequency in the CLI. Aggregated rows must give what the expanded records give
    # (the same generalised rows, counted), and the count column must come back as it was read.
    records, groups, rec, agg = _aggregated(tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text("quasi_identifiers:\n  age: {builder: intervals, widths: [5, 10, 20, 40]}\n"
                    "  area: {rows: [[N1, N, '*'], [N2, N, '*'], [E5, E, '*'], [W3, W, '*']]}\n"
                    "models: {k: 5}\nsuppression_limit: 0.05\n")
    runs = {
        "mondrian": (["mondrian", "{}", "--qi", "age,sex,area", "-k", "5"], []),
        "anonymise": (["anonymise", "{}", "--spec", spec], []),
    }
    for name, (args, _) in runs.items():
        outs = {}
        for src, extra in ((rec, []), (agg, ["--frequency", "n"])):
            out = tmp_path / f"{name}-{src.stem}.csv"
            r = run(*[str(src) if a == "{}" else a for a in args], *extra, "-o", out, "--format", "json", "-q")
            assert r.returncode == 0, (name, r.stderr)
            outs[src.stem] = (read_rows(out), json.loads(r.stdout))
        rows_r, sum_r = outs["records"]
        rows_a, sum_a = outs["groups"]
        assert column(rows_a, "n") == list(groups["n"]), name  # written back as read, in order
        expanded = _expanded(rows_a)
        assert expanded == sorted(tuple(r) for r in rows_r[1:]), name
        if name == "mondrian":
            assert sum_a["frequency"] == "n" and sum_a["smallest_partition"] >= 5
            assert sum_a["partitions"] == sum_r["partitions"] and sum_a["ncp"] == pytest.approx(sum_r["ncp"])
        else:
            assert sum_a["risk_after"]["records"] == sum_r["risk_after"]["records"] == len(records)
            assert sum_a["risk_before"] == sum_r["risk_before"]


@pytest.mark.parametrize("value, message", [
    ("abc", "frequency column 'n', row 2 (1-based): 'abc' is not a count"),
    ("0", "row 2"),
    ("1.5", "row 2"),
])
def test_frequency_errors(tmp_path, value, message):
    src = tmp_path / "in.csv"
    src.write_text(f"age,sex,n\n30,F,2\n31,M,{value}\n")
    r = run("mondrian", src, "--qi", "age,sex", "-k", "2", "--frequency", "n", "-o", tmp_path / "o.csv")
    assert r.returncode == 3 and message in r.stderr, r.stderr
    assert not (tmp_path / "o.csv").exists()
    r = run("mondrian", src, "--qi", "age,sex", "-k", "2", "--frequency", "count")
    assert r.returncode == 3 and "--frequency: no column named 'count' (columns: age, sex, n)" in r.stderr
