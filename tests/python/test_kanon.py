"""sdcore.anonymise and `sdcore anonymise`, checked by an independent pandas groupby: every
released class has at least k records (and l distinct sensitive values when asked), suppression
stays within the limit, and every other column comes back unchanged."""

import csv
import json
import os
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from longrun import long_run

import sdcore

ADULT_QIS = ["age", "education", "marital-status", "race", "sex"]


def adult(shared_data):
    df = sdcore.read_csv(shared_data / "adult" / "adult.csv", infer_types=False)
    qis = {q: str(shared_data / "adult" / f"adult_hierarchy_{q}.csv") for q in ADULT_QIS}
    return df, qis


def released_class_sizes(data, qis, mask):
    kept = data[~mask]
    if kept.empty:
        return pd.Series(dtype=int)
    return kept.astype({q: str for q in qis}).groupby(list(qis), observed=True).size()


@pytest.mark.parametrize("k,limit", [(2, 0.0), (5, 0.0), (5, 0.05), (10, 0.05)])
def test_adult_release_is_k_anonymous(shared_data, k, limit):
    df, qis = adult(shared_data)
    r = sdcore.anonymise(df, quasi_identifiers=qis, k=k, suppression_limit=limit)
    assert r.summary["found"]
    sizes = released_class_sizes(r.data, qis, r.suppressed)
    assert sizes.min() >= k
    assert r.suppressed.sum() == r.summary["suppressed_records"] <= limit * len(df)
    assert r.summary["smallest_class"] == sizes.min()
    assert r.summary["classes"] == len(sizes)
    # Suppressed records show "*" in every quasi-identifier.
    assert (r.data.loc[r.suppressed, ADULT_QIS].astype(str) == "*").all().all()


def test_other_columns_index_and_order_unchanged(shared_data):
    df, qis = adult(shared_data)
    df.index = pd.RangeIndex(100, 100 + len(df))
    r = sdcore.anonymise(df, quasi_identifiers=qis, k=5, suppression_limit=0.05)
    assert list(r.data.columns) == list(df.columns)
    assert r.data.index.equals(df.index)
    for c in df.columns:
        if c not in qis:
            assert r.data[c].equals(df[c]), c


def test_suppressed_as_nan_or_dropped(shared_data):
    df, qis = adult(shared_data)
    nan = sdcore.anonymise(df, quasi_identifiers=qis, k=5, suppression_limit=0.05, suppressed="nan")
    assert nan.suppressed.any()
    assert (nan.data["age"].isna().to_numpy() == nan.suppressed).all()
    drop = sdcore.anonymise(df, quasi_identifiers=qis, k=5, suppression_limit=0.05, suppressed="drop")
    assert len(drop.data) == len(df) - drop.suppressed.sum()
    assert drop.data.index.equals(df.index[~drop.suppressed])


def class_entropy(counts):
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


def test_random_tables_satisfy_the_models():
    """Property test: 2,000 random tables with random k, suppression limits, one to three QIs and
    a random privacy model on the sensitive column (distinct or entropy l-diversity, or
    t-closeness with the equal ground distance). Each release is checked with a plain groupby
    that shares nothing with the library, from the models' definitions: at least k records and,
    per class, l distinct sensitive values / entropy >= ln l (natural log) / half the L1 distance
    between the class's and the whole table's sensitive distribution <= t."""
    rng = np.random.default_rng(20261123)
    hierarchies = {
        "a": lambda m: [[str(v), str(v // 2), "*"] for v in range(m)],
        "b": lambda m: [["x", "xy", "*"], ["y", "xy", "*"], ["z", "z", "*"]],
        "c": lambda m: [[str(v), "lo" if v < m // 2 else "hi", "*"] for v in range(m)],
    }
    checked = {"distinct": 0, "entropy": 0, "t": 0, "k": 0}
    for trial in range(long_run(2000)):
        n = int(rng.integers(10, 200))
        m = int(rng.integers(2, 7))
        df = pd.DataFrame({
            "a": rng.integers(0, m, n).astype(str),
            "b": rng.choice(["x", "y", "z"], n),
            "c": np.minimum(rng.integers(0, m, n), rng.integers(0, m, n)).astype(str),
            "s": rng.choice(["p", "q", "r", "t"], n, p=[0.4, 0.3, 0.2, 0.1]),
            "keep": rng.normal(size=n),
        })
        names = list(rng.permutation(["a", "b", "c"])[: int(rng.integers(1, 4))])
        qis = {q: hierarchies[q](m) for q in names}
        k = int(rng.integers(1, 6))
        limit = float(rng.choice([0.0, 0.05, 0.2]))
        model = ["k", "distinct", "entropy", "t"][trial % 4]
        extra = {}
        l = float(rng.choice([1.5, 2, 3]))
        t = float(rng.choice([0.15, 0.3]))
        if model == "distinct":
            extra["l_diversity"] = [{"column": "s", "l": int(l)}]
        elif model == "entropy":
            extra["l_diversity"] = [{"column": "s", "l": l, "kind": "entropy"}]
        elif model == "t":
            extra["t_closeness"] = [{"column": "s", "t": t, "distance": "equal"}]
        try:
            r = sdcore.anonymise(df, quasi_identifiers=qis, k=k, suppression_limit=limit, threads=1 + trial % 2, **extra)
        except ValueError as e:  # l above the distinct values present: refused up front
            assert "distinct values, so no class can satisfy it" in str(e)
            assert df["s"].nunique() < l
            continue
        if not r.summary["found"]:
            continue
        checked[model] += 1
        kept = r.data[~r.suppressed].astype({q: str for q in names})
        assert r.suppressed.sum() <= limit * n + 1e-9
        assert r.data["keep"].equals(df["keep"])
        if kept.empty:
            continue
        groups = kept.groupby(names, observed=True)
        assert groups.size().min() >= k
        if model == "distinct":
            assert groups["s"].nunique().min() >= int(l)
        elif model == "entropy":
            worst = groups["s"].agg(lambda s: class_entropy(s.value_counts().to_numpy(dtype=float))).min()
            assert worst >= np.log(l) - 1e-12
        elif model == "t":
            whole = df["s"].value_counts(normalize=True)
            for _, g in groups:
                share = g["s"].value_counts(normalize=True).reindex(whole.index, fill_value=0.0)
                assert 0.5 * (share - whole).abs().sum() <= t + 1e-12
    assert min(checked.values()) > 250 * long_run(2000) // 2000, checked


def test_spec_file_and_dict_agree(tmp_path, shared_data):
    df, qis = adult(shared_data)
    spec = {"quasi_identifiers": {q: {"hierarchy": p} for q, p in qis.items()},
            "models": {"k": 5}, "suppression_limit": 0.05, "quality": "discernibility"}
    path = tmp_path / "spec.yaml"
    path.write_text(json.dumps(spec))
    a = sdcore.anonymise(df, path)
    b = sdcore.anonymise(df, spec)
    assert a.summary == b.summary
    c = sdcore.anonymise(df, spec, k=10)  # keyword arguments override the dict
    assert c.summary["smallest_class"] >= 10


@pytest.mark.parametrize("kwargs,message", [
    ({"k": 100000}, "larger than the table"),
    ({"k": 0}, "k must be at least 1, got 0"),
    ({"k": -3}, "k must be at least 1, got -3"),
    ({"k": 2, "suppression_limit": 2.0}, "suppression limit must be in [0, 1]"),
    ({"k": 2, "l_diversity": [{"column": "age", "l": 2}]}, "both a quasi-identifier and a sensitive"),
    ({"k": 2, "quality": "fastest"}, "unknown quality model"),
])
def test_bad_input(shared_data, kwargs, message):
    df, qis = adult(shared_data)
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        sdcore.anonymise(df, quasi_identifiers=qis, **kwargs)


def test_hierarchy_missing_a_value_is_named(shared_data):
    df, qis = adult(shared_data)
    qis["sex"] = [["Male", "*"]]
    with pytest.raises(ValueError, match="does not cover value.*'Female'"):
        sdcore.anonymise(df, quasi_identifiers=qis, k=2)


EXE = os.environ.get("SDCORE_EXE") or shutil.which("sdcore")  # SDCORE_EXE: a build's executable


@pytest.mark.skipif(EXE is None and not os.environ.get("SDCORE_REQUIRE_CLI"), reason="sdcore executable not on PATH")
def test_cli_keeps_other_columns_byte_for_byte(tmp_path, shared_data):
    src = tmp_path / "in.csv"
    # Values a numeric round trip would change: leading zeros, trailing zeros, text.
    rows = [["id", "age", "sex", "score"]] + [[f"{i:05d}", str(20 + i % 40), "MF"[i % 2], f"{i / 8:.3f}0"] for i in range(400)]
    with open(src, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    spec = tmp_path / "spec.yaml"
    spec.write_text("quasi_identifiers:\n"
                    "  age: {builder: intervals, widths: [10, 20]}\n"
                    "  sex: {rows: [[M, '*'], [F, '*']]}\n"
                    "models: {k: 5}\n")
    out = tmp_path / "out.csv"
    report = tmp_path / "report.json"
    p = subprocess.run([EXE, "anonymise", str(src), "--spec", str(spec), "-o", str(out), "--report", str(report), "-q"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    with open(out, newline="") as f:
        got = list(csv.reader(f))
    assert [r[0] for r in got] == [r[0] for r in rows]
    assert [r[3] for r in got] == [r[3] for r in rows]
    j = json.loads(report.read_text())
    assert j["schema"] == "sdcore.anonymise/1" and j["smallest_class"] >= 5
    assert "records suppressed" in p.stdout
    js = subprocess.run([EXE, "anonymise", str(src), "--spec", str(spec), "--format", "json"], capture_output=True, text=True)
    assert js.returncode == 0 and json.loads(js.stdout)["found"]
    spec.write_text("quasi_identifiers:\n  age: {builder: intervals, widths: [10]}\nmodels: {k: 5, bogus: 1}\n")
    p = subprocess.run([EXE, "anonymise", str(src), "--spec", str(spec)], capture_output=True, text=True)
    assert p.returncode == 3 and "unknown key 'bogus' in models" in p.stderr and "line 3" in p.stderr
