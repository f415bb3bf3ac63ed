"""Skinner & Shlomo's log-linear model risk of a DataFrame (see include/sdcore/loglinear.hpp)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sdcore import _core
from sdcore._classes import _validate, _weights
from sdcore._frame import key_codes


@dataclass(frozen=True)
class LogLinearResult:
    """Result of :func:`loglinear_risk`.

    Attributes:
        summary: ``tau1`` (expected sample uniques that are population unique), ``tau2``
            (expected correct matches of sample uniques), ``sampling_fraction``, ``cells``,
            ``parameters``, ``iterations``, ``converged``, ``deviance``.
        records: per record (same index): ``prob_population_unique`` = P(F=1 | f=1) and
            ``expected_inverse_frequency`` = E(1/F | f=1) for sample uniques (NaN otherwise),
            and ``fitted``, the model's expected sample count of the record's cell.
    """

    summary: dict[str, Any]
    records: pd.DataFrame


def loglinear_risk(
    df: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    weight: str | None = None,
    *,
    interactions: Sequence[Sequence[str]] = (),
    sampling_fraction: float | None = None,
    max_iterations: int = 100,
    tolerance: float = 1e-10,
    max_cells: int = 20_000_000,
) -> LogLinearResult:
    """Per-record and global risk from a Poisson log-linear model of the key table.

    Args:
        df: the records.
        quasi_identifiers: key columns (a missing value is a category of its own).
        weight: sampling weights, used to estimate the sampling fraction as n / sum(weights).
        interactions: interaction terms, each a list of two or more key names.
        sampling_fraction: pi in (0, 1]; overrides the estimate from the weights.

    Example:
        >>> import sdcore
        >>> df = sdcore.datasets.hospital_episodes(3000, seed=1)
        >>> r = sdcore.loglinear_risk(df, ["sex", "admission_method"], sampling_fraction=0.1)
        >>> r.summary["converged"]
        True
    """
    qis = _validate(df, quasi_identifiers, weight, "own")
    index = {q: j for j, q in enumerate(qis)}
    terms = []
    for term in interactions:
        if isinstance(term, str) or len(term) < 2:
            raise ValueError("each interaction is a list of two or more quasi-identifier names")
        unknown = [t for t in term if t not in index]
        if unknown:
            raise ValueError(f"interaction names {unknown}, which are not quasi-identifiers")
        terms.append([index[t] for t in term])
    pi = math.nan if sampling_fraction is None else float(sampling_fraction)
    res = _core.loglinear_risk([key_codes(df[q]) for q in qis], len(df), _weights(df, weight), terms, pi,
                               int(max_iterations), float(tolerance), int(max_cells))
    records = pd.DataFrame({k: res[k] for k in ["prob_population_unique", "expected_inverse_frequency", "fitted"]},
                           index=df.index)
    summary = {k: res[k] for k in ["tau1", "tau2", "sampling_fraction", "cells", "parameters", "iterations",
                                   "converged", "deviance"]}
    return LogLinearResult(summary=summary, records=records)
