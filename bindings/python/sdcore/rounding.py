"""Rounding of tables and publication rules (docs/methods/rounding.md, publication.md).

    import sdcore.tables as st, sdcore.rounding as sr
    t = st.from_long(ae, ["org_code", "type"], "breaches", totals={"org_code": "England"})
    sr.round_to_base(t, 5)                     # the frame with a "rounded" column
    pub = sr.publish(t, suppress=(1, 7), rounding="nearest", base=5, national=["org_code"])
    pub[["org_code", "type", "published", "kind", "lower", "upper"]]   # NHS HES/ECDS 2018 rule

Every function takes a :class:`sdcore.tables.Tabulation` and returns a copy of its ``frame`` (one
row per cell, margins included) with the result added. Random methods take a ``seed``: the same
seed gives the same result on every platform.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

import numpy as np
import pandas as pd

from sdcore import _core
from sdcore.tables import Tabulation

_KINDS = ["exact", "rounded", "primary", "secondary"]


def _with(table: Tabulation, **columns: np.ndarray) -> pd.DataFrame:
    out = table.frame.copy()
    for name, values in columns.items():
        out[name] = values
    return out


def round_to_base(table: Tabulation, base: float = 5, *, tie: str = "up", totals: str = "independent") -> pd.DataFrame:
    """Every cell rounded to the nearest multiple of ``base``; ``tie`` ("up", "down", "even") for
    values half-way; ``totals``: "independent" (each total from its unrounded value, the NHS
    rule) or "sum" (totals are sums of the rounded inner cells). Adds column ``rounded``."""
    return _with(table, rounded=_core.round_to_base(table._native, float(base), tie, totals))


def random_round(table: Tabulation, base: float = 5, *, seed: int, totals: str = "sum") -> pd.DataFrame:
    """Unbiased random rounding: up with probability remainder / base. Adds column ``rounded``."""
    return _with(table, rounded=_core.random_round(table._native, float(base), int(seed), totals))


def small_cell_adjustment(table: Tabulation, base: int = 3, *, seed: int, totals: str = "sum") -> pd.DataFrame:
    """Inner counts strictly between 0 and ``base`` become 0 or ``base`` (unbiased). Adds
    column ``adjusted``."""
    return _with(table, adjusted=_core.small_cell_adjustment(table._native, float(base), int(seed), totals))


def barnardise(table: Tabulation, probability: float = 0.1, *, seed: int) -> pd.DataFrame:
    """Each non-zero inner count changed by +1 or -1 with ``probability``; totals re-added.
    Adds column ``adjusted``."""
    return _with(table, adjusted=_core.barnardise(table._native, float(probability), int(seed)))


def publish(
    table: Tabulation,
    *,
    suppress: Optional[tuple[float, float]] = (1, 7),
    secondary: Optional[str] = None,
    rounding: str = "nearest",
    base: float = 5,
    tie: str = "up",
    totals: str = "independent",
    seed: int = 0,
    national: Sequence[str] = (),
    time_limit: float = 60.0,
    name: str = "custom",
    audit: bool = True,
) -> pd.DataFrame:
    """A count table under a publication rule, audited (docs/methods/publication.md). The
    defaults are the NHS HES/ECDS rule of September 2018: counts 1..7 suppressed, the rest
    rounded to the nearest 5, totals from unrounded values; cells at the total of every dimension
    in ``national`` are published unaltered.

    Args:
        suppress: (min, max) small counts to suppress, or None.
        secondary: None, or "optimal", "network", "modular", "hypercube" (secondary suppression).
        rounding: "nearest", "random" or "none".

    Returns the frame with ``published`` (NaN where suppressed), ``kind`` (exact, rounded,
    primary, secondary) and, with ``audit``, per hidden cell the rule's interval
    (``rule_lower``, ``rule_upper``), the attacker's from the whole published table (``lower``,
    ``upper``) and ``exact`` (recomputable). ``attrs``: exact_suppressed, exact_rounded,
    narrowest_suppressed, changed.
    """
    lo, hi = (1.0, 0.0) if suppress is None else (float(suppress[0]), float(suppress[1]))
    rule = {"name": name, "symbol": "*", "suppress_min": lo, "suppress_max": hi, "rounding": rounding,
            "base": float(base), "tie": tie, "totals": totals, "seed": int(seed), "secondary": secondary,
            "time_limit": float(time_limit)}
    frame = table.frame
    unknown = [d for d in national if d not in table.dimensions]
    if unknown:
        raise ValueError(f"national names {unknown}, which are not dimensions of the table {table.dimensions}")
    exact = np.ones(len(frame), dtype=bool) if national else np.zeros(len(frame), dtype=bool)
    for d in national:
        total = frame[d].iloc[-1]  # the last cell is the grand total: every dimension at its total
        exact &= (frame[d] == total).to_numpy()
    r = _core.publish(table._native, rule, np.flatnonzero(exact).tolist(), bool(audit))
    out = _with(table, published=r["value"],
                kind=pd.Categorical(np.array(_KINDS, dtype=object)[r["kind"].astype(np.int64)], categories=_KINDS))
    if audit:
        for key in ("rule_lower", "rule_upper", "lower", "upper"):
            out[key] = r[key]
        out["exact"] = r["exact"].astype(bool)
    for key in ("exact_suppressed", "exact_rounded", "narrowest_suppressed", "changed"):
        out.attrs[key] = r[key]
    return out
