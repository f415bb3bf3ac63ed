"""bench/peers: the independent k-anonymity checker, and (when the peers' venv exists) agreement of
sdcore with pycanon on k, l and t for a 2,000-row sample of adult, run through the benchmark's own
worker processes."""

import importlib.util
import os
import pathlib
import sys

import pandas as pd
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
PEERS = REPO / "bench" / "peers"
VENV = os.environ.get("SDCORE_PEERS_VENV", str(REPO / "build" / "peers-venv"))


def load(name):
    spec = importlib.util.spec_from_file_location(f"peers_{name}", PEERS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(PEERS))  # run.py and worker.py import common by name
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(PEERS))
    return module


def test_checker_on_a_hand_made_frame():
    common = load("common")
    df = pd.DataFrame({"age": ["30", "30", "30", "41", "41", "52"],
                       "sex": ["F", "F", "M", "M", "M", "F"],
                       "occupation": ["a", "b", "a", "a", "c", "b"]})
    # Worked out by hand: the (age, sex) classes are (30,F) x2, (30,M) x1, (41,M) x2, (52,F) x1,
    # so the frame is 1-anonymous; on age alone the classes are 30 x3, 41 x2, 52 x1 -> k = 1;
    # on sex alone F x3, M x3 -> k = 3. Dropping rows 2 and 5 (the two singletons) leaves k = 2.
    assert common.k_of(df, ["age", "sex"]) == 1
    assert common.k_of(df, ["age"]) == 1
    assert common.k_of(df, ["sex"]) == 3
    assert common.k_of(df.drop(index=[2, 5]), ["age", "sex"]) == 2
    assert common.is_k_anonymous(df, ["sex"], 3) and not common.is_k_anonymous(df, ["sex"], 4)
    assert common.k_of(df.iloc[:0], ["sex"]) == 0
    # A missing value is a value of its own, not dropped (pandas' groupby default would drop it).
    with_missing = pd.DataFrame({"sex": ["F", "F", None]})
    assert common.k_of(with_missing, ["sex"]) == 1


@pytest.mark.skipif(not os.path.exists(os.path.join(VENV, "bin", "python")),
                    reason=f"no peers venv at {VENV} (bash bench/peers/setup_venv.sh creates it)")
@pytest.mark.parametrize("task", ["k", "l", "t"])
def test_sdcore_and_pycanon_agree_on_a_sample(task, shared_data, monkeypatch):
    monkeypatch.setenv("SDCORE_SHARED_DATA", str(shared_data))  # the workers read it
    run = load("run")
    peer = run.run_worker(run.venv_python(run.pathlib.Path(VENV)), "pycanon", task, 1, 1, 120, sample=2000)
    ours = run.run_worker(sys.executable, "sdcore", task, 1, 1, 120, sample=2000)
    assert peer["status"] == ours["status"] == "ok", (peer, ours)
    assert peer["rows"] == ours["rows"] == 2000
    assert run.compare(task, peer, ours) is None, (peer["value"], ours["value"])
