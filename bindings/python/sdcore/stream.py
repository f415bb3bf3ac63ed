"""Risk scoring and count tables of a CSV file larger than memory, read once in blocks.

The counting is the C++ library's ``count_combinations_csv`` (as ``sdcore risk --stream`` uses
it): the file is read once, front to back, keeping only the key (and weight) columns; each block
of records is reduced to its equivalence classes (one row per distinct key, with its record count
and summed weight); the partial counts are merged by the same kernel on aggregated rows
(``frequency``), and the final figures come from those counts. Memory is bounded by one block plus
the distinct keys, not by the file.

The answer is the in-memory one: ``risk_csv(path, qis)`` gives the same summary as
``sdcore.risk(sdcore.read_csv(path, dtype={q: "categorical" for q in qis}), qis)``. Keys are
grouped by their text, as that call groups them.

:func:`csv_chunks` hands out the file's records as DataFrames, for work of your own on a file
that does not fit.

>>> import sdcore.stream                                                   # doctest: +SKIP
>>> r = sdcore.stream.risk_csv("episodes.csv", ["age", "sex", "postcode_district"])  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sdcore import _core
from sdcore._errors import ParseError
from sdcore._frame import columns_to_frame
from sdcore._io import _options_of, read_csv_text
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


def _result_names(keys: Sequence[str]) -> tuple[str, str]:
    """The count and weight-sum columns of class_counts_csv: "n" and "weight_sum", with
    underscores in front while a key has the name."""
    count, weight = _COUNT, _WEIGHT
    while count in keys:
        count = "_" + count
    while weight in keys:
        weight = "_" + weight
    return count, weight


def _block_rows(path: str, chunk_bytes: int) -> int:
    """Records per block for about ``chunk_bytes`` of text: from the average record length of the
    file's first 64 kB."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    lines = max(head.count(b"\n"), 1)
    return max(1, chunk_bytes * lines // max(len(head), 1))


def class_counts_csv(path: str | os.PathLike, keys: Sequence[str], weight: str | None = None, *,
                     chunk_bytes: int = _DEFAULT_CHUNK, max_pending_rows: int = 2_000_000,
                     progress: Progress | None = None, threads: int = 0, **read_options: Any) -> pd.DataFrame:
    """The distinct combinations of ``keys`` in a CSV file with their record counts (column
    ``n``) and, with a weight, summed weights (``weight_sum``), the file read once in blocks of
    about ``chunk_bytes`` of text (the C++ ``count_combinations_csv``: the key and weight columns
    only, each block reduced to its classes, partial counts merged by the class kernel whenever
    more than ``max_pending_rows`` are held). A key named ``n`` or ``weight_sum`` moves those
    columns to ``_n``, ``_weight_sum``.

    Rows are in order of first appearance in the file; key columns are categoricals whose
    categories are in order of first appearance; missing values stay missing. Keys are read as
    text; ``read_options`` are :func:`sdcore.read_csv`'s (``sep``, ``na_values``, ``decimal``,
    ``header``, ``dtype``, ``skip_blank_lines``). A malformed line or a bad weight raises
    :class:`sdcore.ParseError` with the file, line and field. ``progress(bytes_read, file_size)``
    is called after each block.
    """
    keys = list(keys)
    if not keys:
        raise ValueError("no key columns given")
    if chunk_bytes < 1:
        raise ValueError("chunk_bytes must be positive")
    if max_pending_rows < 1:
        raise ValueError("max_pending_rows must be positive")
    opts = _options_of(read_options)
    del opts["infer_types"]  # keys are text and the weight a number, whatever inference would say
    name = os.fspath(path)
    count, weight_sum = _result_names(keys)
    columns = _core.count_combinations_csv(name, keys, weight or "", **opts, block_rows=_block_rows(name, chunk_bytes),
                                           max_pending=int(max_pending_rows), threads=int(threads), count_column=count,
                                           weight_column=weight_sum, progress=progress)
    frame = columns_to_frame(columns)
    frame[count] = frame[count].astype(np.int64)
    return frame


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
    count, weight_sum = _result_names(list(quasi_identifiers))
    return risk(counts, list(quasi_identifiers), weight_sum if weight else None, frequency=count, **risk_options)


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
    return tabulate(counts, dims, hierarchies=hierarchies, totals=totals, frequency=_result_names(dims)[0])
