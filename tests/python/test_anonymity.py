"""sdcore.measure_anonymity against a naive pandas implementation written from the definitions
(Machanavajjhala et al. 2007 for l-diversity, Li et al. 2007 for t-closeness, Wong et al. 2006 for
(alpha, k), Cao & Karras 2012 for beta-likeness, Brickell & Shmatikov 2008 for delta-disclosure),
and a table worked by hand."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from longrun import long_run

import sdcore


def naive(df, qis, s, distance):
    """Every figure from groupby and value_counts; missing sensitive values as a value '<NA>'."""
    values = df[s].astype(object).where(df[s].notna(), "<NA>")
    p = values.value_counts(normalize=True)
    if distance == "ordered":  # the kernel's order: sorted present values, missing last
        present = [v for v in p.index if v != "<NA>"]
        order = sorted(present) + (["<NA>"] if "<NA>" in p.index else [])
    else:
        order = list(p.index)
    p = p.reindex(order)
    out = dict(l_distinct=10**9, l_entropy=math.inf, alpha=0.0, t=0.0, beta=0.0, enhanced_beta=0.0, delta=0.0)
    counts_of = []
    beyond_cap = False  # some (q - p) / p above -ln p: no beta gives enhanced beta-likeness
    for _, group in values.groupby([df[q].astype(object).where(df[q].notna(), "<NA>") for q in qis], sort=False):
        counts = group.value_counts()
        counts_of.append(counts)
        q = (counts / len(group)).reindex(order, fill_value=0.0)
        out["l_distinct"] = min(out["l_distinct"], len(counts))
        nz = q[q > 0]
        out["l_entropy"] = min(out["l_entropy"], math.exp(-(nz * np.log(nz)).sum()))
        out["alpha"] = max(out["alpha"], nz.max())
        if distance == "equal":
            t = 0.5 * (q - p).abs().sum()
        else:
            t = (q - p).cumsum().abs().sum() / (len(p) - 1) if len(p) > 1 else 0.0
        out["t"] = max(out["t"], t)
        up = nz[nz > p[nz.index]]
        if len(up):
            b = (up - p[up.index]) / p[up.index]
            out["beta"] = max(out["beta"], b.max())
            beyond_cap = beyond_cap or bool((b > -np.log(p[up.index])).any())
        out["delta"] = max(out["delta"], np.abs(np.log(nz / p[nz.index])).max())
    out["enhanced_beta"] = math.inf if beyond_cap else out["beta"]
    l = out["l_distinct"]
    out["recursive_c"] = max(c.sort_values(ascending=False).iloc[0] / c.sort_values(ascending=False).iloc[l - 1:].sum()
                             for c in counts_of)
    return out


def test_hand_worked_table():
    # Class A: x, x, y, z; class B: y, w. By hand (tests/cpp/test_anonymity.cpp works each figure):
    df = pd.DataFrame({"g": list("AAAABB"), "d": list("xxyzyw")})
    m = sdcore.measure_anonymity(df, ["g"], ["d"])
    assert (m.records, m.classes, m.k) == (6, 2, 2)
    row = m.sensitive.loc["d"]
    assert row["l_distinct"] == 2 and row["l_entropy"] == pytest.approx(2.0)
    assert row["alpha"] == 0.5 and row["recursive_c"] == 1.0 and row["t"] == pytest.approx(0.5)
    assert row["beta"] == pytest.approx(2.0) and row["enhanced_beta"] == math.inf  # 2 > -ln(1/6)
    assert row["delta"] == pytest.approx(math.log(3)) and row["distance"] == "equal"
    # Ordered, text sorted (w, x, y, z): A: q-p = (-1/6, 1/6, -1/12, 1/12) -> running -1/6, 0, -1/12, 0
    # -> (1/6 + 1/12) / 3 = 1/12; B: (1/3, -1/3, 1/6, -1/6) -> 1/3, 0, 1/6, 0 -> 1/6. t = 1/6.
    assert sdcore.measure_anonymity(df, ["g"], ["d"], distance="ordered").sensitive.loc["d", "t"] == pytest.approx(1 / 6)


@settings(max_examples=long_run(60), deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300), distance=st.sampled_from(["equal", "ordered"]),
       kind=st.sampled_from(["object", "category", "int", "float"]))
def test_same_as_the_definitions(seed, n, distance, kind):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.choice(["u", "v", None], n), "b": rng.integers(0, 3, n)})
    raw = rng.integers(0, rng.integers(1, 8), n)
    missing = rng.random(n) < 0.1
    if kind == "object":
        df["s"] = pd.Series([None if m else f"s{r}" for r, m in zip(raw, missing)], dtype=object)
    elif kind == "category":
        df["s"] = pd.Series([None if m else f"s{r}" for r, m in zip(raw, missing)], dtype="category")
    elif kind == "int":
        df["s"] = raw * 10  # numbers: numeric order for the ordered distance (10 < 20 < ... as numbers)
    else:
        df["s"] = np.where(missing, np.nan, raw * 1.5)
    got = sdcore.measure_anonymity(df, ["a", "b"], ["s"], distance=distance).sensitive.loc["s"]
    want = naive(df, ["a", "b"], "s", distance)
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_k_is_the_smallest_class_and_refusals():
    df = sdcore.datasets.hospital_episodes(2000, seed=3)
    qis = ["sex", "admission_method", "provider"]
    m = sdcore.measure_anonymity(df, qis)
    sizes = df.groupby(qis, dropna=False, observed=True).size()
    assert (m.k, m.classes, m.records) == (sizes.min(), len(sizes), 2000)
    assert m.sensitive.empty
    with pytest.raises(ValueError, match="both a quasi-identifier and sensitive"):
        sdcore.measure_anonymity(df, qis, ["sex"])
    with pytest.raises(ValueError, match="no column named"):
        sdcore.measure_anonymity(df, qis, ["nope"])
    with pytest.raises(ValueError, match="'equal' or 'ordered'"):
        sdcore.measure_anonymity(df, qis, ["diagnosis_chapter"], distance="hierarchical")
    with pytest.raises(ValueError, match="not sensitive columns"):
        sdcore.measure_anonymity(df, qis, ["diagnosis_chapter"], distance={"age": "ordered"})
    with pytest.raises(TypeError, match="not one string"):
        sdcore.measure_anonymity(df, qis, "diagnosis_chapter")
    with pytest.raises(ValueError, match="no rows"):
        sdcore.measure_anonymity(df.iloc[:0], qis)


def test_docstring_example():
    # The example is the hand-worked table above.
    import doctest

    import sdcore._anonymity

    result = doctest.testmod(sdcore._anonymity)
    assert result.attempted == 4 and result.failed == 0
