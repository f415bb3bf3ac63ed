"""Exception types raised by sdcore (bad arguments raise ValueError, files OSError)."""

from __future__ import annotations


class Error(RuntimeError):
    """A failure inside sdcore that is not a bad argument or a file problem."""


class ParseError(ValueError):
    """Malformed input text, with where it is.

    Attributes: ``file``, ``line`` (1-based physical line), ``column`` (1-based field number,
    0 when not tied to one field) and ``text`` (the offending text).
    """

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0, text: str = ""):
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.text = text

    def __reduce__(self):  # keep the location when pickled (multiprocessing, Spark)
        return (type(self), (str(self), self.file, self.line, self.column, self.text))
