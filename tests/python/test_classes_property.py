"""Property test: on random DataFrames of mixed dtypes with missing values, fk equals pandas'
groupby(dropna=False) group size and Fk the group's weight sum (an independent implementation)."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from longrun import long_run

import sdcore

_kinds = st.sampled_from(["categorical", "object", "int", "float", "bool", "string"])


@st.composite
def frames(draw):
    n = draw(st.integers(1, 60))
    ncol = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    data = {}
    for j in range(ncol):
        kind = draw(_kinds)
        card = draw(st.integers(1, 5))
        raw = rng.integers(0, card, n)
        missing = rng.random(n) < draw(st.sampled_from([0.0, 0.2]))
        if kind == "int":
            col = pd.Series(raw, dtype="int64")  # integers cannot be missing without a mask dtype
        elif kind == "float":
            col = pd.Series(np.where(missing, np.nan, raw / 2))
        elif kind == "bool":
            col = pd.Series(raw % 2 == 0)
        else:
            values = [None if m else f"v{r}" for r, m in zip(raw, missing)]
            col = pd.Series(values, dtype={"categorical": "category", "object": object, "string": "string"}[kind])
        data[f"c{j}"] = col
    data["w"] = rng.uniform(0.5, 10.0, n)
    return pd.DataFrame(data)


@settings(max_examples=long_run(200), deadline=None)
@given(frames())
def test_fk_and_Fk_match_pandas(df):
    keys = [c for c in df.columns if c != "w"]
    ec = sdcore.equivalence_classes(df, keys, "w")
    grouped = df[keys].astype(object).assign(_w=df["w"]).groupby(keys, dropna=False)["_w"]
    np.testing.assert_array_equal(ec.rows["fk"].to_numpy(), grouped.transform("size").to_numpy())
    np.testing.assert_allclose(ec.rows["Fk"].to_numpy(), grouped.transform("sum").to_numpy(), rtol=1e-12)
    assert ec.num_classes == grouped.ngroups
