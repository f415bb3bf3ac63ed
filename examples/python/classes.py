"""Equivalence classes of the bundled hospital extract from Python.

Run from the repository root: python3 examples/python/classes.py
"""

import pathlib

import sdcore

here = pathlib.Path(__file__).resolve().parents[1]
df = sdcore.read_csv(here / "data" / "hospital_episodes.csv")
ec = sdcore.equivalence_classes(df, ["age", "sex", "ethnic_group", "postcode_district"])

uniques = ec.rows["fk"] == 1
print(f"{len(df)} episodes, {ec.num_classes} classes, {uniques.sum()} sample uniques")
print("share of sample uniques by ethnic group (top 5):")
print(uniques.groupby(df["ethnic_group"], observed=True).mean().sort_values(ascending=False).head(5).round(3).to_string())
