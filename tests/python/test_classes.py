"""Equivalence classes checked against pandas groupby(...).size() with dropna=False — an
independent implementation — on the shared real data sets, and against the definitions."""

import numpy as np
import pandas as pd
import pytest

import sdcore


def _groupby_fk(df, keys):
    """fk per record by pandas: size of the record's group, missing values as their own group."""
    return df.groupby(keys, dropna=False, observed=True)[keys[0]].transform("size").to_numpy()


def _check_against_pandas(df, keys, weight=None):
    ec = sdcore.equivalence_classes(df, keys, weight)
    key_df = df[keys].astype(object)  # pandas groups categoricals and objects alike this way
    expected_fk = key_df.assign(_one=1).groupby(keys, dropna=False)["_one"].transform("size").to_numpy()
    np.testing.assert_array_equal(ec.rows["fk"].to_numpy(), expected_fk)
    n_groups = key_df.groupby(keys, dropna=False).ngroups
    assert ec.num_classes == n_groups
    assert ec.classes["count"].sum() == len(df)
    if weight is not None:
        expected_Fk = key_df.assign(_w=df[weight]).groupby(keys, dropna=False)["_w"].transform("sum").to_numpy()
        np.testing.assert_allclose(ec.rows["Fk"].to_numpy(), expected_Fk, rtol=1e-12)
    return ec


def test_adult_all_nine_keys(shared_data):
    df = sdcore.read_csv(shared_data / "adult" / "adult.csv")
    _check_against_pandas(df, list(df.columns))


def test_adult_with_pandas_reader(shared_data):
    # Object and integer columns straight from pandas, not our reader.
    df = pd.read_csv(shared_data / "adult" / "adult.csv", sep=";")
    _check_against_pandas(df, ["age", "sex", "race", "native-country"])


@pytest.mark.parametrize("keys", [
    ["urbrur", "roof", "walls", "water", "sex"],
    ["urbrur", "roof", "walls", "water", "electcon", "relat", "sex"],
])
def test_testdata_sdcmicro_keys(shared_data, keys):
    df = sdcore.read_csv(shared_data / "sdcmicro" / "testdata.csv")
    _check_against_pandas(df, keys, weight="sampling_weight")
    _check_against_pandas(df, keys, weight="household_weights")


def test_missing_values_as_own_value():
    df = pd.DataFrame({"a": ["x", None, None, "x"], "b": [1.0, np.nan, np.nan, 1.0]})
    ec = _check_against_pandas(df, ["a", "b"])
    assert ec.rows["fk"].tolist() == [2, 2, 2, 2]


def test_missing_any_on_francdat(shared_data):
    # sdcMicro's ?freqCalc example sets these cells to NA; fk and Fk worked by hand from the
    # definition (a missing value matches any value): see tests/cpp/test_classes.cpp.
    df = pd.read_csv(shared_data / "sdcmicro" / "francdat.csv")
    for r, c in [(2, "Key3"), (3, "Key1"), (3, "Key2"), (4, "Key4"), (5, "Key1")]:
        df.loc[r, c] = np.nan
    ec = sdcore.equivalence_classes(df, ["Key1", "Key2", "Key3", "Key4"], "w", missing="any")
    assert ec.rows["fk"].tolist() == [3, 2, 4, 3, 3, 2, 2, 3]
    assert ec.rows["Fk"].tolist() == [149, 84.5, 194.5, 563, 566, 549, 22, 149]


def test_index_and_order_preserved():
    df = pd.DataFrame({"k": ["b", "a", "b"]}, index=[10, 5, 7])
    ec = sdcore.equivalence_classes(df, ["k"])
    assert ec.rows.index.tolist() == [10, 5, 7]
    assert ec.rows["class_id"].tolist() == [0, 1, 0]  # numbered by first appearance
    assert ec.classes["k"].tolist() == ["b", "a"]


def test_narrow_categorical_codes_used_in_place():
    df = pd.DataFrame({"k": pd.Categorical(["a", "b", "a", None])})
    assert df["k"].cat.codes.dtype == np.int8
    assert sdcore.equivalence_classes(df, ["k"]).rows["fk"].tolist() == [2, 1, 2, 1]


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_bad_weights(bad):
    df = pd.DataFrame({"k": ["a", "b"], "w": [1.0, bad]})
    with pytest.raises(ValueError, match=r"weight of row 2 \(1-based\)"):
        sdcore.equivalence_classes(df, ["k"], "w")


def test_bad_arguments():
    df = pd.DataFrame({"k": ["a"], "w": ["x"]})
    with pytest.raises(ValueError, match="no column named 'z'"):
        sdcore.equivalence_classes(df, ["z"])
    with pytest.raises(ValueError):
        sdcore.equivalence_classes(df, [])
    with pytest.raises(TypeError):
        sdcore.equivalence_classes(df, "k")
    with pytest.raises(ValueError, match="must be numeric"):
        sdcore.equivalence_classes(df, ["k"], "w")
    with pytest.raises(ValueError):
        sdcore.equivalence_classes(df, ["k"], missing="maybe")
