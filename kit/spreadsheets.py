"""Cells of files people open in a spreadsheet (CSV, XLSX exports), written so that they cannot attack the reader.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel and
LibreOffice (`=HYPERLINK(...)`, DDE). OWASP's rule: such a text gets a leading single quote, which spreadsheets
read as "this is text". Numbers stay numbers, a negative one included, and so does a text that is only a number.
"""

import re
from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")

V = TypeVar("V")


def inert_cell(value: V) -> V | str:
    """`value` as it is, unless it is a text a spreadsheet would run as a formula: then behind a single quote."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _NUMBER.fullmatch(value):
        return value
    return "'" + value
