"""How anonymous a DataFrame is as it stands: k, l-diversity, (alpha, k), t-closeness,
beta-likeness and delta-disclosure (the C++ kernel measure_anonymity)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from sdcore import _core
from sdcore._classes import _validate
from sdcore._frame import check_column, key_codes

_FIGURES = ["l_distinct", "l_entropy", "recursive_c", "alpha", "t", "distance", "beta", "enhanced_beta", "delta"]


@dataclass(frozen=True)
class AnonymityMeasures:
    """Result of :func:`measure_anonymity`.

    Attributes:
        records: rows of the frame.
        classes: equivalence classes under the quasi-identifiers.
        k: the smallest class (the frame is k-anonymous for every k up to this).
        sensitive: one row per sensitive attribute (indexed by column name), each figure the worst
            over the classes: ``l_distinct`` (fewest distinct values in a class), ``l_entropy``
            (exp of the smallest class entropy), ``recursive_c`` (recursive (c, l)-diversity holds
            for l = l_distinct and every c above this), ``alpha`` (largest share of one value in a
            class), ``t`` (largest earth mover's distance to the whole frame's distribution, under
            ``distance``), ``beta`` (basic beta-likeness) and ``enhanced_beta`` (the smallest beta
            of enhanced beta-likeness: ``beta``, or infinity when some (q - p) / p exceeds
            -ln p), ``delta`` (delta-disclosure).
    """

    records: int
    classes: int
    k: int
    sensitive: pd.DataFrame


def measure_anonymity(df: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: Sequence[str] = (), *,
                      distance: str | Mapping[str, str] = "equal", threads: int = 0) -> AnonymityMeasures:
    """k-anonymity and the sensitive-attribute measures of a release, as an auditor checks it.

    Classes are exact key patterns (a missing key matches only another missing key); a missing
    sensitive value is a value of its own. ``distance`` is the t-closeness ground distance, for all
    sensitive columns or per column: ``"equal"`` (any two values at distance 1) or ``"ordered"``
    (numbers in numeric order, a categorical in its categories' order, text sorted).
    Definitions and how they relate to pycanon's: docs/methods/kanon.md.

    Example:
        >>> import pandas as pd, sdcore
        >>> df = pd.DataFrame({"g": list("AAAABB"), "d": list("xxyzyw")})
        >>> m = sdcore.measure_anonymity(df, ["g"], ["d"])
        >>> m.k, int(m.sensitive.loc["d", "l_distinct"]), float(m.sensitive.loc["d", "t"])
        (2, 2, 0.5)
    """
    qis = _validate(df, quasi_identifiers, None, "own")
    if isinstance(sensitive, str):
        raise TypeError("sensitive must be a list of column names, not one string")
    names = list(sensitive)
    for s in names:
        check_column(df, s)
        if s in qis:
            raise ValueError(f"column {s!r} is both a quasi-identifier and sensitive")
    if len(set(names)) != len(names):
        raise ValueError("a sensitive column is listed twice")
    per = {s: distance for s in names} if isinstance(distance, str) else dict(distance)
    unknown = set(per) - set(names)
    if unknown:
        raise ValueError(f"distance given for {sorted(unknown)}, which are not sensitive columns")
    for s, d in per.items():
        if d not in ("equal", "ordered"):
            raise ValueError(f"distance of {s!r} must be 'equal' or 'ordered', got {d!r}")
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise ValueError(f"threads must be a whole number >= 0 (0: all cores), got {threads!r}")
    if len(df) == 0:
        raise ValueError("the DataFrame has no rows")
    res = _core.measure_anonymity([key_codes(df[q]) for q in qis], len(df), [key_codes(df[s]) for s in names],
                                  names, [per.get(s, "equal") == "ordered" for s in names], int(threads))
    table = pd.DataFrame.from_dict(res["sensitive"], orient="index", columns=_FIGURES)
    table.index.name = "column"
    return AnonymityMeasures(records=int(res["records"]), classes=int(res["classes"]), k=int(res["k"]),
                             sensitive=table.reindex(names))
