"""Reading the files offices send (layouts, encodings, cells) and writing cells that never run as a formula (OWASP's
CSV injection rule) while numbers stay numbers."""

import codecs
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from kit.problems import InvalidInput
from kit.spreadsheets import Heading, decode_text, inert_cell, read_table
from tests.spreadsheets import windows_1258

HEADINGS = (
    Heading("name", ("Tên đơn vị",)),
    Heading("valid_from", ("Hiệu lực từ",), kind="date"),
    Heading("value", ("Giá trị",), kind="number"),
    Heading("flag", ("Có/Không",), kind="flag"),
)


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


def _csv(text: str) -> list[dict[str, Any]]:
    return [r.cells for r in read_table(text.encode(), "x.csv", "text/csv", HEADINGS)]


class TestLayouts:
    def test_title_rows_stt_and_blank_lines_are_not_rows_and_lines_are_counted(self) -> None:
        text = "DANH SÁCH ĐƠN VỊ\n\nSTT,Tên đơn vị,Giá trị\n1,Xã A,1\n,,\n2,Xã B,2\n"
        rows = read_table(text.encode(), "x.csv", None, HEADINGS)
        assert [(r.line, r.index, r.cells) for r in rows] == [
            (4, 0, {"name": "Xã A", "value": Decimal(1)}),
            (6, 1, {"name": "Xã B", "value": Decimal(2)}),
        ]

    @pytest.mark.parametrize("header", ["Tên đơn vị", "TEN DON VI", "ten  don vi", "name", "Name", "Tên Đơn Vị"])
    def test_headers_match_without_case_diacritics_or_spacing(self, header: str) -> None:
        assert _csv(f"{header},Giá trị\nXã A,1\n") == [{"name": "Xã A", "value": Decimal(1)}]

    def test_an_unknown_or_repeated_header_is_named(self) -> None:
        with pytest.raises(InvalidInput) as unknown:
            _csv("Tên đơn vị,Giá trị,Điện thoại\nXã A,1,0203\n")
        assert unknown.value.detail.en == "Line 1: Column C “Điện thoại” is not a column of this table"
        with pytest.raises(InvalidInput) as repeated:
            _csv("Tên đơn vị,name\nXã A,Xã B\n")
        assert "repeats column A" in repeated.value.detail.en

    def test_no_header_in_the_first_rows_is_a_422(self) -> None:
        with pytest.raises(InvalidInput) as missing:
            _csv("a,b\n1,2\n")
        assert missing.value.errors[0].parameter == "file"

    @pytest.mark.parametrize(
        ("cell", "read"),
        [
            ("01/07/2025", date(2025, 7, 1)),
            ("1/7/2025", date(2025, 7, 1)),
            ("01-07-2025", date(2025, 7, 1)),
            ("01.07.2025", date(2025, 7, 1)),
            ("2025-07-01", date(2025, 7, 1)),
            ("31/02/2025", "31/02/2025"),  # no such day: left for validation to refuse
            ("tháng 7", "tháng 7"),
        ],
    )
    def test_dates(self, cell: str, read: object) -> None:
        assert _csv(f"Tên đơn vị,Hiệu lực từ\nXã A,{cell}\n")[0]["valid_from"] == read

    @pytest.mark.parametrize(
        ("cell", "read"),
        [("85,5", Decimal("85.5")), ("85.5", Decimal("85.5")), ("-3", Decimal(-3)), ("1 200", Decimal(1200))],
    )
    def test_numbers_with_a_decimal_comma_or_point(self, cell: str, read: object) -> None:
        assert _csv(f'Tên đơn vị;Giá trị\nXã A;"{cell}"\n')[0]["value"] == read

    @pytest.mark.parametrize(
        ("cell", "read"), [("Có", True), ("x", True), ("Đạt", True), ("Không", False), ("0", False), ("?", "?")]
    )
    def test_yes_and_no(self, cell: str, read: object) -> None:
        assert _csv(f"Tên đơn vị,Có/Không\nXã A,{cell}\n")[0]["flag"] == read

    def test_excel_cells_keep_their_types(self) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Báo cáo"])
        sheet.append(["STT", "Tên đơn vị", "Hiệu lực từ", "Giá trị", "Có/Không"])
        sheet.append([1, "Xã A", datetime(2025, 7, 1), 85.5, True])
        buf = io.BytesIO()
        book.save(buf)
        [row] = read_table(buf.getvalue(), "x.xlsx", None, HEADINGS)
        assert row.cells == {"name": "Xã A", "valid_from": date(2025, 7, 1), "value": Decimal("85.5"), "flag": True}
        assert row.line == 3


class TestEncodings:
    def test_utf8_with_or_without_bom_and_windows_1258_read_the_same(self) -> None:
        text = "Tên đơn vị\nPhường Hồng Gai\nXã Đồng Tâm Thượng\n"
        assert decode_text(codecs.BOM_UTF8 + text.encode()) == text
        assert decode_text(text.encode()) == text
        legacy = windows_1258(text)
        assert legacy != text.encode()
        assert decode_text(legacy) == text  # composed (NFC) again

    @pytest.mark.parametrize(
        ("content", "named"),
        [
            ("Tên\nXã A\n".encode("utf-16"), "UTF-16"),
            ("Tên\nXã A\n".encode("utf-16-le"), "UTF-16"),
            ("Tên\nXã A\n".encode("utf-32"), "UTF-32"),
            ("名称\n東京都\n".encode("shift_jis"), "Shift_JIS"),
            ("Nom\nFrançois Ça\n".encode("cp1252"), "Windows-1252"),
        ],
    )
    def test_another_encoding_is_named(self, content: bytes, named: str) -> None:
        with pytest.raises(InvalidInput) as refused:
            decode_text(content)
        assert refused.value.extensions["encoding"] == named
        assert named in refused.value.detail.vi

    def test_a_bom_before_bytes_that_are_not_utf8_is_a_422(self) -> None:
        with pytest.raises(InvalidInput):
            decode_text(codecs.BOM_UTF8 + "Tên".encode("cp1258"))
