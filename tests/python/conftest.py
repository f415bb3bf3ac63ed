import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("SDCORE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> pathlib.Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared test data not found at {SHARED} (set SDCORE_SHARED_DATA)")
    return SHARED


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    return REPO
