"""Comparing result documents (summaries, JSON reports) computed two ways: integers, text and
structure identical, floats to 1e-12 relative (sums taken in another order differ in the last
bits)."""

import pytest


def assert_summaries_equal(got, want, path="summary"):
    """Integers, text and structure identical; floats to 1e-12 relative."""
    if isinstance(want, dict):
        assert got.keys() == want.keys(), path
        for key in want:
            assert_summaries_equal(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want)):
            assert_summaries_equal(g, w, f"{path}[{i}]")
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-12, abs=0, nan_ok=True), path
    else:
        assert got == want, path
