"""The long-run switch of the property tests (scripts/long_tests.sh): SDCORE_LONG_TESTS=N runs N
times the random cases CI runs, continuing the same seeded streams."""

import os


def long_run(ci: int) -> int:
    factor = os.environ.get("SDCORE_LONG_TESTS", "")
    return ci * int(factor) if factor.isdigit() and int(factor) > 1 else ci
