"""sdcore.loglinear_risk against the closed-form MLE of the independence model (product of
margins, Bishop, Fienberg & Holland 1975) and Skinner & Shlomo's formulas, computed with pandas."""

import numpy as np
import pandas as pd
import pytest

import sdcore


def test_independence_model_on_testdata(shared_data):
    df = sdcore.read_csv(shared_data / "sdcmicro" / "testdata.csv")
    keys = ["urbrur", "roof", "walls", "sex"]
    r = sdcore.loglinear_risk(df, keys, "household_weights")
    n = len(df)
    pi = n / df["household_weights"].sum()
    assert r.summary["sampling_fraction"] == pytest.approx(pi)
    mu = np.full(n, float(n))
    for k in keys:
        mu *= df[k].map(df[k].value_counts()).to_numpy(dtype=float) / n
    np.testing.assert_allclose(r.records["fitted"].to_numpy(), mu, rtol=1e-7)
    fk = df.groupby(keys)[keys[0]].transform("size").to_numpy()
    x = (1 - pi) * mu / pi
    unique = fk == 1
    np.testing.assert_allclose(r.records["prob_population_unique"].to_numpy()[unique], np.exp(-x[unique]), rtol=1e-6)
    assert r.records["prob_population_unique"][~unique].isna().all()
    assert r.summary["tau1"] == pytest.approx(np.exp(-x[unique]).sum(), rel=1e-6)
    assert r.summary["tau2"] == pytest.approx(((1 - np.exp(-x)) / x)[unique].sum(), rel=1e-6)


def test_interaction_and_errors():
    df = sdcore.datasets.hospital_episodes(2000, seed=3)
    r = sdcore.loglinear_risk(df, ["sex", "admission_method", "diagnosis_chapter"],
                              interactions=[["sex", "admission_method"]], sampling_fraction=0.02)
    assert r.summary["converged"] and r.records.index.equals(df.index)
    with pytest.raises(ValueError, match="not quasi-identifiers"):
        sdcore.loglinear_risk(df, ["sex"], interactions=[["sex", "age"]], sampling_fraction=0.1)
    with pytest.raises(ValueError, match="sampling fraction"):
        sdcore.loglinear_risk(df, ["sex"])
    with pytest.raises(ValueError, match="cells"):
        sdcore.loglinear_risk(df, ["episode_id", "postcode_district", "admission_date"], sampling_fraction=0.1,
                              max_cells=1000)
