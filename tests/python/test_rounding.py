"""sdcore.rounding from pandas: hand-worked tables, a statistical test of unbiasedness, and the
NHS 2018 rule on the real A&E month checked with pandas."""

import math

import numpy as np
import pandas as pd
import pytest

import sdcore.rounding as sr
import sdcore.tables as st


def two_by_two():
    # Inner [[3, 4], [6, 8]]; margins rows 7, 14, columns 9, 12, total 21.
    df = pd.DataFrame({"row": ["r1", "r1", "r2", "r2"], "col": ["a", "b", "a", "b"], "n": [3, 4, 6, 8]})
    return st.from_long(df, ["row", "col"], "n")


def at(frame, row, col, column):
    return frame[(frame["row"] == row) & (frame["col"] == col)][column].item()


def test_round_to_base_by_hand():
    t = two_by_two()
    ind = sr.round_to_base(t, 5)
    # Inner 3 4 6 8 -> 5 5 5 10; totals from their own values: 7 -> 5, 14 -> 15, 21 -> 20.
    assert at(ind, "r1", "a", "rounded") == 5 and at(ind, "r2", "b", "rounded") == 10
    assert at(ind, "r1", "Total", "rounded") == 5 and at(ind, "r2", "Total", "rounded") == 15
    assert at(ind, "Total", "Total", "rounded") == 20
    summed = sr.round_to_base(t, 5, totals="sum")
    # Totals as sums of rounded cells: rows 10, 15; total 25.
    assert at(summed, "r1", "Total", "rounded") == 10 and at(summed, "Total", "Total", "rounded") == 25
    assert list(ind.columns[:3]) == ["row", "col", "n"]


def test_random_rounding_is_reproducible_and_unbiased():
    # 20,000 cells of 1..4 (never multiples of 5): the sum S of rounding errors has variance
    # sum r (5 - r); |S| / sd < 4.42 fails with probability 1e-5 (normal approximation).
    n = 20000
    values = 1 + np.arange(n) % 4
    df = pd.DataFrame({"cell": [f"c{i}" for i in range(n)], "n": values})
    t = st.from_long(df, ["cell"], "n")
    a = sr.random_round(t, 5, seed=42, totals="independent")
    b = sr.random_round(t, 5, seed=42, totals="independent")
    assert a["rounded"].equals(b["rounded"])
    inner = a[a["cell"] != "Total"]
    assert ((inner["rounded"] % 5) == 0).all()
    err = (inner["rounded"] - inner["n"]).sum()
    var = (inner["n"] * (5 - inner["n"])).sum()
    assert abs(err) / math.sqrt(var) < 4.42


def test_barnardise_keeps_zeros_and_adds_up():
    df = pd.DataFrame({"cell": [f"c{i}" for i in range(1000)], "n": np.arange(1000) % 6})
    t = st.from_long(df, ["cell"], "n")
    out = sr.barnardise(t, 0.5, seed=1)
    inner = out[out["cell"] != "Total"]
    assert (inner.loc[inner["n"] == 0, "adjusted"] == 0).all()
    assert ((inner["adjusted"] - inner["n"]).abs() <= 1).all()
    assert out.loc[out["cell"] == "Total", "adjusted"].item() == inner["adjusted"].sum()


def test_publish_the_2018_rule_on_the_ae_month(shared_data):
    ae = pd.read_csv(shared_data / "nhsr" / "ae_attendances.csv", dtype={"type": str})
    month = ae[ae["period"] == "2019-03-01"][["org_code", "type", "breaches"]]
    t = st.from_long(month, ["org_code", "type"], "breaches", totals={"org_code": "England", "type": "All"})
    pub = sr.publish(t, national=["org_code"])
    sub = pub[pub["org_code"] != "England"]
    small = sub["breaches"].between(1, 7)
    assert sub.loc[small, "published"].isna().all()
    assert (sub.loc[small, "kind"] == "primary").all()
    rounded = sub[~small]
    assert (rounded["published"] == (rounded["breaches"] + 2) // 5 * 5).all()  # nearest 5, no ties for counts
    nat = pub[pub["org_code"] == "England"]
    assert (nat["published"] == nat["breaches"]).all() and (nat["kind"] == "exact").all()
    hidden = pub[pub["kind"] != "exact"]
    assert (hidden["lower"] <= hidden["breaches"] + 1e-6).all() and (hidden["upper"] >= hidden["breaches"] - 1e-6).all()
    stars = pub[pub["kind"] == "primary"]
    assert pub.attrs["narrowest_suppressed"] == pytest.approx((stars["upper"] - stars["lower"]).min())
    assert pub.attrs["exact_suppressed"] == int(stars["exact"].sum())


def test_bad_arguments_raise_value_error():
    t = two_by_two()
    with pytest.raises(ValueError, match="tie must be"):
        sr.round_to_base(t, 5, tie="sideways")
    with pytest.raises(ValueError, match="base must be finite and > 0"):
        sr.round_to_base(t, 0)
    with pytest.raises(ValueError, match="not dimensions"):
        sr.publish(t, national=["region"])


def test_controlled_rounding_by_hand():
    # Cells 3, 4, 7 (total 14) to base 5: the roundings that add up are 5,5,5|15 (distance
    # 2+1+2+1 = 6), 0,5,10|15 (3+1+3+1 = 8), 5,0,10|15 (8), 5,5,10|20 (2+1+3+6 = 12), ...
    # The least distance is 6 (controlled_rounding.md's example).
    df = pd.DataFrame({"cell": ["a", "b", "c"], "n": [3, 4, 7]})
    t = st.from_long(df, ["cell"], "n")
    out = sr.controlled_round(t, 5)
    assert out["rounded"].tolist() == [5, 5, 5, 15]
    assert out.attrs["status"] == "optimal" and out.attrs["distance"] == 6
    assert out.attrs["method"] == "network flow"


def test_cell_key_same_cell_same_figure(shared_data):
    # The tau-Argus CKM microdata (4,580 rows with record keys): the sex margins of sex x age and
    # of sex alone are the same cells, so they get the same figure.
    md = pd.read_csv(shared_data / "tauargus" / "cellkey" / "Magnitude" / "microdata.csv", sep=";", header=None,
                     names=["sex", "age", "high", "savings", "weight", "key"], dtype={"sex": str, "age": str})
    ptable = str(shared_data / "tauargus" / "cellkey" / "Frequency" / "20160511_szenario_5a.txt")
    two = sr.cell_key(st.tabulate(md, ["sex", "age"]), md, "key", ptable)
    one = sr.cell_key(st.tabulate(md, ["sex"]), md, "key", ptable)
    margins = two[two["age"] == "Total"].set_index("sex")["perturbed"]
    assert margins.sort_index().equals(one.set_index("sex")["perturbed"].sort_index())
    # The cell key of a cell is the fractional part of its records' key sum.
    males = md[md["sex"] == "1"]["key"].sum()
    assert one.set_index("sex").loc["1", "cell_key"] == pytest.approx(males % 1, abs=1e-8)
    assert (two["noise"].abs() <= 5).all()


def test_perturbation_table_rows_sum_to_one_with_the_stated_variance():
    p = sr.perturbation_table((5, 2.0, 2, 0.0))
    for i, row in p.groupby("i"):
        assert row["p"].sum() == pytest.approx(1, abs=1e-12)
        if i >= 1:
            assert (row["p"] * row["v"]).sum() == pytest.approx(0, abs=1e-9)
            assert (row["p"] * row["v"] ** 2).sum() == pytest.approx(2.0, abs=1e-9)
    keys = sr.generate_record_keys(1000, seed=3)
    assert ((keys >= 0) & (keys < 1)).all() and np.array_equal(keys, sr.generate_record_keys(1000, seed=3))
