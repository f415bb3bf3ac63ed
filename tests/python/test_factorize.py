"""The native factoriser of object columns (bindings/python/register_frame.cpp) against
pandas.factorize, an independent implementation: same codes and the same levels in the same
order, for sorted and first-appearance levels, on columns whose equal texts are held by one
object (as read_csv leaves them) or by many (as a list comprehension makes them)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from longrun import long_run

import sdcore
from sdcore import _core
from sdcore._frame import factorize, key_codes

_texts = st.text(st.characters(blacklist_categories=["Cs"]), max_size=6)  # no lone surrogates


def _expect_same(column: np.ndarray, sort: bool) -> None:
    native = _core.factorize_objects(column, sort)
    assert native is not None
    codes, uniques = native
    want_codes, want_uniques = pd.factorize(column, sort=sort, use_na_sentinel=True)
    np.testing.assert_array_equal(codes.astype(np.int64), want_codes)
    assert list(uniques) == list(want_uniques)
    assert codes.dtype == (np.int8 if len(uniques) <= 127 else np.int16 if len(uniques) <= 32767 else np.int32)


@settings(max_examples=long_run(300), deadline=None)
@given(values=st.lists(st.one_of(_texts, st.none(), st.just(math.nan)), max_size=80),
       shared=st.booleans(), sort=st.booleans())
def test_same_as_pandas(values, shared, sort):
    if shared:  # one object per distinct text, as read_csv and concat leave them
        pool: dict = {}
        values = [v if not isinstance(v, str) else pool.setdefault(v, v) for v in values]
    else:  # equal texts in distinct objects: the address alone must not decide
        values = [v if not isinstance(v, str) else "".join(list(v)) for v in values]
    _expect_same(np.array(values + [None], dtype=object)[:-1], sort)


def test_distinct_objects_equal_text_share_a_level():
    # Built by hand: four objects, two texts; pandas' answer worked out by reading the values.
    a1, a2 = "".join(["a", "b"]), "".join(["a", "b"])
    assert a1 is not a2
    column = np.array(["zz", a1, None, a2, "zz", math.nan], dtype=object)
    codes, uniques = _core.factorize_objects(column, True)
    assert list(codes) == [1, 0, -1, 0, 1, -1] and list(uniques) == ["ab", "zz"]
    codes, uniques = _core.factorize_objects(column, False)
    assert list(codes) == [0, 1, -1, 1, 0, -1] and list(uniques) == ["zz", "ab"]


def test_code_point_order_and_wide_levels():
    # UTF-8 byte order is code point order, which is Python's str order (and so pandas' sort).
    column = np.array(["é", "z", "\U0001F600", "Z", "", "e\u0301"], dtype=object)
    _expect_same(column, True)
    many = np.array([f"v{i}" for i in range(40000)] * 2, dtype=object)  # past int16's 32,767 levels
    _expect_same(many, True)
    _expect_same(many[:2000], False)  # int16


@pytest.mark.parametrize("odd", [1, 2.5, b"x", pd.NA, np.str_("x"), "\ud800"])
def test_anything_but_text_and_missing_goes_to_pandas(odd):
    column = np.array(["a", odd, "b"], dtype=object)
    assert _core.factorize_objects(column, True) is None
    # and the Python helper still answers, through pandas
    codes, _ = factorize(pd.Series(column, dtype=object), sort=True)
    assert len(codes) == 3


def test_strided_view_and_empty():
    column = np.array(["b", "x", "a", "x", "b"], dtype=object)
    _expect_same(column[::2], True)  # not contiguous
    codes, uniques = _core.factorize_objects(np.array([], dtype=object), True)
    assert len(codes) == 0 and list(uniques) == []
    with pytest.raises(ValueError, match="one-dimensional array of objects"):
        _core.factorize_objects(np.array([1, 2]), True)


def test_classes_on_text_equal_classes_on_categoricals():
    # The kernel sees the native codes for an object column and pandas' for a categorical one:
    # the classes and each record's class must not depend on which.
    rng = np.random.default_rng(7)
    df = pd.DataFrame({c: rng.choice(["x", "y", None, "zz"], 500).astype(object) for c in "abc"})
    by_text = sdcore.equivalence_classes(df, ["a", "b", "c"])
    by_cat = sdcore.equivalence_classes(df.astype("category"), ["a", "b", "c"])
    pd.testing.assert_frame_equal(by_text.rows, by_cat.rows)
    pd.testing.assert_frame_equal(by_text.classes.astype(object), by_cat.classes.astype(object))
    assert key_codes(df["a"])[1] == 3
