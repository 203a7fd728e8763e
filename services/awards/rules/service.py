"""Award rules: saved after checking them against the movement, the form and the scoring period; evaluated over
published scores (scoring client), units (the period's snapshot) and the history kept here."""

import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.client import UpstreamProblem
from kit.problems import InvalidInput, Text, pointer
from kit.versioning import require_version
from services.awards import access
from services.awards.catalogue import service as catalogue
from services.awards.nominations import repository as nominations
from services.awards.rules import repository as repo
from services.awards.rules.errors import OVERRUN, CapOverrun, IndicatorRefused, RuleNotFound, ScoresNotPublished
from services.awards.rules.evaluate import Fact, Facts, evaluate_group, overruns
from services.awards.rules.schemas import (
    SCORE_KINDS,
    ConsecutiveCondition,
    CountCondition,
    Evaluation,
    IndicatorCondition,
    NoDisciplineCondition,
    RegistrationCondition,
    Rule,
    RuleIn,
)
from services.awards.vocabulary import LineOutcome, SubjectType
from services.registry.client import RegistryClient
from services.scoring.client import ScoringClient
from services.scoring.schemas import frameworks as fw
from services.scoring.schemas import periods as pe
from services.scoring.vocabulary import Reorganisation


def _conditions(body: RuleIn) -> Iterable[tuple[str, Any]]:
    """Every condition with its JSON pointer."""
    for i, c in enumerate(body.conditions):
        yield pointer("conditions", i), c
    for g, group in enumerate(body.groups):
        for i, c in enumerate(group.conditions):
            yield pointer("groups", g, "conditions", i), c


def _codes(nodes: list[fw.Node]) -> set[str]:
    return {n.code for n in nodes} | {c for n in nodes for c in _codes(n.children)}


async def _validate(body: RuleIn, registry: RegistryClient, scoring: ScoringClient, session: AsyncSession) -> list[Any]:
    """The movement issuer's path (for scope), after checking every reference of the rule; 422 names each fault."""
    faults: list[tuple[str, Text]] = []
    movement = await registry.movement(body.movement_id)
    if body.phase_code not in {p.code for p in movement.phases}:
        faults.append(
            (pointer("phase_code"), Text("Phong trào không có giai đoạn này", "The movement has no such phase"))
        )
    await catalogue.form(session, body.form_id)
    needs_scores = any(c.kind in SCORE_KINDS for _, c in _conditions(body)) or any(
        g.order.measure == "indicator" for g in body.groups
    )
    if body.period_id is None:
        faults += [
            (
                pointer("groups", g, "tie_breakers", t),
                Text(
                    "Tiêu chí phân định đồng hạng đọc điểm của kỳ đánh giá: cần period_id",
                    "Tie-breakers compare a scoring period's results: period_id is needed",
                ),
            )
            for g, group in enumerate(body.groups)
            for t, _ in enumerate(group.tie_breakers)
        ]
    if body.period_id is None and needs_scores:
        faults.append(
            (
                pointer("period_id"),
                Text(
                    "Điều kiện/xếp hạng theo điểm cần kỳ đánh giá (period_id)",
                    "Score conditions and ordering need a scoring period (period_id)",
                ),
            )
        )
    if body.period_id is not None:
        period = await scoring.period(body.period_id)
        codes = _codes((await scoring.framework(period.framework_id)).nodes)
        wanted: list[tuple[str, str | None]] = [
            (p, c.code) for p, c in _conditions(body) if isinstance(c, IndicatorCondition)
        ]
        wanted += [(pointer("groups", g, "order", "code"), gr.order.code) for g, gr in enumerate(body.groups)]
        wanted += [
            (pointer("groups", g, "tie_breakers", t, "code"), tb.code)
            for g, gr in enumerate(body.groups)
            for t, tb in enumerate(gr.tie_breakers)
        ]
        for ptr, code in wanted:
            if code is not None and code not in codes:
                faults.append(
                    (
                        ptr if ptr.endswith("code") else ptr + "/code",
                        Text(f"Bộ chỉ số của kỳ không có chỉ số {code}", f"The period's framework has no {code}"),
                    )
                )
    if faults:
        raise InvalidInput.fields(faults)
    return await registry.path(movement.issuer_unit_id)


async def create(
    session: AsyncSession, caller: Caller, registry: RegistryClient, scoring: ScoringClient, body: RuleIn
) -> Rule:
    path = await _validate(body, registry, scoring, session)
    access.require_scope(caller, path)
    rule_id = uuid.uuid4()
    await repo.insert(session, _values(caller, body) | {"id": rule_id, "scope_path": path})
    return await read(session, caller, rule_id)


def _values(caller: Caller, body: RuleIn) -> dict[str, Any]:
    definition = body.model_dump(mode="json", exclude={"movement_id", "phase_code", "form_id", "title"})
    return {
        "movement_id": body.movement_id,
        "phase_code": body.phase_code,
        "form_id": body.form_id,
        "title": body.title,
        "definition": definition,
        "updated_by": caller.subject,
    }


async def replace(
    session: AsyncSession,
    caller: Caller,
    registry: RegistryClient,
    scoring: ScoringClient,
    rule_id: uuid.UUID,
    body: RuleIn,
    version: int,
) -> Rule:
    current = await _row(session, caller, rule_id)
    require_version(current["version"], version)
    path = await _validate(body, registry, scoring, session)
    access.require_scope(caller, path)
    await repo.update(session, rule_id, _values(caller, body) | {"scope_path": path})
    return await read(session, caller, rule_id)


async def _row(session: AsyncSession, caller: Caller, rule_id: uuid.UUID) -> Any:
    """The rule, if the caller's scope covers it (the operation's roles are checked before): else 404, as unknown."""
    row = await repo.get(session, rule_id)
    if row is None or not access.in_scope(caller, row["scope_path"]):
        raise RuleNotFound(rule_id=str(rule_id))
    return row


async def read(session: AsyncSession, caller: Caller, rule_id: uuid.UUID) -> Rule:
    return Rule.model_validate(await _row(session, caller, rule_id))


async def find(
    session: AsyncSession, caller: Caller, movement_id: uuid.UUID | None, phase_code: str | None
) -> list[Rule]:
    return [
        Rule.model_validate(r)
        for r in await repo.find(session, movement_id, phase_code)
        if access.in_scope(caller, r["scope_path"])
    ]


def _spec(row: Any) -> RuleIn:
    fields = {k: row[k] for k in ("movement_id", "phase_code", "form_id", "title")}
    return RuleIn.model_validate(fields | row["definition"])


def line_subject(line: Any) -> uuid.UUID:
    """Who a nominated line is about, as a rule over nominees names it: the person, else the unit, else the line."""
    subject: uuid.UUID = line["person_id"] or line["unit_id"] or line["id"]
    return subject


async def _subjects(
    session: AsyncSession,
    registry: RegistryClient,
    scoring: ScoringClient,
    rule: RuleIn,
    form_code: str,
    period: pe.Period | None,
) -> Facts:
    """Who the rule's groups consider: the participants of its period (read by the caller; else the movement's
    registered units), and the lines nominated for the form in the phase when a group reads nominees."""
    facts = Facts(year=rule.year, units=[])
    if rule.period_id is not None:
        assert period is not None
        # Candidates are the units of the tree the period ranks on (a merged-away unit is not awarded anew).
        on_tree = "on_start" if period.reorganisation == Reorganisation.START else "on_end"
        facts.units = [p.model_dump() for p in await scoring.participants(rule.period_id) if getattr(p, on_tree)]
    else:
        registered = await registry.registrations(rule.movement_id)
        units = await registry.units([r.unit_id for r in registered if r.unit_id is not None])
        facts.units = [
            {"unit_id": u.id, "name": u.name or "", "kind": u.kind, "level": u.level, "bloc_ids": []} for u in units
        ]
    if any(g.source == "nominees" for g in rule.groups):
        lines = await nominations.lines_for(session, rule.movement_id, rule.phase_code, form_code)
        collectives = [line["unit_id"] for line in lines if line["subject_type"] == "collective" and line["unit_id"]]
        nominated = {u.id: u for u in await registry.units(collectives)} if collectives else {}
        nominees = []
        for line in lines:
            unit = nominated.get(line["unit_id"]) if line["subject_type"] == "collective" else None
            nominees.append(
                {
                    "unit_id": line_subject(line),
                    "name": line["name"],
                    "subject_type": line["subject_type"],
                    "kind": unit.kind if unit else line["subject_type"],
                    "level": unit.level if unit else "",
                    "bloc_ids": [],
                }
            )
        facts.nominees = nominees
    return facts


async def evaluate(
    session: AsyncSession, caller: Caller, registry: RegistryClient, scoring: ScoringClient, rule_id: uuid.UUID
) -> Evaluation:
    """The ranked candidates of every group, each with every condition, its actual value and pass or fail."""
    row = await _row(session, caller, rule_id)
    rule = _spec(row)
    form = await catalogue.form(session, rule.form_id)
    conditions = [c for _, c in _conditions(rule)]
    period = await scoring.period(rule.period_id) if rule.period_id is not None else None
    if period is not None and period.status != "published":
        raise ScoresNotPublished(period_id=str(rule.period_id))
    facts = await _subjects(session, registry, scoring, rule, form.code, period)
    if rule.period_id is not None:
        facts.scores = {s.unit_id: s.model_dump() for s in await scoring.scores(rule.period_id)}
        codes = {c.code for c in conditions if isinstance(c, IndicatorCondition)}
        codes |= {g.order.code for g in rule.groups if g.order.code}
        codes |= {t.code for g in rule.groups for t in g.tie_breakers if t.code}
        facts.indicators = {code: await _indicator(scoring, rule.period_id, code) for code in sorted(codes)}
    if any(isinstance(c, RegistrationCondition) for c in conditions):
        facts.registrations = {
            r.unit_id: {"status": r.status, "pilot": r.is_pilot}
            for r in await registry.registrations(rule.movement_id)
            if r.unit_id is not None
        }
    looks_back = [c for c in conditions if isinstance(c, ConsecutiveCondition | CountCondition | NoDisciplineCondition)]
    if looks_back:
        first = rule.year - max(c.years for c in looks_back) + 1
        history: dict[uuid.UUID, list[Fact]] = {}
        subjects = [u["unit_id"] for u in [*facts.units, *facts.nominees]]
        for r in await repo.history(session, subjects, first, rule.year):
            history.setdefault(r["subject_id"], []).append(Fact(r["kind"], r["year"], r["value"]))
        facts.history = history
    return Evaluation(
        rule_id=row["id"],
        rule_version=row["version"],
        form_code=form.code,
        form_name=form.name_vi,
        period_id=rule.period_id,
        groups=[evaluate_group(rule, g, facts) for g in rule.groups],
    )


async def _indicator(scoring: ScoringClient, period_id: uuid.UUID, code: str) -> dict[uuid.UUID, Decimal | None]:
    try:
        rows = await scoring.indicator_scores(period_id, code)
    except UpstreamProblem as exc:  # a framework changed under a saved rule: say which code
        raise IndicatorRefused.of(code=code, reason_vi=exc.detail.vi, reason_en=exc.detail.en) from exc
    return {r.unit_id: r.value for r in rows}


async def require_within_caps(
    session: AsyncSession,
    registry: RegistryClient,
    scoring: ScoringClient,
    nomination: Any,
    approving: Sequence[Any],
) -> None:
    """Refuse (409) approving lines that would take a group of the movement phase's rule for the form beyond its
    cap or quota, counting the lines already approved for that form in that phase. Filing more nominees than the
    cap is allowed: the council chooses among them, and the rule's candidates list who is tied or beyond."""
    if nomination["movement_id"] is None or not approving:
        return
    found = [
        r
        for r in await repo.find(session, nomination["movement_id"], nomination["phase_code"])
        if r["form_id"] == nomination["form_id"]
    ]
    if not found:
        return
    rule = _spec(found[0])
    if all(g.cap.max is None and g.quota is None for g in rule.groups):
        return
    form = await catalogue.form(session, rule.form_id)
    before = [
        line
        for line in await nominations.lines_for(session, rule.movement_id, rule.phase_code, form.code)
        if line["outcome"] == LineOutcome.APPROVED
    ]
    lines = [*before, *approving]
    units = {line["unit_id"] for line in lines if line["subject_type"] == SubjectType.COLLECTIVE and line["unit_id"]}
    period = await scoring.period(rule.period_id) if rule.period_id is not None else None
    facts = await _subjects(session, registry, scoring, rule, form.code, period)
    over = overruns(rule, facts, units, set(map(line_subject, lines)))
    if over:
        raise CapOverrun.of(
            overruns_vi="; ".join(OVERRUN.format(label=o.label, limit=o.limit, approved=o.approved).vi for o in over),
            overruns_en="; ".join(OVERRUN.format(label=o.label, limit=o.limit, approved=o.approved).en for o in over),
            extensions={
                "rule_id": str(found[0]["id"]),
                "groups": [{"key": o.key, "limit": o.limit, "approved": o.approved} for o in over],
            },
        )
