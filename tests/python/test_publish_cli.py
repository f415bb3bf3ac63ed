"""`sdcore publish` and `sdcore verify` as an analyst and an auditor run them. The rule's promises
are checked here with pandas on the real A&E counts, independently of the library; tampering with
the published file or the certificate must make verify fail."""

import json
import os
import shutil
import subprocess

import pandas as pd
import pytest

EXE = shutil.which("sdcore")
if EXE is None and os.environ.get("SDCORE_REQUIRE_CLI"):
    raise RuntimeError("the sdcore executable is not on PATH")
pytestmark = pytest.mark.skipif(EXE is None, reason="sdcore executable not on PATH")


def run(*args):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True)


def ae_spec(repo, tmp_path):
    spec = tmp_path / "ae.yaml"
    spec.write_text(
        "input: long\n"
        "dimensions:\n  - {column: org_code, total: England}\n  - {column: type, total: All}\n"
        "value: breaches\n"
        f"rule: {repo / 'examples' / 'presets' / 'nhs_hes_ecds_2018.yaml'}\n"
        "national: [org_code]\n")
    return spec


@pytest.fixture(scope="module")
def published(shared_data, repo, tmp_path_factory):
    """March 2019 of NHS England's A&E 4-hour breaches (provider level is sub-national) through
    the NHS HES/ECDS 2018 preset."""
    tmp = tmp_path_factory.mktemp("publish")
    ae = pd.read_csv(shared_data / "nhsr" / "ae_attendances.csv", dtype={"type": str})
    month = ae[ae["period"] == "2019-03-01"]
    src = tmp / "month.csv"
    month.to_csv(src, index=False)
    spec = ae_spec(repo, tmp)
    out = tmp / "published.csv"
    r = run("publish", src, "--spec", spec, "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    return {"month": month, "src": src, "spec": spec, "out": out, "cert": tmp / "published.csv.certificate.json",
            "stdout": r.stdout}


def nearest5(x):
    # Counts are whole numbers, so nearest 5 has no ties: floor((x + 2) / 5) * 5.
    return (x + 2) // 5 * 5


def test_published_figures_follow_the_2018_rule(published):
    m = published["month"]
    out = pd.read_csv(published["out"], dtype=str)
    assert list(out.columns) == ["org_code", "type", "breaches"], "attendances and admissions are not published"
    truth = {}
    for (org, typ), v in m.groupby(["org_code", "type"])["breaches"].sum().items():
        truth[(org, typ)] = v
    for org, v in m.groupby("org_code")["breaches"].sum().items():
        truth[(org, "All")] = v
    for typ, v in m.groupby("type")["breaches"].sum().items():
        truth[("England", typ)] = v
    truth[("England", "All")] = m["breaches"].sum()
    seen = set()
    for r in out.itertuples():
        key = (r.org_code, r.type)
        seen.add(key)
        true = truth.get(key, 0)
        if r.org_code == "England":
            assert int(r.breaches) == true, f"national figures are not altered: {key}"
        elif 1 <= true <= 7:
            assert r.breaches == "*", key
        else:
            # Totals too are rounded from their own unrounded values.
            assert int(r.breaches) == nearest5(true), key
            assert not 1 <= int(r.breaches) <= 7
    assert set(truth) <= seen, "every cell with data, and every total, is published"


def test_certificate_counts_and_audit(published):
    cert = json.loads(published["cert"].read_text())
    out = pd.read_csv(published["out"], dtype=str)
    assert cert["schema"] == "sdcore.certificate/1"
    assert cert["rule"]["name"] == "nhs-hes-ecds-2018"
    assert cert["cells"]["suppressed"] == (out["breaches"] == "*").sum()
    national = (out["org_code"] == "England").sum()
    assert cert["cells"]["exact"] == national
    assert cert["cells"]["rounded"] == len(out) - national - cert["cells"]["suppressed"]
    audit = cert["audit"]
    assert len(audit["suppressed_cells"]) == cert["cells"]["suppressed"]
    # Each '*' means 1..7 under the rule; the attacker's interval lies within it and holds the truth.
    m = published["month"]
    inner = m.set_index(["org_code", "type"])["breaches"]
    for c in audit["suppressed_cells"]:
        assert c["rule_lower"] == 1 and c["rule_upper"] == 7
        assert 1 <= c["lower"] <= c["upper"] <= 7
        key = (c["codes"]["org_code"], c["codes"]["type"])
        if key in inner.index:
            assert c["lower"] - 1e-6 <= inner[key] <= c["upper"] + 1e-6
    assert audit["narrowest_suppressed"] == min(c["upper"] - c["lower"] for c in audit["suppressed_cells"])
    assert "narrowest interval" in published["stdout"]


def test_verify_accepts_the_release_and_rejects_tampering(published, tmp_path):
    ok = run("verify", published["cert"], published["out"], "--input", published["src"])
    assert ok.returncode == 0, ok.stderr
    assert "verified" in ok.stdout
    # One published figure changed by 5 (still a multiple of 5): the hash gives it away.
    text = published["out"].read_text().splitlines()
    row = next(i for i, line in enumerate(text) if line.endswith(",10"))
    tampered = tmp_path / "tampered.csv"
    text[row] = text[row][: -len("10")] + "15"
    tampered.write_text("\n".join(text) + "\n")
    bad = run("verify", published["cert"], tampered)
    assert bad.returncode == 7, bad.stderr
    assert "published file SHA-256" in bad.stderr
    # A certificate whose stated interval was edited: the redone audit disagrees.
    cert = json.loads(published["cert"].read_text())
    cert["audit"]["suppressed_cells"][0]["upper"] += 1
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(cert))
    bad = run("verify", edited, published["out"])
    assert bad.returncode == 7
    assert cert["audit"]["suppressed_cells"][0]["label"] + " upper" in bad.stderr


def test_publish_refuses_a_release_that_gives_a_small_count_away(repo, tmp_path):
    # All of England's 3 cases are at one provider: the national 3 and the published zeros give
    # the '*' away. Nothing may be written but the certificate.
    src = tmp_path / "small.csv"
    src.write_text("org_code,type,breaches\nA,1,3\nB,1,0\nC,1,0\n")
    spec = ae_spec(repo, tmp_path)
    out = tmp_path / "out.csv"
    r = run("publish", src, "--spec", spec, "-o", out, "-q")
    assert r.returncode == 6, r.stderr
    assert not out.exists()
    cert = json.loads((tmp_path / "out.csv.certificate.json").read_text())
    assert cert["audit"]["passed"] is False
    assert cert["audit"]["exact_suppressed"] >= 1
    assert "recomputable: org_code=A, type=1 = 3" in r.stdout


def test_publish_records_with_an_ons_rule_reports_risk(repo, tmp_path):
    data = repo / "examples" / "data" / "hospital_episodes.csv"
    out = tmp_path / "episodes.csv"
    r = run("publish", data, "--spec", repo / "examples" / "cli" / "publish_episodes.yaml", "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    cert = json.loads((tmp_path / "episodes.csv.certificate.json").read_text())
    ep = pd.read_csv(data, dtype=str)
    counts = ep.groupby(["provider", "admission_method"]).size()
    # Inner cells: every provider x method, including empty combinations (tabulate keeps them).
    n_inner = ep["provider"].nunique() * ep["admission_method"].nunique()
    assert cert["risk"]["records"] == len(ep)
    assert cert["risk"]["inner_cells"] == n_inner
    assert cert["risk"]["small_cells"] == ((counts >= 1) & (counts <= 9)).sum()
    assert cert["risk"]["records_in_small_cells"] == counts[(counts >= 1) & (counts <= 9)].sum()
    assert cert["audit"]["passed"] is True
    published = pd.read_csv(out, dtype=str)
    for r_ in published.itertuples():
        if r_.count != "*":
            assert not 1 <= int(r_.count) <= 9
    assert run("verify", tmp_path / "episodes.csv.certificate.json", out).returncode == 0


def test_spec_errors_name_the_key_and_line(repo, tmp_path):
    rule = tmp_path / "rule.yaml"
    rule.write_text("name: mine\nsuppress: {min: 1, max: 7}\nrounding: {method: nearest, base: 5, tie: sideways}\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"input: long\ndimensions: [{{column: org}}]\nvalue: n\nrule: {rule}\n")
    src = tmp_path / "in.csv"
    src.write_text("org,n\na,3\n")
    r = run("publish", src, "--spec", spec, "-o", tmp_path / "o.csv")
    assert r.returncode == 3
    assert "'tie' must be up, down or even" in r.stderr and "line 3" in r.stderr
