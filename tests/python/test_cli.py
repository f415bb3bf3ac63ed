"""The `sdcore` executable as a user runs it: output formats, exit codes, atomic output."""

import json
import os
import shutil
import subprocess

import pandas as pd
import pytest

import sdcore

EXE = os.environ.get("SDCORE_EXE") or shutil.which("sdcore")  # SDCORE_EXE: a build's executable
# scripts/test.sh sets SDCORE_REQUIRE_CLI so that a missing executable fails rather than skips.
if EXE is None and os.environ.get("SDCORE_REQUIRE_CLI"):
    raise RuntimeError("the sdcore executable is not on PATH")
pytestmark = pytest.mark.skipif(EXE is None, reason="sdcore executable not on PATH")


def run(*args):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True)


def test_version_and_help():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"sdcore {sdcore.__version__}"
    for sub in (["classes"], ["generate"], ["generate", "hospital"]):
        r = run(*sub, "--help")
        assert r.returncode == 0 and "Usage" in r.stdout or "usage" in r.stdout.lower()


def test_classes_json_agrees_with_pandas(shared_data):
    path = shared_data / "sdcmicro" / "testdata.csv"
    keys = ["urbrur", "roof", "walls", "water", "sex"]
    r = run("classes", path, "--qi", ",".join(keys), "--weight", "sampling_weight", "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    df = pd.read_csv(path)
    sizes = df.groupby(keys, dropna=False).size()
    assert report["records"] == len(df) == 4580
    assert report["classes"] == len(sizes)
    assert report["sample_uniques"] == int((sizes == 1).sum())
    dist = {d["fk"]: d["classes"] for d in report["class_size_distribution"]}
    assert dist == sizes.value_counts().to_dict()
    assert report["records_in_classes_smaller_than"]["3"] == int(sizes[sizes < 3].sum())


def test_classes_csv_output_atomic(tmp_path, shared_data):
    out = tmp_path / "classes.csv"
    r = run("classes", shared_data / "sdcmicro" / "francdat.csv", "--qi", "Key1,Key2,Key3,Key4",
            "--weight", "w", "--format", "csv", "-o", out)
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(out)
    # francdat by hand: classes (1,2,5,1) x2, (1,2,1,1) x2, and four singletons.
    assert sorted(table["fk"].tolist()) == [1, 1, 1, 1, 2, 2]
    assert table["Fk"].sum() == pytest.approx(18 + 45.5 + 39 + 17 + 541 + 8 + 5 + 92)
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("args, code", [
    (["classes", "{data}", "--qi", "nope"], 3),          # unknown column: invalid argument
    (["classes", "{data}"], 2),                          # --qi missing: usage error
    (["classes", "{bad}", "--qi", "a"], 4),              # malformed CSV
    (["classes", "{data}", "--qi", "Key1", "-o", "/nonexistent/x.txt"], 5),  # cannot write
    (["classes", "{data}", "--qi", "Key1", "--k", "0"], 3),
])
def test_exit_codes(tmp_path, shared_data, args, code):
    bad = tmp_path / "bad.csv"
    bad.write_text('a,b\n1,"open\n')
    data = shared_data / "sdcmicro" / "francdat.csv"
    r = run(*[a.format(data=data, bad=bad) for a in args])
    assert r.returncode == code, r.stderr
    assert r.stderr.startswith("sdcore: ") and r.stderr.count("\n") == 1


def test_generate_is_reproducible(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("generate", "hospital", "--rows", 500, "--seed", 9, "-o", a).returncode == 0
    assert run("generate", "hospital", "--rows", 500, "--seed", 9, "-o", b).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    df = sdcore.read_csv(a)
    assert len(df) == 500
    gen = sdcore.datasets.hospital_episodes(500, seed=9)
    # Same values; category order may differ (the reader numbers categories by first appearance).
    pd.testing.assert_frame_equal(df.astype(object), gen.astype(object))


def test_risk_json_and_csv_agree_with_python(tmp_path, shared_data):
    path = shared_data / "sdcmicro" / "testdata.csv"
    keys = ["urbrur", "roof", "walls", "water", "sex"]
    r = run("risk", path, "--qi", ",".join(keys), "--weight", "sampling_weight", "--household", "ori_hid",
            "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    ref = sdcore.risk(sdcore.read_csv(path), keys, "sampling_weight", "ori_hid").summary
    assert report["schema"] == "sdcore.risk/1"
    for field in ["records", "classes", "sample_uniques", "expected_reidentifications",
                  "household_expected_reidentifications", "high_risk_records", "threshold"]:
        assert report[field] == ref[field], field
    out = tmp_path / "records.csv"
    assert run("risk", path, "--qi", ",".join(keys), "--weight", "sampling_weight", "--format", "csv",
               "-o", out).returncode == 0
    per_record = pd.read_csv(out)
    assert len(per_record) == 4580 and list(per_record.columns) == ["fk", "Fk", "risk"]
    assert per_record["risk"].sum() == pytest.approx(report["expected_reidentifications"], rel=1e-12)


def test_risk_bad_weight_exit_code(tmp_path):
    bad = tmp_path / "w.csv"
    bad.write_text("k,w\na,1\nb,0\n")
    r = run("risk", bad, "--qi", "k", "--weight", "w")
    assert r.returncode == 3 and "weight of row 2 (1-based) is zero" in r.stderr


def test_risk_loglinear_matches_python(shared_data):
    path = shared_data / "sdcmicro" / "testdata.csv"
    keys = ["urbrur", "roof", "walls", "water", "sex"]
    r = run("risk", path, "--qi", ",".join(keys), "--weight", "household_weights", "--loglinear",
            "--interaction", "roof*walls", "--format", "json")
    assert r.returncode == 0, r.stderr
    cli = json.loads(r.stdout)["loglinear"]
    py = sdcore.loglinear_risk(sdcore.read_csv(path), keys, "household_weights",
                               interactions=[["roof", "walls"]]).summary
    assert cli["tau1"] == pytest.approx(py["tau1"], rel=1e-12)
    assert cli["tau2"] == pytest.approx(py["tau2"], rel=1e-12)
    assert cli["parameters"] == py["parameters"]


def test_classes_sensitive_figures_match_the_definitions(repo):
    # The figures of `classes --sensitive` against the naive pandas implementation of each
    # definition in test_anonymity.py (groupby and value_counts), on the bundled example extract.
    from test_anonymity import naive

    data = repo / "examples" / "data" / "hospital_episodes.csv"
    qis = ["sex", "admission_method", "provider"]
    r = run("classes", data, "--qi", ",".join(qis), "--sensitive", "diagnosis_chapter,length_of_stay:ordered",
            "--format", "json")
    assert r.returncode == 0, r.stderr
    got = {s["column"]: s for s in json.loads(r.stdout)["sensitive"]}
    df = pd.read_csv(data, dtype={q: str for q in qis} | {"diagnosis_chapter": str})
    for column, distance in [("diagnosis_chapter", "equal"), ("length_of_stay", "ordered")]:
        want = naive(df, qis, column, distance)
        assert got[column]["distance"] == distance
        for key, value in want.items():
            if value == float("inf"):
                assert got[column][key] is None, key  # JSON has no infinity
            else:
                assert got[column][key] == pytest.approx(value, rel=1e-9, abs=1e-12), (column, key)
    text = run("classes", data, "--qi", ",".join(qis), "--sensitive", "diagnosis_chapter")
    assert text.returncode == 0 and "distinct l" in text.stdout and "t " in text.stdout
    for bad, message in [(["--sensitive", "sex"], "both a quasi-identifier and sensitive"),
                         (["--sensitive", "diagnosis_chapter:hier"], "equal or ordered"),
                         (["--sensitive", "diagnosis_chapter", "--missing", "any"], "not with --missing any")]:
        r = run("classes", data, "--qi", ",".join(qis), *bad)
        assert r.returncode == 3 and message in r.stderr, (bad, r.stderr)
