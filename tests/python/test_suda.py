"""sdcore.suda2 from Python: a brute-force MSU enumeration written here (minimal unique subsets by
definition), published figures, and agreement with the CLI."""

import itertools
import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import sdcore


def _brute_msus(df, keys):
    """Per record, the key subsets on which it is unique and no proper subset is."""
    out = [[] for _ in range(len(df))]
    for size in range(1, len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            counts = df.groupby(list(subset), dropna=False)[subset[0]].transform("size").to_numpy()
            for i in np.flatnonzero(counts == 1):
                if not any(set(m) < set(subset) for m in out[i]):
                    out[i].append(subset)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_msus_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({k: rng.integers(0, 3, 60) for k in "abcd"})
    keys = list("abcd")
    r = sdcore.suda2(df, keys)
    msus = _brute_msus(df, keys)
    assert r.records["msu_count"].tolist() == [len(m) for m in msus]
    assert r.records["min_msu_size"].tolist() == [min((len(s) for s in m), default=0) for m in msus]
    # Original SUDA2 weights with M = 4 keys and maximum size 4: (M - k)! for an MSU of size k.
    expected = [sum(float(np.prod(range(1, 4 - len(s) + 1))) for s in m) for m in msus]
    np.testing.assert_allclose(r.records["suda_score"].to_numpy(), expected)


def test_testdata2_first_record_published(shared_data):
    # sdcMicro's own test (tests/testthat/test_suda2.R): the first record of testdata2 scores 180
    # with the 7 usual keys.
    df = sdcore.read_csv(shared_data / "sdcmicro" / "testdata2.csv")
    keys = ["urbrur", "roof", "walls", "water", "electcon", "relat", "sex"]
    assert sdcore.suda2(df, keys).records["suda_score"].iloc[0] == 180


def test_cli_json_agrees(shared_data):
    exe = shutil.which("sdcore")
    if exe is None:
        pytest.skip("sdcore executable not on PATH")
    path = shared_data / "sdcmicro" / "testdata.csv"
    keys = ["urbrur", "roof", "walls", "water", "electcon", "relat", "sex"]
    out = subprocess.run([exe, "suda", str(path), "--keys", ",".join(keys), "--format", "json", "-q"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    r = sdcore.suda2(sdcore.read_csv(path), keys)
    assert doc["sample_uniques"] == r.summary["sample_uniques"]
    assert {int(k): v for k, v in doc["msus_by_size"].items()} == r.summary["msus_by_size"]
    assert doc["highest_scores"][0]["score"] == r.records["suda_score"].max()


def test_bad_arguments():
    df = pd.DataFrame({"a": [1, 2], "b": [1, 1]})
    with pytest.raises(ValueError):
        sdcore.suda2(df, ["a", "b"], max_msu_size=0)
    with pytest.raises(ValueError):
        sdcore.suda2(df, ["a", "b"], scoring="fast")
    with pytest.raises(ValueError):
        sdcore.suda2(df, ["a", "b"], dis_fraction=0)
