"""Seeded synthetic data sets (no real person in them): the same seed gives the same frame on
every platform."""

from __future__ import annotations

import pandas as pd

from sdcore import _core
from sdcore._frame import columns_to_frame


def hospital_episodes(rows: int = 10000, seed: int = 1) -> pd.DataFrame:
    """A record-level hospital-episode extract: episode_id, age, sex, ethnic_group,
    postcode_district, admission_date, diagnosis_chapter, provider, admission_method,
    length_of_stay. Rare combinations occur as in real extracts."""
    return columns_to_frame(_core.hospital_episodes(rows, seed))


def ae_attendances(providers: int = 40, months: int = 12, seed: int = 1) -> pd.DataFrame:
    """Published A&E counts by period, org_code and type (attendances, breaches, admissions),
    shaped like NHS England's monthly statistics."""
    return columns_to_frame(_core.ae_attendances(providers, months, seed))
