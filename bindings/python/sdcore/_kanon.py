"""Optimal generalisation and suppression of a DataFrame (see docs/methods/kanon.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sdcore import _core
from sdcore._frame import frame_to_columns

_SUPPRESSED = ("star", "nan", "drop")


@dataclass(frozen=True)
class AnonymisationResult:
    """Result of :func:`anonymise`.

    Attributes:
        data: the anonymised DataFrame (same index, columns and row order as the input unless
            ``suppressed="drop"``); quasi-identifiers become categoricals of their generalised
            labels, every other column is the input's, unchanged.
        summary: found, levels {column: level}, suppressed_records, classes, smallest_class
            (the k reached), information_loss (under quality_model), per_attribute,
            lower_bound, average_risk, lattice_size, nodes_evaluated.
        suppressed: boolean array, one per input record: True where the record was suppressed.
    """

    data: pd.DataFrame | None
    summary: dict[str, Any]
    suppressed: np.ndarray

    def to_json(self) -> str:
        return json.dumps(self.summary, indent=2)


def _hierarchy_entry(column: str, h: Any) -> dict[str, Any]:
    if isinstance(h, (str, os.PathLike)):
        return {"hierarchy": os.fspath(h)}
    if isinstance(h, pd.DataFrame):
        return {"rows": [[str(v) for v in row] for row in h.itertuples(index=False)]}
    if isinstance(h, Mapping):
        return dict(h)
    if isinstance(h, Sequence):
        return {"rows": [[str(v) for v in row] for row in h]}
    raise TypeError(f"hierarchy of {column!r} must be a file path, a DataFrame, rows or a builder dict, "
                    f"got {type(h).__name__}")


def _spec_from_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    qis = kwargs.pop("quasi_identifiers")
    if qis is not None:
        if not isinstance(qis, Mapping):
            raise TypeError("quasi_identifiers must map each column to its hierarchy")
        spec["quasi_identifiers"] = {c: _hierarchy_entry(c, h) for c, h in qis.items()}
    models = {key: kwargs.pop(key) for key in ("k", "l_diversity", "t_closeness", "k_map", "max_risk", "average_risk")}
    models = {key: v for key, v in models.items() if v is not None}
    if models:
        spec["models"] = models
    spec.update({key: v for key, v in kwargs.items() if v is not None})
    return spec


def anonymise(
    df: pd.DataFrame,
    spec: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    quasi_identifiers: Mapping[str, Any] | None = None,
    k: int | None = None,
    l_diversity: Sequence[Mapping[str, Any]] | None = None,
    t_closeness: Sequence[Mapping[str, Any]] | None = None,
    k_map: Mapping[str, Any] | None = None,
    max_risk: float | None = None,
    average_risk: float | None = None,
    suppression_limit: float | None = None,
    quality: str | None = None,
    aggregate: str | None = None,
    gs_factor: float | None = None,
    threads: int | None = None,
    frequency: str | None = None,
    suppressed: str = "star",
    suppressed_label: str = "*",
    population: pd.DataFrame | None = None,
) -> AnonymisationResult:
    """Globally optimal full-domain generalisation with record suppression (ARX's search).

    ``spec`` is a YAML spec file (as ``sdcore anonymise --spec`` reads) or a dict with the same
    keys; keyword arguments give or override the same settings. Hierarchies are ARX-format file
    paths, DataFrames or lists of rows (value, level 1, ...), or builder dicts such as
    ``{"builder": "intervals", "widths": [5, 10, 20]}``.

    >>> import sdcore
    >>> df = sdcore.datasets.hospital_episodes(2000, seed=3)
    >>> sexes = [[s, "*"] for s in df["sex"].cat.categories]  # an explicit grouping
    >>> age = {"builder": "intervals", "widths": [5, 10, 20, 40]}
    >>> r = sdcore.anonymise(df, quasi_identifiers={"age": age, "sex": sexes}, k=5)
    >>> r.summary["smallest_class"] >= 5
    True

    ``frequency`` names a column of record counts when each row stands for several records
    (aggregated input, as :mod:`sdcore.spark` collects it): k, the suppression limit and the
    quality figures then count records, and each output row keeps its count.

    Suppressed records show ``suppressed_label`` in every quasi-identifier (``suppressed="star"``),
    NaN (``"nan"``), or are removed (``"drop"``). Raises ValueError for bad input (a hierarchy
    missing a value, k larger than the table, a limit outside [0, 1], contradictory models).
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError("df must be a pandas DataFrame")
    if suppressed not in _SUPPRESSED:
        raise ValueError(f"suppressed must be one of {_SUPPRESSED}, got {suppressed!r}")
    kwargs = dict(quasi_identifiers=quasi_identifiers, k=k, l_diversity=l_diversity, t_closeness=t_closeness,
                  k_map=k_map, max_risk=max_risk, average_risk=average_risk, suppression_limit=suppression_limit,
                  quality=quality, aggregate=aggregate, gs_factor=gs_factor, threads=threads, frequency=frequency)
    overrides = _spec_from_kwargs(kwargs)
    base, name = ".", "<spec>"
    if isinstance(spec, (str, os.PathLike)):
        if overrides:
            raise ValueError("give either a spec file or keyword arguments, not both")
        path = os.fspath(spec)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        base, name = os.path.dirname(path) or ".", path
    else:
        merged = dict(spec or {})
        for key, value in overrides.items():
            if key == "models":
                merged["models"] = {**merged.get("models", {}), **value}
            else:
                merged[key] = value
        text = json.dumps(merged)  # JSON is YAML: one parser for files and dicts
    pop = frame_to_columns(population) if population is not None else None
    out = _core.anonymise(frame_to_columns(df), text, base, name, pop)
    summary = {key: v for key, v in out.items() if key not in ("columns", "suppressed")}
    if not out["found"]:
        return AnonymisationResult(None, summary, np.zeros(len(df), dtype=bool))
    mask = out["suppressed"].astype(bool)
    summary["levels"] = dict(zip(summary["quasi_identifiers"], summary["levels"]))
    result = df.copy(deep=False)
    for column, codes, categories in out["columns"]:
        cats = list(categories)
        if suppressed == "star" and mask.any():
            if suppressed_label not in cats:
                cats.append(suppressed_label)
            codes = codes.copy()
            codes[mask] = cats.index(suppressed_label)
        dtype = pd.CategoricalDtype(pd.Index(cats, dtype=object))
        result[column] = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    if suppressed == "drop":
        result = result[~mask]
    return AnonymisationResult(result, summary, mask)
