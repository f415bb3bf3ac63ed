"""sdcore on Spark DataFrames (docs/spark.md): Spark does the group-by over all the records,
sdcore's kernels run on the driver over one row per distinct combination, and the decision is
applied back to every partition with ``mapInPandas`` (Arrow).

    import sdcore.spark as ss
    counts = ss.class_counts(sdf, ["age", "sex", "postcode_district"])   # pandas, one row per class
    ss.risk(sdf, ["age", "sex", "postcode_district"]).summary           # as sdcore.risk on all rows
    released, summary = ss.anonymise(sdf, quasi_identifiers={"age": age_hierarchy}, k=5)

Needs the ``spark`` extra (``pip install "sdcore[spark]"``); ``import sdcore`` never imports
PySpark. Executors run a small pandas function of this module, so sdcore must be installed where
they run too. The input is read twice (once to count, once to apply): cache or checkpoint a
DataFrame whose lineage is not deterministic. Functions are safe to call from several threads
(each call builds its own Spark jobs); results do not depend on the partitioning.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Mapping, Sequence
from typing import Any, Callable

import numpy as np
import pandas as pd

try:
    import pyarrow  # noqa: F401  (mapInPandas and toArrow need it)
    from pyspark.sql import DataFrame, functions as F, types as T
except ImportError as e:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"sdcore.spark needs PySpark and PyArrow ({e}); install them with: pip install 'sdcore[spark]'") from e

import sdcore
from sdcore import tables
from sdcore._risk import RiskResult

_MISSING_TEXT = "\x1f"  # a missing key in a join key; no category of real data holds this control character
_NUMERIC = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType, T.DecimalType)

__all__ = ["AggregatedTabulation", "anonymise", "class_counts", "mondrian", "records_with_risk", "risk", "tabulate"]


# --- helpers -------------------------------------------------------------------------------

def _columns(sdf: Any, names: Any, what: str) -> list[str]:
    if not isinstance(sdf, DataFrame):
        raise TypeError(f"sdcore.spark takes a pyspark.sql.DataFrame, got {type(sdf).__name__}")
    if isinstance(names, str):
        raise TypeError(f"{what} must be a list of column names, not one string")
    cols = list(names)
    if not cols or not all(isinstance(c, str) for c in cols):
        raise ValueError(f"{what} must be a non-empty list of column names")
    if len(set(cols)) != len(cols):
        raise ValueError(f"a column is listed twice in {what}")
    for c in cols:
        if c not in sdf.columns:
            raise ValueError(f"no column named {c!r} (columns: {', '.join(sdf.columns)})")
    return cols


def _numeric(sdf: DataFrame, column: str, role: str) -> None:
    if column not in sdf.columns:
        raise ValueError(f"no column named {column!r} (columns: {', '.join(sdf.columns)})")
    if not isinstance(sdf.schema[column].dataType, _NUMERIC):
        raise ValueError(f"{role} column {column!r} must be numeric, not {sdf.schema[column].dataType.simpleString()}")


def _key(sdf: DataFrame, c: str):
    """The column as a group-by key: NaN becomes null, since both are one missing value in sdcore."""
    if isinstance(sdf.schema[c].dataType, (T.FloatType, T.DoubleType)):
        return F.when(F.isnan(F.col(c)), F.lit(None)).otherwise(F.col(c)).alias(c)
    return F.col(c)


def _bad_number(c: str, positive: bool):
    """1 for a record whose value is missing, infinite or negative (or zero when ``positive``)."""
    x = F.col(c).cast("double")
    bad = x.isNull() | F.isnan(x) | (F.abs(x) == float("inf")) | ((x <= 0) if positive else (x < 0))
    return F.sum(F.when(bad, 1).otherwise(0))


def _collect(sdf: DataFrame, sort_by: list[str]) -> pd.DataFrame:
    """The (small) aggregate on the driver through Arrow, in a fixed row order."""
    pdf = sdf.toArrow().to_pandas()
    return pdf.sort_values(sort_by, na_position="last", kind="mergesort", ignore_index=True)


def _require_frequency(function: Callable[..., Any]) -> None:
    if "frequency" not in inspect.signature(function).parameters:
        raise sdcore.Error(f"this sdcore build's {function.__name__}() has no frequency= parameter, which "
                           "sdcore.spark needs to work from class counts; install a newer sdcore")


def _join_keys(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Key columns in one form on the driver and in the workers: numbers as float64 (NaN missing),
    anything else as text (missing as a control character), so int/float/object/str agree."""
    out = {}
    for i, c in enumerate(columns):
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            out[f"_k{i}"] = s.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            out[f"_k{i}"] = s.astype(object).where(s.notna(), _MISSING_TEXT).map(str).to_numpy(dtype=object)
    return pd.DataFrame(out, index=frame.index)


def _share(sdf: DataFrame, table: pd.DataFrame) -> Any:
    """A broadcast variable holding ``table``; on Spark Connect (no SparkContext) the table
    itself, which then travels with the function."""
    try:
        return sdf.sparkSession.sparkContext.broadcast(table)
    except Exception:  # noqa: BLE001 - Spark Connect raises its own not-supported errors
        return table


def _map_by_key(sdf: DataFrame, keys: list[str], key_values: pd.DataFrame, payload: pd.DataFrame,
                schema: T.StructType, drop: np.ndarray | None = None) -> DataFrame:
    """Sets the ``payload`` columns (one row per distinct key combination in ``key_values``) on
    every record with those keys, partition by partition; records whose row of ``drop`` is True
    are removed. Columns come out in ``schema``'s order."""
    lookup = pd.concat([_join_keys(key_values, keys).reset_index(drop=True), payload.reset_index(drop=True)], axis=1)
    if drop is not None:
        lookup["_drop"] = np.asarray(drop, dtype=bool)
    shared = _share(sdf, lookup)
    on, names, columns = [f"_k{i}" for i in range(len(keys))], schema.fieldNames(), list(payload.columns)

    def apply(batches):
        table = shared if isinstance(shared, pd.DataFrame) else shared.value
        for batch in batches:
            batch = batch.reset_index(drop=True)
            m = _join_keys(batch, keys).merge(table, how="left", on=on, validate="many_to_one", indicator=True)
            if (m["_merge"] != "both").any():
                raise ValueError("a record's key combination was not among the counted ones: the DataFrame "
                                 "changed between the two passes (cache or checkpoint it first)")
            out = batch.assign(**{c: m[c].to_numpy() for c in columns})
            if drop is not None:
                out = out[~m["_drop"].to_numpy(dtype=bool)]
            yield out[names]

    return sdf.mapInPandas(apply, schema)


# --- class counts and risk ---------------------------------------------------------------------

def class_counts(sdf: DataFrame, quasi_identifiers: Sequence[str], weight: str | None = None) -> pd.DataFrame:
    """One row per distinct combination of the quasi-identifiers, counted by Spark.

    Returns a pandas DataFrame: the quasi-identifier columns, ``n`` (records) and, with a weight,
    ``weight_sum`` (their summed sampling weights), sorted by the keys. A missing value (null, or
    NaN in a floating-point column) is a value of its own, as in sdcore. Every weight must be
    present, positive and finite. This is the input ``frequency="n"`` of sdcore's functions
    expects; it is the only thing collected to the driver (one row per class).

    Example:
        >>> counts = class_counts(sdf, ["age", "sex"])                       # doctest: +SKIP
        >>> sdcore.equivalence_classes(counts, ["age", "sex"], frequency="n")  # doctest: +SKIP
    """
    qis = _columns(sdf, quasi_identifiers, "quasi_identifiers")
    for reserved in ("n", "weight_sum"):
        if reserved in qis:
            raise ValueError(f"a quasi-identifier is named {reserved!r}, the name of a count column; rename it")
    aggs = [F.count(F.lit(1)).alias("n")]
    if weight is not None:
        _numeric(sdf, weight, "weight")
        if weight in qis:
            raise ValueError(f"column {weight!r} is both a quasi-identifier and the weight")
        aggs += [F.sum(F.col(weight).cast("double")).alias("weight_sum"), _bad_number(weight, True).alias("_bad")]
    pdf = _collect(sdf.groupBy(*[_key(sdf, q) for q in qis]).agg(*aggs), qis)
    if weight is not None:
        bad = pdf["_bad"].to_numpy() > 0
        if bad.any():
            cls = pdf.loc[bad, qis].iloc[0].to_dict()
            raise ValueError(f"weight column {weight!r} has a missing, infinite, zero or negative value in "
                             f"{int(pdf.loc[bad, '_bad'].sum())} record(s), e.g. in the class {cls}")
        pdf = pdf.drop(columns="_bad")
    pdf["n"] = pdf["n"].astype(np.int64)
    return pdf


def risk(sdf: DataFrame, quasi_identifiers: Sequence[str], weight: str | None = None, **options: Any) -> RiskResult:
    """Re-identification risk of every record of a Spark DataFrame (docs/methods/risk.md).

    Spark counts the classes (:func:`class_counts`); :func:`sdcore.risk` then runs on the counts
    with ``frequency="n"``, so ``summary`` is the one ``sdcore.risk(sdf.toPandas(), ...)`` gives
    (sums of weights may differ in the last bits, being added in another order). ``options`` are
    sdcore.risk's: missing, method, ks, max_global_risk, attacker_threshold, population,
    population_count, population_size. ``household`` is not supported (it needs one row per record).

    ``records`` has one row per class, not per record: the key columns, ``n`` (and
    ``weight_sum``), then ``class_id``, ``fk``, ``Fk``, ``risk``; every record of a class has
    these figures. :func:`records_with_risk` puts them on the records.

    Example:
        >>> r = risk(sdf, ["age", "sex", "postcode_district"], weight="w")   # doctest: +SKIP
        >>> r.summary["expected_reidentifications"]                        # doctest: +SKIP
    """
    if "household" in options or "frequency" in options:
        raise ValueError("sdcore.spark.risk takes neither household (household risk needs one row per record) "
                         "nor frequency (it counts the records itself)")
    _require_frequency(sdcore.risk)
    counts = class_counts(sdf, quasi_identifiers, weight)
    res = sdcore.risk(counts, list(quasi_identifiers), "weight_sum" if weight else None, frequency="n", **options)
    records = pd.concat([counts, res.records], axis=1)
    return RiskResult(summary=res.summary, records=records, report_json=res.report_json)


def records_with_risk(sdf: DataFrame, quasi_identifiers: Sequence[str], weight: str | None = None,
                      **options: Any) -> DataFrame:
    """The records with their class's ``fk``, ``Fk`` and ``risk`` as new last columns (as in
    :func:`risk`'s per-class ``records``), set partition by partition; rows and columns unchanged.

    Example:
        >>> scored = records_with_risk(sdf, ["age", "sex"]).filter("risk > 0.2")   # doctest: +SKIP
    """
    clash = [c for c in ("fk", "Fk", "risk") if c in sdf.columns]
    if clash:
        raise ValueError(f"the DataFrame already has column(s) {clash}; rename them first")
    r = risk(sdf, quasi_identifiers, weight, **options)
    qis = list(quasi_identifiers)
    payload = pd.DataFrame({"fk": r.records["fk"].to_numpy(dtype=np.int64),
                            "Fk": r.records["Fk"].to_numpy(dtype=np.float64),
                            "risk": r.records["risk"].to_numpy(dtype=np.float64)})
    schema = T.StructType(sdf.schema.fields + [T.StructField("fk", T.LongType(), False),
                                               T.StructField("Fk", T.DoubleType(), False),
                                               T.StructField("risk", T.DoubleType(), False)])
    return _map_by_key(sdf, qis, r.records[qis], payload, schema)


# --- anonymisation -------------------------------------------------------------------------

def anonymise(sdf: DataFrame, spec: Mapping[str, Any] | None = None, *, suppressed: str | None = None,
              suppressed_label: str | None = None, **settings: Any) -> tuple[DataFrame | None, dict[str, Any]]:
    """Globally optimal generalisation with suppression (:func:`sdcore.anonymise`) of a Spark
    DataFrame. Returns (the released DataFrame, the summary); (None, summary) when no
    transformation is anonymous (``summary["found"]`` is False).

    ``spec`` (a dict; load a YAML file yourself) and ``settings`` are sdcore.anonymise's:
    quasi_identifiers={column: hierarchy}, k, l_diversity, t_closeness, k_map, max_risk,
    average_risk, suppression_limit, quality, aggregate, gs_factor, threads, population.
    Spark counts the records per combination of quasi-identifiers (and sensitive columns); the
    search runs on the driver over those counts (``frequency="n"``), so levels, suppressed records
    and information loss are those of sdcore.anonymise on all the records. Then every partition
    is recoded: quasi-identifiers become text columns of their generalised labels (null stays
    null); suppressed records show ``suppressed_label`` in every quasi-identifier
    (``suppressed="star"``), null (``"nan"``) or are removed (``"drop"``). Other columns and the
    row order within each partition are unchanged.

    Example:
        >>> age = {"builder": "intervals", "widths": [5, 10, 20, 40]}               # doctest: +SKIP
        >>> out, summary = anonymise(sdf, quasi_identifiers={"age": age, "sex": sexes}, k=5)  # doctest: +SKIP
    """
    if isinstance(spec, (str, os.PathLike)):
        raise TypeError("sdcore.spark.anonymise takes the spec as a dict; read the YAML file into one first")
    spec = dict(spec or {})
    in_spec = spec.pop("suppressed", "star")
    suppressed = suppressed or {"missing": "nan"}.get(in_spec, in_spec)
    label = suppressed_label if suppressed_label is not None else spec.pop("suppressed_label", "*")
    spec.pop("suppressed_label", None)
    if suppressed not in ("star", "nan", "drop"):
        raise ValueError(f"suppressed must be one of ('star', 'nan', 'drop'), got {suppressed!r}")
    # What to count: the quasi-identifiers and the sensitive columns, keywords overriding the spec.
    view = {**spec, **dict(spec.get("models") or {}), **{k: v for k, v in settings.items() if v is not None}}
    qi_map = view.get("quasi_identifiers")
    if not isinstance(qi_map, Mapping) or not qi_map:
        raise ValueError("quasi_identifiers must map each column to its hierarchy")
    qis = _columns(sdf, list(qi_map), "quasi_identifiers")
    sensitive = [m["column"] for key in ("l_diversity", "t_closeness") for m in (view.get(key) or [])]
    keys = qis + [c for c in dict.fromkeys(sensitive) if c not in qis]
    _require_frequency(sdcore.anonymise)
    counts = class_counts(sdf, keys)
    res = sdcore.anonymise(counts, spec, frequency="n", suppressed="nan", **settings)
    if res.data is None:
        return None, res.summary
    labels = {}
    for q in qis:
        g = res.data[q].astype(object).where(res.data[q].notna(), None)
        labels[q] = g.where(~res.suppressed, label if suppressed == "star" else None)
    unique = ~counts.duplicated(subset=qis).to_numpy()  # rows differing only in sensitive values agree
    payload = pd.DataFrame(labels)[unique]
    schema = T.StructType([T.StructField(f.name, T.StringType(), True) if f.name in qis else f
                           for f in sdf.schema.fields])
    drop = res.suppressed[unique] if suppressed == "drop" else None
    return _map_by_key(sdf, qis, counts[qis][unique], payload, schema, drop), res.summary


def mondrian(sdf: DataFrame, quasi_identifiers: Sequence[str], k: int, *, sensitive: str | None = None,
             l: int = 1, hierarchies: Mapping[str, Any] | None = None,
             threads: int = 0) -> tuple[DataFrame, dict[str, Any]]:
    """Mondrian k-anonymisation (:func:`sdcore.mondrian`) of a Spark DataFrame. Returns (the
    released DataFrame, the summary: ``num_partitions``, ``min_partition_size``,
    ``discernibility``, ``ncp``, all in records).

    Spark counts the records per combination of quasi-identifiers (and the sensitive column); the
    cuts are made on the driver from those merged counts (``frequency="n"``). A cut is a threshold
    on one quasi-identifier, so records of one combination are never separated and the partitions
    are those of sdcore.mondrian on all the records. Then every partition of the DataFrame is
    recoded: each quasi-identifier becomes a text column of its partition's summary ("30-39",
    "{F,M}", or a hierarchy label). Other columns and the row order within each Spark partition
    are unchanged.

    Text quasi-identifiers without a hierarchy are cut in sorted order of their values (a Spark
    DataFrame has no row order to take "first appearance" from), i.e. as sdcore.mondrian cuts a
    pandas Categorical with sorted categories; numbers in numeric order; with a hierarchy, in its
    order. A missing quasi-identifier value is refused, as by sdcore.mondrian.

    Example:
        >>> out, summary = mondrian(sdf, ["age", "sex", "postcode_district"], k=10)   # doctest: +SKIP
    """
    qis = _columns(sdf, quasi_identifiers, "quasi_identifiers")
    keys = list(qis)
    if sensitive is not None:
        _columns(sdf, [sensitive], "sensitive")
        if sensitive not in keys:
            keys.append(sensitive)
    _require_frequency(sdcore.mondrian)
    counts = class_counts(sdf, keys)
    for q in qis:
        missing = counts[q].isna().to_numpy()
        if missing.any():
            raise ValueError(f"quasi-identifier {q!r} is missing in {int(counts.loc[missing, 'n'].sum())} "
                             "record(s); Mondrian needs a value in every record")
    frame = counts.copy()
    for q in qis:
        s = frame[q]
        if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
            frame[q] = pd.Categorical(s.astype(object), categories=sorted(set(s.astype(object))))
    res = sdcore.mondrian(frame, qis, k, sensitive=sensitive, l=l, hierarchies=hierarchies, threads=threads,
                          frequency="n")
    unique = ~counts.duplicated(subset=qis).to_numpy()  # rows differing only in the sensitive value agree
    payload = pd.DataFrame({q: res.data[q].astype(object).to_numpy() for q in qis})[unique]
    schema = T.StructType([T.StructField(f.name, T.StringType(), True) if f.name in qis else f
                           for f in sdf.schema.fields])
    summary = {"num_partitions": res.num_partitions, "min_partition_size": res.min_partition_size,
               "discernibility": res.discernibility, "ncp": res.ncp}
    return _map_by_key(sdf, qis, counts[qis][unique], payload, schema), summary


# --- tables --------------------------------------------------------------------------------

class AggregatedTabulation(tables.Tabulation):
    """A :class:`sdcore.tables.Tabulation` built from per-cell aggregates (see :func:`tabulate`):
    the same cells, values, ``records`` and ``contributors``, without each contributor's value.

    So the rules that need the individual contributions (dominance, p%, pq, min_contributors)
    and the insider audit are refused, and so is the frequency rule on a table of sums or
    weighted counts (it counts contributors, which the native table does not hold here); on an
    unweighted count table the frequency rule gives what it gives on the records. Thread-safety:
    as Tabulation (read-only use from several threads is safe).
    """

    def __init__(self, native: Any, records: np.ndarray, plain_counts: bool):
        super().__init__(native)
        self.frame["records"] = records
        self.frame["contributors"] = records
        self._plain_counts = plain_counts

    def primary(self, *, frequency: int | None = None, dominance: Sequence[tuple[int, float]] = (),
                p: float | None = None, pq: tuple[float, float] | None = None, min_contributors: int = 0,
                **rules: Any) -> pd.DataFrame:
        if list(dominance) or p is not None or pq is not None or min_contributors:
            raise ValueError("dominance, p%, pq and min_contributors need each contributor's value, which a table "
                             "aggregated by Spark does not keep; use sdcore.tables.tabulate on the records")
        if frequency is not None and not self._plain_counts:
            raise ValueError("the frequency rule counts contributors; on a Spark-built table of sums or weighted "
                             "counts, build the unweighted count table (tabulate without value/weight) for it")
        return super().primary(frequency=frequency, **rules)

    def audit(self, protected: pd.DataFrame, *, insiders: bool = False, tolerance: float = 1e-6) -> pd.DataFrame:
        if insiders:
            raise ValueError("the insider audit needs each contributor's cells, which an aggregated table lacks")
        return super().audit(protected, tolerance=tolerance)


def tabulate(sdf: DataFrame, dimensions: str | Sequence[str], value: str | None = None, *, weight: str | None = None,
             hierarchies: Mapping[str, tables.HierarchySource] | None = None,
             totals: Mapping[str, str] | None = None) -> AggregatedTabulation:
    """A table with every margin (as :func:`sdcore.tables.tabulate`) of a Spark DataFrame.

    Spark groups the records by the dimension columns (records, and the sum of ``value`` times
    ``weight``); :func:`sdcore.tables.from_long` then adds every margin on the driver. The cells
    are those ``sdcore.tables.tabulate(sdf.toPandas(), ...)`` gives when each dimension is a
    categorical of its sorted values: leaves are sorted (numbers by value, text by code point),
    not in order of appearance. Sums of non-whole values may differ in the last bits (another
    order of addition). ``holding`` and per-contributor rules are not available: see
    :class:`AggregatedTabulation`.

    Example:
        >>> t = tabulate(sdf, ["provider", "sex"])                             # doctest: +SKIP
        >>> t.suppress(frequency=7, method="optimal")                         # doctest: +SKIP
    """
    names = _columns(sdf, [dimensions] if isinstance(dimensions, str) else dimensions, "dimensions")
    hierarchies, totals = dict(hierarchies or {}), dict(totals or {})
    unknown = sorted(set(hierarchies) - set(names)) + sorted(set(totals) - set(names))
    if unknown:
        raise ValueError(f"hierarchies or totals given for {unknown}, which are not dimensions")
    for role, c in (("value", value), ("weight", weight)):
        if c is not None:
            _numeric(sdf, c, role)
            if c in names:
                raise ValueError(f"column {c!r} is both a dimension and the {role}")
    label = value or "count"
    if label in names or label == "records":
        raise ValueError(f"a dimension is named {label!r}, the name of the value column; rename it")
    x = (F.col(value).cast("double") if value else F.lit(1.0)) * (F.col(weight).cast("double") if weight else F.lit(1.0))
    aggs = [F.count(F.lit(1)).alias("records"), F.sum(x).alias(label)]
    aggs += [_bad_number(c, c == weight).alias(f"_bad_{c}") for c in (value, weight) if c]
    cells = _collect(sdf.groupBy(*[_key(sdf, d) for d in names]).agg(*aggs), names)
    _check_cells(cells, names, value, weight)
    rows, leaves = {}, []
    for d in names:
        cells[d], order = _dimension_codes(cells[d])
        leaves.append(order)
        if d in hierarchies:
            rows[d] = _present_rows(d, hierarchies[d], order)
        elif totals.get(d, "Total") in order:
            raise ValueError(f"dimension {d!r} has a value equal to its total's name {totals.get(d, 'Total')!r}")
    # Every inner cell, in sorted order: from_long takes a flat dimension's leaves in order of
    # appearance, and the table holds all these cells anyway.
    full = pd.MultiIndex.from_product(leaves, names=names)
    cells = cells[names + ["records", label]].set_index(names).reindex(full, fill_value=0).reset_index()
    t = tables.from_long(cells, names, label, hierarchies=rows, totals=totals, margins="add",
                         integers=value is None and weight is None)
    counted = tables.from_long(cells.rename(columns={"records": "_records"}), names, "_records", hierarchies=rows,
                               totals=totals, margins="add").frame["_records"]
    return AggregatedTabulation(t._native, counted.to_numpy(dtype=np.float64), value is None and weight is None)


def _check_cells(cells: pd.DataFrame, names: list[str], value: str | None, weight: str | None) -> None:
    missing = cells[names].isna().any(axis=1).to_numpy()
    if missing.any():
        raise ValueError(f"a dimension is missing in {int(cells.loc[missing, 'records'].sum())} record(s), e.g. "
                         f"{cells.loc[missing, names].iloc[0].to_dict()}; recode missing values to a category first")
    for c, what in ((value, "non-negative"), (weight, "positive")):
        if c is not None and (cells[f"_bad_{c}"] > 0).any():
            raise ValueError(f"column {c!r} has {int(cells[f'_bad_{c}'].sum())} record(s) with a missing, infinite "
                             f"or out-of-range value; it must be {what} and finite")


def _dimension_codes(s: pd.Series) -> tuple[pd.Series, list[str]]:
    """Codes as sdcore writes them, and the distinct ones sorted: numbers in sdcore's own shortest
    form and by value (from a tabulation of the distinct values), anything else as text."""
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        codes = s.astype(object).map(str)
        return codes, sorted(set(codes))
    values = np.unique(s.to_numpy(dtype=np.float64))
    leaves = list(tables.tabulate(pd.DataFrame({"v": values}), "v").frame["v"].cat.categories[:-1])  # total last
    return s.map(dict(zip(values.tolist(), leaves))).astype(object), leaves


def _present_rows(column: str, source: Any, present: list[str]) -> list[list[str]]:
    """The hierarchy's rows for the values present, in their (sorted) order: the tree tabulate
    builds from records whose column is a categorical of those values."""
    if isinstance(source, (str, os.PathLike)):
        source = pd.read_csv(source, sep=";", header=None, dtype=str, keep_default_na=False)
    rows = source.astype(str).to_numpy().tolist() if isinstance(source, pd.DataFrame) else source
    by_value = {str(r[0]): [str(v) for v in r] for r in rows}
    uncovered = [v for v in present if v not in by_value]
    if uncovered:
        raise ValueError(f"the hierarchy of {column!r} does not cover the value(s) {uncovered[:5]}")
    return [by_value[v] for v in present]
