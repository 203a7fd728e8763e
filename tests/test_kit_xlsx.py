"""Workbooks as an office files them: header, formats, frozen panes, inert texts, Vietnam time; how a download is
named; how a caller asks for one."""

import io
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kit.xlsx import Column, Sheet, _accepts_xlsx, attachment

SHEET = Sheet(
    [
        Column("Đơn vị", "name"),
        Column("Điểm", "score", "score"),
        Column("Ngày ký", "signed_on", "date"),
        Column("Tính lúc", "at", "datetime"),
        Column("Đạt", "ok", "flag"),
        Column("Giao ước", "items"),
    ]
)
ROW = {
    "name": '=HYPERLINK("http://x","y")',
    "score": Decimal("93.7563"),
    "signed_on": date(2025, 12, 5),
    "at": datetime(2025, 12, 31, 20, 30, tzinfo=UTC),
    "ok": True,
    "items": ["Một", "Hai"],
}


def _open(content: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_without_a_title_the_header_is_row_1_and_frozen() -> None:
    sheet = _open(SHEET.render([ROW]))
    assert [c.value for c in sheet[1]] == ["Đơn vị", "Điểm", "Ngày ký", "Tính lúc", "Đạt", "Giao ước"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    name, score, signed, at, ok, items = (c.value for c in sheet[2])
    assert name == '\'=HYPERLINK("http://x","y")'  # a text, never a formula
    assert (score, sheet["B2"].number_format) == (pytest.approx(93.7563), "0.00")
    assert (signed, sheet["C2"].number_format) == (datetime(2025, 12, 5), "dd/mm/yyyy")
    assert at == datetime(2026, 1, 1, 3, 30)  # 20:30 UTC is 03:30 the next day in Vietnam
    assert (ok, items) == ("Có", "Một; Hai")


def test_with_a_title_the_frozen_rows_end_under_the_header() -> None:
    sheet = _open(SHEET.render([ROW], title="Danh sách"))
    assert (sheet["A1"].value, sheet["A2"].value, sheet.freeze_panes) == ("Danh sách", "Đơn vị", "A3")


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("Xếp hạng Quý 3.xlsx", "Xep hang Quy 3.xlsx"),
        ("Danh sách QĐ 01-QĐ-UBND.xlsx", "Danh sach QD 01-QD-UBND.xlsx"),
        ('a"b\\c.xlsx', "a_b_c.xlsx"),
    ],
)
def test_a_download_has_an_ascii_name_and_the_real_one(name: str, plain: str) -> None:
    disposition = attachment(name)
    assert disposition.startswith(f"attachment; filename=\"{plain}\"; filename*=UTF-8''")
    assert disposition.isascii()


@pytest.mark.parametrize(
    ("accept", "wanted"),
    [
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True),
        ("application/json, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.5", True),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0", False),
        ("*/*", False),
        ("", False),
    ],
)
def test_accept_asks_for_a_workbook_only_by_name(accept: str, wanted: bool) -> None:
    assert _accepts_xlsx(accept) is wanted


def test_a_large_sheet_streams() -> None:
    rows = [ROW | {"name": f"Đơn vị {i}", "score": Decimal(i % 100)} for i in range(20_000)]
    started = time.perf_counter()
    content = SHEET.render(rows, title="20.000 dòng")
    print(f"20,000 rows x 6 columns: {len(content) / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 20_002


def test_the_same_rows_give_the_same_bytes_whenever_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    """No time of saving inside (openpyxl stamps core.xml, zipfile every member): the ETag of a download holds."""
    first = SHEET.render([ROW], title="Bảng xếp hạng")
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)  # zipfile reads the clock through time.time
    again = SHEET.render([ROW], title="Bảng xếp hạng")
    assert again == first
    assert SHEET.render([ROW | {"name": "Khác"}], title="Bảng xếp hạng") != first
    assert _open(again)["A1"].value == "Bảng xếp hạng"
