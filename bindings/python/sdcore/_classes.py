"""Equivalence classes of a DataFrame under quasi-identifiers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sdcore import _core
from sdcore._frame import check_column, key_codes


@dataclass(frozen=True)
class EquivalenceClasses:
    """Result of :func:`equivalence_classes`.

    Attributes:
        rows: one row per input record, same index: ``class_id``, ``fk`` and (with a weight)
            ``Fk``.
        classes: one row per class, indexed by ``class_id`` (numbered by first appearance): the
            quasi-identifier values, ``count`` (records with exactly this key), ``fk`` (sample
            frequency; differs from count only with ``missing="any"``) and ``Fk``.
    """

    rows: pd.DataFrame
    classes: pd.DataFrame

    @property
    def num_classes(self) -> int:
        return len(self.classes)


def _validate(df: pd.DataFrame, quasi_identifiers: Sequence[str], weight: str | None, missing: str):
    if not isinstance(df, pd.DataFrame):
        raise TypeError("equivalence_classes takes a pandas DataFrame")
    if isinstance(quasi_identifiers, str):
        raise TypeError("quasi_identifiers must be a list of column names, not one string")
    qis = list(quasi_identifiers)
    if not qis:
        raise ValueError("no quasi-identifiers given")
    for q in qis + ([weight] if weight is not None else []):
        check_column(df, q, strings=False)
    if len(set(qis)) != len(qis):
        raise ValueError("a quasi-identifier is listed twice")
    if weight is not None and weight in qis:
        raise ValueError(f"column {weight!r} is both a quasi-identifier and the weight")
    if missing not in ("own", "any"):
        raise ValueError("missing must be 'own' or 'any'")
    return qis


def _weights(df: pd.DataFrame, weight: str | None) -> np.ndarray | None:
    if weight is None:
        return None
    s = df[weight]
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        raise ValueError(f"weight column {weight!r} must be numeric, not {s.dtype}")
    return np.ascontiguousarray(s.to_numpy(dtype=np.float64, na_value=np.nan))


def _frequency(df: pd.DataFrame, frequency: str | None, quasi_identifiers: Sequence[str],
               weight: str | None) -> np.ndarray | None:
    """The record counts of an aggregated frame as contiguous int64, checked row by row."""
    if frequency is None:
        return None
    check_column(df, frequency, strings=False)
    if frequency in quasi_identifiers or frequency == weight:
        raise ValueError(f"column {frequency!r} cannot be both the frequency and a key or the weight")
    s = df[frequency]
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        raise ValueError(f"frequency column {frequency!r} must hold whole numbers, not {s.dtype}")
    values = s.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~(np.isfinite(values) & (values >= 1) & (values == np.floor(values)) & (values < 2.0**62))
    if bad.any():
        i = int(bad.argmax())
        at, value = (x.item() if isinstance(x, np.generic) else x for x in (df.index[i], s.iloc[i]))
        raise ValueError(f"frequency column {frequency!r} at index {at!r} is {value!r}; "
                         "each row must stand for a whole number of records, at least 1")
    return np.ascontiguousarray(s.to_numpy(dtype=np.int64))


def equivalence_classes(
    df: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    weight: str | None = None,
    *,
    missing: str = "own",
    frequency: str | None = None,
) -> EquivalenceClasses:
    """Group records by their quasi-identifier values.

    Args:
        df: the records. Key columns may be categorical, text, integer, float or boolean.
        quasi_identifiers: the key columns.
        weight: optional numeric sampling-weight column; every weight must be positive and finite.
        missing: ``"own"`` — a missing value is a value of its own; ``"any"`` — it matches every
            value, as sdcMicro's freqCalc counts (then ``fk`` counts all compatible records).
        frequency: for aggregated input (a group-by's counts, e.g. from Spark or from chunks of
            a file), the column saying how many records each row stands for; ``weight`` is then
            the sum of those records' weights. Counts and ``fk`` count records.

    Returns:
        :class:`EquivalenceClasses` with per-record and per-class frames.

    Example:
        >>> import pandas as pd, sdcore
        >>> df = pd.DataFrame({"sex": ["F", "M", "F"], "age": [30, 41, 30]})
        >>> sdcore.equivalence_classes(df, ["sex", "age"]).rows["fk"].tolist()
        [2, 1, 2]
    """
    qis = _validate(df, quasi_identifiers, weight, missing)
    keys = [key_codes(df[q]) for q in qis]
    w = _weights(df, weight)
    freq = _frequency(df, frequency, qis, weight)
    res = _core.equivalence_classes(keys, len(df), w, missing == "any", freq)
    row_class = res["row_class"]
    rows = pd.DataFrame({"class_id": row_class, "fk": res["frequency"][row_class]}, index=df.index)
    first = res["first_row"]
    classes = df[qis].iloc[first].reset_index(drop=True)
    classes["count"] = res["count"]
    classes["fk"] = res["frequency"]
    if w is not None:
        rows["Fk"] = res["weighted_frequency"][row_class]
        classes["Fk"] = res["weighted_frequency"]
    classes.index.name = "class_id"
    return EquivalenceClasses(rows=rows, classes=classes)
