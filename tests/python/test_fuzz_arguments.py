"""Issue 8, fuzzing the Python entry points' argument conversion. Hypothesis builds hostile
DataFrames (every pandas dtype the package is documented to take, and some it is not: mixed
object columns, nullable integers with NA, unused and missing categories, infinities, -0.0,
integers beyond 2^53, booleans, column names that are numbers or repeated, no rows) and hostile
arguments (columns that are not there, k of any sign or type), and calls each entry point. Each
call must either return a result of the right shape or raise one of the package's documented
errors: ValueError or TypeError for bad arguments, sdcore.Error for a failure inside. Anything
else (a crash, SystemError, RuntimeError from the binding layer, KeyError, IndexError...) is a
finding. 100 examples per entry point in CI; SDCORE_LONG_TESTS times as many in a long run."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from longrun import long_run

import sdcore

ALLOWED = (ValueError, TypeError, sdcore.Error)
NAMES = ["a", "b", "c", "w", "a2", "b2", "c2", "w2", 0]  # a number now and then; repeats now and then

TEXT = st.sampled_from(["", "x", "y", "Zoë", "1", "01", "NA", " ", "a,b", "\n"])


@st.composite
def columns(draw, n):
    kind = draw(st.sampled_from(["int", "bigint", "float", "object", "string", "category", "bool", "Int64", "smallint"]))
    if kind == "int":
        return pd.Series(draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n)), dtype="int64")
    if kind == "smallint":
        return pd.Series(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype="int8")
    if kind == "bigint":
        return pd.Series(draw(st.lists(st.integers(-2**63, 2**63 - 1), min_size=n, max_size=n)), dtype="int64")
    if kind == "float":
        values = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.0, 2.5, 1e300]))
        return pd.Series(draw(st.lists(values, min_size=n, max_size=n)), dtype="float64")
    if kind == "object":
        values = st.one_of(TEXT, st.integers(-3, 3), st.none(), st.just(math.nan), st.booleans(), st.floats(-1, 1))
        return pd.Series(draw(st.lists(values, min_size=n, max_size=n)), dtype=object)
    if kind == "string":
        return pd.Series(draw(st.lists(st.one_of(TEXT, st.none()), min_size=n, max_size=n)), dtype="string")
    if kind == "category":
        values = draw(st.lists(st.one_of(TEXT, st.none()), min_size=n, max_size=n))
        extra = draw(st.lists(st.sampled_from(["unused", "never"]), max_size=2, unique=True))
        cats = sorted({v for v in values if v is not None} | set(extra))
        return pd.Series(pd.Categorical(values, categories=cats))
    if kind == "bool":
        return pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return pd.Series(draw(st.lists(st.one_of(st.integers(-2, 9), st.none()), min_size=n, max_size=n)), dtype="Int64")


@st.composite
def frames(draw):
    n = draw(st.one_of(st.integers(5, 25), st.integers(0, 4)))
    unique = st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True)
    names = draw(st.one_of(unique, unique, st.lists(st.sampled_from(NAMES), min_size=1, max_size=4)))  # repeats too
    data = [draw(columns(n)).reset_index(drop=True) for _ in names]
    df = pd.concat(data, axis=1, ignore_index=True) if data else pd.DataFrame(index=range(n))
    df.columns = names
    return df


def column_names(df):
    """Mostly the frame's own columns (so that conversion is reached), sometimes others."""
    own = list(dict.fromkeys(df.columns))
    others = st.one_of(st.sampled_from(NAMES + ["missing"]), st.integers(-1, 3))
    return st.one_of(st.sampled_from(own), st.sampled_from(own), others) if own else others


def keys(df):
    """Often the frame's distinct string-named columns (a call that should go through, to reach the
    conversion of every dtype), else anything."""
    valid = [c for c in dict.fromkeys(df.columns) if isinstance(c, str) and int((df.columns == c).sum()) == 1][:3]
    anything = st.lists(column_names(df), min_size=0, max_size=3)
    return st.one_of(st.just(valid), st.just(valid[:1]), anything) if valid else anything


def maybe(df):
    return st.one_of(st.none(), st.none(), column_names(df))


def small_k():
    return st.one_of(st.integers(1, 4), st.integers(1, 4), st.integers(-2, 30), st.sampled_from([2.0, 2.5, True, "3", None]))


def call(f):
    try:
        return f()
    except ALLOWED:
        return None


SETTINGS = settings(max_examples=long_run(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(df=frames(), data=st.data(), missing=st.sampled_from(["own", "any", "x"]))
def test_equivalence_classes(df, data, missing):
    qis, weight, frequency = data.draw(keys(df)), data.draw(maybe(df)), data.draw(maybe(df))
    r = call(lambda: sdcore.equivalence_classes(df, qis, weight, missing=missing, frequency=frequency))
    if r is not None:
        assert len(r.rows) == len(df)


@SETTINGS
@given(df=frames(), data=st.data(), ks=st.lists(st.integers(-1, 6), max_size=3),
       method=st.sampled_from(["approx", "exact", "bogus"]))
def test_risk(df, data, ks, method):
    qis, weight = data.draw(keys(df)), data.draw(maybe(df))
    r = call(lambda: sdcore.risk(df, qis, weight, ks=ks, method=method))
    if r is not None:
        assert len(r.records) == len(df)


@SETTINGS
@given(df=frames(), data=st.data(), max_msu=st.one_of(st.none(), st.integers(-1, 4)),
       fraction=st.sampled_from([0.01, 0.0, -1.0, 2.0, math.nan]))
def test_suda2(df, data, max_msu, fraction):
    qis = data.draw(keys(df))
    r = call(lambda: sdcore.suda2(df, qis, max_msu_size=max_msu, dis_fraction=fraction))
    if r is not None:
        assert len(r.records) == len(df)


@SETTINGS
@given(df=frames(), data=st.data(), distance=st.sampled_from(["equal", "ordered", "x", {"a": "ordered"}]),
       threads=st.integers(-1, 3))
def test_measure_anonymity(df, data, distance, threads):
    qis, sensitive = data.draw(keys(df)), data.draw(keys(df))
    r = call(lambda: sdcore.measure_anonymity(df, qis, sensitive, distance=distance, threads=threads))
    if r is not None:
        assert r.records == len(df) and 1 <= r.k <= len(df) and len(r.sensitive) == len(sensitive)


@SETTINGS
@given(df=frames(), data=st.data(), k=small_k(), l=st.integers(-1, 3), threads=st.integers(-1, 3))
def test_mondrian(df, data, k, l, threads):
    qis, sensitive, frequency = data.draw(keys(df)), data.draw(maybe(df)), data.draw(maybe(df))
    r = call(lambda: sdcore.mondrian(df, qis, k, sensitive=sensitive, l=l, threads=threads, frequency=frequency))
    if r is not None:
        assert len(r.data) == len(df)


@SETTINGS
@given(df=frames(), data=st.data(), k=small_k(), importance=st.one_of(st.none(), st.lists(st.integers(-1, 4), max_size=3)))
def test_local_suppression(df, data, k, importance):
    qis = data.draw(keys(df))
    r = call(lambda: sdcore.local_suppression(df, qis, k, importance=importance))
    if r is not None:
        assert len(r.data) == len(df)


@SETTINGS
@given(df=frames(), data=st.data(), k=small_k(), measure=st.sampled_from(["mean", "median", "mode"]),
       exclude=st.booleans())
def test_mdav(df, data, k, measure, exclude):
    cols = data.draw(keys(df))
    r = call(lambda: sdcore.mdav(df, cols, k, measure=measure, exclude_missing=exclude))
    if r is not None:
        assert len(r.data) == len(df)


@SETTINGS
@given(df=frames(), data=st.data(), k=small_k(), limit=st.sampled_from([0.0, 0.1, 1.0, -0.5, 2.0, math.nan]))
def test_anonymise(df, data, k, limit):
    qis = data.draw(keys(df))
    # Every quasi-identifier generalised by a two-level hierarchy of its own values: value -> '*'.
    hierarchies = {}
    for q in qis:
        if q in df.columns and isinstance(df[q], pd.Series):
            values = pd.unique(df[q].astype("string").dropna())
            hierarchies[q] = [[str(v), "*"] for v in values]
        else:
            hierarchies[q] = [["x", "*"]]
    r = call(lambda: sdcore.anonymise(df, quasi_identifiers=hierarchies, k=k, suppression_limit=limit))
    if r is not None and r.summary["found"]:
        assert len(r.data) == len(df)


@SETTINGS
@given(df=frames(), data=st.data())
def test_tabulate(df, data):
    dims, value = data.draw(keys(df)), data.draw(maybe(df))
    r = call(lambda: sdcore.tables.tabulate(df, dims, value=value))
    if r is not None:
        assert len(r) >= 1  # at least the grand total
