"""Input data, hierarchies, memory probes and the independent checker shared by run.py and worker.py.

Imports neither sdcore nor the peers: it runs in the main interpreter (sdcore) and in the peers'
virtual environment alike, so every tool reads exactly the same frame.
"""

from __future__ import annotations

import os
import pathlib
import resource

import pandas as pd

# arx-deidentifier/anonbench's adult configuration (shared/data/README.md): eight quasi-identifiers,
# occupation the sensitive attribute. Every column has an ARX hierarchy in shared/data/adult.
QIS = ["age", "education", "marital-status", "native-country", "race", "salary-class", "sex", "workclass"]
SENSITIVE = "occupation"


def shared_data() -> pathlib.Path:
    default = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data"  # as tests/python/conftest.py
    return pathlib.Path(os.environ.get("SDCORE_SHARED_DATA", default))


def adult_dir() -> pathlib.Path:
    path = shared_data() / "adult"
    if not (path / "adult.csv").is_file():
        raise SystemExit(f"adult.csv not found in {path} (set SDCORE_SHARED_DATA)")
    return path


def load_adult(scale: int = 1, sample: int | None = None, seed: int = 7) -> pd.DataFrame:
    """ARX's adult as text columns (the files are ';'-separated, no quoting), optionally a seeded
    sample of rows, then replicated `scale` times. The index is a RangeIndex: pycanon treats
    group labels as positions (data.iloc[labels]), so any other index would mislead it."""
    # dtype=object: pandas 3 (sdcore's interpreter) would otherwise make Arrow-backed strings, whose
    # concat shares buffers, while pandas 2.3 (the peers') makes object columns: the same values
    # would then sit in memory differently on each side.
    df = pd.read_csv(adult_dir() / "adult.csv", sep=";", dtype=object, keep_default_na=False)
    if sample is not None:
        df = df.sample(n=sample, random_state=seed)
    df = df.reset_index(drop=True)
    if scale > 1:
        df = pd.concat([df] * scale, ignore_index=True)
    return df


def hierarchy_path(column: str) -> pathlib.Path:
    return adult_dir() / f"adult_hierarchy_{column}.csv"


def read_hierarchy(column: str) -> pd.DataFrame:
    """An ARX hierarchy file: no header, column 0 the value, column i its level-i label."""
    return pd.read_csv(hierarchy_path(column), sep=";", header=None, dtype=str, keep_default_na=False)


def anjana_hierarchies(qis: list[str]) -> dict:
    """The same ARX files in anjana's form: {column: {level: values of that level}}, row-aligned."""
    return {q: {int(level): values for level, values in read_hierarchy(q).items()} for q in qis}


def class_sizes(df: pd.DataFrame, qis: list[str]) -> pd.Series:
    """Records per combination of quasi-identifier values: a plain pandas groupby that shares no
    code with sdcore or the peers. Missing values form their own group (dropna=False)."""
    if df.empty:
        return pd.Series(dtype="int64")
    return df.groupby(list(qis), dropna=False, observed=True, sort=False).size()


def k_of(df: pd.DataFrame, qis: list[str]) -> int:
    """The k the frame reaches: its smallest class size (0 for an empty frame)."""
    sizes = class_sizes(df, qis)
    return int(sizes.min()) if len(sizes) else 0


def is_k_anonymous(df: pd.DataFrame, qis: list[str], k: int) -> bool:
    return k_of(df, qis) >= k


def infer_levels(original: pd.DataFrame, released: pd.DataFrame, qis: list[str]) -> dict[str, int | None]:
    """The hierarchy level of each column of `released`, found by recoding the original records it
    keeps at every level and comparing. `released` must carry the original row of each record in
    its index or in an "index" column (anjana's reset_index after suppression). None if no level
    reproduces the column."""
    rows = released["index"].to_numpy() if "index" in released.columns else released.index.to_numpy()
    kept = original.iloc[rows]
    levels: dict[str, int | None] = {}
    for q in qis:
        h = read_hierarchy(q)
        levels[q] = None
        for level in h.columns:
            mapping = dict(zip(h[0], h[level]))
            if (kept[q].map(mapping).to_numpy() == released[q].astype(str).to_numpy()).all():
                levels[q] = int(level)
                break
    return levels


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM, which ru_maxrss reports) so that the peak measured
    after the work is the work's, not a transient of loading. Linux >= 4.0; False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
