"""read_csv / write_csv through Python. Expected values are read off the input text by hand or
come from pandas' own reader on the same file."""

import math
import pickle

import numpy as np
import pandas as pd
import pytest

import sdcore


def test_types_and_missing(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("id;age;sex\nA;34;F\nB;;M\nC;NA;F\n")
    df = sdcore.read_csv(p, na_values=["", "NA"])
    assert list(df.columns) == ["id", "age", "sex"]
    assert isinstance(df["sex"].dtype, pd.CategoricalDtype)
    assert df["age"].dtype == np.float64
    assert df["age"].iloc[0] == 34 and math.isnan(df["age"].iloc[1]) and math.isnan(df["age"].iloc[2])
    assert df["sex"].tolist() == ["F", "M", "F"]


def test_matches_pandas_on_adult(shared_data):
    ours = sdcore.read_csv(shared_data / "adult" / "adult.csv")
    theirs = pd.read_csv(shared_data / "adult" / "adult.csv", sep=";")
    assert ours.shape == theirs.shape == (30162, 9)
    for c in theirs.columns:
        if pd.api.types.is_numeric_dtype(theirs[c]):
            np.testing.assert_array_equal(ours[c].to_numpy(), theirs[c].to_numpy(dtype=float))
        else:
            assert ours[c].astype(str).tolist() == theirs[c].astype(str).tolist()


def test_parse_error_has_location(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(sdcore.ParseError) as e:
        sdcore.read_csv(p)
    assert (e.value.file, e.value.line, e.value.column) == (str(p), 3, 3)
    assert "expected 2 fields, found 3" in str(e.value)
    again = pickle.loads(pickle.dumps(e.value))
    assert again.line == 3


def test_bad_number_in_numeric_column():
    with pytest.raises(sdcore.ParseError) as e:
        sdcore.read_csv_text("id,age\nx,34\ny,4o\n", dtype={"age": "numeric"})
    assert (e.value.line, e.value.column, e.value.text) == (3, 2, "4o")


def test_missing_file_and_bad_options(tmp_path):
    with pytest.raises(OSError):
        sdcore.read_csv(tmp_path / "nope.csv")
    with pytest.raises(ValueError):
        sdcore.read_csv_text("a\n1\n", sep="xx")
    with pytest.raises(ValueError):
        sdcore.read_csv_text("a\n1\n", dtype={"a": "text"})
    with pytest.raises(TypeError):
        sdcore.read_csv_text("a\n1\n", na_values="NA")


def test_write_round_trip(tmp_path):
    df = pd.DataFrame({
        "name": pd.Series(["a,b", 'q"uote', None, ""], dtype=object),
        "n": [1.5, np.nan, -3.0, 1e21],
        "k": pd.Categorical(["x", "y", None, "x"]),
        "i": pd.array([1, None, 3, 4], dtype="Int64"),
    })
    p = tmp_path / "out.csv"
    sdcore.write_csv(df, p)
    back = sdcore.read_csv(p)
    assert back["name"].astype(object).where(back["name"].notna(), None).tolist() == ["a,b", 'q"uote', None, ""]
    np.testing.assert_array_equal(back["n"].to_numpy(), df["n"].to_numpy())
    assert back["k"].astype(object).where(back["k"].notna(), None).tolist() == ["x", "y", None, "x"]
    np.testing.assert_array_equal(back["i"].to_numpy(), [1, np.nan, 3, 4])
    assert list(tmp_path.iterdir()) == [p]  # no temporary file left


def test_write_refuses_lossy_values(tmp_path):
    with pytest.raises(ValueError):
        sdcore.write_csv(pd.DataFrame({"big": [2**60]}), tmp_path / "x.csv")
    with pytest.raises(TypeError):
        sdcore.write_csv(pd.DataFrame({"mixed": [object()]}), tmp_path / "x.csv")
    with pytest.raises(OSError):
        sdcore.write_csv(pd.DataFrame({"a": [1]}), tmp_path / "no" / "dir.csv")
