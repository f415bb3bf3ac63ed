"""A published count table: its small cells, why hiding only them is not enough, and a pattern that is.

Run from the repository root: python3 examples/python/tables.py
Uses the bundled synthetic A&E counts (examples/data/ae_attendances.csv).
"""

import pathlib

import pandas as pd

import sdcore

here = pathlib.Path(__file__).resolve().parents[1]
ae = pd.read_csv(here / "data" / "ae_attendances.csv", dtype={"type": str})
month = ae[ae["period"] == ae["period"].min()]

# Provider x type breaches with every margin, then the NHS small-number rule (1..7 unsafe).
t = sdcore.tables.from_long(month, ["org_code", "type"], "breaches", totals={"org_code": "All", "type": "All"})
p = t.primary(frequency=7)
print(f"{month['period'].iloc[0]}: {len(t)} cells, {int((p['status'] == 'primary').sum())} with 1-7 breaches")

# Publishing with only those cells hidden: the audit recomputes some of them from the margins.
a = t.audit(p)
exact = a[a["verdict"] == "exact"]
print(f"hidden alone, {len(exact)} of {len(a)} can be recomputed exactly, e.g.:")
for _, row in exact.head(3).iterrows():
    print(f"  {row['org_code']} type {row['type']}: {row['breaches']:.0f}, because {row['why'].split('; ')[0]}")

# Secondary suppression: the fewest extra cells (proven optimal, or the gap at the time limit),
# keeping the grand total published; then the independent audit of the whole pattern.
s = t.suppress(p, method="optimal", cost="cells", time_limit=60, never_suppress=[{}])
gap = "proven optimal" if s.attrs["optimal"] else f"gap {s.attrs['gap']:.1%}"
print(f"optimal: {s.attrs['num_secondary']} secondary cells ({gap}) in {s.attrs['seconds']:.2f} s")
fast = t.suppress(p, method="hypercube", cost="cells", never_suppress=[{}])
print(f"hypercube (fast, not optimal): {fast.attrs['num_secondary']} secondary cells")
proof = t.audit(s)
print(f"audit: every suppressed cell protected: {proof.attrs['all_protected']}")

# What is published: the suppressed cells as '*'.
hidden = s["status"].isin(["primary", "secondary"])
release = s[["org_code", "type"]].assign(breaches=s["breaches"].astype("Int64").astype(str).where(~hidden, "*"))
print(release.head(8).to_string(index=False))
