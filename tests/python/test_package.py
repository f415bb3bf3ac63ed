import re

import sdcore


def test_version_is_semver():
    assert re.fullmatch(r"\d+\.\d+\.\d+", sdcore.__version__)


def test_public_names():
    for name in ["read_csv", "write_csv", "equivalence_classes", "ParseError", "datasets"]:
        assert hasattr(sdcore, name)
    assert issubclass(sdcore.ParseError, ValueError)
