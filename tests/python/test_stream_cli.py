"""`--stream` of `sdcore risk` and `sdcore table build|suppress`: the file read once in blocks and
reduced to its distinct key combinations. The reference is the same command without --stream
(the whole file read into memory and counted in one kernel call, another code path), and pandas'
groupby for the table's cells."""

import io
import json
import os
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from compare import assert_summaries_equal

EXE = os.environ.get("SDCORE_EXE") or shutil.which("sdcore")
if EXE is None and os.environ.get("SDCORE_REQUIRE_CLI"):
    raise RuntimeError("the sdcore executable is not on PATH")
pytestmark = pytest.mark.skipif(EXE is None, reason="sdcore executable not on PATH")

KEYS = ["urbrur", "roof", "walls", "water", "sex"]


def run(*args):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize("block_rows", [1, 7, 1000, None])
def test_risk_stream_report_equals_in_memory(shared_data, block_rows):
    path = shared_data / "sdcmicro" / "testdata.csv"
    args = ["risk", path, "--qi", ",".join(KEYS), "--weight", "sampling_weight", "--k", "2,3,5,10", "--format", "json"]
    whole = run(*args)
    assert whole.returncode == 0, whole.stderr
    streamed = run(*args, "--stream", *(["--block-rows", block_rows] if block_rows else []))
    assert streamed.returncode == 0, streamed.stderr
    a, b = json.loads(streamed.stdout), json.loads(whole.stdout)
    assert a["records"] == 4580 and a["classes"] == 93  # a real file, not a trivial one (93: the in-memory count)
    assert_summaries_equal(a, b)


def test_risk_stream_missing_any_and_unweighted(tmp_path):
    # Missing keys that match any value, and no weight: risk 1/fk over the aggregated rows.
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": rng.choice(["x", "y", ""], 3000), "b": rng.choice(["1", "2", "3", ""], 3000),
                       "c": rng.choice(list("pqrstu"), 3000)})
    path = tmp_path / "m.csv"
    df.to_csv(path, index=False)
    args = ["risk", path, "--qi", "a,b,c", "--missing", "any", "--format", "json"]
    whole, streamed = run(*args), run(*args, "--stream", "--block-rows", "64")
    assert whole.returncode == 0 and streamed.returncode == 0, whole.stderr + streamed.stderr
    assert_summaries_equal(json.loads(streamed.stdout), json.loads(whole.stdout))
    text_whole, text_streamed = run(*args[:-2]), run(*args[:-2], "--stream", "--block-rows", "64")
    assert text_streamed.stdout == text_whole.stdout


def test_risk_stream_refuses_what_needs_records(shared_data, tmp_path):
    path = shared_data / "sdcmicro" / "testdata.csv"
    for extra in (["--household", "ori_hid"], ["--format", "csv"], ["--loglinear", "--weight", "sampling_weight"]):
        r = run("risk", path, "--qi", ",".join(KEYS), "--stream", *extra)
        assert r.returncode == 3 and "--stream keeps only the distinct key combinations" in r.stderr, extra
    bad = tmp_path / "w.csv"
    bad.write_text("k,w\na,1\nb,2\nc,-1\n")
    r = run("risk", bad, "--qi", "k", "--weight", "w", "--stream", "--block-rows", "2")
    assert r.returncode == 4, r.stderr
    assert f"{bad}:4:2: weight in column 'w' is negative" in r.stderr  # line 4, field 2, by reading the file
    r = run("risk", bad, "--qi", "nope", "--stream")
    assert r.returncode == 3 and "no column named 'nope'" in r.stderr
    header_only = tmp_path / "h.csv"
    header_only.write_text("k,w\n")
    r = run("risk", header_only, "--qi", "k", "--stream")
    assert r.returncode == 3 and "has no records" in r.stderr


def test_risk_stream_key_named_like_a_result_column(tmp_path):
    path = tmp_path / "n.csv"
    pd.DataFrame({"n": ["1", "2", "2", "3"] * 5, "weight_sum": ["a", "b"] * 10}).to_csv(path, index=False)
    args = ["risk", path, "--qi", "n,weight_sum", "--format", "json"]
    whole, streamed = run(*args), run(*args, "--stream")
    assert streamed.returncode == 0, streamed.stderr
    assert_summaries_equal(json.loads(streamed.stdout), json.loads(whole.stdout))


SPEC = "input: records\ndimensions: [{column: provider}, {column: sex}, {column: admission_method}]\n" \
       "primary: {frequency: 5}\nsecondary: {never_suppress: [{}]}\n"


@pytest.mark.parametrize("block_rows", ["1", "333"])
def test_table_build_and_suppress_stream_equal_in_memory(tmp_path, repo, block_rows):
    data = repo / "examples" / "data" / "hospital_episodes.csv"
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC)
    whole = run("table", "build", data, "--spec", spec)
    streamed = run("table", "build", data, "--spec", spec, "--stream", "--block-rows", block_rows)
    assert whole.returncode == 0 and streamed.returncode == 0, whole.stderr + streamed.stderr
    assert streamed.stdout == whole.stdout
    built = pd.read_csv(io.StringIO(streamed.stdout), dtype=str)
    df = pd.read_csv(data, dtype=str)
    by_pandas = df.groupby(["provider", "sex", "admission_method"]).size()
    inner = built[(built[["provider", "sex", "admission_method"]] != "Total").all(axis=1)]
    got = inner.set_index(["provider", "sex", "admission_method"])["count"].astype(int)
    assert got[got > 0].sort_index().equals(by_pandas.sort_index().rename("count"))
    outs = []
    for extra in ([], ["--stream", "--block-rows", block_rows]):
        out = tmp_path / f"o{len(outs)}.csv"
        r = run("table", "suppress", data, "--spec", spec, "-o", out, "-q", *extra)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_table_stream_refuses_sums_and_long_input(tmp_path, repo):
    data = repo / "examples" / "data" / "hospital_episodes.csv"
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC + "value: length_of_stay\n")
    r = run("table", "build", data, "--spec", spec, "--stream")
    assert r.returncode == 3 and "--stream builds count tables" in r.stderr
    spec.write_text("input: long\nvalue: n\ndimensions: [{column: a}]\n")
    long_csv = tmp_path / "l.csv"
    long_csv.write_text("a,n\nx,1\nTotal,1\n")
    r = run("table", "build", long_csv, "--spec", spec, "--stream")
    assert r.returncode == 3 and "--stream counts records" in r.stderr
