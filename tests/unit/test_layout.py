"""The date line of an administrative document under Decree 30/2020/NĐ-CP (Appendix I, item 5): "for days below 10
and months 1 and 2, write a 0 in front" ("Đối với những số chỉ ngày nhỏ hơn 10 và tháng 1, 2 thì phải ghi thêm số
0 ở trước") — months 3 to 9 are written without one."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.awards.documents.layout import date_line


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (date(2025, 12, 22), "Quảng Ninh, ngày 22 tháng 12 năm 2025"),
        (date(2025, 1, 5), "Quảng Ninh, ngày 05 tháng 01 năm 2025"),
        (date(2025, 2, 28), "Quảng Ninh, ngày 28 tháng 02 năm 2025"),
        (date(2025, 3, 1), "Quảng Ninh, ngày 01 tháng 3 năm 2025"),
        (date(2025, 9, 9), "Quảng Ninh, ngày 09 tháng 9 năm 2025"),
        (date(2025, 10, 10), "Quảng Ninh, ngày 10 tháng 10 năm 2025"),
        (date(2026, 1, 1), "Quảng Ninh, ngày 01 tháng 01 năm 2026"),
        (date(2024, 2, 29), "Quảng Ninh, ngày 29 tháng 02 năm 2024"),
    ],
)
def test_the_date_line_pads_days_below_10_and_months_1_and_2(day: date, line: str) -> None:
    assert date_line("Quảng Ninh", day) == line


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_every_date_line_reads_back_as_its_date(day: date) -> None:
    words = date_line("Hạ Long", day).split()
    assert words[:3] == ["Hạ", "Long,", "ngày"]
    assert words[3] == f"{day.day:02d}"
    assert words[5] == (f"0{day.month}" if day.month < 3 else str(day.month))
    assert date(int(words[7]), int(words[5]), int(words[3])) == day
