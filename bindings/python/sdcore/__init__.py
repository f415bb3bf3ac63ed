"""sdcore: statistical disclosure control for tabular health data.

Record-level data (k-anonymity, risk) and tables (suppression, rounding) in one library, with
a C++ core. Functions take and return pandas DataFrames.

>>> import sdcore
>>> df = sdcore.datasets.hospital_episodes(1000, seed=1)
>>> ec = sdcore.equivalence_classes(df, ["age", "sex", "postcode_district"])
>>> int((ec.rows["fk"] == 1).sum()) > 0
True
"""

from sdcore import datasets, rounding, tables
from sdcore._anonymity import AnonymityMeasures, measure_anonymity
from sdcore._classes import EquivalenceClasses, equivalence_classes
from sdcore._core import __version__
from sdcore._errors import Error, ParseError
from sdcore._io import read_csv, read_csv_text, write_csv
from sdcore._kanon import AnonymisationResult, anonymise
from sdcore._loglinear import LogLinearResult, loglinear_risk
from sdcore._recode import (
    LocalSuppressionResult,
    MicroaggregationResult,
    MondrianResult,
    local_suppression,
    mdav,
    mondrian,
)
from sdcore._risk import RiskResult, risk
from sdcore._suda import SudaResult, suda2

__all__ = [
    "AnonymisationResult",
    "AnonymityMeasures",
    "anonymise",
    "Error",
    "EquivalenceClasses",
    "LocalSuppressionResult",
    "LogLinearResult",
    "MicroaggregationResult",
    "MondrianResult",
    "ParseError",
    "RiskResult",
    "SudaResult",
    "__version__",
    "datasets",
    "rounding",
    "tables",
    "equivalence_classes",
    "local_suppression",
    "loglinear_risk",
    "measure_anonymity",
    "mdav",
    "mondrian",
    "read_csv",
    "read_csv_text",
    "risk",
    "suda2",
    "write_csv",
]
