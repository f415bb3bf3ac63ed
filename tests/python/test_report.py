"""The risk report: JSON document, HTML page, and the page as headless Chromium renders it."""

import json
import os
import re
import shutil
import subprocess

import pytest

import sdcore

KEYS = ["urbrur", "roof", "walls", "water", "sex"]


@pytest.fixture(scope="module")
def result(shared_data):
    df = sdcore.read_csv(shared_data / "sdcmicro" / "testdata.csv")
    return sdcore.risk(df, KEYS, "sampling_weight", "ori_hid")


def test_json_document_matches_summary(result):
    doc = json.loads(result.to_json())
    assert doc["schema"] == "sdcore.risk/1"
    for field in ["records", "classes", "sample_uniques", "expected_reidentifications", "threshold"]:
        assert doc[field] == result.summary[field]
    assert sum(d["records"] for d in doc["class_size_distribution"]) == doc["records"]
    assert sum(b["records"] for b in doc["risk_distribution"]) == doc["records"]
    assert [c["attribute"] for c in doc["attribute_contributions"]] == KEYS
    assert doc["attacker"] == result.summary["attacker"]


def test_html_is_self_contained(result):
    html = result.to_html()
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    # class sizes, risk bands, records above the threshold (3 bars), attributes
    assert html.count('class="bar"') == 6 + 7 + 3 + len(KEYS)


def _chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None and os.environ.get("SDCORE_REQUIRE_CHROMIUM"):
        pytest.fail("chromium is required for the report test (scripts/install_deps.sh installs it)")
    if exe is None:
        pytest.skip("chromium not installed")
    return exe


def test_chromium_renders_the_figures(result, tmp_path):
    exe = _chromium()
    page = tmp_path / "report.html"
    page.write_text(result.to_html(), encoding="utf-8")
    common = [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
              f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(common + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = re.sub(r"<[^>]+>", " ", dom.stdout)
    s = result.summary
    assert "Re-identification risk report" in text
    assert f"{s['expected_reidentifications']:.4f}" in text
    assert f"{s['sample_uniques']} (" in text
    assert len(re.findall(r'<rect class="bar"', dom.stdout)) == 6 + 7 + 3 + len(KEYS)
    at_risk = round(s["attacker"]["prosecutor"]["records_at_risk"] * s["records"])
    assert re.search(rf'id="records-at-risk".*?data-value="{at_risk}"', dom.stdout, re.S)
    shot = tmp_path / "report.png"
    r = subprocess.run(common + [f"--screenshot={shot}", "--window-size=1100,1600", page.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_population_uniqueness_in_summary_json_and_html(shared_data):
    df = sdcore.read_csv(shared_data / "adult" / "adult.csv")
    r = sdcore.risk(df, list(df.columns), population_size=301620)
    u = r.summary["population_uniqueness"]
    assert u["population_size"] == 301620 and u["population_size_source"] == "given"
    assert u["dankar"]["model_used"] == "pitman"  # Dankar et al.: sampling fraction 0.1
    assert u["dankar"]["population_uniques"] == u["pitman"]["population_uniques"]
    doc = json.loads(r.to_json())
    assert doc["population_uniqueness"]["zayatz"]["population_uniques"] == pytest.approx(
        u["zayatz"]["population_uniques"], rel=1e-12)
    assert "Population uniqueness" in r.to_html()
    assert sdcore.risk(df, ["sex"]).summary["population_uniqueness"] is None
