"""CSV input and output (the native reader: strict, located errors, atomic writes)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import pandas as pd

from sdcore import _core
from sdcore._frame import columns_to_frame, frame_to_columns


def _options(sep, na_values, decimal, header, dtype, infer_types, skip_blank_lines):
    missing = [""] if na_values is None else list(na_values)
    if isinstance(na_values, str):
        raise TypeError("na_values must be a list of strings, e.g. ['', 'NA']")
    return dict(
        delimiter=sep or "",
        missing=missing,
        decimal=decimal,
        header=header,
        infer_types=infer_types,
        column_types=dict(dtype or {}),
        skip_blank_lines=skip_blank_lines,
    )


def read_csv(
    path: str | os.PathLike,
    *,
    sep: str | None = None,
    na_values: Iterable[str] | None = None,
    decimal: str = ".",
    header: bool = True,
    dtype: Mapping[str, str] | None = None,
    infer_types: bool = True,
    skip_blank_lines: bool = False,
) -> pd.DataFrame:
    """Read a CSV file into a DataFrame.

    Text columns become pandas Categoricals, numeric columns float64 (NaN missing).

    Args:
        sep: delimiter (``,`` ``;`` ``\\t`` or ``|``); detected from the header when None.
        na_values: unquoted tokens meaning missing; default only the empty field. A quoted
            value is never missing.
        decimal: ``.`` or ``,``.
        header: whether the first line names the columns (else V1, V2, ...).
        dtype: per-column ``"categorical"`` or ``"numeric"``, overriding inference.
        infer_types: if False every column not in ``dtype`` is categorical.
        skip_blank_lines: allow blank lines inside the data.

    Raises:
        ParseError: malformed content, with ``file``, ``line``, ``column`` and ``text``.
        OSError: the file cannot be read.
        ValueError: bad options.
    """
    cols = _core.read_csv(os.fspath(path), **_options(sep, na_values, decimal, header, dtype,
                                                       infer_types, skip_blank_lines))
    return columns_to_frame(cols)


def read_csv_text(text: str, **kwargs) -> pd.DataFrame:
    """Like :func:`read_csv`, on CSV text held in a string."""
    return columns_to_frame(_core.read_csv_text(text, **_options_of(kwargs)))


def _options_of(kwargs: dict) -> dict:
    """The native reader's options from :func:`read_csv`'s keyword arguments given as a dict;
    anything else is refused."""
    kwargs = dict(kwargs)
    opts = _options(kwargs.pop("sep", None), kwargs.pop("na_values", None), kwargs.pop("decimal", "."),
                    kwargs.pop("header", True), kwargs.pop("dtype", None), kwargs.pop("infer_types", True),
                    kwargs.pop("skip_blank_lines", False))
    if kwargs:
        raise TypeError(f"unexpected arguments: {sorted(kwargs)}")
    return opts


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, sep: str = ",", na_rep: str = "") -> None:
    """Write a DataFrame as CSV, atomically (temporary file, then rename); the index is not
    written. Values that equal ``na_rep`` or need it are quoted, so the file reads back the same.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError("write_csv takes a pandas DataFrame")
    _core.write_csv(os.fspath(path), frame_to_columns(df), sep, na_rep)
