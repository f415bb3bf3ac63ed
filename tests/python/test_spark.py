"""sdcore.spark checked against the single-machine path on the same records: sdcore.risk,
sdcore.tables.tabulate and sdcore.anonymise on the pandas frame are the reference (their own
tests check them against published figures); here the Spark route must give the same numbers,
whatever the partitioning. Local mode, one session for the file."""

import inspect
import os
import re
import shutil
import subprocess
import sys
import tomllib
import warnings

import numpy as np
import pandas as pd
import pytest

import sdcore
import sdcore.tables as st

from compare import assert_summaries_equal
from conftest import REPO

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (pip install '.[spark]')")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for PySpark (apt-get install default-jre-headless)", allow_module_level=True)

import sdcore.spark as ss  # noqa: E402

# py4j leaves sockets to the garbage collector; that is PySpark's business, not a failure here.
pytestmark = [pytest.mark.filterwarnings("ignore::ResourceWarning"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]

needs_frequency = pytest.mark.skipif(
    "frequency" not in inspect.signature(sdcore.risk).parameters,
    reason="this sdcore build has no frequency= in sdcore.risk/anonymise yet (reinstall the package)")

QIS = ["age", "sex", "ethnic_group", "postcode_district"]
ADULT_QIS = ["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation",
             "salary-class"]


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[2]").appName("sdcore-tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2").config("spark.default.parallelism", "2")
               .config("spark.sql.adaptive.enabled", "false")  # tiny data: planning costs more than it saves
               # Without Arrow, PySpark 4.0 turns a missing value of a pandas 3 text column into "NaN".
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=error").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def to_pandas(sdf):
    with warnings.catch_warnings():  # PySpark 4.0's converter uses a keyword pandas 3 deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        return sdf.toPandas()


@pytest.fixture(scope="module")
def episodes():
    """20,000 synthetic episodes with dyadic weights (exact sums in any order) and missing keys."""
    df = sdcore.datasets.hospital_episodes(20000, seed=11)
    for c in ["sex", "ethnic_group", "postcode_district", "provider"]:
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df["age"] = df["age"].where(np.arange(len(df)) % 97 != 3)          # NaN ages
    df.loc[np.arange(len(df)) % 89 == 5, "postcode_district"] = None    # missing text keys
    df["w"] = 1.0 + (np.arange(len(df)) % 7) * 0.25
    return df


@pytest.fixture(scope="module")
def episodes_sdf(spark, episodes):
    return spark.createDataFrame(episodes).repartition(3).cache()


@pytest.fixture(scope="module")
def adult(shared_data, spark):
    df = pd.read_csv(shared_data / "adult" / "adult.csv", sep=";", dtype=str, keep_default_na=False)
    df.insert(0, "row_id", np.arange(len(df)))
    hierarchies = {q: str(shared_data / "adult" / f"adult_hierarchy_{q}.csv") for q in ADULT_QIS}
    return df, spark.createDataFrame(df).repartition(5).cache(), hierarchies


def test_import_sdcore_does_not_import_pyspark():
    code = "import sys, sdcore; assert 'pyspark' not in sys.modules, 'pyspark imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_pyspark_names_the_extra():
    code = "import sys; sys.modules['pyspark'] = None\ntry:\n    import sdcore.spark\nexcept ImportError as e:\n" \
           "    print(e)\nelse:\n    raise SystemExit('imported')"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert "pip install 'sdcore[spark]'" in out


def test_extra_pins_are_the_ones_ci_installs():
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["spark"]
    line = re.search(r"^SPARK_EXTRA=\((.*)\)", (REPO / "scripts" / "install_deps.sh").read_text(), re.M).group(1)
    assert sorted(re.findall(r'"([^"]+)"', line)) == sorted(extra)
    assert all("==" in pin for pin in extra)
    assert pyspark.__version__ == next(p for p in extra if p.startswith("pyspark==")).split("==")[1]


def test_class_counts_match_pandas_groupby_with_missing_keys(episodes, episodes_sdf):
    counts = ss.class_counts(episodes_sdf, QIS, weight="w")
    want = episodes.groupby(QIS, dropna=False).agg(n=("w", "size"), weight_sum=("w", "sum")).reset_index()
    assert len(counts) == len(want) and counts["n"].sum() == len(episodes)
    key = lambda f: f[QIS].astype(object).where(f[QIS].notna(), "<missing>").astype(str).agg("|".join, axis=1)
    got = counts.set_index(key(counts))
    want = want.set_index(key(want))
    assert got.index.is_unique and set(got.index) == set(want.index)
    assert (got.loc[want.index, "n"].to_numpy() == want["n"].to_numpy()).all()
    assert (got.loc[want.index, "weight_sum"].to_numpy() == want["weight_sum"].to_numpy()).all()  # dyadic: exact
    assert got.index.str.contains("<missing>").sum() > 0  # nulls and NaN kept as their own value


def test_bad_weights_and_names_are_refused(spark):
    sdf = spark.createDataFrame(pd.DataFrame({"a": ["x", "y"], "w": [1.0, -2.0], "n": [1, 2]}))
    with pytest.raises(ValueError, match="weight column 'w'"):
        ss.class_counts(sdf, ["a"], weight="w")
    with pytest.raises(ValueError, match="named 'n'"):
        ss.class_counts(sdf, ["a", "n"])
    with pytest.raises(ValueError, match="no column named 'zz'"):
        ss.class_counts(sdf, ["zz"])
    with pytest.raises(TypeError, match="pyspark.sql.DataFrame"):
        ss.class_counts(pd.DataFrame({"a": [1]}), ["a"])


@needs_frequency
@pytest.mark.parametrize("weight", [None, "w"])
def test_risk_summary_equals_single_machine(episodes, episodes_sdf, weight):
    got = ss.risk(episodes_sdf, QIS, weight, ks=(2, 3, 5, 10))
    want = sdcore.risk(episodes, QIS, weight, ks=(2, 3, 5, 10))
    assert_summaries_equal(got.summary, want.summary)
    assert len(got.records) == got.summary["classes"] and got.records["n"].sum() == len(episodes)


@needs_frequency
def test_risk_with_non_dyadic_weights_to_1e12(spark, episodes):
    df = episodes.assign(w=1.0 + (np.arange(len(episodes)) % 13) / 3.0)
    got = ss.risk(spark.createDataFrame(df).repartition(4), QIS, "w")
    assert_summaries_equal(got.summary, sdcore.risk(df, QIS, "w").summary)


@needs_frequency
def test_records_with_risk_are_the_per_record_figures(episodes, episodes_sdf):
    scored = to_pandas(ss.records_with_risk(episodes_sdf, QIS, "w"))
    assert list(scored.columns) == list(episodes.columns) + ["fk", "Fk", "risk"]
    scored = scored.set_index("episode_id").loc[episodes["episode_id"].astype(str)]
    want = sdcore.risk(episodes, QIS, "w").records
    assert (scored["fk"].to_numpy() == want["fk"].to_numpy()).all()
    np.testing.assert_allclose(scored["Fk"].to_numpy(), want["Fk"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(scored["risk"].to_numpy(), want["risk"].to_numpy(), rtol=1e-12)


def sorted_categories(df, columns):
    """The reference frame with each dimension a categorical of its sorted values (Spark's order)."""
    df = df.copy()
    for c in columns:
        df[c] = pd.Categorical(df[c], categories=sorted(df[c].dropna().unique()))
    return df


def test_tabulate_equals_single_machine_cell_by_cell(episodes, episodes_sdf):
    df = sorted_categories(episodes.dropna(subset=["provider", "sex"]), ["provider", "sex"])
    sdf = episodes_sdf.dropna(subset=["provider", "sex"])
    got, want = ss.tabulate(sdf, ["provider", "sex"]), st.tabulate(df, ["provider", "sex"])
    pd.testing.assert_frame_equal(got.frame, want.frame)
    pd.testing.assert_frame_equal(got.primary(frequency=7), want.primary(frequency=7))
    # sums (whole numbers: exact in any order) by a numeric dimension, and weighted counts
    got = ss.tabulate(sdf.dropna(subset=["age"]), ["provider", "age"], "length_of_stay").frame
    want = st.tabulate(df.dropna(subset=["age"]), ["provider", "age"], value="length_of_stay").frame
    pd.testing.assert_frame_equal(got, want)


def test_tabulate_with_a_hierarchy_and_weights(episodes, episodes_sdf):
    sdf = episodes_sdf.dropna(subset=["provider", "sex"])
    df = sorted_categories(episodes.dropna(subset=["provider", "sex"]), ["provider", "sex"])
    providers = sorted(df["provider"].cat.categories)
    rows = [[p, f"region {i % 3}", "England"] for i, p in enumerate(providers)] + [["unused", "region 9", "England"]]
    got = ss.tabulate(sdf, ["provider", "sex"], weight="w", hierarchies={"provider": rows}, totals={"sex": "All"})
    want = st.tabulate(df, ["provider", "sex"], weight="w", hierarchies={"provider": rows}, totals={"sex": "All"})
    pd.testing.assert_frame_equal(got.frame, want.frame)
    with pytest.raises(ValueError, match="frequency rule counts contributors"):
        got.primary(frequency=7)
    with pytest.raises(ValueError, match="need each contributor's value"):
        got.primary(dominance=[(1, 90)])


def test_tabulate_refuses_missing_dimensions(episodes_sdf):
    with pytest.raises(ValueError, match="dimension is missing"):
        ss.tabulate(episodes_sdf, ["postcode_district"])


def age_hierarchy():
    return {"builder": "intervals", "widths": [5, 10, 20, 40]}


def released_by_id(sdf, id_column):
    return to_pandas(sdf).sort_values(id_column, kind="mergesort").reset_index(drop=True)


def assert_release_equal(got, want, columns):
    """Row by row: generalised labels as text (missing as missing), other columns unchanged."""
    assert list(got.columns) == list(want.columns)
    for c in columns:
        g = got[c].astype(object).where(got[c].notna(), None).tolist()
        w = want[c].astype(object).where(want[c].notna(), None).tolist()
        assert g == w, c


@needs_frequency
@pytest.mark.parametrize("suppressed", ["star", "drop"])
def test_anonymise_hospital_equals_single_machine_row_by_row(episodes, episodes_sdf, suppressed):
    settings = dict(quasi_identifiers={"age": age_hierarchy(), "postcode_district": {"builder": "postcodes"},
                                       "sex": [[s, "*"] for s in ["Female", "Indeterminate", "Male", "Not known"]]},
                    k=5, suppression_limit=0.05, suppressed=suppressed)
    out, summary = ss.anonymise(episodes_sdf, **settings)
    want = sdcore.anonymise(episodes, **settings)
    assert_summaries_equal(summary, want.summary)
    got = released_by_id(out, "episode_id")
    ref = want.data.assign(episode_id=want.data["episode_id"].astype(str)).sort_values("episode_id",
                                                                                       kind="mergesort")
    assert_release_equal(got, ref.reset_index(drop=True), list(episodes.columns))


@needs_frequency
def test_anonymise_adult_with_arx_hierarchies(adult):
    df, sdf, hierarchies = adult
    out, summary = ss.anonymise(sdf, quasi_identifiers=hierarchies, k=5, suppression_limit=0.05)
    want = sdcore.anonymise(df, quasi_identifiers=hierarchies, k=5, suppression_limit=0.05)
    assert_summaries_equal(summary, want.summary)
    assert_release_equal(released_by_id(out, "row_id"), want.data, list(df.columns))


@needs_frequency
def test_l_diversity_counts_the_sensitive_column(adult):
    df, sdf, hierarchies = adult
    qis = {q: hierarchies[q] for q in ADULT_QIS if q != "occupation"}
    settings = dict(quasi_identifiers=qis, k=2, l_diversity=[{"column": "occupation", "kind": "distinct", "l": 2}],
                    suppression_limit=0.02, suppressed="nan")
    out, summary = ss.anonymise(sdf, **settings)
    want = sdcore.anonymise(df, **settings)
    assert_summaries_equal(summary, want.summary)
    assert_release_equal(released_by_id(out, "row_id"), want.data, list(df.columns))


needs_mondrian_frequency = pytest.mark.skipif(
    "frequency" not in inspect.signature(sdcore.mondrian).parameters,
    reason="this sdcore build has no frequency= in sdcore.mondrian yet (reinstall the package)")


@needs_mondrian_frequency
@pytest.mark.parametrize("partitions,l", [(5, 1), (1, 2)])
def test_mondrian_adult_equals_single_machine_row_by_row(adult, partitions, l):
    """The cuts come from Spark's merged counts; the reference is sdcore.mondrian on the pandas
    records, with the text quasi-identifiers as sorted categoricals (as documented)."""
    df, sdf, hierarchies = adult
    qis = ["age", "sex", "race", "education", "marital-status"]
    h = {q: hierarchies[q] for q in ["age", "education"]}
    sens = "occupation" if l > 1 else None
    out, summary = ss.mondrian(sdf.repartition(partitions), qis, 10, sensitive=sens, l=l, hierarchies=h)
    ref = df.copy()
    for q in qis:
        ref[q] = pd.Categorical(ref[q], categories=sorted(ref[q].unique()))
    want = sdcore.mondrian(ref, qis, 10, sensitive=sens, l=l, hierarchies=h)
    assert summary["num_partitions"] == want.num_partitions > 100
    assert (summary["min_partition_size"], summary["discernibility"]) == \
        (want.min_partition_size, want.discernibility)
    assert summary["ncp"] == pytest.approx(want.ncp, rel=1e-12)
    got = released_by_id(out, "row_id")
    assert_release_equal(got, want.data.astype({q: str for q in qis}), list(df.columns))


def test_mondrian_refuses_missing_quasi_identifiers(episodes_sdf):
    with pytest.raises(ValueError, match="'postcode_district' is missing in .* record"):
        ss.mondrian(episodes_sdf, ["postcode_district"], 5)


@needs_frequency
def test_results_do_not_depend_on_partitions(episodes, episodes_sdf):
    one, seven = episodes_sdf.repartition(1).cache(), episodes_sdf.repartition(7).cache()
    assert ss.risk(one, QIS, "w").summary == ss.risk(seven, QIS, "w").summary  # dyadic weights: exact
    spec = {"quasi_identifiers": {"age": age_hierarchy(), "postcode_district": {"builder": "postcodes"}},
            "models": {"k": 3}, "suppression_limit": 0.1, "suppressed": "missing"}  # a spec as a dict
    (a, sa), (b, sb) = ss.anonymise(one, spec), ss.anonymise(seven, spec)
    assert sa == sb and sa["suppressed_records"] > 0
    released = released_by_id(a, "episode_id")
    pd.testing.assert_frame_equal(released, released_by_id(b, "episode_id"))
    assert released["age"].isna().sum() >= sa["suppressed_records"]  # suppressed: "missing" in a spec is null
