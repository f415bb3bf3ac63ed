"""Re-identification risk of a DataFrame (see docs/methods/risk.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sdcore import _core
from sdcore._classes import _validate, _weights
from sdcore._frame import key_codes


@dataclass(frozen=True)
class RiskResult:
    """Result of :func:`risk`.

    Attributes:
        summary: global figures — records, classes, sample_uniques,
            records_in_classes_smaller_than {k: n}, expected_reidentifications, global_risk,
            max_individual_risk, high_risk_records, threshold (mu-Argus, None when not needed),
            max_global_risk and, with a household id, household_expected_reidentifications and
            household_global_risk. Numbers agree with sdcMicro's measure_risk.
        records: one row per input record, same index: ``class_id``, ``fk``, ``Fk``, ``risk``
            and (with a household id) ``household_risk``.
    """

    summary: dict[str, Any]
    records: pd.DataFrame


def risk(
    df: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    weight: str | None = None,
    household: str | None = None,
    *,
    missing: str = "own",
    method: str = "approx",
    ks: Sequence[int] = (2, 3, 5),
    max_global_risk: float = 0.01,
) -> RiskResult:
    """Individual, household and global re-identification risk.

    Args:
        df: the records.
        quasi_identifiers: key columns.
        weight: sampling-weight column; without it the risk of a record is 1/fk.
        household: household (cluster) id column; adds the household risk 1 - prod(1 - r).
        missing: ``"own"`` or ``"any"`` (sdcMicro's rule: a missing key matches any value).
        method: ``"approx"`` (sdcMicro's default) or ``"exact"`` (E(1/F | f) for every fk).
        ks: report records in classes smaller than each k.
        max_global_risk: global risk for the mu-Argus risk threshold, in (0, 1).

    Example:
        >>> import sdcore
        >>> df = sdcore.datasets.hospital_episodes(2000, seed=1)
        >>> r = sdcore.risk(df, ["age", "sex", "postcode_district"])
        >>> r.summary["sample_uniques"] == int((r.records["fk"] == 1).sum())
        True
    """
    qis = _validate(df, quasi_identifiers, weight, missing)
    if method not in ("approx", "exact"):
        raise ValueError("method must be 'approx' or 'exact'")
    hh = None
    if household is not None:
        if household not in df.columns:
            raise ValueError(f"no column named {household!r}")
        if df[household].isna().any():
            first = df.index[df[household].isna().to_numpy()][0]
            raise ValueError(f"household id column {household!r} is missing at index {first!r}")
        hh = key_codes(df[household])
    keys = [key_codes(df[q]) for q in qis]
    res = _core.measure_risk(keys, len(df), _weights(df, weight), hh, missing == "any",
                             method == "exact", [int(k) for k in ks], float(max_global_risk))
    records = pd.DataFrame({"class_id": res["row_class"], "fk": res["fk"], "Fk": res["Fk"],
                            "risk": res["risk"]}, index=df.index)
    if household is not None:
        records["household_risk"] = res["household_risk"]
    return RiskResult(summary=dict(res["summary"]), records=records)
