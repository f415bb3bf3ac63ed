"""sdcore.mondrian, sdcore.mdav and sdcore.local_suppression, checked by independent pandas code:
the guarantees (k-anonymity, l-diversity, group sizes, group means, fk with missing matching any
value) and the reported figures are recomputed here from the input and the output, with the
formulas of docs/methods/{mondrian,microaggregation,local_suppression}.md, and nothing but the
function under test comes from sdcore."""

import doctest
import io
import itertools

import numpy as np
import pandas as pd
import pytest

import sdcore
import sdcore._recode

ADULT_QIS = ["age", "sex", "race", "education"]
TESTDATA_KEYS = ["urbrur", "roof", "walls", "water", "electcon", "relat", "sex"]
MONEY = ["expend", "income", "savings"]


@pytest.fixture(scope="module")
def adult(shared_data):
    return pd.read_csv(shared_data / "adult" / "adult.csv", sep=";")


@pytest.fixture(scope="module")
def testdata(shared_data):
    return pd.read_csv(shared_data / "sdcmicro" / "testdata.csv")


def read_hierarchy(path):
    return pd.read_csv(path, sep=";", header=None, dtype=str, keep_default_na=False)


def number_text(v):
    """A number as format_number writes it (shortest text that reads back): 39.0 -> "39"."""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


def assert_others_unchanged(before, after, changed):
    assert list(after.columns) == list(before.columns)
    assert after.index.equals(before.index)
    for c in before.columns:
        if c not in changed:
            assert after[c].dtype == before[c].dtype, c
            assert after[c].equals(before[c]), c


# ---------------------------------------------------------------------------------------------
# Mondrian


def expected_label(values, kind, order=None, hierarchy=None):
    """The summary docs/methods/mondrian.md says a partition publishes, from its own values."""
    distinct = pd.unique(values)
    if hierarchy is not None:
        keys = [number_text(v) if kind == "numeric" else v for v in distinct]
        for level in range(hierarchy.shape[1]):
            labels = set(hierarchy.loc[keys, level])
            if len(labels) == 1:
                return labels.pop()
        return "*"
    if kind == "numeric":
        lo, hi = values.min(), values.max()
        return number_text(lo) if lo == hi else f"{number_text(lo)}-{number_text(hi)}"
    if len(distinct) == 1:
        return distinct[0]
    return "{" + ",".join(sorted(distinct, key=order.index)) + "}"


def partition_penalty(originals, kind, domain, span, h):
    """NCP of one partition on one QI (Xu et al. 2006, as docs/methods/mondrian.md defines it):
    numeric (hi - lo) / range; s > 1 categories s / |A|; a hierarchy node covering s > 1 of the
    values present s / |A|; 0 for a single value."""
    if originals.nunique() <= 1:
        return 0.0
    if h is None:
        return (originals.max() - originals.min()) / span if kind == "numeric" else originals.nunique() / domain
    keys = [number_text(v) if kind == "numeric" else v for v in originals.unique()]
    level = next((lv for lv in range(h.shape[1]) if h.loc[keys, lv].nunique() == 1), None)
    if level is None:  # the virtual root above the top level
        return 1.0
    node = h.loc[keys[0], level]
    return int((h.loc[h.index.isin(h.attrs["present"]), level] == node).sum()) / domain


def check_mondrian(df, r, qis, k, sensitive=None, l=1, hierarchies=None):
    """Independent check of a Mondrian release; returns the NCP recomputed from its definition."""
    hierarchies = hierarchies or {}
    out = r.data
    sizes = r.partition.value_counts()
    assert sizes.min() >= k and sizes.min() == r.min_partition_size
    assert len(sizes) == r.num_partitions
    assert r.discernibility == int((sizes.astype(np.int64) ** 2).sum())  # Bayardo & Agrawal: sum size^2
    # Published classes (rows grouped by their published values) are at least k and l-diverse.
    published = out.astype({q: str for q in qis}).groupby(qis, observed=True)
    assert published.size().min() >= k
    if sensitive is not None:
        assert published[sensitive].nunique(dropna=False).min() >= l
    members = r.partition.groupby(r.partition).groups
    ncp_sum = 0.0
    for q in qis:
        kind = "numeric" if pd.api.types.is_numeric_dtype(df[q].dtype) else "categorical"
        order = list(pd.unique(df[q])) if kind == "categorical" else None
        h = hierarchies.get(q)
        if h is not None:
            h.attrs["present"] = [number_text(v) if kind == "numeric" else v for v in df[q].unique()]
        domain = df[q].nunique()
        span = df[q].max() - df[q].min() if kind == "numeric" else None
        for idx in members.values():
            originals = df.loc[idx, q]
            labels = out.loc[idx, q].astype(str).unique()
            assert len(labels) == 1, (q, labels)
            assert labels[0] == expected_label(originals, kind, order, h), q
            ncp_sum += partition_penalty(originals, kind, domain, span, h) * len(idx)
    return ncp_sum / (len(df) * len(qis))


@pytest.mark.parametrize("k,l", [(5, 1), (10, 1), (10, 2), (50, 2)])
def test_mondrian_adult_k_anonymous_and_l_diverse(adult, k, l):
    qis = ["age", "sex", "race"]
    r = sdcore.mondrian(adult, qis, k, sensitive="salary-class" if l > 1 else None, l=l)
    ncp = check_mondrian(adult, r, qis, k, "salary-class" if l > 1 else None, l)
    assert r.ncp == pytest.approx(ncp, rel=1e-9)
    assert_others_unchanged(adult, r.data, qis)


def test_mondrian_hierarchies_path_and_frame_agree(adult, shared_data):
    paths = {q: shared_data / "adult" / f"adult_hierarchy_{q}.csv" for q in ["age", "education"]}
    frames = {q: read_hierarchy(p) for q, p in paths.items()}
    by_path = sdcore.mondrian(adult, ADULT_QIS, 10, hierarchies={q: str(p) for q, p in paths.items()})
    by_frame = sdcore.mondrian(adult, ADULT_QIS, 10, hierarchies=frames)
    pd.testing.assert_frame_equal(by_path.data, by_frame.data)
    assert by_path.ncp == by_frame.ncp and by_path.partition.equals(by_frame.partition)
    indexed = {q: h.set_index(0, drop=False) for q, h in frames.items()}
    ncp = check_mondrian(adult, by_path, ADULT_QIS, 10, hierarchies=indexed)
    assert by_path.ncp == pytest.approx(ncp, rel=1e-9)
    # Every published education label is a label of the hierarchy file.
    assert set(by_path.data["education"].astype(str)) <= set(frames["education"].to_numpy().ravel()) | {"*"}


def test_mondrian_random_frames():
    """Property test: 120 seeded random frames (numeric and categorical QIs, random k and l)."""
    rng = np.random.default_rng(20261124)
    for trial in range(120):
        n = int(rng.integers(1, 200))
        df = pd.DataFrame({
            "x": rng.integers(0, int(rng.integers(1, 30)), n),
            "y": rng.normal(size=n).round(2) + 0.0,  # + 0.0: no -0.0 (its label is "-0" or "0", see report)
            "c": rng.choice(list("pqrstu"), n),
            "s": rng.choice(list("abcd"), n),
            "keep": rng.normal(size=n),
        }, index=rng.permutation(n) * 3)
        qis = list(rng.choice(["x", "y", "c"], int(rng.integers(1, 4)), replace=False))
        k = int(rng.integers(1, max(2, n // 4) + 1))
        l = int(rng.integers(1, min(3, df["s"].nunique()) + 1))
        r = sdcore.mondrian(df, qis, k, sensitive="s", l=l, threads=1 + trial % 2)
        check_mondrian(df, r, qis, k, "s", l)
        assert_others_unchanged(df, r.data, qis)


def test_mondrian_hand_example():
    # Six ages and sexes, k = 3 (docs/methods/mondrian.md): both QIs have normalised width 1, so
    # age (the first) is cut at its lower median 38: {31,35,38} | {52,57,59}; no half of 3 can be
    # cut again. Discernibility 3^2 + 3^2 = 18. NCP: age 7/28 for every record (each half spans
    # 7 of 28 years), sex 2/2 = 1 for every record: (6 * 0.25 + 6 * 1) / 12 = 0.625.
    df = pd.DataFrame({"age": [31, 35, 38, 52, 57, 59], "sex": list("FMFMFM")}, index=list("abcdef"))
    r = sdcore.mondrian(df, df.columns, 3)  # a pd.Index of names is accepted as a list
    assert r.data["age"].tolist() == ["31-38"] * 3 + ["52-59"] * 3
    assert r.data["sex"].tolist() == ["{F,M}"] * 6
    assert r.partition.tolist() == [0, 0, 0, 1, 1, 1] and r.partition.index.equals(df.index)
    assert (r.num_partitions, r.min_partition_size, r.discernibility) == (2, 3, 18)
    assert r.ncp == pytest.approx(0.625)
    assert df["age"].tolist() == [31, 35, 38, 52, 57, 59]  # the input is not modified


@pytest.mark.parametrize("k,l", [(10, 1), (25, 2)])
def test_mondrian_aggregated_rows_equal_the_records(adult, shared_data, k, l):
    """frequency=: adult grouped into one row per combination (with a record count) must publish,
    for every record, what sdcore.mondrian publishes on the 30,162 records themselves, with the
    same partition count, smallest partition, discernibility and NCP. Text columns are sorted
    categoricals on both sides, so the cut order does not depend on row order."""
    df = adult.copy()
    for q in ["sex", "race", "education"]:
        df[q] = pd.Categorical(df[q], categories=sorted(df[q].unique()))
    h = {"age": str(shared_data / "adult" / "adult_hierarchy_age.csv")}
    sens = "salary-class" if l > 1 else None
    keys = ADULT_QIS + (["salary-class"] if sens else [])
    agg = df.groupby(keys, observed=True, sort=True).size().rename("n").reset_index()
    agg = agg.sample(frac=1, random_state=3).reset_index(drop=True)  # row order must not matter
    got = sdcore.mondrian(agg, ADULT_QIS, k, sensitive=sens, l=l, hierarchies=h, frequency="n")
    want = sdcore.mondrian(df, ADULT_QIS, k, sensitive=sens, l=l, hierarchies=h)
    assert len(agg) < len(df) // 3
    assert (got.num_partitions, got.min_partition_size, got.discernibility) == \
        (want.num_partitions, want.min_partition_size, want.discernibility)
    assert got.ncp == pytest.approx(want.ncp, rel=1e-12)
    assert got.data["n"].equals(agg["n"])
    labels = got.data[keys].astype({q: str for q in ADULT_QIS})
    labels = labels.set_axis([f"out_{c}" if c in ADULT_QIS else c for c in keys], axis=1)
    per_record = df[keys].merge(pd.concat([agg[keys], labels.filter(like="out_")], axis=1), on=keys, how="left")
    for q in ADULT_QIS:
        assert per_record[f"out_{q}"].tolist() == want.data[q].astype(str).tolist(), q


def test_mondrian_frequency_errors():
    df = pd.DataFrame({"age": [30, 40, 50], "n": [2, 3, 1], "t": list("abc")}, index=[7, 8, 9])
    assert sdcore.mondrian(df, ["age"], 6, frequency="n").num_partitions == 1  # 6 records in 3 rows
    with pytest.raises(ValueError, match="k = 7 is larger than the 6 records"):
        sdcore.mondrian(df, ["age"], 7, frequency="n")
    with pytest.raises(ValueError, match="at index 8 is 0"):
        sdcore.mondrian(df.assign(n=[2, 0, 1]), ["age"], 1, frequency="n")
    with pytest.raises(ValueError, match="at index 9 is 1.5"):
        sdcore.mondrian(df.assign(n=[2, 3, 1.5]), ["age"], 1, frequency="n")
    with pytest.raises(ValueError, match="at most 2\\*\\*32 - 1"):
        sdcore.mondrian(df.assign(n=[2, 2**32, 1]), ["age"], 1, frequency="n")
    with pytest.raises(ValueError, match="must hold whole numbers"):
        sdcore.mondrian(df, ["age"], 1, frequency="t")
    with pytest.raises(ValueError, match="both the frequency and a quasi-identifier"):
        sdcore.mondrian(df, ["age", "n"], 1, frequency="n")
    with pytest.raises(ValueError, match="no column named 'm'"):
        sdcore.mondrian(df, ["age"], 1, frequency="m")


@pytest.mark.parametrize("kwargs,error,message", [
    ({"k": 0}, ValueError, "k must be at least 1"),
    ({"k": 40000}, ValueError, "larger than the"),
    ({"k": 5, "quasi_identifiers": ["age", "nope"]}, ValueError, "no column named 'nope'"),
    ({"k": 5, "quasi_identifiers": ["age", "age"]}, ValueError, "named twice"),
    ({"k": 5, "quasi_identifiers": "age"}, TypeError, "not one string"),
    ({"k": 5.0}, TypeError, "k must be an integer"),
    ({"k": 5, "l": 2}, ValueError, "needs a sensitive column"),
    ({"k": 5, "sensitive": "sex", "l": 2}, ValueError, "also a quasi-identifier"),
    ({"k": 5, "sensitive": "salary-class", "l": 3}, ValueError, "more than the 2 distinct values"),
    ({"k": 5, "threads": -1}, ValueError, "threads must be 0"),
    ({"k": 5, "hierarchies": {"sex": [["Male", "*"]]}}, ValueError, "does not cover.*'Female'"),
    ({"k": 5, "hierarchies": {"race": [["White", "*"]]}}, ValueError, "not a quasi-identifier"),
    ({"k": 5, "hierarchies": {"sex": "/nonexistent/h.csv"}}, OSError, "nonexistent"),
])
def test_mondrian_bad_arguments(adult, kwargs, error, message):
    kwargs = {"quasi_identifiers": ["age", "sex"], **kwargs}
    with pytest.raises(error, match=message):
        sdcore.mondrian(adult, **kwargs)


def test_mondrian_missing_value_and_bad_hierarchy_file(tmp_path):
    df = pd.DataFrame({"age": [30.0, np.nan, 40.0], "sex": list("FMF")})
    with pytest.raises(ValueError, match="'age' is missing in row 1"):
        sdcore.mondrian(df, ["age"], 1)
    bad = tmp_path / "h.csv"
    bad.write_text('F;"*\nM;*\n')  # unterminated quote: malformed text, not a bad argument
    with pytest.raises(sdcore.ParseError):
        sdcore.mondrian(df, ["sex"], 1, hierarchies={"sex": bad})


# ---------------------------------------------------------------------------------------------
# MDAV


def zscores(df, columns):
    x = df[columns].astype(float)
    sd = x.std(ddof=0).replace(0, 1.0)
    return (x - x.mean()) / sd


@pytest.mark.parametrize("k", [3, 5])
def test_mdav_testdata_groups_and_means(testdata, k):
    df = testdata.set_index(pd.Index([f"r{i}" for i in range(len(testdata))]))
    r = sdcore.mdav(df, MONEY, k)
    sizes = r.group.value_counts()
    assert sizes.between(k, 2 * k - 1).all() and len(sizes) == r.num_groups
    assert r.group.index.equals(df.index) and (r.group >= 0).all()
    # Every published value is the mean of its group's original values (pandas groupby).
    means = df[MONEY].groupby(r.group).transform("mean")
    np.testing.assert_allclose(r.data[MONEY].to_numpy(), means.to_numpy(), rtol=1e-12)
    # The published combinations are k-anonymous.
    assert r.data.groupby(MONEY).size().min() >= k
    # SSE/SST on z-scores (population sd), docs/methods/microaggregation.md.
    z = zscores(df, MONEY)
    sse = float(((z - z.groupby(r.group).transform("mean")) ** 2).to_numpy().sum())
    sst = float(((z - z.mean()) ** 2).to_numpy().sum())
    assert sst == pytest.approx(3 * len(df), rel=1e-9)  # each z-scored variable contributes n
    assert r.sse == pytest.approx(sse, rel=1e-9) and r.sst == pytest.approx(sst, rel=1e-9)
    assert r.information_loss == pytest.approx(sse / sst, rel=1e-9)
    assert_others_unchanged(df, r.data, MONEY)
    assert len(r.excluded_rows) == 0


def test_mdav_median_and_raw_units(testdata):
    r = sdcore.mdav(testdata, ["income", "savings"], 4, measure="median", standardise=False)
    medians = testdata[["income", "savings"]].groupby(r.group).transform("median")
    np.testing.assert_array_equal(r.data[["income", "savings"]].to_numpy(), medians.to_numpy())
    assert r.group.value_counts().between(4, 7).all()


def test_mdav_hand_example():
    # One variable, k = 3, nine records (MDAV, docs/methods/microaggregation.md): the centroid is
    # 129/9 = 14.3; the farthest record is 32 (17.7 away; 0 is 14.3 away), whose group is
    # {30, 31, 32}; the farthest from 32 is 0: {0, 1, 2}; three remain, fewer than 2k: one group
    # {10, 11, 12}. Means 31, 1, 11.
    df = pd.DataFrame({"v": [10, 0, 31, 11, 1, 32, 2, 12, 30], "id": list("abcdefghi")})
    r = sdcore.mdav(df, np.array(["v"]), 3)  # so is a numpy array of names
    assert r.data["v"].tolist() == [11.0, 1.0, 31.0, 11.0, 1.0, 31.0, 1.0, 11.0, 31.0]
    assert r.group.tolist() == [2, 1, 0, 2, 1, 0, 1, 2, 0]  # groups numbered as formed
    # SSE on z-scores: each group's raw squared deviations sum to 1 + 0 + 1 = 2, divided by the
    # population variance of v; SST on z-scores is n = 9.
    var = np.var(df["v"].to_numpy(dtype=float))
    assert r.sse == pytest.approx(3 * 2 / var) and r.sst == pytest.approx(9)


def test_mdav_exclude_missing(testdata):
    df = testdata.copy()
    df.loc[[3, 17, 400], "income"] = np.nan
    df.loc[[17, 900], "savings"] = np.nan
    with pytest.raises(ValueError, match="'income' is missing \\(NaN\\) in row 3"):
        sdcore.mdav(df, MONEY, 3)
    r = sdcore.mdav(df, MONEY, 3, exclude_missing=True)
    excluded = [3, 17, 400, 900]
    assert list(r.excluded_rows) == excluded and (r.group.loc[excluded] == -1).all()
    pd.testing.assert_frame_equal(r.data.loc[excluded], df.loc[excluded], check_dtype=False)  # expend: now float
    # The others are grouped exactly as if the excluded records were absent.
    alone = sdcore.mdav(df.drop(index=excluded), MONEY, 3)
    pd.testing.assert_frame_equal(r.data.drop(index=excluded), alone.data)
    assert r.num_groups == alone.num_groups and r.sse == alone.sse


@pytest.mark.parametrize("kwargs,error,message", [
    ({"k": 1}, ValueError, "k must be at least 2"),
    ({"k": 5000}, ValueError, "larger than the 4580 records"),
    ({"k": 3, "columns": ["expend", "nope"]}, ValueError, "no column named 'nope'"),
    ({"k": 3, "columns": ["expend", "expend"]}, ValueError, "named twice"),
    ({"k": 3, "columns": []}, ValueError, "no columns"),
    ({"k": 3, "measure": "mode"}, ValueError, "measure must be one of"),
    ({"k": 3.5}, TypeError, "k must be an integer"),
])
def test_mdav_bad_arguments(testdata, kwargs, error, message):
    kwargs = {"columns": MONEY, **kwargs}
    with pytest.raises(error, match=message):
        sdcore.mdav(testdata, **kwargs)


def test_mdav_refuses_text_columns():
    df = pd.DataFrame({"v": [1.0, 2.0, 3.0], "t": list("abc")})
    with pytest.raises(ValueError, match="MDAV microaggregates numeric columns only"):
        sdcore.mdav(df, ["v", "t"], 2)


# ---------------------------------------------------------------------------------------------
# Local suppression


def fk_match_any(df, keys):
    """fk of every record with a missing value matching any value, counted over the distinct
    key patterns (pandas groupby), with the one exception of docs/methods/local_suppression.md:
    a record whose keys are all missing is not counted for a record with no missing key."""
    codes = pd.DataFrame({q: pd.factorize(df[q])[0] for q in keys}, index=df.index)  # -1: missing
    groups = codes.groupby(keys, sort=False)  # patterns numbered by first appearance
    p = codes.drop_duplicates().to_numpy()
    a, b = p[:, None, :], p[None, :, :]
    compatible = ((a == b) | (a < 0) | (b < 0)).all(axis=2)
    compatible &= ~((b < 0).all(axis=2) & (a >= 0).all(axis=2))
    fk = compatible.astype(np.int64) @ groups.size().to_numpy()
    return pd.Series(fk[groups.ngroup().to_numpy()], index=df.index)


def check_suppression(df, r, keys):
    """Only key cells changed, each from a value to missing, exactly where the mask says."""
    for q in keys:
        was, now = df[q].isna(), r.data[q].isna()
        newly = now & ~was
        assert newly.equals(r.mask[q]), q
        kept = ~now
        assert (r.data.loc[kept, q].astype(object) == df.loc[kept, q].astype(object)).all(), q
        assert r.suppressed[q] == int(newly.sum())
    assert r.total_suppressed == int(r.mask.to_numpy().sum())
    assert_others_unchanged(df, r.data, keys)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_local_suppression_testdata(testdata, k):
    df = testdata.set_index(pd.RangeIndex(1000, 1000 + len(testdata)))
    r = sdcore.local_suppression(df, TESTDATA_KEYS, k)
    assert fk_match_any(df, TESTDATA_KEYS).min() < k  # there was work to do
    assert fk_match_any(r.data, TESTDATA_KEYS).min() >= k
    check_suppression(df, r, TESTDATA_KEYS)
    assert r.k_anonymous
    # Default importance: keys ranked by their number of distinct values, fewest first.
    distinct = df[TESTDATA_KEYS].nunique()
    ranked = distinct.rank(method="first").astype(int)
    assert r.importance == ranked.to_dict()


def test_local_suppression_published_sdcmicro_number(shared_data):
    # sdcMicro tests/testthat/test_localSuppression.R: testdata2, these seven keys, k = 2,
    # default importance -> 97 new suppressions (docs/methods/local_suppression.md).
    df = pd.read_csv(shared_data / "sdcmicro" / "testdata2.csv")
    r = sdcore.local_suppression(df, TESTDATA_KEYS, 2)
    assert r.total_suppressed == 97
    assert fk_match_any(r.data, TESTDATA_KEYS).min() >= 2


def test_local_suppression_importance_chooses_the_key():
    # (F, B) is unique at k = 2; its nearest records, at distance 1, are (F, A) (area differs) and
    # (M, B) (sex differs). The key blanked is the least important: by default sex = 1, area = 2
    # (equal distinct counts, ties by position), so area; with importance [2, 1], sex.
    df = pd.DataFrame({"sex": list("FFFMMF"), "area": list("AAABBB"), "w": range(6)},
                      index=pd.Index([10, 11, 12, 13, 14, 15], name="id"))
    default = sdcore.local_suppression(df, ["sex", "area"], 2)
    assert default.importance == {"sex": 1, "area": 2}
    assert default.mask.loc[15].tolist() == [False, True] and default.total_suppressed == 1
    swapped = sdcore.local_suppression(df, ["sex", "area"], 2, importance=[2, 1])
    assert swapped.mask.loc[15].tolist() == [True, False] and swapped.total_suppressed == 1
    for r in (default, swapped):
        check_suppression(df, r, ["sex", "area"])
        assert fk_match_any(r.data, ["sex", "area"]).min() >= 2


def test_local_suppression_keeps_dtypes():
    df = pd.DataFrame({
        "cat": pd.Categorical(list("aabbc"), categories=list("cba")),
        "num": [1, 1, 2, 2, 3],
        "txt": ["x", "x", "y", "y", "z"],
        "other": [0.5, 1.5, 2.5, 3.5, 4.5],
    })
    r = sdcore.local_suppression(df, ["cat", "num", "txt"], 2)
    assert isinstance(r.data["cat"].dtype, pd.CategoricalDtype)
    assert list(r.data["cat"].cat.categories) == ["c", "b", "a"]
    assert fk_match_any(r.data, ["cat", "num", "txt"]).min() >= 2
    check_suppression(df, r, ["cat", "num", "txt"])
    # Record 5 (c, 3, z) differs from every other on all three keys. Default importance: three
    # distinct values each, so cat = 1, num = 2, txt = 3, and txt is blanked first, then num
    # (nearest now at distance 2), then cat (distance 1): all three, and it matches everyone.
    assert r.mask.loc[4].tolist() == [True, True, True] and r.total_suppressed == 3


def test_local_suppression_combs(testdata):
    combs, combs_k = [2, 3], [5, 3]
    r = sdcore.local_suppression(testdata, TESTDATA_KEYS, 3, combs=combs, combs_k=combs_k)
    check_suppression(testdata, r, TESTDATA_KEYS)
    violations = [sub for size, k in zip(combs, combs_k) for sub in itertools.combinations(TESTDATA_KEYS, size)
                  if fk_match_any(r.data, list(sub)).min() < k]
    assert r.k_anonymous == (not violations)
    assert r.k_anonymous


def test_local_suppression_flags_a_subset_undone():
    # Found by a seeded random search: with combs [1, 2] the pairs blank cells that a single key
    # needed (a record with every key of a subset missing does not count for a complete one).
    df = pd.read_csv(io.StringIO(UNDONE_CSV), dtype=str)
    r = sdcore.local_suppression(df, ["q0", "q1", "q2"], 3, combs=[1, 2])
    keys = ["q0", "q1", "q2"]
    violations = [sub for size in (1, 2) for sub in itertools.combinations(keys, size)
                  if fk_match_any(r.data, list(sub)).min() < 3]
    assert violations and not r.k_anonymous


UNDONE_CSV = "q0,q1,q2\n1,1,0\n2,1,0\n1,2,0\n2,2,\n2,,0\n1,1,\n2,0,1\n0,,\n0,1,0\n2,0,1\n2,,0\n1,2,1\n0,0,1\n"


@pytest.mark.parametrize("kwargs,error,message", [
    ({"k": 0}, ValueError, "k must be at least 1"),
    ({"k": 5000}, ValueError, "exceeds the number of rows"),
    ({"k": 2, "quasi_identifiers": ["sex", "nope"]}, ValueError, "no column named 'nope'"),
    ({"k": 2, "quasi_identifiers": ["sex", "sex"]}, ValueError, "listed twice"),
    ({"k": 2, "importance": [1]}, ValueError, "importance has 1 values for 2"),
    ({"k": 2, "importance": [1, 3]}, ValueError, r"must lie in \[1, 2\]"),
    ({"k": 2, "importance": [1.0, 2.0]}, TypeError, "importance must be an integer"),
    ({"k": 2, "combs_k": [2]}, ValueError, "combs_k given without combs"),
    ({"k": 2, "combs": [3]}, ValueError, r"combs size 3 must lie in \[1, 2\]"),
    ({"k": 2, "combs": [-1]}, ValueError, "combs sizes must be at least 1"),
    ({"k": 2, "combs": [1, 2], "combs_k": [2]}, ValueError, "combs_k has 1 values for 2 combs"),
    ({"k": True}, TypeError, "k must be an integer"),
])
def test_local_suppression_bad_arguments(testdata, kwargs, error, message):
    kwargs = {"quasi_identifiers": ["sex", "water"], **kwargs}
    with pytest.raises(error, match=message):
        sdcore.local_suppression(testdata, **kwargs)


def test_not_a_dataframe():
    for f, args in [(sdcore.mondrian, (["a"], 2)), (sdcore.mdav, (["a"], 2)), (sdcore.local_suppression, (["a"], 2))]:
        with pytest.raises(TypeError, match="pandas DataFrame"):
            f({"a": [1, 2]}, *args)


def test_docstring_examples():
    # The examples in the docstrings were worked by hand (see the comments of the hand tests).
    result = doctest.testmod(sdcore._recode)
    assert result.attempted >= 6 and result.failed == 0
