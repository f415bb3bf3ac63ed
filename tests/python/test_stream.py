"""sdcore.stream: risk and count tables of a CSV file read chunk by chunk must equal the
in-memory path on the same file (the reference: sdcore.read_csv of the whole file, then
sdcore.risk / sdcore.tables.tabulate, themselves checked against sdcMicro and hand counts
elsewhere). Chunks are made small so that every file is cut many times."""

import math

import numpy as np
import pandas as pd
import pytest

import sdcore
import sdcore.stream as st
from sdcore import tables

QIS = ["age", "sex", "postcode_district", "admission_method"]


def _same_summary(got: dict, want: dict):
    for key, w in want.items():
        g = got[key]
        if isinstance(w, float) and not math.isnan(w):
            assert g == pytest.approx(w, rel=1e-12, abs=1e-15), key
        elif isinstance(w, dict):
            assert g.keys() == w.keys(), key
            for k in w:
                if isinstance(w[k], float):
                    assert g[k] == pytest.approx(w[k], rel=1e-12, abs=1e-15), (key, k)
                elif not isinstance(w[k], dict):
                    assert g[k] == w[k], (key, k)
        else:
            assert g == w, key


def test_risk_of_the_bundled_episodes_equals_the_in_memory_risk(repo):
    path = repo / "examples" / "data" / "hospital_episodes.csv"
    whole = sdcore.read_csv(path, dtype={q: "categorical" for q in QIS})
    want = sdcore.risk(whole, QIS)
    seen = []
    got = st.risk_csv(path, QIS, chunk_bytes=50_000, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 20  # the 1.9 MB file was really cut into many chunks
    assert seen[-1][0] == seen[-1][1] == path.stat().st_size
    _same_summary(got.summary, want.summary)
    assert got.summary["records"] == 20000
    # one row per class: fk summed over the classes' rows gives back the per-record table
    assert int(got.records["fk"].sum()) == want.records.groupby("class_id")["fk"].first().sum()


def test_weighted_risk_of_sdcmicro_testdata_equals_the_in_memory_risk(shared_data, tmp_path):
    src = shared_data / "sdcmicro" / "testdata.csv"
    keys = ["urbrur", "roof", "walls", "water", "electcon", "relat", "sex"]
    whole = sdcore.read_csv(src, dtype={**{q: "categorical" for q in keys}, "sampling_weight": "numeric"})
    for missing in ("own", "any"):
        want = sdcore.risk(whole, keys, "sampling_weight", missing=missing)
        got = st.risk_csv(src, keys, "sampling_weight", chunk_bytes=20_000, missing=missing)
        _same_summary(got.summary, want.summary)


def test_quoted_newlines_crlf_and_a_record_longer_than_a_chunk(tmp_path):
    rng = np.random.default_rng(5)
    rows = []
    for i in range(3000):
        sex = ["F", "M"][int(rng.integers(2))]
        area = f'"A{int(rng.integers(40))}\r\nline two, with comma"' if i % 7 == 0 else f"A{int(rng.integers(40))}"
        note = '"' + "x" * 5000 + '"' if i == 1500 else "n"
        rows.append(f"{sex},{area},{note}")
    path = tmp_path / "quoted.csv"
    path.write_bytes(("sex,area,note\r\n" + "\r\n".join(rows) + "\r\n").encode())
    whole = sdcore.read_csv(path, dtype={"sex": "categorical", "area": "categorical"})
    assert len(whole) == 3000
    want = sdcore.risk(whole, ["sex", "area"])
    got = st.risk_csv(path, ["sex", "area"], chunk_bytes=1000)
    _same_summary(got.summary, want.summary)
    counts = st.class_counts_csv(path, ["sex", "area"], chunk_bytes=1000)
    assert counts["n"].sum() == 3000
    assert any("\r\nline two" in a for a in counts["area"])


def test_a_malformed_line_is_reported_at_its_line_in_the_file(tmp_path):
    lines = ["a,b"] + [f"{i % 5},{i % 3}" for i in range(2000)]
    lines[1234] = "7"  # file line 1235: one field where two are expected
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(sdcore.ParseError) as e:
        st.risk_csv(path, ["a", "b"], chunk_bytes=300)
    assert e.value.line == 1235
    assert e.value.file == str(path)
    assert str(e.value).startswith(f"{path}:1235:")


@pytest.mark.parametrize("bad, what", [(0.0, "zero"), (-1.5, "negative"), ("", "missing")])
def test_a_bad_weight_is_reported_at_its_line_in_the_file(tmp_path, bad, what):
    # Record 1,501 (1-based) sits in a late block: the in-memory path names it as row 1501; the
    # streamed one, which never holds the rows, names its place in the file: line 1502 (after the
    # header), field 3.
    lines = ["a,b,w"] + [f"{i % 5},{i % 3},{1 + i % 4}" for i in range(2000)]
    lines[1501] = f"1,1,{bad}"
    path = tmp_path / "weights.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=rf"weight of row 1501 \(1-based\) is {what}"):
        sdcore.risk(sdcore.read_csv(path), ["a", "b"], "w")
    with pytest.raises(sdcore.ParseError) as streamed:
        st.risk_csv(path, ["a", "b"], "w", chunk_bytes=300)
    assert (streamed.value.file, streamed.value.line, streamed.value.column) == (str(path), 1502, 3)
    assert str(streamed.value).startswith(f"{path}:1502:3: weight in column 'w' is {what}")


def test_csv_chunks_reassemble_the_file(tmp_path):
    # Quoted newlines, CRLF and a record longer than a chunk: the chunks put together are the file.
    # (A chunk is at least one 64 kB read, so the file is made a few of those long.)
    rows = [f'{i % 2},"a{i}\r\nb, c",{"x" * (70_000 if i == 1500 else 1)}' for i in range(3000)]
    path = tmp_path / "q.csv"
    path.write_bytes(("k,t,u\r\n" + "\r\n".join(rows) + "\r\n").encode())
    dtype = {"k": "categorical", "t": "categorical", "u": "categorical"}
    chunks = list(st.csv_chunks(path, chunk_bytes=500, dtype=dtype))
    assert len(chunks) >= 3
    whole = sdcore.read_csv(path, dtype=dtype)
    got = pd.concat([c.astype(str) for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(got, whole.astype(str))


def test_empty_and_header_only_files_are_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(sdcore.ParseError, match="empty"):
        st.risk_csv(empty, ["a"])
    header = tmp_path / "header.csv"
    header.write_text("a,b\n")
    with pytest.raises(ValueError, match="no records"):
        st.risk_csv(header, ["a"])
    with pytest.raises(ValueError, match="no column"):
        st.risk_csv(tables_file(tmp_path), ["nope"])


def tables_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\nx,1\ny,2\nx,2\n")
    return path


def test_count_table_equals_the_in_memory_table_cell_by_cell(repo):
    path = repo / "examples" / "data" / "hospital_episodes.csv"
    dims = ["provider", "admission_method"]
    whole = sdcore.read_csv(path, dtype={d: "categorical" for d in dims})
    want = tables.tabulate(whole, dims).frame
    got = st.tabulate_csv(path, dims, chunk_bytes=40_000).frame
    key = lambda f: f.assign(**{d: f[d].astype(str) for d in dims}).set_index(dims).sort_index()
    w, g = key(want), key(got)
    assert len(g) == len(w) > 100
    assert g.index.equals(w.index)
    np.testing.assert_array_equal(g["count"].to_numpy(), w["count"].to_numpy())
    np.testing.assert_array_equal(g["records"].to_numpy(), w["records"].to_numpy())
    np.testing.assert_array_equal(g["contributors"].to_numpy(), w["contributors"].to_numpy())
    # the 1..7 rule flags the same cells on both
    pw = tables.tabulate(whole, dims).primary(frequency=7)
    pg = st.tabulate_csv(path, dims, chunk_bytes=40_000).primary(frequency=7)
    assert sorted(map(str, key(pw)[key(pw)["status"] != "safe"].index)) == \
        sorted(map(str, key(pg)[key(pg)["status"] != "safe"].index))


def test_frequency_argument_checks():
    df = pd.DataFrame({"a": ["x", "y", "x"], "n": [2, 0, 1]})
    with pytest.raises(ValueError, match="at least 1"):
        sdcore.risk(df, ["a"], frequency="n")
    df["n"] = [2.5, 1, 1]
    with pytest.raises(ValueError, match="whole number"):
        sdcore.equivalence_classes(df, ["a"], frequency="n")
    df["n"] = [2, 3, 1]
    ec = sdcore.equivalence_classes(df, ["a"], frequency="n")
    assert ec.classes["count"].tolist() == [3, 3]  # x: 2 + 1, y: 3 (by hand)
    with pytest.raises(ValueError, match="household"):
        sdcore.risk(df.assign(h=[1, 2, 3]), ["a"], household="h", frequency="n")
