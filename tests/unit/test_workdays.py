"""Working days: Monday to Friday minus the holidays given; the day something arrives does not count."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.workdays import add_working_days, is_working_day

# Tết Bính Ngọ 2026: off from Saturday 14 to Sunday 22 February, so Monday 16 to Friday 20 are the holidays.
TET_2026 = {date(2026, 2, 16) + timedelta(days=i) for i in range(5)}
NEW_YEAR_2026 = {date(2026, 1, 1)}
# National Day 2025: Monday 1 and Tuesday 2 September (30–31 August fall on the weekend).
NATIONAL_DAY_2025 = {date(2025, 9, 1), date(2025, 9, 2)}


@pytest.mark.parametrize(
    ("case", "start", "days", "holidays", "due"),
    [
        ("Monday plus one is Tuesday", date(2025, 12, 1), 1, set(), date(2025, 12, 2)),
        ("Friday plus one skips the weekend", date(2025, 12, 5), 1, set(), date(2025, 12, 8)),
        ("arriving on Saturday, Monday is the first day", date(2025, 12, 6), 1, set(), date(2025, 12, 8)),
        ("five working days are a calendar week", date(2025, 12, 3), 5, set(), date(2025, 12, 10)),
        ("zero days is the day itself", date(2025, 12, 6), 0, set(), date(2025, 12, 6)),
        ("across the year end and New Year's Day", date(2025, 12, 31), 2, NEW_YEAR_2026, date(2026, 1, 5)),
        ("across the year end without a holiday", date(2025, 12, 31), 2, set(), date(2026, 1, 2)),
        ("across Tết, from the Friday before", date(2026, 2, 13), 2, TET_2026, date(2026, 2, 24)),
        ("arriving during Tết", date(2026, 2, 17), 1, TET_2026, date(2026, 2, 23)),
        ("across National Day", date(2025, 8, 29), 1, NATIONAL_DAY_2025, date(2025, 9, 3)),
        ("a holiday on a weekend changes nothing", date(2025, 12, 5), 1, {date(2025, 12, 6)}, date(2025, 12, 8)),
    ],
)
def test_a_deadline_counts_working_days_after_arrival(
    case: str, start: date, days: int, holidays: set[date], due: date
) -> None:
    assert add_working_days(start, days, holidays) == due, case


@pytest.mark.parametrize(
    ("day", "holidays", "working"),
    [
        (date(2025, 12, 5), set(), True),  # Friday
        (date(2025, 12, 6), set(), False),  # Saturday
        (date(2025, 12, 7), set(), False),  # Sunday
        (date(2026, 1, 1), NEW_YEAR_2026, False),
        (date(2026, 2, 18), TET_2026, False),
        (date(2026, 2, 23), TET_2026, True),
    ],
)
def test_a_working_day_is_a_weekday_that_is_not_a_holiday(day: date, holidays: set[date], working: bool) -> None:
    assert is_working_day(day, holidays) is working


days = st.dates(date(2024, 1, 1), date(2027, 12, 31))


@given(days, st.integers(1, 60), st.sets(days, max_size=20))
def test_the_due_day_is_the_nth_working_day_after_arrival(start: date, n: int, holidays: set[date]) -> None:
    due = add_working_days(start, n, holidays)
    between = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert is_working_day(due, holidays)
    assert sum(is_working_day(d, holidays) for d in between) == n


@given(days, st.integers(0, 60), st.sets(days, max_size=20))
def test_a_holiday_never_brings_a_deadline_forward(start: date, n: int, holidays: set[date]) -> None:
    assert add_working_days(start, n, holidays) >= add_working_days(start, n, set())
