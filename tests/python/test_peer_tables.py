"""Peers' own test tables, protected by every sdcore method and proven by the audit.

1. tau-Argus's own table-input example, shared/data/tauargus/tableinput/pp.tab (sdcTools/tauargus,
data/, EUPL-1.2; see that folder's README): Size x Region of Var2 with every margin, Region
hierarchical (region2.hrc: provinces 1..12 in four groups Nr, Os, Ws, Zd), and the status
(S safe, U unsafe, E empty) and protection levels tau-Argus computed for each cell. Two things are
checked: the file's given totals, which do not all add up (found here by pandas, independently of
sdcore), are each named by sdcore.tables.from_long; and the table, built from its inner cells with
tau-Argus's unsafe cells and protection levels, is protected by every method so that the
independent LP audit passes (kGauss: no cell exact), with the optimum the cheapest.

2. sdcTable's vignette problem (shared/data/sdctable, GPL-2+ package, synthetic data): V1 x V2 x
V3 with V1 hierarchical, frequencies with every (sub)total, primary cells 1..10 as its vignette's
primarySuppression(type = "freq", maxN = 10), protection 1 (sdcTable's default).

bench/secondary_tables.py reads both tables with the functions below.
"""

import re

import pandas as pd
import pytest

import sdcore.tables as st

NAMES = ["Size", "Region", "Var2", "FreqVar", "Var2_Shadow", "Var2_Cost", "Top1", "Top2", "StatusVar",
         "LowerProtLevel", "UpperProtLevel"]
ROBUST = ("network", "hypercube", "modular")  # the methods that meet protection levels


def read_pp(folder):
    """pp.tab as a frame (codes stripped) and Region's (code, parent) pairs from region2.hrc."""
    df = pd.read_csv(folder / "pp.tab", sep=";", header=None, names=NAMES, decimal=",",
                     dtype={"Size": str, "Region": str})
    df["Size"] = df["Size"].str.strip()
    df["Region"] = df["Region"].str.strip()
    # region2.hrc: a line without "@" is a group under the total, "@ code" a province in it.
    parents, group = [], None
    for line in (folder / "region2.hrc").read_text().splitlines():
        if not line.strip():
            continue
        if line.startswith("@"):
            parents.append((line[1:].strip(), group))
        else:
            group = line.strip()
            parents.append((group, "Total"))
    # "99" (unknown region) is in the data, not in the hierarchy file: it is filed directly under
    # the total, and the data agree (its cells are 0; the groups make up the total where it adds up).
    parents += [("99", "Total"), ("Total", "")]
    return df, parents


def pp_table(df, parents):
    """The table from pp.tab's inner cells, and a primary frame with tau-Argus's unsafe cells and
    protection levels (margins included: three of the nine are totals)."""
    inner = df[(df["Size"] != "Total") & ~df["Region"].isin([c for _, c in parents if c])]
    t = st.from_long(inner, ["Size", "Region"], "Var2", parents={"Region": parents}, integers=False)
    given = t.frame.astype({"Size": str, "Region": str}).merge(df, on=["Size", "Region"], how="left",
                                                               validate="one_to_one")
    assert given["StatusVar"].notna().all()
    unsafe = (given["StatusVar"] == "U").to_numpy()
    p = t.frame.copy()
    p["status"] = pd.Categorical(["primary" if u else ("empty" if x == 0 else "safe")
                                  for u, x in zip(unsafe, given["Var2_x"])],
                                 categories=["safe", "primary", "secondary", "empty"])
    p["upper"] = given["UpperProtLevel"].where(unsafe, 0.0).to_numpy()
    p["lower"] = given["LowerProtLevel"].where(unsafe, 0.0).to_numpy()
    return t, p


def vignette_table(folder):
    """sdcTable's vignette problem: the input frame and its Tabulation (every total given, checked)."""
    df = pd.read_csv(folder / "vignette_completedat.csv", dtype={"V1": str, "V2": str, "V3": str})
    h = pd.read_csv(folder / "vignette_hierarchies.csv", dtype=str, keep_default_na=False)
    parents = {v: list(zip(g["code"], g["parent"])) for v, g in h.groupby("variable")}
    t = st.from_long(df, ["V1", "V2", "V3"], "Freq", parents=parents, totals={d: "Tot" for d in parents},
                     margins="check")
    return df, t


def non_additive_totals(df, parents):
    """The given totals that differ from the sum of the inner cells below them (as sdcore defines a
    total's parts), as "Size=.., Region=.." labels."""
    children = {}
    for code, parent in parents:
        if parent:
            children.setdefault(parent, []).append(code)

    def leaves(code):
        return [code] if code not in children else [x for c in children[code] for x in leaves(c)]

    v = df.set_index(["Size", "Region"])["Var2"]
    sizes = [s for s in df["Size"].unique() if s != "Total"]
    bad = set()
    for size in sizes + ["Total"]:
        for region in df["Region"].unique():
            if size != "Total" and region not in children:
                continue  # an inner cell
            below = sum(v[(s, r)] for s in ([size] if size != "Total" else sizes) for r in leaves(region))
            if abs(below - v[(size, region)]) > 1e-6:
                bad.add(f"Size={size}, Region={region}")
    return bad


def protect_with_every_method(t, p, cost, time_limit):
    """Suppresses with each method and audits; the secondary counts or costs, and whether the
    optimum was proven."""
    out, proven = {}, False
    for method in ("optimal", "gauss") + ROBUST:
        s = t.suppress(p, method=method, cost=cost, time_limit=time_limit)
        assert s.attrs["unprotectable"] == [], method
        a = t.audit(s)
        if method == "gauss":  # no protection levels, only "not exact"
            assert (a["verdict"] != "exact").all()
        else:
            assert a.attrs["all_protected"], method
        out[method] = s.attrs["cost"]
        proven = proven or (method == "optimal" and s.attrs["optimal"])
    return out, proven


@pytest.fixture(scope="module")
def pp(shared_data):
    return read_pp(shared_data / "tauargus" / "tableinput")


def test_given_totals_that_do_not_add_up_are_each_named(pp):
    df, parents = pp
    expected = non_additive_totals(df, parents)
    # By hand: Size 4's total is 25, its regions 5 + 4 + 15 = 24; the grand total carries the same
    # extra 1.
    assert {"Size=4, Region=Total", "Size=Total, Region=Total"} <= expected
    with pytest.raises(ValueError) as e:
        st.from_long(df, ["Size", "Region"], "Var2", parents={"Region": parents}, integers=False)
    named = set(re.findall(r"the total (Size=[^,]+, Region=\S+) is", str(e.value)))
    assert named == expected


def test_every_method_protects_tau_argus_unsafe_cells(pp):
    t, p = pp_table(*pp)
    assert len(t) == 9 * 18
    assert (p["status"] == "primary").sum() == 9
    costs, proven = protect_with_every_method(t, p, "value", 60)
    # A proven optimum costs no more than any pattern that meets the same protection levels.
    assert proven and all(costs["optimal"] <= costs[m] + 1e-6 for m in ROBUST)


def test_sdctable_vignette_problem(shared_data):
    df, t = vignette_table(shared_data / "sdctable")
    assert len(t) == 8 * 3 * 7
    p = t.primary(frequency=10)
    # By pandas from the input: the cells with 1..10 records.
    assert (p["status"] == "primary").sum() == ((df["Freq"] >= 1) & (df["Freq"] <= 10)).sum()
    costs, proven = protect_with_every_method(t, p, "cells", 30)
    if proven:
        assert all(costs["optimal"] <= costs[m] for m in ROBUST)
