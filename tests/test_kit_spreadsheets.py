"""A spreadsheet cell never runs as a formula (OWASP's CSV injection rule), and numbers stay numbers."""

from decimal import Decimal

import pytest

from kit.spreadsheets import inert_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("+84912345678", "'+84912345678"),
        ("Phường Hồng Gai", "Phường Hồng Gai"),
        ("a=b", "a=b"),
        ("", ""),
        ("-12.50", "-12.50"),
        ("-3", "-3"),
        ("-1e-05", "-1e-05"),
        ("-.5", "-.5"),
        (-12, -12),
        (-1.5, -1.5),
        (Decimal("-0.25"), Decimal("-0.25")),
        (None, None),
    ],
)
def test_formula_starts_are_quoted_and_numbers_kept(value: object, written: object) -> None:
    assert inert_cell(value) == written
    assert type(inert_cell(value)) is type(written)
