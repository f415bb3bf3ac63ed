"""SUDA2 of a DataFrame (see docs/methods/suda.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sdcore import _core
from sdcore._classes import _validate
from sdcore._frame import key_codes


@dataclass(frozen=True)
class SudaResult:
    """Result of :func:`suda2`.

    Attributes:
        records: per record (same index): ``suda_score``, ``dis_suda_score``, ``msu_count``,
            ``min_msu_size`` (0: no MSU) and ``contribution_<key>`` (share of the record's score
            due to MSUs containing that key).
        summary: ``attribute_contribution`` {key: percent}, ``msus_by_size`` {size: count},
            ``sample_uniques``, ``max_msu_size``.
    """

    records: pd.DataFrame
    summary: dict[str, Any]


def suda2(
    df: pd.DataFrame,
    keys: Sequence[str],
    *,
    max_msu_size: int | None = None,
    dis_fraction: float = 0.01,
    scoring: str = "original",
    dis_arithmetic: str = "sdcmicro",
) -> SudaResult:
    """SUDA2: minimal sample uniques per record and their SUDA / DIS-SUDA scores.

    Args:
        df: the records.
        keys: key variables (categorical, text or integer columns; missing values never form
            part of an MSU).
        max_msu_size: largest MSU searched (default: number of keys).
        dis_fraction: sampling fraction for DIS-SUDA, in (0, 1].
        scoring: ``"original"`` (SUDA2) or ``"ihsn"`` (sdcMicro's ``original_scores=FALSE``).
        dis_arithmetic: ``"sdcmicro"`` (reproduces sdcMicro's numbers) or ``"exact"``.

    Example:
        >>> import pandas as pd, sdcore
        >>> df = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "y", "x"]})
        >>> r = sdcore.suda2(df, ["a", "b"])  # row 0 is unique only on (a, b); rows 1, 2 on b, a
        >>> r.records["min_msu_size"].tolist()
        [2, 1, 1]
    """
    qis = _validate(df, keys, None, "own")
    if scoring not in ("original", "ihsn"):
        raise ValueError("scoring must be 'original' or 'ihsn'")
    if dis_arithmetic not in ("sdcmicro", "exact"):
        raise ValueError("dis_arithmetic must be 'sdcmicro' or 'exact'")
    if max_msu_size is not None and max_msu_size < 1:
        raise ValueError("max_msu_size must be at least 1")
    res = _core.suda2([key_codes(df[q]) for q in qis], len(df), int(max_msu_size or 0), float(dis_fraction),
                      scoring == "ihsn", dis_arithmetic == "exact")
    data = {"suda_score": res["score"], "dis_suda_score": res["dis_score"], "msu_count": res["msu_count"],
            "min_msu_size": res["min_msu_size"]}
    for q, c in zip(qis, res["contribution"]):
        data[f"contribution_{q}"] = c
    summary = {"attribute_contribution": dict(zip(qis, res["attribute_contribution"])),
               "msus_by_size": {k + 1: n for k, n in enumerate(res["msus_by_size"])}, "sample_uniques": res["sample_uniques"],
               "max_msu_size": res["max_msu_size"]}
    return SudaResult(records=pd.DataFrame(data, index=df.index), summary=summary)
