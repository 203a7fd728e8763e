"""Award rule evaluation over gathered facts: each kind of condition, what it expects, what it found, pass or fail;
and the places of a group against its cap and quota."""

import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from services.awards.rules.evaluate import Fact, Facts, check, limit_of, ordering_key, place
from services.awards.rules.schemas import Better, Condition, Group, Standing
from services.awards.vocabulary import RecordKind

CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)
UNIT = uuid.UUID(int=1)
BLOC, OTHER_BLOC = uuid.UUID(int=10), uuid.UUID(int=11)
EXCELLENT = "Hoàn thành xuất sắc nhiệm vụ"


def facts(**fields: Any) -> Facts:
    unit = {"unit_id": UNIT, "name": "Phường Hồng Gai", "kind": "ward", "level": "commune", "bloc_ids": [BLOC]}
    return Facts(year=2025, units=[unit], **fields)


def score(score100: str, band: str = "Tốt") -> dict[uuid.UUID, dict[str, Any]]:
    return {UNIT: {"score100": Decimal(score100), "total": Decimal(score100) * 2, "index_value": None, "band_vi": band}}


def ratings(*years: int, value: str = EXCELLENT) -> dict[uuid.UUID, list[Fact]]:
    return {UNIT: [Fact(RecordKind.RATING, y, value) for y in years]}


def history(*facts_: tuple[RecordKind, int, str]) -> dict[uuid.UUID, list[Fact]]:
    return {UNIT: [Fact(k, y, v) for k, y, v in facts_]}


DISCIPLINE, INITIATIVE = RecordKind.DISCIPLINE, RecordKind.INITIATIVE


@pytest.mark.parametrize(
    ("case", "condition", "given_facts", "expected", "actual", "passed"),
    [
        ("score at the bound", {"kind": "score", "value": "90"}, facts(scores=score("90")), ">= 90", "90", True),
        ("score below", {"kind": "score", "value": "90"}, facts(scores=score("89.99")), ">= 90", "89.99", False),
        ("strictly above", {"kind": "score", "op": ">", "value": "90"}, facts(scores=score("90")), "> 90", "90", False),
        ("no score", {"kind": "score", "value": "50"}, facts(), ">= 50", None, False),
        (
            "total",
            {"kind": "score", "measure": "total", "value": "150"},
            facts(scores=score("80")),
            ">= 150",
            "160",
            True,
        ),
        (
            "band",
            {"kind": "band", "labels": ["Tốt", "Xuất sắc"]},
            facts(scores=score("80")),
            "Tốt, Xuất sắc",
            "Tốt",
            True,
        ),
        ("other band", {"kind": "band", "labels": ["Xuất sắc"]}, facts(scores=score("80")), "Xuất sắc", "Tốt", False),
        (
            "indicator at most",
            {"kind": "indicator", "code": "H.1", "op": "<=", "value": "5"},
            facts(indicators={"H.1": {UNIT: Decimal("4.50")}}),
            "<= 5",
            "4.5",
            True,
        ),
        (
            "indicator not reported",
            {"kind": "indicator", "code": "H.1", "op": "=", "value": "1"},
            facts(indicators={"H.1": {UNIT: None}}),
            "= 1",
            None,
            False,
        ),
        (
            "unit kind",
            {"kind": "unit", "unit_kinds": ["ward", "commune"]},
            facts(),
            "ward, commune",
            "ward/commune",
            True,
        ),
        ("unit level", {"kind": "unit", "levels": ["district"]}, facts(), "district", "ward/commune", False),
        ("in a bloc", {"kind": "unit", "bloc_ids": [str(BLOC)]}, facts(), str(BLOC), "ward/commune", True),
        (
            "other bloc",
            {"kind": "unit", "bloc_ids": [str(OTHER_BLOC)]},
            facts(),
            str(OTHER_BLOC),
            "ward/commune",
            False,
        ),
        (
            "registered",
            {"kind": "registration"},
            facts(registrations={UNIT: {"status": "approved", "pilot": False}}),
            "approved",
            "approved",
            True,
        ),
        (
            "registered, not a pilot",
            {"kind": "registration", "pilot": True},
            facts(registrations={UNIT: {"status": "approved", "pilot": False}}),
            "approved",
            "approved",
            False,
        ),
        (
            "pilot",
            {"kind": "registration", "pilot": True},
            facts(registrations={UNIT: {"status": "approved", "pilot": True}}),
            "approved",
            "approved (chỉ đạo điểm)",
            True,
        ),
        ("not registered", {"kind": "registration"}, facts(), "approved", None, False),
        (
            "three years in a row up to the rule's year",
            {"kind": "consecutive", "record": "rating", "values": [EXCELLENT], "years": 3},
            facts(history=ratings(2023, 2024, 2025)),
            ">= 3",
            "3",
            True,
        ),
        (
            "a gap breaks the run",
            {"kind": "consecutive", "record": "rating", "values": [EXCELLENT], "years": 3},
            facts(history=ratings(2022, 2023, 2025)),
            ">= 3",
            "1",
            False,
        ),
        (
            "the run must reach the rule's year",
            {"kind": "consecutive", "record": "rating", "values": [EXCELLENT], "years": 2},
            facts(history=ratings(2022, 2023, 2024)),
            ">= 2",
            "0",
            False,
        ),
        (
            "another rating does not count",
            {"kind": "consecutive", "record": "rating", "values": [EXCELLENT], "years": 2},
            facts(history={UNIT: [Fact("rating", 2024, EXCELLENT), Fact("rating", 2025, "Hoàn thành tốt nhiệm vụ")]}),
            ">= 2",
            "0",
            False,
        ),
        (
            "two initiatives within three years",
            {"kind": "count", "record": "initiative", "min": 2, "years": 3},
            facts(
                history=history((INITIATIVE, 2023, "cơ sở"), (INITIATIVE, 2025, "tỉnh"), (INITIATIVE, 2022, "cơ sở"))
            ),
            ">= 2",
            "2",
            True,
        ),
        (
            "an initiative before the window does not count",
            {"kind": "count", "record": "initiative", "min": 2, "years": 2},
            facts(history=history((INITIATIVE, 2023, "cơ sở"), (INITIATIVE, 2025, "tỉnh"))),
            ">= 2",
            "1",
            False,
        ),
        (
            "counting only the listed values",
            {"kind": "count", "record": "initiative", "values": ["tỉnh"], "years": 5},
            facts(history=history((INITIATIVE, 2023, "cơ sở"), (INITIATIVE, 2025, "tỉnh"))),
            ">= 1",
            "1",
            True,
        ),
        ("no discipline at all", {"kind": "no_discipline"}, facts(), "không / none", "không", True),
        (
            "a reprimand this year disqualifies",
            {"kind": "no_discipline"},
            facts(history=history((DISCIPLINE, 2025, "Khiển trách"))),
            "không / none",
            "Khiển trách",
            False,
        ),
        (
            "a reprimand below the level counted",
            {"kind": "no_discipline", "from_level": "Cảnh cáo"},
            facts(history=history((DISCIPLINE, 2025, "Khiển trách"))),
            "không / none",
            "Khiển trách",
            True,
        ),
        (
            "a warning last year is outside a one-year window",
            {"kind": "no_discipline"},
            facts(history=history((DISCIPLINE, 2024, "Cảnh cáo"))),
            "không / none",
            "không",
            True,
        ),
        (
            "a warning last year is inside a two-year window",
            {"kind": "no_discipline", "years": 2},
            facts(history=history((DISCIPLINE, 2024, "Cảnh cáo"))),
            "không / none",
            "Cảnh cáo",
            False,
        ),
    ],
)
def test_each_condition_reports_what_it_expected_and_found(
    case: str, condition: dict[str, Any], given_facts: Facts, expected: str, actual: str | None, passed: bool
) -> None:
    found = check(CONDITION.validate_python(condition), given_facts.units[0], given_facts)
    assert (found.kind, found.expected, found.actual, found.passed) == (condition["kind"], expected, actual, passed), (
        case
    )
    assert found.description_vi
    assert found.description_en


def group(cap: int | None = None, quota: str | None = None) -> Group:
    return Group.model_validate(
        {"key": "G", "label": "Nhóm", "cap": {"max": cap}, "quota": None if quota is None else {"share": quota}}
    )


@pytest.mark.parametrize(
    ("cap", "quota", "considered", "limit"),
    [
        (None, None, 10, None),
        (3, None, 10, 3),
        (None, "0.2", 12, 2),  # 20 % of 12 is 2.4, rounded down
        (None, "0.15", 7, 1),  # 1.05
        (None, "0.15", 6, 0),  # 0.9: nobody
        (2, "0.5", 10, 2),  # the lower of cap and quota
        (5, "0.3", 10, 3),
    ],
)
def test_the_limit_is_the_lower_of_cap_and_quota_rounded_down(
    cap: int | None, quota: str | None, considered: int, limit: int | None
) -> None:
    assert limit_of(group(cap, quota), considered) == limit


S, T, B = Standing.SELECTED, Standing.TIED, Standing.BEYOND


def keys(*scores: int) -> list[Any]:
    return [ordering_key([(Decimal(s), Better.HIGHER)]) for s in scores]


@pytest.mark.parametrize(
    ("scores", "limit", "ranks", "standings"),
    [
        ((95, 90, 85), None, [1, 2, 3], [S, S, S]),
        ((95, 90, 85), 2, [1, 2, 3], [S, S, B]),
        ((95, 90, 90, 85), 2, [1, 2, 2, 4], [S, T, T, B]),  # equal across the cap: the council chooses
        ((95, 90, 90, 85), 3, [1, 2, 2, 4], [S, S, S, B]),  # equal within the cap: both selected
        ((90, 90, 90), 1, [1, 1, 1], [T, T, T]),
        ((95, 90), 0, [1, 2], [B, B]),
        ((95, 90), 5, [1, 2], [S, S]),
    ],
)
def test_competition_ranks_and_standings_against_the_limit(
    scores: tuple[int, ...], limit: int | None, ranks: list[int], standings: list[Standing]
) -> None:
    placings = place(keys(*scores), limit)
    assert [p.rank for p in placings] == ranks
    assert [p.standing for p in placings] == standings


def test_a_missing_value_sorts_after_every_value_and_lower_can_be_better() -> None:
    higher = [ordering_key([(v, Better.HIGHER)]) for v in (Decimal(5), None, Decimal(-100))]
    assert sorted(higher) == [higher[0], higher[2], higher[1]]
    lower = [ordering_key([(v, Better.LOWER)]) for v in (Decimal(5), None, Decimal(-100))]
    assert sorted(lower) == [lower[2], lower[0], lower[1]]


@given(st.lists(st.integers(0, 5), max_size=15).map(sorted).map(lambda s: s[::-1]), st.none() | st.integers(0, 16))
def test_never_more_than_the_limit_selected_and_ties_never_split(scores: list[int], limit: int | None) -> None:
    placings = place(keys(*scores), limit)
    selected = [s for s, p in zip(scores, placings, strict=True) if p.standing == S]
    if limit is not None:
        assert len(selected) <= limit
    for s, p in zip(scores, placings, strict=True):  # equal scores stand alike
        assert all(q.standing == p.standing for t, q in zip(scores, placings, strict=True) if t == s)
    tied = sum(p.standing == T for p in placings)
    if limit is None or limit >= len(scores):
        assert tied == 0
        assert len(selected) == len(scores)
    elif tied == 0:
        assert len(selected) == limit
