"""Re-identification risk of the bundled hospital extract, with an HTML report for an auditor.

Run from the repository root: python3 examples/python/risk_report.py
Writes out/risk_report_python.html.
"""

import pathlib

import sdcore

root = pathlib.Path(__file__).resolve().parents[2]
df = sdcore.read_csv(root / "examples" / "data" / "hospital_episodes.csv")
keys = ["age", "sex", "ethnic_group", "postcode_district"]

# The extract is a 5% sample of a population of 400,000 admissions (an assumption for the
# population-uniqueness estimators).
r = sdcore.risk(df, keys, population_size=400_000)
s = r.summary
print(f"{s['sample_uniques']} sample uniques of {s['records']} records; "
      f"expected re-identifications {s['expected_reidentifications']:.1f}")
dankar = s["population_uniqueness"]["dankar"]
print(f"estimated population uniques ({dankar['model_used']}): {dankar['population_uniques']:.0f}")

# Which records stand out, and which attributes make them stand out (SUDA2).
suda = sdcore.suda2(df, keys)
print("highest SUDA scores:")
print(df.join(suda.records)[keys + ["suda_score"]].nlargest(3, "suda_score").to_string())

out = root / "out"
out.mkdir(exist_ok=True)
(out / "risk_report_python.html").write_text(r.to_html(), encoding="utf-8")
print(f"report: {out / 'risk_report_python.html'}")
