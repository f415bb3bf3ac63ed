"""sdcore.risk against an independent pandas implementation of the published formulas:
Benedetti & Franconi's individual risk as sdcMicro's indivRisk documents it (approx method),
household risk 1 - prod(1 - r), expected re-identifications = sum of risks."""

import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import sdcore

TESTDATA_KEYS = [
    ["urbrur", "roof", "walls", "water", "sex"],
    ["urbrur", "roof", "walls", "water", "electcon", "relat", "sex"],
]


def _reference(df, keys, weight, household=None):
    g = df[keys].astype(object).assign(_w=df[weight]).groupby(keys, dropna=False)["_w"]
    fk = g.transform("size").to_numpy(dtype=float)
    Fk = g.transform("sum").to_numpy()
    p = fk / Fk
    with np.errstate(divide="ignore", invalid="ignore"):
        r1 = p / (1 - p) * np.log(1 / p)
        r2 = p / (1 - p) - (p / (1 - p)) ** 2 * np.log(1 / p)
        r3 = p / (fk - (1 - p))
    risk = np.where(fk == 1, r1, np.where(fk == 2, r2, r3))
    risk = np.where(fk == Fk, 1 / fk, risk)
    out = {"fk": fk, "Fk": Fk, "risk": risk}
    if household is not None:
        safe = pd.Series(1 - risk).groupby(df[household].to_numpy()).transform("prod").to_numpy()
        out["household_risk"] = 1 - safe
    return out


@pytest.mark.parametrize("keys", TESTDATA_KEYS)
@pytest.mark.parametrize("weight", ["sampling_weight", "household_weights"])
def test_testdata_matches_reference(shared_data, keys, weight):
    df = sdcore.read_csv(shared_data / "sdcmicro" / "testdata.csv")
    r = sdcore.risk(df, keys, weight, household="ori_hid")
    ref = _reference(df, keys, weight, "ori_hid")
    np.testing.assert_array_equal(r.records["fk"].to_numpy(), ref["fk"])
    np.testing.assert_allclose(r.records["Fk"].to_numpy(), ref["Fk"], rtol=1e-12)
    np.testing.assert_allclose(r.records["risk"].to_numpy(), ref["risk"], rtol=1e-9)
    np.testing.assert_allclose(r.records["household_risk"].to_numpy(), ref["household_risk"], rtol=1e-9)
    s = r.summary
    assert s["expected_reidentifications"] == pytest.approx(ref["risk"].sum(), rel=1e-9)
    assert s["global_risk"] == pytest.approx(ref["risk"].sum() / len(df), rel=1e-9)
    assert s["household_expected_reidentifications"] == pytest.approx(ref["household_risk"].sum(), rel=1e-9)
    assert s["sample_uniques"] == int((ref["fk"] == 1).sum())
    assert s["records_in_classes_smaller_than"][3] == int((ref["fk"] < 3).sum())


def test_francdat_by_hand(shared_data):
    # francdat (keys Key1..Key4, weight w): rows 1 and 8 share a class with fk 2, Fk 110; rows 2
    # and 3 fk 2, Fk 84.5; the others are unique. Risks from the formulas, written out here.
    df = pd.read_csv(shared_data / "sdcmicro" / "francdat.csv")
    r = sdcore.risk(df, ["Key1", "Key2", "Key3", "Key4"], "w")

    def r1(F):
        p = 1 / F
        return p / (1 - p) * np.log(F)

    def r2(F):
        p = 2 / F
        o = p / (1 - p)
        return o - o * o * np.log(1 / p)

    expected = [r2(110), r2(84.5), r2(84.5), r1(17), r1(541), r1(8), r1(5), r2(110)]
    np.testing.assert_allclose(r.records["risk"].to_numpy(), expected, rtol=1e-12)


def test_unweighted_risk_is_one_over_fk(shared_data):
    df = sdcore.read_csv(shared_data / "sdcmicro" / "testdata.csv")
    r = sdcore.risk(df, TESTDATA_KEYS[1])
    np.testing.assert_allclose(r.records["risk"], 1 / r.records["fk"], rtol=1e-15)
    assert r.summary["expected_reidentifications"] == pytest.approx(r.summary["classes"])


def test_index_kept_and_free1(shared_data):
    df = sdcore.read_csv(shared_data / "sdcmicro" / "free1.csv")
    df.index = df.index * 3 + 7
    r = sdcore.risk(df, ["REGION", "SEX", "AGE"], "WEIGHT")
    assert r.records.index.equals(df.index)
    ref = _reference(df, ["REGION", "SEX", "AGE"], "WEIGHT")
    np.testing.assert_allclose(r.records["risk"].to_numpy(), ref["risk"], rtol=1e-9)


@pytest.mark.parametrize("kwargs, match", [
    ({"weight": "neg"}, r"weight of row 2 \(1-based\)"),
    ({"household": "hh"}, "household id"),
    ({"ks": [0]}, "at least 1"),
    ({"max_global_risk": 1.0}, "between 0 and 1"),
    ({"method": "fast"}, "method"),
])
def test_bad_input(kwargs, match):
    df = pd.DataFrame({"k": ["a", "b", "a"], "neg": [1.0, -2.0, 3.0], "hh": [1, None, 2]})
    with pytest.raises(ValueError, match=match):
        sdcore.risk(df, ["k"], **kwargs)


def test_empty_frame():
    with pytest.raises(ValueError, match="no records"):
        sdcore.risk(pd.DataFrame({"k": pd.Series([], dtype=object)}), ["k"])


def test_attacker_models_with_population_table(shared_data, tmp_path):
    # Sample: every third adult record; population: all of adult as counts. Expected figures
    # by El Emam's definitions, computed here with pandas.
    adult = pd.read_csv(shared_data / "adult" / "adult.csv", sep=";")
    qi = ["sex", "race", "marital-status"]
    population = adult.groupby(qi).size().rename("n").reset_index()
    sample = adult.iloc[::3].reset_index(drop=True)
    r = sdcore.risk(sample, qi, attacker_threshold=0.05, population=population, population_count="n")
    a = r.summary["attacker"]
    F = sample[qi].merge(population, on=qi, how="left")["n"].to_numpy(dtype=float)
    fk = sample.groupby(qi)[qi[0]].transform("size").to_numpy(dtype=float)
    n = len(sample)
    assert a["population_source"] == "population table"
    assert a["journalist"]["records_at_risk"] == pytest.approx(np.mean(1 / F > 0.05))
    assert a["journalist"]["highest_risk"] == pytest.approx(1 / F.min())
    assert a["marketer"] == pytest.approx(np.sum(1 / F) / n)
    classes = sample.groupby(qi).size()
    sumF = population.set_index(qi).loc[classes.index, "n"].sum()
    assert a["journalist"]["success_rate"] == pytest.approx(max(len(classes) / sumF, np.sum(1 / F) / n))
    assert a["prosecutor"]["highest_risk"] == pytest.approx(1 / fk.min())
    assert a["prosecutor"]["success_rate"] == pytest.approx(len(classes) / n)
    # The CLI gives the same figures from files.
    exe = shutil.which("sdcore")
    if exe:
        sample.to_csv(tmp_path / "s.csv", index=False)
        population.to_csv(tmp_path / "p.csv", index=False)
        out = subprocess.run([exe, "risk", str(tmp_path / "s.csv"), "--qi", ",".join(qi), "--attacker-threshold",
                              "0.05", "--population", str(tmp_path / "p.csv"), "--population-count", "n",
                              "--format", "json"], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        cli = json.loads(out.stdout)["attacker"]
        assert cli["marketer"] == pytest.approx(a["marketer"], rel=1e-12)
        assert cli["journalist"] == pytest.approx(a["journalist"], rel=1e-12)


def test_population_missing_a_class():
    df = pd.DataFrame({"k": ["a", "b"]})
    with pytest.raises(ValueError, match="no class"):
        sdcore.risk(df, ["k"], population=pd.DataFrame({"k": ["a"], "n": [5]}), population_count="n")


def test_missing_any_risk_uses_wildcard_frequencies(shared_data):
    # francdat with sdcMicro's example NAs: fk and Fk under "missing matches any value" were
    # worked by hand in test_classes.py; the risk is the approx formula at those fk, Fk.
    df = pd.read_csv(shared_data / "sdcmicro" / "francdat.csv")
    for r, c in [(2, "Key3"), (3, "Key1"), (3, "Key2"), (4, "Key4"), (5, "Key1")]:
        df.loc[r, c] = np.nan
    r = sdcore.risk(df, ["Key1", "Key2", "Key3", "Key4"], "w", missing="any")
    fk = np.array([3, 2, 4, 3, 3, 2, 2, 3], dtype=float)
    Fk = np.array([149, 84.5, 194.5, 563, 566, 549, 22, 149])
    p = fk / Fk
    expected = np.where(fk == 2, p / (1 - p) - (p / (1 - p)) ** 2 * np.log(1 / p), p / (fk - (1 - p)))
    np.testing.assert_array_equal(r.records["fk"].to_numpy(), fk)
    np.testing.assert_allclose(r.records["risk"].to_numpy(), expected, rtol=1e-12)
