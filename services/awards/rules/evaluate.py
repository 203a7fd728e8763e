"""Evaluating a rule over facts already gathered: pure, so every figure in an explanation can be traced."""

import math
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.awards.rules.schemas import (
    BandCondition,
    Better,
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
    Standing,
    TieBreak,
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


def measure_value(measure: str, code: str | None, unit_id: uuid.UUID, facts: Facts) -> Decimal | None:
    """A measure of the unit's published score, or the value it reported for an indicator."""
    if measure == "indicator":
        assert code is not None
        return facts.indicators.get(code, {}).get(unit_id)
    score = facts.scores.get(unit_id)
    return score[measure] if score else None


def order_value(order: Order, unit_id: uuid.UUID, facts: Facts) -> Decimal | None:
    return measure_value(str(order.measure), order.code, unit_id, facts)


def measure_label(measure: str, code: str | None) -> tuple[str, str]:
    if measure == "indicator":
        return f"Chỉ số {code}", f"Indicator {code}"
    return MEASURE_LABELS[Measure(measure)]


Key = tuple[tuple[int, Decimal], ...]


def ordering_key(values: Sequence[tuple[Decimal | None, Better]]) -> Key:
    """Best first under tuple order; a missing value comes after every value of its measure."""
    return tuple((1, Decimal(0)) if v is None else (0, -v if better == Better.HIGHER else v) for v, better in values)


@dataclass(frozen=True)
class Placing:
    rank: int
    standing: Standing


def place(keys: Sequence[Key], limit: int | None) -> list[Placing]:
    """Competition ranks and standings of eligible candidates sorted best first. Never more than `limit` are
    selected: those equal across the limit's boundary are all tied, for the council to choose among."""
    ranks: list[int] = []
    for i, key in enumerate(keys):
        ranks.append(ranks[-1] if i and keys[i - 1] == key else i + 1)
    across = None
    if limit is not None and 0 < limit < len(keys) and keys[limit - 1] == keys[limit]:
        across = keys[limit]
    placings = []
    for i, key in enumerate(keys):
        if across is not None and key == across:
            standing = Standing.TIED
        elif limit is None or i < limit:
            standing = Standing.SELECTED
        else:
            standing = Standing.BEYOND
        placings.append(Placing(ranks[i], standing))
    return placings


def _members(group: Group, facts: Facts) -> list[Mapping[str, Any]]:
    return [
        u
        for u in (facts.nominees if group.source == "nominees" else facts.units)
        if (not group.unit_kinds or u["kind"] in group.unit_kinds)
        and (not group.levels or u["level"] in group.levels)
        and (not group.subject_types or u.get("subject_type") in group.subject_types)
    ]


def _tie_breaks_text(breaks: Sequence[TieBreak]) -> tuple[str, str]:
    vi = [
        f"{b.label_vi} = {show(b.value)}" if b.value is not None else f"{b.label_vi}: không có (xếp sau)"
        for b in breaks
    ]
    en = [
        f"{b.label_en} = {show(b.value)}" if b.value is not None else f"{b.label_en}: none (sorts last)" for b in breaks
    ]
    return ", ".join(vi), ", ".join(en)


@dataclass(frozen=True)
class Boundary:
    """What the reasons of a group's candidates refer to."""

    limit: int | None
    tied: int
    open_places: int


def _reason(
    eligible: bool,
    placing: Placing | None,
    bound: Boundary,
    checks: list[Check],
    breaks: Sequence[TieBreak],
    equal_on_order: bool,
) -> tuple[str, str]:
    if not eligible or placing is None:
        failed = [c for c in checks if not c.passed]
        return (
            "Không đạt: " + "; ".join(f"{c.description_vi} (thực tế: {c.actual or 'không có'})" for c in failed),
            "Not met: " + "; ".join(f"{c.description_en} (actual: {c.actual or 'none'})" for c in failed),
        )
    rank, limit = placing.rank, bound.limit
    tb_vi, tb_en = _tie_breaks_text(breaks)
    if placing.standing == Standing.TIED:
        vi = (
            f"Đồng hạng tại giới hạn: Hội đồng quyết định (xếp thứ {rank}; {bound.tied} ứng viên đồng hạng cho "
            f"{bound.open_places} suất còn lại trong giới hạn {limit})"
        )
        en = (
            f"Tie at the cap: the council decides (ranked {rank}; {bound.tied} tied for {bound.open_places} "
            f"remaining place(s) within the limit of {limit})"
        )
        if breaks:
            vi += f"; các tiêu chí phân định bằng nhau: {tb_vi}"
            en += f"; the tie-breakers are equal: {tb_en}"
        return vi, en
    if placing.standing == Standing.SELECTED:
        within_vi = f" trong giới hạn {limit}" if limit is not None else ""
        within_en = f" within the limit of {limit}" if limit is not None else ""
        vi, en = f"Đủ điều kiện, xếp thứ {rank}{within_vi}", f"Eligible, ranked {rank}{within_en}"
    else:
        vi = f"Đủ điều kiện nhưng xếp thứ {rank}, ngoài giới hạn {limit}"
        en = f"Eligible but ranked {rank}, beyond the limit of {limit}"
    if breaks and equal_on_order:
        vi += f"; đồng điểm xếp hạng, phân định theo: {tb_vi}"
        en += f"; equal on the order, settled by: {tb_en}"
    return vi, en


def limit_of(group: Group, considered: int) -> int | None:
    """How many may be selected: the cap and the quota of the units considered, whichever is lower."""
    limits = [group.cap.max] if group.cap.max is not None else []
    if group.quota is not None:
        limits.append(math.floor(group.quota.share * considered))
    return min(limits) if limits else None


def evaluate_group(rule: RuleIn, group: Group, facts: Facts) -> GroupResult:
    members = _members(group, facts)
    labels = [measure_label(str(t.measure), t.code) for t in group.tie_breakers]
    rows = []
    for unit in members:
        checks = [check(c, unit, facts) for c in [*rule.conditions, *group.conditions]]
        uid = unit["unit_id"]
        value = order_value(group.order, uid, facts)
        breaks = [
            TieBreak(
                measure=str(t.measure),
                code=t.code,
                label_vi=vi,
                label_en=en,
                better=t.better,
                value=measure_value(str(t.measure), t.code, uid, facts),
            )
            for t, (vi, en) in zip(group.tie_breakers, labels, strict=True)
        ]
        key = ordering_key([(value, Better.HIGHER), *((b.value, b.better) for b in breaks)])
        rows.append((unit, checks, all(c.passed for c in checks), value, breaks, key))
    eligible = sorted((r for r in rows if r[2]), key=lambda r: (r[5], r[0]["name"]))
    limit = limit_of(group, len(members))
    placings = place([r[5] for r in eligible], limit)
    placed = {r[0]["unit_id"]: p for r, p in zip(eligible, placings, strict=True)}
    selected = sum(p.standing == Standing.SELECTED for p in placings)
    tied = sum(p.standing == Standing.TIED for p in placings)
    bound = Boundary(limit, tied, (limit or 0) - selected if tied else 0)
    order_values = [r[3] for r in eligible]
    candidates = []
    for unit, checks, ok, value, breaks, _ in [*eligible, *(r for r in rows if not r[2])]:
        placing = placed.get(unit["unit_id"])
        vi, en = _reason(ok, placing, bound, checks, breaks if ok else [], order_values.count(value) > 1)
        candidates.append(
            Candidate(
                subject_id=unit["unit_id"],
                name=unit["name"],
                kind=unit["kind"],
                level=unit["level"],
                order_value=value,
                tie_breaks=breaks if ok else [],
                rank=placing.rank if placing else None,
                eligible=ok,
                selected=placing is not None and placing.standing == Standing.SELECTED,
                status=placing.standing if placing else Standing.INELIGIBLE,
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
        selected=selected,
        tied=tied,
        open_places=bound.open_places,
        below_minimum=len(eligible) < group.cap.min,
        candidates=candidates,
    )


@dataclass(frozen=True)
class Overrun:
    key: str
    label: str
    limit: int
    approved: int


def overruns(
    rule: RuleIn, facts: Facts, units: Collection[uuid.UUID], subjects: Collection[uuid.UUID]
) -> list[Overrun]:
    """The groups whose limit the approved lines exceed: a group of participants counts the approved collectives'
    units, a group of nominees every approved line's subject (as `facts.nominees` names them)."""
    found = []
    for group in rule.groups:
        members = _members(group, facts)
        limit = limit_of(group, len(members))
        approved = subjects if group.source == "nominees" else units
        count = sum(m["unit_id"] in approved for m in members)
        if limit is not None and count > limit:
            found.append(Overrun(group.key, group.label, limit, count))
    return found
