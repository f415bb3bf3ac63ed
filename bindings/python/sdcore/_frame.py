"""Conversion between pandas objects and the native layer's (name, kind, array, categories)
column lists and integer key codes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sdcore import _core

_MAX_EXACT_INT = 2**53


def check_column(df: pd.DataFrame, name: Any, *, strings: bool = True) -> None:
    """Refuses a column name that is not in ``df``, or there more than once (pandas then returns
    a DataFrame where a Series is expected), or, with ``strings``, is not a string (where the
    name goes on to the native layer)."""
    if strings and not isinstance(name, str):
        raise TypeError(f"column names must be strings, got {name!r}")
    matches = int((df.columns == name).sum())
    if matches == 0:
        raise ValueError(f"no column named {name!r} (columns: {', '.join(map(str, df.columns))})")
    if matches > 1:
        raise ValueError(f"the DataFrame has {matches} columns named {name!r}")


def columns_to_frame(columns: list[tuple[str, str, np.ndarray, list[str] | None]]) -> pd.DataFrame:
    """DataFrame from native columns: categoricals become pandas Categorical (codes kept),
    numerics float64 arrays (no copy)."""
    data: dict[str, Any] = {}
    for name, kind, array, categories in columns:
        if kind == "categorical":
            dtype = pd.CategoricalDtype(pd.Index(categories, dtype=object), ordered=False)
            data[name] = pd.Categorical.from_codes(array, dtype=dtype, validate=False)
        else:
            data[name] = array
    return pd.DataFrame(data, copy=False)


def frame_to_columns(df: pd.DataFrame) -> list[tuple[str, str, np.ndarray, list[str] | None]]:
    """Native columns from a DataFrame, refusing anything that would not survive unchanged."""
    out = []
    repeated = df.columns[df.columns.duplicated()]
    if len(repeated):
        check_column(df, repeated[0], strings=False)  # names the column and how often it appears
    for name in df.columns:
        if not isinstance(name, str):
            raise ValueError(f"column names must be strings, got {name!r}")
        s = df[name]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = [_as_text(name, c) for c in s.cat.categories]
            out.append((name, "categorical", s.cat.codes.to_numpy(dtype=np.int32), cats))
        elif pd.api.types.is_bool_dtype(s.dtype) or not pd.api.types.is_numeric_dtype(s.dtype):
            codes, uniques = factorize(s, sort=False)
            out.append((name, "categorical", codes.astype(np.int32), [_as_text(name, u) for u in uniques]))
        else:
            values = s.to_numpy(dtype=np.float64, na_value=np.nan)
            if pd.api.types.is_integer_dtype(s.dtype):
                raw = s.dropna().to_numpy()
                if raw.size and np.abs(raw).max() > _MAX_EXACT_INT:
                    raise ValueError(f"column {name!r} has integers beyond 2**53 that a double cannot hold exactly")
            out.append((name, "numeric", values, None))
    return out


def _as_text(column: str, value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, str):
        return value
    raise TypeError(f"column {column!r} holds {type(value).__name__} values; only text, "
                    "categoricals, booleans and numbers can be written")


def key_codes(s: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes (-1 missing) and their cardinality for one key column. A categorical's own
    codes are used in place; anything else is factorised with sorted levels."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), len(s.cat.categories)
    codes, uniques = factorize(s, sort=True)
    return codes, len(uniques)


def factorize(s: pd.Series, *, sort: bool) -> tuple[np.ndarray, Any]:
    """pandas.factorize(s, sort=sort, use_na_sentinel=True), done natively for an object column of
    text and missing values (a few ms per million rows instead of ~60; the codes may be narrower
    than int64). Any other column, or an object column holding anything else, goes to pandas."""
    if s.dtype == object:
        done = _core.factorize_objects(s.to_numpy(), sort)
        if done is not None:
            return done
    return pd.factorize(s, sort=sort, use_na_sentinel=True)
