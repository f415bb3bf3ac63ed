"""Re-identification risk of a DataFrame (see docs/methods/risk.md)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sdcore import _core
from sdcore._classes import _frequency, _validate, _weights
from sdcore._frame import check_column, key_codes


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
    report_json: str = field(default="", repr=False)

    def to_json(self) -> str:
        """Every figure as a JSON document (schema ``sdcore.risk/1``, see docs/cli.md)."""
        return self.report_json

    def to_html(self) -> str:
        """A self-contained HTML report with charts (no script, no network needed)."""
        return _core.risk_report_html(self.report_json)


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
    attacker_threshold: float = 0.2,
    population: pd.DataFrame | None = None,
    population_count: str | None = None,
    population_size: float | None = None,
    frequency: str | None = None,
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
        attacker_threshold: a record is "at risk" under the prosecutor and journalist models
            when its re-identification probability exceeds this.
        population: optional population table (the quasi-identifier columns and a count
            column ``population_count``) for the journalist and marketer models; without it
            population class sizes are estimated from the weights, or taken from the sample.
        population_size: N for the population-uniqueness estimators (Zayatz, Pitman, SNB and
            Dankar et al.'s rule); default the sum of the weights, none without weights.
        frequency: for aggregated input, the column saying how many records each row stands
            for (``weight`` is then their summed weight): every summary figure equals that of
            the expanded records, and ``records`` has one row per input row. Not with
            ``household``. See :mod:`sdcore.stream` and :mod:`sdcore.spark`.

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
        check_column(df, household, strings=False)
        if df[household].isna().any():
            first = df.index[df[household].isna().to_numpy()][0]
            raise ValueError(f"household id column {household!r} is missing at index {first!r}")
        hh = key_codes(df[household])
    freq = _frequency(df, frequency, qis, weight)
    if freq is not None and household is not None:
        raise ValueError("household risk needs one row per record; it cannot be used with frequency")
    keys = [key_codes(df[q]) for q in qis]
    info = _core.RiskReportInfo("<DataFrame>", [str(q) for q in qis], weight or "", household or "",
                                missing, method)
    res = _core.measure_risk(keys, len(df), _weights(df, weight), hh, missing == "any",
                             method == "exact", [int(k) for k in ks], float(max_global_risk),
                             float(attacker_threshold),
                             math.nan if population_size is None else float(population_size), info, freq)
    summary = _summary(json.loads(res["report_json"]))
    if population is not None:
        summary["attacker"] = _attacker_with_population(df, qis, res, population, population_count,
                                                        float(attacker_threshold))
    records = pd.DataFrame({"class_id": res["row_class"], "fk": res["fk"], "Fk": res["Fk"],
                            "risk": res["risk"]}, index=df.index)
    if household is not None:
        records["household_risk"] = res["household_risk"]
    report = res["report_json"]
    if population is not None:  # the document must carry the population-based attacker figures
        doc = json.loads(report)
        doc["attacker"] = summary["attacker"]
        report = json.dumps(doc, indent=2) + "\n"
    return RiskResult(summary=summary, records=records, report_json=report)


_SUMMARY_FIELDS = ["records", "classes", "sample_uniques", "records_in_classes_smaller_than",
                   "expected_reidentifications", "global_risk", "max_individual_risk", "high_risk_records",
                   "max_global_risk", "threshold", "household_expected_reidentifications", "household_global_risk",
                   "attacker", "population_uniqueness"]


def _summary(doc):
    """The summary figures of the report document (one source for both)."""
    summary = {k: doc[k] for k in _SUMMARY_FIELDS}
    summary["records_in_classes_smaller_than"] = {int(k): v for k, v in summary["records_in_classes_smaller_than"].items()}
    return summary


def _attacker_with_population(df, qis, res, population, count, threshold):
    if not isinstance(population, pd.DataFrame):
        raise TypeError("population must be a pandas DataFrame")
    if count is None or count not in population.columns:
        raise ValueError("population_count must name the population table's count column")
    missing = [q for q in qis if q not in population.columns]
    if missing:
        raise ValueError(f"the population table lacks quasi-identifier columns {missing}")
    counts = population[count]
    if not pd.api.types.is_numeric_dtype(counts) or (counts < 0).any() or counts.isna().any():
        raise ValueError(f"population counts in {count!r} must be non-negative numbers")
    # Join on the values as text, so that encodings (categorical, int, str) do not matter.
    as_text = lambda frame: frame[qis].astype(object).where(frame[qis].notna(), "\x1f").astype(str)
    pop = as_text(population).assign(_F=counts.to_numpy(dtype=float)).groupby(qis)["_F"].sum()
    keys = as_text(df.iloc[res["first_row"]])
    F = pop.reindex(pd.MultiIndex.from_frame(keys)).to_numpy()
    if pd.isna(F).any():
        row = keys.iloc[int(pd.isna(F).argmax())].to_dict()
        raise ValueError(f"the population table has no class {row}")
    out = _core.attacker_risks(res["class_count"].tolist(), res["class_fk"].tolist(), F.tolist(), threshold)
    out["population_source"] = "population table"
    return out
