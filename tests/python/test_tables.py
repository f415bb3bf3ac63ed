"""sdcore.tables: tabulations checked against pandas groupby sums, long-format input checked by
hand, and the primary rules checked cell by cell against their definitions."""

import numpy as np
import pandas as pd
import pytest

import sdcore.tables as st


def small():
    return pd.DataFrame({
        "org": ["RF4", "RF4", "R1H", "RA2", "RA2", "RF4"],
        "sex": ["F", "M", "F", "F", "F", "F"],
        "cost": [10.0, 20.0, 5.0, 7.0, 1.0, 30.0],
    })


def cell(frame, **codes):
    mask = np.ones(len(frame), dtype=bool)
    for k, v in codes.items():
        mask &= (frame[k].astype(str) == v).to_numpy()
    assert mask.sum() == 1, codes
    return frame[mask].iloc[0]


def test_tabulate_matches_groupby_sums():
    df = small()
    t = st.tabulate(df, ["org", "sex"], value="cost")
    f = t.frame
    assert len(t) == len(f) == 4 * 3  # (3 orgs + Total) x (2 sexes + Total)
    for (o, s), x in df.groupby(["org", "sex"])["cost"].sum().items():
        assert cell(f, org=o, sex=s)["cost"] == x
    for o, x in df.groupby("org")["cost"].sum().items():
        assert cell(f, org=o, sex="Total")["cost"] == x
    assert cell(f, org="Total", sex="Total")["cost"] == df["cost"].sum()
    assert cell(f, org="Total", sex="Total")["records"] == len(df)


def test_hierarchy_rows_make_subtotals():
    rows = [["RF4", "North", "England"], ["R1H", "North", "England"], ["RA2", "South", "England"]]
    t = st.tabulate(small(), "org", value="cost", hierarchies={"org": rows})
    # By hand: North = RF4 (10 + 20 + 30) + R1H (5) = 65; England = 73.
    assert cell(t.frame, org="North")["cost"] == 65
    assert cell(t.frame, org="England")["cost"] == 73


def test_primary_frequency_rule_on_ae_attendances(shared_data):
    ae = pd.read_csv(shared_data / "nhsr" / "ae_attendances.csv", dtype={"type": str})
    month = ae[ae["period"] == "2019-03-01"]
    t = st.from_long(month, ["org_code", "type"], "breaches", totals={"org_code": "All", "type": "All"})
    p = t.primary(frequency=7)
    # Independently: a cell is primary exactly when its count is 1..7 (zeros are safe and empty).
    counts = p["breaches"].to_numpy()
    assert ((p["status"] == "primary").to_numpy() == ((counts >= 1) & (counts <= 7))).all()
    assert ((p["status"] == "empty").to_numpy() == (counts == 0)).all()
    assert (p.loc[p["status"] == "primary", "upper"] == 1).all()
    assert cell(p, org_code="All", type="All")["breaches"] == month["breaches"].sum()


def test_p_percent_rule_by_hand():
    df = pd.DataFrame({"c": ["a", "a", "a", "b", "b", "b"], "x": [60.0, 35, 5, 50, 45, 5]})
    p = st.tabulate(df, "c", value="x").primary(p=10)
    # a: X - x1 - x2 = 5 < 10% of 60 = 6 -> protection 1; b: 5 is not < 5 -> safe.
    assert cell(p, c="a")["status"] == "primary" and cell(p, c="a")["upper"] == pytest.approx(1)
    assert cell(p, c="b")["status"] == "safe"


def test_long_format_problems_are_all_reported():
    df = pd.DataFrame({"type": ["1", "2", "All", "1"], "n": [5, 7, 13, 5]})
    with pytest.raises(ValueError) as e:
        st.from_long(df, "type", "n", totals={"type": "All"})
    assert "row 4: the same cell as row 1" in str(e.value)
    with pytest.raises(ValueError, match="the total type=All is 13 but its parts sum to 12"):
        st.from_long(df.iloc[:3], "type", "n", totals={"type": "All"})


def test_bad_input():
    with pytest.raises(ValueError, match="not dimensions"):
        st.tabulate(small(), "org", hierarchies={"sex": [["F", "*"]]})
    with pytest.raises(ValueError, match="must be non-negative"):
        st.tabulate(small().assign(cost=[-1.0, 1, 1, 1, 1, 1]), "org", value="cost")
    with pytest.raises(ValueError, match="0 < p < 100"):
        st.tabulate(small(), "org", value="cost").primary(p=150)


def test_audit_finds_the_recomputable_cell():
    # Worked by hand: inner cells (a,F)=3, (a,M)=9, (b,F)=10, (b,M)=12; the 1..7 rule suppresses
    # only (a,F), which is the a total 12 minus (a,M) 9.
    df = pd.DataFrame({"org": ["a"] * 12 + ["b"] * 22, "sex": ["F"] * 3 + ["M"] * 9 + ["F"] * 10 + ["M"] * 12})
    t = st.tabulate(df, ["org", "sex"])
    p = t.primary(frequency=7)
    a = t.audit(p)
    assert len(a) == 1 and not a.attrs["all_protected"]
    row = a.iloc[0]
    assert (row["org"], row["sex"], row["verdict"]) == ("a", "F", "exact")
    assert row["attacker_lower"] == pytest.approx(3) and row["attacker_upper"] == pytest.approx(3)
    assert "org=a" in row["why"]
    # Suppressing the whole a/b x F/M block leaves (a,F) in [0, 12] (a row 12, F column 13): safe.
    p2 = p.copy()
    inner = (p2["org"].astype(str) != "Total") & (p2["sex"].astype(str) != "Total")
    p2.loc[inner & (p2["status"] != "primary"), "status"] = "secondary"
    a2 = t.audit(p2)
    assert a2.attrs["all_protected"]
    assert a2.loc[(a2["org"] == "a") & (a2["sex"] == "F"), "attacker_upper"].item() == pytest.approx(12)


def test_example_script_runs():
    """examples/python/tables.py (run by the main job) works end to end on the bundled data."""
    import pathlib
    import subprocess
    import sys

    script = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "tables.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert "with 1-7 breaches" in out and "can be recomputed exactly" in out
    assert "audit: every suppressed cell protected: True" in out


def hand_2x2():
    # Inner cells (a,F)=3, (a,M)=9, (b,F)=10, (b,M)=12, as in test_audit_finds_the_recomputable_cell.
    df = pd.DataFrame({"org": ["a"] * 12 + ["b"] * 22, "sex": ["F"] * 3 + ["M"] * 9 + ["F"] * 10 + ["M"] * 12})
    return st.tabulate(df, ["org", "sex"])


def test_suppress_optimal_by_hand():
    # By hand: protecting (a,F) needs two suppressed cells in every relation touched; the cheapest
    # such pattern is the inner block (9 + 10 + 12 = 31; rows with totals 44, columns 43, margins 59).
    t = hand_2x2()
    s = t.suppress(method="optimal", frequency=7)
    sec = s[s["status"] == "secondary"]
    assert set(zip(sec["org"].astype(str), sec["sex"].astype(str))) == {("a", "M"), ("b", "F"), ("b", "M")}
    assert s.attrs["num_primary"] == 1 and s.attrs["num_secondary"] == 3
    assert s.attrs["suppressed_total"] == 31 and s.attrs["optimal"] and s.attrs["unprotectable"] == []
    assert t.audit(s).attrs["all_protected"]
    # The primary frame is left as it was; passing it gives the same pattern.
    p = t.primary(frequency=7)
    assert (t.suppress(p, method="optimal")["status"] == s["status"]).all()
    assert set(p["status"]) <= {"safe", "primary", "empty"}


def test_suppress_modular_on_a_hierarchy():
    # region -> {North: a, b; South: c, d} x sex, worked by hand as in
    # tests/cpp/test_secondary_modular.cpp: only (a,F) = 3 is in 1..7; the top sub-table holds no
    # suppressed cell and is published whole, so within North (a,F) needs (b,F), then (a,M) and
    # (b,M): secondary total 9 + 10 + 12 = 31 (44 with the row totals instead).
    counts = {("a", "F"): 3, ("a", "M"): 9, ("b", "F"): 10, ("b", "M"): 12,
              ("c", "F"): 8, ("c", "M"): 11, ("d", "F"): 14, ("d", "M"): 9}
    df = pd.DataFrame([k for k, n in counts.items() for _ in range(n)], columns=["org", "sex"])
    rows = [["a", "North", "Total"], ["b", "North", "Total"], ["c", "South", "Total"], ["d", "South", "Total"]]
    t = st.tabulate(df, ["org", "sex"], hierarchies={"org": rows})
    assert len(t) == 7 * 3
    s = t.suppress(method="modular", frequency=7)
    sec = s[s["status"] == "secondary"]
    assert set(zip(sec["org"].astype(str), sec["sex"].astype(str))) == {("a", "M"), ("b", "F"), ("b", "M")}
    assert s.attrs["num_primary"] == 1 and s.attrs["suppressed_total"] == 31 and s.attrs["unprotectable"] == []
    assert not s.attrs["optimal"] and s.attrs["lower_bound"] == 0
    assert t.audit(s).attrs["all_protected"]


def test_suppress_ae_month(shared_data):
    ae = pd.read_csv(shared_data / "nhsr" / "ae_attendances.csv", dtype={"type": str})
    month = ae[ae["period"] == "2019-03-01"]
    t = st.from_long(month, ["org_code", "type"], "breaches", totals={"org_code": "All", "type": "All"})
    net = t.suppress(frequency=7, never_suppress=[{}])
    opt = t.suppress(frequency=7, method="optimal", never_suppress=[{}])
    cube = t.suppress(frequency=7, method="hypercube", never_suppress=[{}])
    for s in (net, opt, cube):
        counts = s["breaches"].to_numpy()
        # Primary cells stay exactly the 1..7 cells; secondary ones are never zeros (use_zero_cells off).
        assert ((s["status"] == "primary").to_numpy() == ((counts >= 1) & (counts <= 7))).all()
        assert (counts[(s["status"] == "secondary").to_numpy()] > 0).all()
        assert cell(s, org_code="All", type="All")["status"] == "safe"
        # By hand, a necessary condition: no row or column has exactly one suppressed cell.
        hidden = s["status"].isin(["primary", "secondary"])
        for d in ("org_code", "type"):
            other = "type" if d == "org_code" else "org_code"
            assert (hidden.groupby(s[other].astype(str)).sum() != 1).all()
        assert t.audit(s).attrs["all_protected"]
    # A proven optimum costs no more than any other pattern that protects every cell.
    assert opt.attrs["optimal"] and opt.attrs["cost"] <= min(net.attrs["cost"], cube.attrs["cost"]) + 1e-9
    assert opt.attrs["suppressed_total"] == pytest.approx(
        opt.loc[opt["status"] == "secondary", "breaches"].sum())


def test_suppress_bad_arguments():
    t = hand_2x2()
    with pytest.raises(ValueError, match="method must be"):
        t.suppress(frequency=7, method="fast")
    with pytest.raises(ValueError, match="cost must be"):
        t.suppress(frequency=7, cost="money")
    with pytest.raises(ValueError, match="not both"):
        t.suppress(t.primary(frequency=7), frequency=7)
    with pytest.raises(ValueError, match="not dimensions"):
        t.suppress(frequency=7, never_suppress=[{"region": "x"}])
    with pytest.raises(ValueError, match="time_limit"):
        t.suppress(frequency=7, method="optimal", time_limit=0)
    with pytest.raises(ValueError, match="primary and in never_suppress"):
        t.suppress(frequency=7, never_suppress=[{"org": "a", "sex": "F"}])


def test_audit_published_without_the_original(shared_data):
    # sdcTable's trap table as published with its 9 "u" cells as "*": by hand (shared/data/sdctable
    # README) only (w,b) = 47 is recomputable, from rows w + x and columns a + c (236 - 189).
    trap = pd.read_csv(shared_data / "sdctable" / "trap_4x4_problemdata.csv", dtype={"freq": str})
    pub = trap.assign(freq=trap["freq"].where(trap["status"] != "u", "*"))
    a = st.audit_published(pub, ["v1", "v2"], "freq", totals={"v1": "tot", "v2": "tot"})
    assert len(a) == 9 and not a.attrs["all_protected"]
    exact = a[a["verdict"] == "exact"]
    assert list(zip(exact["v1"].astype(str), exact["v2"].astype(str))) == [("w", "b")]
    assert exact["attacker_lower"].item() == pytest.approx(47)
    bad = pub.assign(freq=pub["freq"].replace("89", "8g"))  # (w,d), published
    with pytest.raises(ValueError, match="row 4: the value '8g' in column 'freq' is neither a number"):
        st.audit_published(bad, ["v1", "v2"], "freq", totals={"v1": "tot", "v2": "tot"})


def test_audit_published_agrees_with_the_audit_of_the_original(shared_data):
    # The A&E month protected by sdcore, then published (suppressed cells as "*"): the intervals an
    # outsider computes from the published table alone are those of the audit that knows the truth.
    ae = pd.read_csv(shared_data / "nhsr" / "ae_attendances.csv", dtype={"type": str})
    month = ae[ae["period"] == "2019-03-01"]
    t = st.from_long(month, ["org_code", "type"], "breaches", totals={"org_code": "All", "type": "All"})
    s = t.suppress(frequency=7, method="hypercube")
    truth = t.audit(s)
    hidden = s["status"].isin(["primary", "secondary"])
    published = s[["org_code", "type"]].astype(str).assign(
        breaches=s["breaches"].astype("Int64").astype(str).where(~hidden, "*"))
    seen = st.audit_published(published, ["org_code", "type"], "breaches", totals={"org_code": "All", "type": "All"})
    key = ["org_code", "type"]
    both = truth.astype({k: str for k in key}).merge(seen.astype({k: str for k in key}), on=key, suffixes=("", "_seen"))
    assert len(both) == len(truth) == int(hidden.sum())
    assert both["attacker_lower"].to_numpy() == pytest.approx(both["attacker_lower_seen"].to_numpy())
    assert both["attacker_upper"].to_numpy() == pytest.approx(both["attacker_upper_seen"].to_numpy())
    assert seen.attrs["all_protected"] and truth.attrs["all_protected"]
