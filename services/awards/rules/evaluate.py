"""Evaluating a rule over facts already gathered: pure, so every figure in an explanation can be traced."""

import math
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.awards.rules.schemas import (
    BandCondition,
    Candidate,
    Check,
    Condition,
    ConsecutiveCondition,
    CountCondition,
    Group,
    GroupResult,
    IndicatorCondition,
    Measure,
    NoDisciplineCondition,
    Op,
    Order,
    RegistrationCondition,
    RuleIn,
    ScoreCondition,
    UnitCondition,
)
from services.awards.vocabulary import RecordKind

OPS: dict[Op, Callable[[Decimal, Decimal], bool]] = {
    Op.GE: lambda a, b: a >= b,
    Op.GT: lambda a, b: a > b,
    Op.LE: lambda a, b: a <= b,
    Op.LT: lambda a, b: a < b,
    Op.EQ: lambda a, b: a == b,
}
MEASURE_LABELS = {
    Measure.SCORE100: ("Điểm (thang 100)", "Score over 100"),
    Measure.TOTAL: ("Tổng điểm", "Total points"),
    Measure.INDEX_VALUE: ("Giá trị chỉ số", "Index value"),
}
RECORD_LABELS = {
    RecordKind.RATING: ("xếp loại", "ratings"),
    RecordKind.TITLE: ("danh hiệu/hình thức khen thưởng", "titles or awards"),
    RecordKind.INITIATIVE: ("sáng kiến", "initiatives"),
    RecordKind.DISCIPLINE: ("kỷ luật", "disciplines"),
}


@dataclass(frozen=True)
class Fact:
    kind: str
    year: int
    value: str


@dataclass
class Facts:
    """Everything a rule reads, fetched once per evaluation."""

    year: int
    units: Sequence[Mapping[str, Any]]  # unit_id, name, kind, level, bloc_ids
    # the same keys, and subject_type; kind and level are a collective's unit's (a person's kind is the subject type)
    nominees: Sequence[Mapping[str, Any]] = field(default_factory=list)
    scores: Mapping[uuid.UUID, Mapping[str, Any]] = field(default_factory=dict)  # score100, total, index_value, band_vi
    indicators: Mapping[str, Mapping[uuid.UUID, Decimal | None]] = field(default_factory=dict)
    registrations: Mapping[uuid.UUID, Mapping[str, Any]] = field(default_factory=dict)  # status, pilot
    history: Mapping[uuid.UUID, Sequence[Fact]] = field(default_factory=dict)


def show(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f")


def _check(cond: Any, vi: str, en: str, expected: str, actual: str | None, passed: bool) -> Check:
    return Check(kind=cond.kind, description_vi=vi, description_en=en, expected=expected, actual=actual, passed=passed)


def _compare(cond: Any, vi: str, en: str, value: Decimal | None, op: Op, bound: Decimal) -> Check:
    expected = f"{op.value} {show(bound)}"
    passed = value is not None and OPS[op](value, bound)
    return _check(cond, f"{vi} {expected}", f"{en} {expected}", expected, show(value), passed)


def check(cond: Condition, unit: Mapping[str, Any], facts: Facts) -> Check:
    uid = unit["unit_id"]
    score = facts.scores.get(uid)
    match cond:
        case ScoreCondition():
            vi, en = MEASURE_LABELS[cond.measure]
            return _compare(cond, vi, en, score[cond.measure.value] if score else None, cond.op, cond.value)
        case BandCondition():
            band = score["band_vi"] if score else None
            listed = ", ".join(cond.labels)
            return _check(
                cond, f"Xếp loại thuộc: {listed}", f"Class is one of: {listed}", listed, band, band in cond.labels
            )
        case IndicatorCondition():
            value = facts.indicators.get(cond.code, {}).get(uid)
            return _compare(cond, f"Chỉ số {cond.code}", f"Indicator {cond.code}", value, cond.op, cond.value)
        case UnitCondition():
            wanted = [*cond.unit_kinds, *cond.levels, *map(str, cond.bloc_ids)]
            passed = (
                (not cond.unit_kinds or unit["kind"] in cond.unit_kinds)
                and (not cond.levels or unit["level"] in cond.levels)
                and (not cond.bloc_ids or bool(set(cond.bloc_ids) & set(unit.get("bloc_ids") or [])))
            )
            listed = ", ".join(wanted)
            kind_level = f"{unit['kind']}/{unit['level']}"
            return _check(cond, f"Đơn vị thuộc: {listed}", f"Unit is: {listed}", listed, kind_level, passed)
        case RegistrationCondition():
            reg = facts.registrations.get(uid)
            status = reg["status"] if reg else None
            passed = status in cond.statuses and (cond.pilot is None or bool(reg and reg["pilot"]) == cond.pilot)
            pilot_vi = " (chỉ đạo điểm)" if cond.pilot else ""
            pilot_en = " (pilot unit)" if cond.pilot else ""
            registered = None if reg is None else str(status) + (" (chỉ đạo điểm)" if reg["pilot"] else "")
            listed = ", ".join(cond.statuses)
            return _check(
                cond,
                f"Đã đăng ký thi đua{pilot_vi}: {listed}",
                f"Registered for the movement{pilot_en}: {listed}",
                listed,
                registered,
                passed,
            )
        case ConsecutiveCondition():
            years = {f.year for f in facts.history.get(uid, []) if f.kind == cond.record and f.value in cond.values}
            run = 0
            while facts.year - run in years:
                run += 1
            listed = ", ".join(cond.values)
            return _check(
                cond,
                f"{cond.years} năm liên tục đến {facts.year} đạt: {listed}",
                f"{cond.years} consecutive years up to {facts.year} of: {listed}",
                f">= {cond.years}",
                str(run),
                run >= cond.years,
            )
        case CountCondition():
            first = facts.year - cond.years + 1
            found = [
                f
                for f in facts.history.get(uid, [])
                if f.kind == cond.record
                and first <= f.year <= facts.year
                and (cond.values is None or f.value in cond.values)
            ]
            vi, en = RECORD_LABELS[cond.record]
            return _check(
                cond,
                f"Ít nhất {cond.min} {vi} trong {cond.years} năm ({first}–{facts.year})",
                f"At least {cond.min} {en} within {cond.years} years ({first}–{facts.year})",
                f">= {cond.min}",
                str(len(found)),
                len(found) >= cond.min,
            )
        case NoDisciplineCondition():
            first = facts.year - cond.years + 1
            floor = cond.levels.index(cond.from_level)
            levels = [
                f.value
                for f in facts.history.get(uid, [])
                if f.kind == RecordKind.DISCIPLINE and first <= f.year <= facts.year
            ]
            heavy = [v for v in levels if v in cond.levels and cond.levels.index(v) >= floor]
            return _check(
                cond,
                f"Không bị kỷ luật từ mức {cond.from_level} trở lên ({first}–{facts.year})",
                f"No discipline of {cond.from_level} or above ({first}–{facts.year})",
                "không / none",
                ", ".join(levels) or "không",
                not heavy,
            )
    raise AssertionError(cond)  # pragma: no cover - the union is exhaustive


def order_value(order: Order, unit_id: uuid.UUID, facts: Facts) -> Decimal | None:
    if order.measure == "indicator":
        assert order.code is not None
        return facts.indicators.get(order.code, {}).get(unit_id)
    score = facts.scores.get(unit_id)
    return score[str(order.measure)] if score else None


def _members(group: Group, facts: Facts) -> list[Mapping[str, Any]]:
    return [
        u
        for u in (facts.nominees if group.source == "nominees" else facts.units)
        if (not group.unit_kinds or u["kind"] in group.unit_kinds)
        and (not group.levels or u["level"] in group.levels)
        and (not group.subject_types or u.get("subject_type") in group.subject_types)
    ]


def _reason(
    eligible: bool, selected: bool, rank: int | None, limit: int | None, checks: list[Check]
) -> tuple[str, str]:
    if not eligible:
        failed = [c for c in checks if not c.passed]
        return (
            "Không đạt: " + "; ".join(f"{c.description_vi} (thực tế: {c.actual or 'không có'})" for c in failed),
            "Not met: " + "; ".join(f"{c.description_en} (actual: {c.actual or 'none'})" for c in failed),
        )
    if selected:
        within_vi = f" trong giới hạn {limit}" if limit is not None else ""
        within_en = f" within the limit of {limit}" if limit is not None else ""
        return f"Đủ điều kiện, xếp thứ {rank}{within_vi}", f"Eligible, ranked {rank}{within_en}"
    return (
        f"Đủ điều kiện nhưng xếp thứ {rank}, ngoài giới hạn {limit}",
        f"Eligible but ranked {rank}, beyond the limit of {limit}",
    )


def evaluate_group(rule: RuleIn, group: Group, facts: Facts) -> GroupResult:
    members = _members(group, facts)
    rows = []
    for unit in members:
        checks = [check(c, unit, facts) for c in [*rule.conditions, *group.conditions]]
        value = order_value(group.order, unit["unit_id"], facts)
        rows.append((unit, checks, all(c.passed for c in checks), value))
    eligible = sorted(
        (r for r in rows if r[2]), key=lambda r: (-(r[3] if r[3] is not None else Decimal("-Infinity")), r[0]["name"])
    )
    limits = [group.cap.max] if group.cap.max is not None else []
    if group.quota is not None:
        limits.append(math.floor(group.quota.share * len(members)))
    limit = min(limits) if limits else None
    ranks: dict[uuid.UUID, int] = {}
    for i, (unit, _, _, value) in enumerate(eligible):
        previous = eligible[i - 1] if i else None
        same = previous is not None and previous[3] == value
        ranks[unit["unit_id"]] = ranks[previous[0]["unit_id"]] if same and previous else i + 1
    candidates = []
    for unit, checks, ok, value in [*eligible, *(r for r in rows if not r[2])]:
        rank = ranks.get(unit["unit_id"])
        selected = ok and rank is not None and (limit is None or rank <= limit)
        vi, en = _reason(ok, selected, rank, limit, checks)
        candidates.append(
            Candidate(
                subject_id=unit["unit_id"],
                name=unit["name"],
                kind=unit["kind"],
                level=unit["level"],
                order_value=value,
                rank=rank,
                eligible=ok,
                selected=selected,
                checks=checks,
                reason_vi=vi,
                reason_en=en,
            )
        )
    return GroupResult(
        key=group.key,
        label=group.label,
        criteria=group.criteria,
        considered=len(members),
        eligible=len(eligible),
        limit=limit,
        selected=sum(c.selected for c in candidates),
        below_minimum=len(eligible) < group.cap.min,
        candidates=candidates,
    )
