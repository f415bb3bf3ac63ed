"""Recoding a DataFrame to k-anonymity: Mondrian partitioning, MDAV microaggregation and local
suppression (docs/methods/mondrian.md, microaggregation.md, local_suppression.md).

Each function sends only the columns it reads to the native kernel and returns a copy of the
DataFrame in which just those columns are replaced: same index, same column order, same rows in
the same order, every other column the input's own object.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

import numpy as np
import pandas as pd

from sdcore import _core
from sdcore._classes import _frequency
from sdcore._frame import check_column, frame_to_columns

HierarchySource = Union[str, "os.PathLike[str]", pd.DataFrame, Sequence[Sequence[Any]]]

_MEASURES = ("mean", "median")


@dataclass(frozen=True)
class MondrianResult:
    """Result of :func:`mondrian`.

    Attributes:
        data: the input with every quasi-identifier replaced by its partition's summary, a
            categorical of labels such as ``"30-39"``, ``"{F,M}"`` or a hierarchy label.
        partition: each record's partition (0, 1, ... by first appearance), indexed like ``data``.
        num_partitions, min_partition_size: how many partitions, and the smallest (>= k).
        discernibility: sum over partitions of size squared.
        ncp: normalised certainty penalty in [0, 1] (0: nothing generalised).
    """

    data: pd.DataFrame
    partition: pd.Series
    num_partitions: int
    min_partition_size: int
    discernibility: int
    ncp: float


@dataclass(frozen=True)
class MicroaggregationResult:
    """Result of :func:`mdav`.

    Attributes:
        data: the input with the named columns (now float64) replaced by their group's mean or
            median; excluded records keep their values.
        group: each record's group (0, 1, ... in the order MDAV formed them; -1: excluded),
            indexed like ``data``.
        num_groups: number of groups, each of k to 2k-1 records.
        sse, sst: within-group and total sums of squares of the named columns as z-scores.
        information_loss: sse / sst.
        excluded_rows: index labels of the records left out for a missing value.
    """

    data: pd.DataFrame
    group: pd.Series
    num_groups: int
    sse: float
    sst: float
    information_loss: float
    excluded_rows: pd.Index


@dataclass(frozen=True)
class LocalSuppressionResult:
    """Result of :func:`local_suppression`.

    Attributes:
        data: the input with the suppressed key cells set to missing (NaN; a categorical keeps
            its categories; an integer column becomes float64 only if a cell of it was blanked).
        suppressed: new suppressions per quasi-identifier.
        total_suppressed: their sum.
        mask: boolean DataFrame, indexed like ``data``, one column per quasi-identifier: True
            where a cell was suppressed.
        importance: the importance used per quasi-identifier (1 = blanked last).
        k_anonymous: whether every key subset asked for is k-anonymous at the end (always True
            without ``combs``).
    """

    data: pd.DataFrame
    suppressed: dict[str, int]
    total_suppressed: int
    mask: pd.DataFrame
    importance: dict[str, int]
    k_anonymous: bool


def _check_frame(df: Any, function: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{function} takes a pandas DataFrame, got {type(df).__name__}")


def _as_list(values: Any, what: str) -> list:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{what} must be a list, not one string")
    try:
        return list(values)
    except TypeError:
        raise TypeError(f"{what} must be a list, got {type(values).__name__}") from None


def _column_list(df: pd.DataFrame, names: Any, what: str) -> list[str]:
    out = _as_list(names, what)
    for name in out:
        check_column(df, name)
    return out




def _integer(value: Any, what: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an integer, got {value!r}")
    return int(value)


def _integers(values: Any, what: str) -> list[int]:
    return [] if values is None else [_integer(v, what) for v in _as_list(values, what)]


def _native_columns(df: pd.DataFrame, names: list[str]) -> list:
    # Repeated names are sent once; the kernel sees the list as given and reports the repeat.
    return frame_to_columns(df.loc[:, list(dict.fromkeys(names))])


def _cell_text(column: str, value: Any) -> str:
    """A hierarchy cell as text, numbers written as the kernel writes a numeric value (so a
    whole float 39.0 matches the value 39)."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        raise ValueError(f"the hierarchy of {column!r} has an empty cell; every row needs every level")
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return str(int(f)) if f.is_integer() and abs(f) < 2**53 else repr(f)
    return str(value)


def _hierarchy_source(column: str, h: Any) -> Any:
    if isinstance(h, (str, os.PathLike)):
        return os.fspath(h)
    if isinstance(h, pd.DataFrame):
        rows = h.itertuples(index=False, name=None)
    elif isinstance(h, Sequence):
        rows = h
    else:
        raise TypeError(f"hierarchy of {column!r} must be a file path, a DataFrame or a list of rows, "
                        f"got {type(h).__name__}")
    return [[_cell_text(column, v) for v in row] for row in rows]


def mondrian(
    df: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    k: int,
    *,
    sensitive: str | None = None,
    l: int = 1,
    hierarchies: Mapping[str, HierarchySource] | None = None,
    threads: int = 0,
    frequency: str | None = None,
) -> MondrianResult:
    """Mondrian k-anonymisation: the records are split recursively at medians into partitions
    of at least ``k``, and each partition publishes one summary per quasi-identifier.

    Args:
        df: the records; quasi-identifiers numeric or categorical/text, with no missing value.
            Categorical columns are cut in the order of their categories.
        quasi_identifiers: the columns to generalise.
        k: minimum partition size, 1 <= k <= len(df).
        sensitive, l: with ``l > 1``, every partition holds at least ``l`` distinct values of
            the ``sensitive`` column (distinct l-diversity).
        hierarchies: optional generalisation hierarchy per quasi-identifier: an ARX-format file
            path (``value;level1;...``), a DataFrame whose first column is the value and the
            next the levels, or a list of such rows.
        threads: threads to use at most; 0 = every core. The result does not depend on it.
        frequency: for aggregated input, the column saying how many records each row stands
            for (whole numbers from 1 to 2**32 - 1). k, the medians, ``min_partition_size``,
            ``discernibility`` and ``ncp`` then count records, and every row is published as
            its records would be if the frame were expanded (rows of equal values are never
            separated by a cut). The column is returned unchanged. This is how
            :func:`sdcore.spark.mondrian` decides from merged counts.

    Raises ValueError for a bad argument (k out of range, unknown column, missing value, a
    hierarchy missing a value, a frequency that is not a whole number of records, ...).

    Example:
        >>> import pandas as pd, sdcore
        >>> df = pd.DataFrame({"age": [31, 35, 38, 52, 57, 59], "sex": list("FMFMFM")})
        >>> sdcore.mondrian(df, ["age", "sex"], 3).data["age"].tolist()
        ['31-38', '31-38', '31-38', '52-59', '52-59', '52-59']
    """
    _check_frame(df, "mondrian")
    qis = _column_list(df, quasi_identifiers, "quasi_identifiers")
    k = _integer(k, "k")
    l = _integer(l, "l")
    threads = _integer(threads, "threads")
    sent = list(qis)
    if sensitive is not None:
        check_column(df, sensitive)
        sent.append(sensitive)
    if hierarchies is not None and not isinstance(hierarchies, Mapping):
        raise TypeError("hierarchies must map each column to its hierarchy")
    sources = [(str(c), _hierarchy_source(str(c), h)) for c, h in (hierarchies or {}).items()]
    if frequency is not None:
        check_column(df, frequency)
        if frequency in qis or frequency == sensitive:
            raise ValueError(f"column {frequency!r} cannot be both the frequency and a quasi-identifier "
                             "or the sensitive column")
        counts = _frequency(df, frequency, qis, None)
        if counts is not None and len(counts) and int(counts.max()) > 2**32 - 1:
            i = int(counts.argmax())
            at = df.index[i].item() if isinstance(df.index[i], np.generic) else df.index[i]
            raise ValueError(f"frequency column {frequency!r} at index {at!r} is {int(counts[i])}; "
                             "mondrian takes at most 2**32 - 1 records per row")
        sent.append(frequency)
    out = _core.mondrian(_native_columns(df, sent), qis, k, sensitive or "", l, sources, threads,
                         frequency or "")
    result = df.copy(deep=False)
    for name, _, codes, categories in out["columns"]:
        dtype = pd.CategoricalDtype(pd.Index(categories, dtype=object))
        result[name] = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    return MondrianResult(
        data=result,
        partition=pd.Series(out["partition"], index=df.index, name="partition"),
        num_partitions=int(out["num_partitions"]),
        min_partition_size=int(out["min_partition_size"]),
        discernibility=int(out["discernibility"]),
        ncp=float(out["ncp"]),
    )


def mdav(
    df: pd.DataFrame,
    columns: Sequence[str],
    k: int,
    *,
    standardise: bool = True,
    measure: str = "mean",
    exclude_missing: bool = False,
) -> MicroaggregationResult:
    """MDAV microaggregation: records are grouped, k to 2k-1 at a time, by closeness on the
    numeric ``columns`` together, and each record's values are replaced by its group's mean
    (``measure="median"``: median). Every released combination is then shared by >= k records.

    Args:
        df: the records.
        columns: numeric columns, microaggregated together.
        k: minimum group size, at least 2.
        standardise: measure distances on z-scores (default, as sdcMicro) or in raw units.
        measure: ``"mean"`` or ``"median"``.
        exclude_missing: leave records with a missing value out (unchanged, group -1) instead of
            raising ValueError.

    Example:
        >>> import pandas as pd, sdcore
        >>> df = pd.DataFrame({"income": [10.0, 11, 12, 50, 52, 54]})
        >>> sdcore.mdav(df, ["income"], 3).data["income"].tolist()
        [11.0, 11.0, 11.0, 52.0, 52.0, 52.0]
    """
    _check_frame(df, "mdav")
    names = _column_list(df, columns, "columns")
    k = _integer(k, "k")
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {_MEASURES}, got {measure!r}")
    for name in dict.fromkeys(names):
        s = df[name]
        if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
            raise ValueError(f"column {name!r} is {s.dtype}; MDAV microaggregates numeric columns only")
    out = _core.mdav(_native_columns(df, names), names, k, bool(standardise), measure == "median",
                     bool(exclude_missing))
    result = df.copy(deep=False)
    for name, _, values, _ in out["columns"]:
        result[name] = values
    return MicroaggregationResult(
        data=result,
        group=pd.Series(out["group"], index=df.index, name="group"),
        num_groups=int(out["num_groups"]),
        sse=float(out["sse"]),
        sst=float(out["sst"]),
        information_loss=float(out["information_loss"]),
        excluded_rows=df.index[out["excluded_rows"]],
    )


def _blank(s: pd.Series, mask: np.ndarray) -> pd.Series:
    """The series with the masked cells missing and every other cell as it was."""
    if not mask.any():
        return s
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy(dtype=np.int32, copy=True)
        codes[mask] = -1
        values: Any = pd.Categorical.from_codes(codes, dtype=s.dtype, validate=False)
    elif isinstance(s.dtype, pd.api.extensions.ExtensionDtype):
        values = s.array.copy()
        values[mask] = None
    elif pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.to_numpy(dtype=np.float64, copy=True)
        values[mask] = np.nan
    else:
        values = s.to_numpy(dtype=object, copy=True)
        values[mask] = np.nan
    return pd.Series(values, index=s.index, name=s.name)


def local_suppression(
    df: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    k: int,
    *,
    importance: Sequence[int] | None = None,
    combs: Sequence[int] | None = None,
    combs_k: Sequence[int] | None = None,
) -> LocalSuppressionResult:
    """Local suppression to k-anonymity as sdcMicro's ``localSuppression()``: key cells are set
    to missing until every record matches at least ``k`` records, a missing value matching any
    value (docs/methods/local_suppression.md gives the exact rule).

    Args:
        df: the records; keys of any type (numbers are matched by exact value).
        quasi_identifiers: the key columns.
        k: 1 <= k <= len(df).
        importance: one integer per key in [1, number of keys]; 1 = most important (blanked
            last). Default: the key with the fewest distinct values is 1, and so on.
        combs: subset sizes: every subset of that many keys is made k-anonymous in turn.
        combs_k: k for each entry of ``combs`` (default: ``k`` for all).

    Example:
        >>> import pandas as pd, sdcore
        >>> df = pd.DataFrame({"sex": list("FFFMMF"), "area": list("AAABBB")})
        >>> r = sdcore.local_suppression(df, ["sex", "area"], 2)  # (F, B) is unique
        >>> r.total_suppressed, r.data["area"].isna().tolist()
        (1, [False, False, False, False, False, True])
    """
    _check_frame(df, "local_suppression")
    qis = _column_list(df, quasi_identifiers, "quasi_identifiers")
    k = _integer(k, "k")
    out = _core.local_suppression(_native_columns(df, qis), qis, k, _integers(importance, "importance"),
                                  _integers(combs, "combs"), _integers(combs_k, "combs_k"))
    flags = np.zeros((len(df), len(qis)), dtype=bool)
    flags[out["rows"], out["keys"]] = True
    mask = pd.DataFrame(flags, index=df.index, columns=qis)
    result = df.copy(deep=False)
    for j, name in enumerate(qis):
        result[name] = _blank(df[name], flags[:, j])
    return LocalSuppressionResult(
        data=result,
        suppressed={q: int(n) for q, n in zip(qis, out["suppressed"])},
        total_suppressed=int(out["total_suppressed"]),
        mask=mask,
        importance={q: int(i) for q, i in zip(qis, out["importance"])},
        k_anonymous=bool(out["k_anonymous"]),
    )
