"""Risk scoring and count tables of a CSV file larger than memory, chunk by chunk.

The file is read in blocks of about ``chunk_bytes`` bytes, cut only at line ends outside quotes,
and each block is parsed by sdcore's own CSV reader. Each block is reduced to its equivalence
classes (one row per distinct key, with its record count and summed weight); the partial counts
are merged by the same kernel on aggregated rows (``frequency``), and the final figures come
from those counts. Memory is bounded by one block plus the distinct keys, not by the file.

The answer is the in-memory one: ``risk_csv(path, qis)`` gives the same summary as
``sdcore.risk(sdcore.read_csv(path, dtype={q: "categorical" for q in qis}), qis)``. Keys are
grouped by their text, as that call groups them.

>>> import sdcore.stream                                                   # doctest: +SKIP
>>> r = sdcore.stream.risk_csv("episodes.csv", ["age", "sex", "postcode_district"])  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sdcore import _core
from sdcore._classes import _weights
from sdcore._frame import key_codes
from sdcore._errors import ParseError
from sdcore._io import read_csv_text
from sdcore._risk import RiskResult, risk
from sdcore.tables import HierarchySource, Tabulation, tabulate

_COUNT = "n"
_WEIGHT = "weight_sum"
_DEFAULT_CHUNK = 64 << 20

Progress = Callable[[int, int], None]


def _last_record_end(block: bytes) -> int:
    """Index just past the last newline of ``block`` that ends a record (an even number of
    quotes before it; ``block`` starts at a record), or -1."""
    end = len(block)
    quotes_in = block.count(b'"')
    while True:
        nl = block.rfind(b"\n", 0, end)
        if nl < 0:
            return -1
        quotes_in -= block.count(b'"', nl, end)
        if quotes_in % 2 == 0:
            return nl + 1
        end = nl


def _first_record_end(block: bytes) -> int:
    """Index just past the first newline of ``block`` that ends a record, or -1."""
    start, quotes = 0, 0
    while True:
        nl = block.find(b"\n", start)
        if nl < 0:
            return -1
        quotes += block.count(b'"', start, nl)
        if quotes % 2 == 0:
            return nl + 1
        start = nl + 1


def csv_chunks(path: str | os.PathLike, *, chunk_bytes: int = _DEFAULT_CHUNK,
               progress: Progress | None = None, **read_options: Any) -> Iterator[pd.DataFrame]:
    """The file's records as DataFrames of about ``chunk_bytes`` of text each, in file order.

    ``read_options`` are those of :func:`sdcore.read_csv` (``sep``, ``na_values``, ``dtype``,
    ...); pin every column you group by with ``dtype``, since each chunk otherwise infers its
    own types. A malformed line raises :class:`sdcore.ParseError` with the file's name and the
    line's number in the file. ``progress(bytes_read, file_size)`` is called after each chunk.
    """
    if chunk_bytes < 1:
        raise ValueError("chunk_bytes must be positive")
    if not read_options.get("header", True):
        raise ValueError("csv_chunks needs a header line (header=True)")
    name = os.fspath(path)
    size = os.path.getsize(name)
    with open(name, "rb") as f:
        header, pending = b"", b""
        while True:  # the header is the first record (it may hold quoted newlines)
            more = f.read(1 << 16)
            pending += more
            cut = _first_record_end(pending)
            if cut > 0 or not more:
                cut = cut if cut > 0 else len(pending)
                header, pending = pending[:cut], pending[cut:]
                break
        if not header.strip():
            raise ParseError(f"{name}:1:0: the file is empty", name, 1, 0, "")
        _check_columns(header, name, read_options)
        read = len(header) + len(pending)
        line = header.count(b"\n") + 1  # file line of the next record
        eof = False
        while not eof or pending:
            if not eof and len(pending) < chunk_bytes:
                more = f.read(max(chunk_bytes - len(pending), 1 << 16))
                eof = not more
                read += len(more)
                pending += more
                continue
            cut = len(pending) if eof else _last_record_end(pending)
            if cut < 0:  # one record longer than a chunk: read on
                more = f.read(chunk_bytes)
                eof = not more
                read += len(more)
                pending += more
                continue
            body, pending = pending[:cut], pending[cut:]
            if body.strip(b"\r\n"):
                yield _parse(header, body, name, line, read_options)
            line += body.count(b"\n")
            if progress is not None:
                progress(min(read - len(pending), size), size)


def _check_columns(header: bytes, name: str, read_options: Mapping[str, Any]) -> None:
    """Every column named in ``dtype`` must be in the header (checked before any record is read)."""
    options = {k: v for k, v in read_options.items() if k != "dtype"}
    columns = set(_parse(header, b"", name, 2, options).columns)
    missing = [c for c in (read_options.get("dtype") or {}) if c not in columns]
    if missing:
        raise ValueError(f"no column(s) {missing} in {name} (columns: {', '.join(map(str, sorted(columns)))})")


def _parse(header: bytes, body: bytes, name: str, line: int, read_options: Mapping[str, Any]) -> pd.DataFrame:
    header_lines = header.count(b"\n")
    try:
        text = (header + body).decode("utf-8")
    except UnicodeDecodeError as e:
        at = header + body
        bad_line = line + at[len(header): e.start].count(b"\n")
        raise ParseError(f"{name}:{bad_line}:0: invalid UTF-8", name, bad_line, 0, "") from None
    try:
        return read_csv_text(text, **read_options)
    except ParseError as e:
        file_line = e.line - header_lines - 1 + line if e.line > header_lines else e.line
        message = str(e).split(": ", 1)[-1]
        raise ParseError(f"{name}:{file_line}:{e.column}: {message}", name, file_line, e.column, e.text) from None


def _key_dtypes(columns: Sequence[str], numeric: Sequence[str], read_options: dict[str, Any]) -> dict[str, Any]:
    dtype = dict(read_options.pop("dtype", None) or {})
    for c in columns:
        dtype.setdefault(c, "categorical")
    for c in numeric:
        dtype.setdefault(c, "numeric")
    read_options["dtype"] = dtype
    return read_options


class _Dictionary:
    """One key column's values across chunks: each gets a global code, in order of first
    appearance, so partial counts hold 4-byte codes instead of a string per class."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[str] = []

    def codes(self, s: pd.Series) -> np.ndarray:
        cats = s.cat.categories
        lookup = np.empty(len(cats) + 1, dtype=np.int32)
        for i, c in enumerate(cats):
            code = self.index.get(c)
            if code is None:
                code = self.index[c] = len(self.values)
                self.values.append(c)
            lookup[i] = code
        lookup[-1] = -1  # missing: pandas' code -1 picks the last entry
        return lookup[s.cat.codes.to_numpy()]

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=pd.Index(self.values, dtype=object), validate=False)


def _counts_frame(keys: list[str], codes: dict[str, np.ndarray], count: np.ndarray, weight_sum: np.ndarray | None,
                  dictionaries: dict[str, _Dictionary]) -> pd.DataFrame:
    frame = pd.DataFrame({k: dictionaries[k].categorical(codes[k]) for k in keys})
    frame[_COUNT] = count
    if weight_sum is not None:
        frame[_WEIGHT] = weight_sum
    return frame


_Part = tuple[dict[str, np.ndarray], np.ndarray, "np.ndarray | None"]


def _classes(keys: list[tuple[np.ndarray, int]], rows: int, weights: np.ndarray | None,
             frequency: np.ndarray | None) -> dict[str, np.ndarray]:
    """The class kernel without the GIL: counts, weighted counts and first rows."""
    return _core.equivalence_classes(keys, rows, weights, False, frequency)


def _merge(parts: list[_Part], keys: list[str], dictionaries: dict[str, _Dictionary]) -> _Part:
    """Partial counts merged: one entry per distinct key, in order of first appearance, with
    summed counts (and weights), by the class kernel on aggregated rows."""
    if len(parts) == 1:
        return parts[0]
    weighted = parts[0][2] is not None
    codes = {k: np.concatenate([p[0][k] for p in parts]) for k in keys}
    count = np.ascontiguousarray(np.concatenate([p[1] for p in parts]), dtype=np.int64)
    weight_sum = np.ascontiguousarray(np.concatenate([p[2] for p in parts])) if weighted else None
    res = _classes([(codes[k], len(dictionaries[k].values)) for k in keys], len(count), weight_sum, count)
    first = res["first_row"]
    return ({k: codes[k][first] for k in keys}, res["count"],
            res["weighted_frequency"] if weighted else None)


def _chunk_counts(chunk: pd.DataFrame, keys: list[str], weight: str | None,
                  dictionaries: dict[str, _Dictionary], rows_before: int, name: str) -> _Part:
    try:
        res = _classes([key_codes(chunk[k]) for k in keys], len(chunk), _weights(chunk, weight), None)
    except ValueError as e:  # the kernel numbers rows within the chunk: renumber them in the file
        bad = re.match(r"weight of row (\d+) \(1-based\)(.*)", str(e), re.S)
        if bad is None:
            raise
        raise ValueError(f"{name}: column {weight!r}: weight of row {int(bad[1]) + rows_before} "
                         f"(1-based){bad[2]}") from None
    first = res["first_row"]
    codes = {k: dictionaries[k].codes(chunk[k])[first] for k in keys}
    return codes, res["count"], res["weighted_frequency"] if weight is not None else None


def class_counts_csv(path: str | os.PathLike, keys: Sequence[str], weight: str | None = None, *,
                     chunk_bytes: int = _DEFAULT_CHUNK, max_pending_rows: int = 2_000_000,
                     progress: Progress | None = None, **read_options: Any) -> pd.DataFrame:
    """The distinct combinations of ``keys`` in a CSV file with their record counts (column
    ``n``) and, with a weight, summed weights (``weight_sum``), read chunk by chunk.

    Rows are in order of first appearance in the file; key columns are categoricals whose
    categories are in order of first appearance; missing values stay missing. Partial counts are
    merged whenever ``max_pending_rows`` of them are held.
    """
    keys = list(keys)
    if not keys:
        raise ValueError("no key columns given")
    opts = _key_dtypes(keys, [weight] if weight else [], dict(read_options))
    dictionaries = {k: _Dictionary() for k in keys}
    parts: list[_Part] = []
    pending = 0
    rows = 0
    for chunk in csv_chunks(path, chunk_bytes=chunk_bytes, progress=progress, **opts):
        part = _chunk_counts(chunk, keys, weight, dictionaries, rows, os.fspath(path))
        rows += len(chunk)
        parts.append(part)
        pending += len(part[1])
        if pending > max_pending_rows and len(parts) > 1:
            parts = [_merge(parts, keys, dictionaries)]
            pending = len(parts[0][1])
    if not parts:
        raise ValueError(f"{os.fspath(path)} has no records")
    codes, count, weight_sum = _merge(parts, keys, dictionaries)
    return _counts_frame(keys, codes, count, weight_sum, dictionaries)


def risk_csv(path: str | os.PathLike, quasi_identifiers: Sequence[str], weight: str | None = None, *,
             chunk_bytes: int = _DEFAULT_CHUNK, progress: Progress | None = None,
             read_options: Mapping[str, Any] | None = None, **risk_options: Any) -> RiskResult:
    """:func:`sdcore.risk` of a CSV file read chunk by chunk.

    The summary equals that of the whole file read into memory; ``records`` holds one row per
    class (its ``fk``, ``Fk`` and risk), not one per record, since the records are never held.
    ``risk_options`` are those of :func:`sdcore.risk` (``missing``, ``method``, ``ks``, ...);
    a household id needs the records and is not available here.
    """
    if "household" in risk_options or "frequency" in risk_options:
        raise ValueError("risk_csv takes neither household (it needs the records) nor frequency")
    counts = class_counts_csv(path, quasi_identifiers, weight, chunk_bytes=chunk_bytes, progress=progress,
                              **dict(read_options or {}))
    return risk(counts, list(quasi_identifiers), _WEIGHT if weight else None, frequency=_COUNT, **risk_options)


def tabulate_csv(path: str | os.PathLike, dimensions: str | Sequence[str], *,
                 hierarchies: Mapping[str, HierarchySource] | None = None,
                 totals: Mapping[str, str] | None = None, chunk_bytes: int = _DEFAULT_CHUNK,
                 progress: Progress | None = None, read_options: Mapping[str, Any] | None = None) -> Tabulation:
    """The count table of a CSV file read chunk by chunk, equal cell by cell to
    :func:`sdcore.tables.tabulate` of the whole file (dimensions read as text). Magnitude
    tables need each record's contribution for their rules and are not built this way.
    """
    dims = [dimensions] if isinstance(dimensions, str) else list(dimensions)
    counts = class_counts_csv(path, dims, chunk_bytes=chunk_bytes, progress=progress, **dict(read_options or {}))
    return tabulate(counts, dims, hierarchies=hierarchies, totals=totals, frequency=_COUNT)
