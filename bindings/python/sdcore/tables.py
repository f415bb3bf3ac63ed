"""Tables of counts and sums: build them from records or from a published long-format table, and
find the sensitive cells and protect them (docs/methods/tabular.md, primary_suppression.md,
secondary_suppression.md).

    import sdcore.tables as st
    t = st.tabulate(episodes, ["provider", "sex"], hierarchies={"provider": "regions.csv"})
    t.frame                       # one row per cell, margins included
    p = t.primary(frequency=7)    # the NHS 1..7 rule: status, protection and reason per cell
    s = t.suppress(p)             # secondary suppression: status now also "secondary"
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Union

import numpy as np
import pandas as pd

from sdcore import _core
from sdcore._frame import columns_to_frame, frame_to_columns

HierarchySource = Union[str, "os.PathLike[str]", pd.DataFrame, Sequence[Sequence[Any]]]

_STATUS = np.array(["safe", "primary", "secondary", "empty"], dtype=object)


def _names(values: Any, what: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    names = list(values)
    if not names or not all(isinstance(v, str) for v in names):
        raise ValueError(f"{what} must be a column name or a list of column names")
    return names


def _hierarchy(column: str, h: Any) -> Any:
    """A hierarchy as the native layer takes it: a file path, or rows of text."""
    if isinstance(h, (str, os.PathLike)):
        return os.fspath(h)
    if isinstance(h, pd.DataFrame):
        h = h.astype(str).to_numpy().tolist()
    if isinstance(h, Sequence):
        return [[str(v) for v in row] for row in h]
    raise TypeError(f"hierarchy of {column!r} must be a file path, a DataFrame or a list of rows")


class Tabulation:
    """A table with every margin and subtotal (see :func:`tabulate`, :func:`from_long`).

    Attributes:
        frame: one row per cell: a categorical column per dimension (its codes, totals included),
            the value, ``records`` and ``contributors`` (NaN for tables read in long format).
    """

    def __init__(self, native: Any):
        self._native = native
        self.frame: pd.DataFrame = columns_to_frame(native.columns())

    @property
    def dimensions(self) -> list[str]:
        return list(self._native.dimension_names())

    def __len__(self) -> int:
        return int(self._native.num_cells)

    def primary(
        self,
        *,
        frequency: int | None = None,
        zeros_unsafe: bool = False,
        frequency_protection: float = 1.0,
        dominance: Sequence[tuple[int, float]] = (),
        p: float | None = None,
        pq: tuple[float, float] | None = None,
        min_contributors: int = 0,
        zero_rule: bool = False,
        zero_protection: float = 1.0,
        unsafe: Sequence[int] = (),
        safe: Sequence[int] = (),
        manual_protection: float = 1.0,
    ) -> pd.DataFrame:
        """Applies the primary rules; returns ``frame`` with ``status`` (safe, primary, empty),
        ``upper`` and ``lower`` (required protection) and ``reason`` columns.

        Args:
            frequency: cells with 1..frequency contributors are sensitive (the NHS rule is 7).
            zeros_unsafe: with ``frequency``, zero cells are sensitive too.
            dominance: (n, k) pairs: the n largest contributions above k% of the cell.
            p: the p% rule. pq: (p, q) with q > p.
            min_contributors: cells with fewer (but some) contributors are sensitive.
            zero_rule: every zero cell is sensitive (protection upward only).
            unsafe, safe: cell positions (rows of ``frame``) the user marks sensitive or safe.
        """
        rules = {
            "frequency": None if frequency is None else (int(frequency), bool(zeros_unsafe), float(frequency_protection)),
            "dominance": [(int(n), float(k)) for n, k in dominance],
            "p": None if p is None else float(p),
            "pq": None if pq is None else (float(pq[0]), float(pq[1])),
            "min_contributors": int(min_contributors),
            "zeros_unsafe": bool(zero_rule),
            "zero_protection": float(zero_protection),
            "manual_unsafe": [int(i) for i in unsafe],
            "manual_protection": float(manual_protection),
            "manual_safe": [int(i) for i in safe],
        }
        r = _core.primary_suppression(self._native, rules)
        out = self.frame.copy()
        out["status"] = pd.Categorical(_STATUS[r["status"].astype(np.int64)], categories=list(_STATUS))
        out["upper"] = r["upper"]
        out["lower"] = r["lower"]
        out["reason"] = r["reason"]
        return out

    def suppress(
        self,
        protected_or_primary_frame: pd.DataFrame | None = None,
        *,
        method: str = "network",
        cost: str = "value",
        time_limit: float = 60.0,
        relative_gap: float = 0.0,
        use_zero_cells: bool = False,
        never_suppress: Sequence[int | Mapping[str, str]] = (),
        **primary_rules: Any,
    ) -> pd.DataFrame:
        """Secondary suppression (docs/methods/secondary_suppression.md): the primary cells, from
        a frame of :meth:`primary` or from ``primary_rules`` (its keyword arguments), are protected
        by suppressing more cells. Returns the primary frame with ``status`` now safe, primary,
        secondary or empty, and in ``attrs`` num_primary, num_secondary, suppressed_total, cost,
        optimal, lower_bound, gap, seconds and unprotectable (row positions of primary cells that
        no pattern can protect).

        Args:
            method: "optimal" (fewest cost, proven or with its gap), "network", "gauss" or
                "modular" (hierarchical tables: sub-table by sub-table, each optimally, then a
                whole-table pass that protects every primary cell as "network" does) or
                "hypercube" (GHMITER: a hypercube of cells through each suppressed cell; fast on
                very large tables, not optimal).
            cost: "value" (least suppressed total) or "cells" (fewest cells).
            time_limit, relative_gap: stopping rules of "optimal" (for "modular": the time for
                all sub-tables together, the gap per sub-table).
            use_zero_cells: whether zero cells may be suppressed to protect others.
            never_suppress: cells to publish whatever the cost: row positions, or codes
                ``{"org": "All"}`` where a dimension not named is at its total.
        """
        if protected_or_primary_frame is not None and primary_rules:
            raise ValueError("give a primary frame or primary rules, not both")
        if method not in ("optimal", "network", "gauss", "modular", "hypercube"):
            raise ValueError(f"method must be 'optimal', 'network', 'gauss', 'modular' or 'hypercube', got {method!r}")
        if cost not in ("value", "cells"):
            raise ValueError(f"cost must be 'value' or 'cells', got {cost!r}")
        p = self.primary(**primary_rules) if protected_or_primary_frame is None else protected_or_primary_frame
        if len(p) != len(self):
            raise ValueError(f"the primary frame has {len(p)} rows; the table has {len(self)} cells")
        status = pd.Categorical(p["status"], categories=list(_STATUS))
        if (status.codes < 0).any() or (status.codes == 2).any():
            raise ValueError("status must be safe, primary or empty (no secondary cells yet)")
        options = {"method": method, "cost": cost, "time_limit": float(time_limit),
                   "relative_gap": float(relative_gap), "use_zero_cells": bool(use_zero_cells),
                   "never_suppress": [self._cell_position(c) for c in never_suppress]}
        r = _core.secondary_suppression(self._native, status.codes.astype(np.int8).tolist(),
                                        p["upper"].to_numpy(dtype=np.float64).tolist(),
                                        p["lower"].to_numpy(dtype=np.float64).tolist(), options)
        out = p.copy()
        out["status"] = pd.Categorical(_STATUS[r["status"].astype(np.int64)], categories=list(_STATUS))
        for key in ("num_primary", "num_secondary", "suppressed_total", "cost", "optimal", "lower_bound", "gap",
                    "seconds", "time_limit_reached"):
            out.attrs[key] = r[key]
        out.attrs["unprotectable"] = [int(i) for i in r["unprotectable"]]
        return out

    def _cell_position(self, cell: int | Mapping[str, str]) -> int:
        """Row position of a cell given by position or by codes (a dimension not named: its total)."""
        if isinstance(cell, (int, np.integer)) and not isinstance(cell, bool):
            if not 0 <= int(cell) < len(self):
                raise ValueError(f"never_suppress: cell {cell} is out of range (the table has {len(self)} cells)")
            return int(cell)
        if not isinstance(cell, Mapping):
            raise ValueError("never_suppress takes row positions or {dimension: code} mappings")
        unknown = sorted(set(cell) - set(self.dimensions))
        if unknown:
            raise ValueError(f"never_suppress names {unknown}, which are not dimensions")
        mask = np.ones(len(self), dtype=bool)
        for d in self.dimensions:  # categories follow the tree's order, the total last
            code = str(cell[d]) if d in cell else self.frame[d].cat.categories[-1]
            if code not in self.frame[d].cat.categories:
                raise ValueError(f"never_suppress: {code!r} is not a code of {d!r}")
            mask &= (self.frame[d] == code).to_numpy()
        return int(np.flatnonzero(mask)[0])

    def audit(self, protected: pd.DataFrame, *, insiders: bool = False, tolerance: float = 1e-6,
              time_limit: float = 0) -> pd.DataFrame:
        """Audits this table published as ``protected`` says (a frame from :meth:`primary`, or
        any frame with the same rows and ``status`` in safe/primary/secondary/empty, ``upper``
        and ``lower``): for every suppressed cell, the interval an attacker can deduce
        (``attacker_lower``, ``attacker_upper``), the ``verdict`` (protected, exact,
        under-protected) and ``why``: the relations that imply each end of the interval.
        Returns the suppressed cells' rows; ``attrs["all_protected"]`` says whether all pass.
        ``time_limit``: seconds (0: none); when reached, TimeoutError and no result, since an
        audit cut short proves nothing.
        """
        if len(protected) != len(self):
            raise ValueError(f"protected has {len(protected)} rows; the table has {len(self)} cells")
        status = pd.Categorical(protected["status"], categories=list(_STATUS))
        if (status.codes < 0).any():
            raise ValueError("status must be one of safe, primary, secondary, empty")
        r = _core.audit_tabulation(self._native, status.codes.astype(np.int8).tolist(),
                                   protected["upper"].to_numpy(dtype=np.float64).tolist(),
                                   protected["lower"].to_numpy(dtype=np.float64).tolist(),
                                   bool(insiders), float(tolerance), False, float(time_limit))
        out = protected.iloc[r["cell"]].copy()
        out["attacker_lower"] = r["lower"]
        out["attacker_upper"] = r["upper"]
        out["verdict"] = r["verdict"]
        out["why"] = r["why"]
        out.attrs["all_protected"] = bool(r["all_protected"])
        out.attrs["insider_failures"] = int(r["insider_failures"])
        return out


def tabulate(
    df: pd.DataFrame,
    dimensions: str | Sequence[str],
    *,
    value: str | None = None,
    weight: str | None = None,
    holding: str | None = None,
    hierarchies: Mapping[str, HierarchySource] | None = None,
    totals: Mapping[str, str] | None = None,
    top_contributions: int = 2,
    frequency: str | None = None,
) -> Tabulation:
    """Tabulates record-level data by one to four dimension columns, with every margin.

    Args:
        dimensions: the dimension columns; each category is a leaf (unused ones are zero cells).
        value: numeric column to sum (non-negative); None counts records.
        weight: positive sampling weight column. holding: column of holding ids, whose
            contributions to a cell are summed before the rules look at them.
        hierarchies: per dimension, an ARX-style hierarchy (file path, DataFrame or rows
            ``[value, level 1, ..., total]``); other dimensions are flat.
        totals: per flat dimension, the name of its total (default "Total").
        frequency: for aggregated input (counts of a group-by, as :mod:`sdcore.stream` and
            :mod:`sdcore.spark` give), the column saying how many records each row stands for;
            the table is then a count table equal to that of the expanded records.
    """
    names = _names(dimensions, "dimensions")
    hierarchies = dict(hierarchies or {})
    totals = dict(totals or {})
    unknown = sorted(set(hierarchies) - set(names)) + sorted(set(totals) - set(names))
    if unknown:
        raise ValueError(f"hierarchies or totals given for {unknown}, which are not dimensions")
    used = list(dict.fromkeys(names + [c for c in (value, weight, holding, frequency) if c]))
    missing = [c for c in used if c not in df.columns]
    if missing:
        raise ValueError(f"no column(s) {missing} in the DataFrame")
    dims = [(n, _hierarchy(n, hierarchies[n]) if n in hierarchies else None, totals.get(n, "Total")) for n in names]
    native = _core.tabulate(frame_to_columns(df.loc[:, used]), dims, value or "", weight or "", holding or "",
                            int(top_contributions), frequency or "")
    return Tabulation(native)


def from_long(
    df: pd.DataFrame,
    dimensions: str | Sequence[str],
    value: str,
    *,
    hierarchies: Mapping[str, HierarchySource] | None = None,
    parents: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    totals: Mapping[str, str] | None = None,
    margins: str = "add",
    tolerance: float = 1e-9,
    integers: bool = True,
    allow_negative: bool = False,
) -> Tabulation:
    """A published long-format table (one row per cell) as a Tabulation; totals present in the
    input are checked, absent ones added (``margins="add"``) or required (``"check"``).

    Each dimension is flat (its leaves are the column's values other than its total, named by
    ``totals``, default "Total"), or given by a hierarchy, or by (code, parent) pairs with one
    code whose parent is "" (the total). Every problem is reported at once, naming its row.
    """
    return _long_table(df, _names(dimensions, "dimensions"), value, hierarchies, parents, totals, margins,
                       tolerance, integers, allow_negative, None)


def _long_table(df, names, value, hierarchies, parents, totals, margins, tolerance, integers, allow_negative,
                values) -> Tabulation:
    """from_long's work; ``values``, if given, replaces the value column (audit_published passes
    its numbers, NaN where suppressed)."""
    hierarchies, parents, totals = dict(hierarchies or {}), dict(parents or {}), dict(totals or {})
    if value not in df.columns or any(n not in df.columns for n in names):
        raise ValueError(f"the DataFrame needs columns {names + [value]}")
    dims = []
    for n in names:
        total = totals.get(n, "Total")
        if n in hierarchies:
            dims.append((n, "hierarchy", _hierarchy(n, hierarchies[n]), total))
        elif n in parents:
            dims.append((n, "parents", [(str(c), str(p)) for c, p in parents[n]], total))
        else:
            leaves = [str(v) for v in pd.unique(df[n].dropna().astype(str)) if str(v) != total]
            dims.append((n, "flat", leaves, total))
    data = df.loc[:, list(dict.fromkeys(names + [value]))].copy()
    if values is not None:
        data[value] = values
    for n in names:  # codes as text, the same way the leaves above were made
        data[n] = data[n].astype(str).where(df[n].notna(), None)
    cols = frame_to_columns(data)
    native = _core.tabulation_from_long(cols, dims, value, margins, float(tolerance), bool(integers),
                                        bool(allow_negative))
    return Tabulation(native)


def audit_published(
    df: pd.DataFrame,
    dimensions: str | Sequence[str],
    value: str,
    *,
    symbol: str = "*",
    hierarchies: Mapping[str, HierarchySource] | None = None,
    parents: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    totals: Mapping[str, str] | None = None,
    integers: bool = True,
    allow_negative: bool = False,
    tolerance: float = 1e-6,
    time_limit: float = 0,
) -> pd.DataFrame:
    """Audits a table as anyone published it, without its original values: what an outside
    attacker can deduce (docs/methods/audit.md). ``df`` is the published long table, one row per
    cell, every total included; a suppressed value is ``symbol``, blank or missing. Returns the
    suppressed cells' rows (of the table's ``frame``) with ``attacker_lower``, ``attacker_upper``
    (the interval: the same as with the true values), ``verdict`` ("exact" when the interval is
    one value, i.e. the cell is recomputed) and ``why``; ``attrs["all_protected"]`` is False when
    a cell is exact. Protection levels are not judged, as they are relative to the true values
    (:meth:`Tabulation.audit` with the original judges them). ``time_limit`` as for
    :meth:`Tabulation.audit`.
    """
    names = _names(dimensions, "dimensions")
    if value not in df.columns:
        raise ValueError(f"the DataFrame needs columns {names + [value]}")
    text = df[value].astype("string").str.strip()
    hidden = (df[value].isna() | (text == "") | (text == symbol)).to_numpy(dtype=bool)
    numbers = pd.to_numeric(text.where(~hidden), errors="coerce").astype("float64")
    bad = ~hidden & numbers.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"row {row + 1}: the value {df[value].iloc[row]!r} in column {value!r} is neither a number "
                         f"nor the symbol {symbol!r}")
    t = _long_table(df, names, value, hierarchies, parents, totals, "published", 1e-9, integers, allow_negative,
                    numbers.to_numpy())
    unknown = t.frame[value].isna().to_numpy()
    zeros = [0.0] * len(t)
    r = _core.audit_tabulation(t._native, [2 if u else 0 for u in unknown], zeros, zeros, False, float(tolerance),
                               True, float(time_limit))
    out = t.frame.iloc[r["cell"]].copy()
    out["attacker_lower"] = r["lower"]
    out["attacker_upper"] = r["upper"]
    out["verdict"] = r["verdict"]
    out["why"] = r["why"]
    out.attrs["all_protected"] = bool(r["all_protected"])
    return out
