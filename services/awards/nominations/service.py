"""Nominations: filed by a proposing unit, moved through the workflow by named roles, every move logged. Units
come from the registry's client; scope checks read the unit paths kept on the nomination."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit import workflow
from kit.auth import Caller
from kit.pagination import Page, PageParams
from kit.problems import FieldError, InvalidInput, ReasonRequired, Text, pointer
from kit.text import fold
from kit.versioning import require_version
from kit.workflow import require_transition
from services.awards import access
from services.awards.catalogue import service as catalogue
from services.awards.catalogue.schemas import Form
from services.awards.councils import repository as councils
from services.awards.councils.voting import against_note, described
from services.awards.decisions.service import reference as decision_reference
from services.awards.nominations import repository as repo
from services.awards.nominations.achievement import achievement_key
from services.awards.nominations.errors import (
    MISSING_DOCUMENT,
    AchievementAfterFiling,
    AgainstCouncilUnexplained,
    AlreadyNominated,
    CouncilNotDone,
    DossierLacks,
    DossierLocked,
    EscalateAfterCouncil,
    FiledInFuture,
    IssuedByDecision,
    NoLinesChosen,
    NominationNotFound,
    NoPublicNotice,
    NoSuchPhase,
    NotConferredThere,
    OutcomesRequired,
    PublicNoticeFirst,
)
from services.awards.nominations.schemas import (
    Document,
    DocumentIn,
    EscalationIn,
    Event,
    Missing,
    Nomination,
    NominationCreate,
    NominationSummary,
    Nominee,
    NomineeIn,
    TransitionIn,
)
from services.awards.rules import repository as rules_repo
from services.awards.rules import service as rules
from services.awards.vocabulary import (
    OPEN_STATUSES,
    PROPOSER_MOVES,
    STATUS_VI,
    TRANSITIONS,
    LineOutcome,
    Status,
    SubjectType,
    against_council,
)
from services.registry.client import RegistryClient
from services.registry.vocabulary import Role, UnitLevel
from services.scoring.client import ScoringClient

EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
NEEDS_REASON = frozenset({Status.RETURNED, Status.WITHDRAWN})
AGAINST_COUNCIL = "against_council"  # a timeline entry: a line decided otherwise than the council voted


def subject_key(n: NomineeIn) -> str:
    """Who the line is about: the registry id, else the folded name and detail (households, people not listed)."""
    if n.subject_type == SubjectType.COLLECTIVE:
        return f"u:{n.unit_id}"
    if n.person_id:
        return f"p:{n.person_id}"
    return f"n:{fold(n.name)}|{fold(n.detail or '')}|{n.unit_id or ''}"


async def _check_authority(registry: RegistryClient, form: Form, authority_unit_id: uuid.UUID, on: date) -> None:
    unit = await registry.unit(authority_unit_id, as_of=on)
    levels = {
        a.level
        for a in form.conferred_by
        if (a.valid_from is None or a.valid_from <= on) and (a.valid_to is None or on <= a.valid_to)
    }
    if UnitLevel.CENTRAL in levels:
        levels.add(UnitLevel.PROVINCE)  # the province's council considers central forms and forwards them
    if unit.level not in levels:
        raise NotConferredThere.of(
            form_vi=form.name_vi,
            form_en=form.name_en,
            level=unit.level,
            on=on,
            levels_vi=", ".join(sorted(levels)) or "không",
            levels_en=", ".join(sorted(levels)) or "none",
        )


async def create(session: AsyncSession, caller: Caller, registry: RegistryClient, body: NominationCreate) -> Nomination:
    return await _file(session, caller, registry, body)


async def _file(session: AsyncSession, caller: Caller, registry: RegistryClient, body: NominationCreate) -> Nomination:
    """File a draft for the proposing unit, by a caller in that unit's scope (checked first; the roles are the
    endpoint's)."""
    proposer_path = await registry.path(body.proposer_unit_id)
    access.require_scope(caller, proposer_path)
    today = body.filed_on or date.today()
    if today > date.today():
        raise FiledInFuture()
    form = await catalogue.form_in_force(session, body.form_id, today, "/form_id")
    faults = [
        (
            pointer("nominees", i, "subject_type"),
            Text(
                f"{form.name_vi} không dành cho {n.subject_type.value}",
                f"{form.name_en} is not for {n.subject_type.value}",
            ),
        )
        for i, n in enumerate(body.nominees)
        if n.subject_type not in form.subject_types
    ]
    keys = [subject_key(n) for n in body.nominees]
    faults += [
        (pointer("nominees", i), Text("Đối tượng bị lặp trong hồ sơ", "The nominee is listed twice"))
        for i, k in enumerate(keys)
        if k in keys[:i]
    ]
    if faults:
        raise InvalidInput.fields(faults)
    await _check_authority(registry, form, body.authority_unit_id, today)
    if body.movement_id is not None:
        movement = await registry.movement(body.movement_id)
        if body.phase_code not in {p.code for p in movement.phases}:
            raise NoSuchPhase()
    units = [n.unit_id for n in body.nominees if n.unit_id is not None]
    known = {u.id for u in await registry.units(units)} if units else set()
    unknown = [
        (pointer("nominees", i, "unit_id"), Text("Không tìm thấy đơn vị", "Unknown unit"))
        for i, n in enumerate(body.nominees)
        if n.unit_id is not None and n.unit_id not in known
    ]
    if unknown:
        raise InvalidInput.fields(unknown)
    year = body.achievement_year or today.year
    if year > today.year:
        raise AchievementAfterFiling.of(year=today.year)
    achievement = achievement_key(form.kind, body.movement_id, body.phase_code, year, body.achievement)
    nomination_id = uuid.uuid4()
    lines = [
        {
            "id": uuid.uuid4(),
            "nomination_id": nomination_id,
            "position": i + 1,
            "subject_key": keys[i],
            "form_code": form.code,
            "movement_id": body.movement_id,
            "phase_code": body.phase_code,
            "achievement_key": achievement,
            **n.model_dump(),
        }
        for i, n in enumerate(body.nominees)
    ]
    stored = await repo.insert(
        session,
        {
            "id": nomination_id,
            "form_id": form.id,
            "movement_id": body.movement_id,
            "phase_code": body.phase_code,
            "proposer_unit_id": body.proposer_unit_id,
            "proposer_path": proposer_path,
            "authority_unit_id": body.authority_unit_id,
            "authority_path": await registry.path(body.authority_unit_id),
            "title": body.title,
            "achievement": body.achievement,
            "achievement_year": year,
            "created_by": caller.subject,
        },
        lines,
        caller.subject,
    )
    if not stored:
        raise await _already_nominated(session, form, lines, year)
    await repo.add_documents(session, _documents(caller, nomination_id, form, lines, body.documents, "documents"))
    if body.filed_on is not None:  # a paper dossier entered afterwards: the timeline says so
        note = f"filed on paper on {body.filed_on.isoformat()}"
        await workflow.record(
            session, repo.transitions, nomination_id, caller.subject, Status.DRAFT, Status.DRAFT, note
        )
    return await read(session, caller, nomination_id)


async def _already_nominated(session: AsyncSession, form: Form, lines: Sequence[Any], year: int) -> AlreadyNominated:
    """The 409 naming, for each line refused, the earlier nomination and line that hold its achievement."""
    first = lines[0]
    movement = first["movement_id"] is not None
    held = {
        h["subject_key"]: h
        for h in reversed(
            await repo.holders(session, form.code, first["achievement_key"], [x["subject_key"] for x in lines])
        )
    }  # the earliest holder of each subject
    clashes = [(i, line, held[line["subject_key"]]) for i, line in enumerate(lines) if line["subject_key"] in held]
    if not clashes:  # the holder was refused or withdrawn in the meantime: a retry will pass
        return AlreadyNominated()
    what = (
        Text(f"giai đoạn {first['phase_code']} của phong trào", f"phase {first['phase_code']} of the movement")
        if movement
        else Text(f"năm {year}", f"year {year}")
    )

    def blocker(h: Any) -> dict[str, Any]:
        return {
            "nomination_id": str(h["nomination_id"]),
            "title": h["title"],
            "status": h["status"],
            "nominee_id": str(h["nominee_id"]),
            "position": h["position"],
            "name": h["name"],
            "achievement_year": h["achievement_year"],
            "decision_id": str(h["decision_id"]) if h["decision_id"] else None,
            "decision_reference": (
                decision_reference(h["decision_number"], h["decision_notation"]) if h["decision_id"] else None
            ),
        }

    def says(line: Any, h: Any) -> Text:
        by = blocker(h)
        decided_vi = f", Quyết định số {by['decision_reference']}" if by["decision_reference"] else ""
        decided_en = f", decision {by['decision_reference']}" if by["decision_reference"] else ""
        return Text(
            f"{line['name']} đã được đề nghị {form.name_vi} cho cùng thành tích ({what.vi}) trong hồ sơ "
            f"«{h['title']}» (mã {h['nomination_id']}, {STATUS_VI[Status(h['status'])]}{decided_vi}), dòng "
            f"{h['position']}: {h['name']}",
            f"{line['name']} is already proposed for {form.name_en} for the same achievement ({what.en}) in "
            f"nomination '{h['title']}' ({h['nomination_id']}, status {h['status']}{decided_en}), line "
            f"{h['position']}: {h['name']}",
        )

    _, line, h = clashes[0]
    return AlreadyNominated(
        says(line, h),
        errors=[
            FieldError(says(line, h), pointer=pointer("nominees", i), extra={"blocked_by": blocker(h)})
            for i, line, h in clashes
        ],
        blocked_by=blocker(h),
    )


def _documents(
    caller: Caller,
    nomination_id: uuid.UUID,
    form: Form,
    lines: Sequence[Any],
    documents: Sequence[DocumentIn],
    at: str,
) -> list[dict[str, Any]]:
    """Rows to store, after checking each document against the form's list (422 at the faulty item)."""
    required = {d.code: d for d in form.documents}
    by_position = {line["position"]: line["id"] for line in lines}
    faults: list[tuple[str, Text]] = []
    rows = []
    for i, d in enumerate(documents):
        spec = required.get(d.code)
        if spec is None:
            faults.append(
                (
                    pointer(at, i, "code"),
                    Text(
                        f"{form.name_vi} không yêu cầu tài liệu '{d.code}' (cần: {', '.join(required) or 'không'})",
                        f"{form.name_en} does not list '{d.code}' (lists: {', '.join(required) or 'none'})",
                    ),
                )
            )
            continue
        if spec.per_nominee and d.nominee_position not in by_position:
            faults.append(
                (
                    pointer(at, i, "nominee_position"),
                    Text("Tài liệu này cần số thứ tự đối tượng", "This document needs the nominee's line number"),
                )
            )
            continue
        rows.append(
            {
                "id": uuid.uuid4(),
                "nomination_id": nomination_id,
                "code": d.code,
                "nominee_id": by_position[d.nominee_position] if spec.per_nominee and d.nominee_position else None,
                "title": d.title,
                "number": d.number,
                "issued_on": d.issued_on,
                "url": d.url,
                "added_by": caller.subject,
            }
        )
    if faults:
        raise InvalidInput.fields(faults)
    return rows


def missing(form: Form, lines: Sequence[Any], documents: Sequence[Any]) -> list[Missing]:
    have = {(d["code"], d["nominee_id"]) for d in documents}
    out = []
    for spec in form.documents:
        for nominee_id in [line["id"] for line in lines] if spec.per_nominee else [None]:
            if (spec.code, nominee_id) not in have:
                out.append(
                    Missing(code=spec.code, title_vi=spec.title_vi, title_en=spec.title_en, nominee_id=nominee_id)
                )
    return out


async def _copies(session: AsyncSession, row: Any, default: int) -> int:
    """The dossier sets the movement's rule for this phase and form asks for, else the form's own number."""
    if row["movement_id"] is None or row["phase_code"] is None:
        return default
    rules = await rules_repo.find(session, row["movement_id"], row["phase_code"])
    asked = next((r["definition"].get("copies") for r in rules if r["form_id"] == row["form_id"]), None)
    return int(asked) if asked else default


async def _row(session: AsyncSession, nomination_id: uuid.UUID, *, lock: bool = False) -> Any:
    row = await repo.nominations.get(session, nomination_id, lock="update" if lock else None)
    if row is None:
        raise NominationNotFound(nomination_id=str(nomination_id))
    return row


def _require_reader(caller: Caller, row: Any) -> None:
    """A dossier is seen from the proposing unit's scope and the authority's; to anyone else it is unknown (404)."""
    if not (access.in_scope(caller, row["proposer_path"]) or access.in_scope(caller, row["authority_path"])):
        raise NominationNotFound(nomination_id=str(row["id"]))


async def read(session: AsyncSession, caller: Caller, nomination_id: uuid.UUID) -> Nomination:
    row = await _row(session, nomination_id)
    _require_reader(caller, row)
    form = await catalogue.form(session, row["form_id"])
    lines = await repo.nominees(session, [nomination_id], withdrawn=row["status"] == Status.WITHDRAWN)
    documents = await repo.documents(session, nomination_id)
    timeline = await workflow.histories(session, repo.transitions, [nomination_id])
    return Nomination.model_validate(
        dict(row)
        | {
            "form_code": form.code,
            "form_name": form.name_vi,
            "nominees": [Nominee.model_validate(_line(n)) for n in lines],
            "documents": [Document.model_validate(d) for d in documents],
            "missing_documents": missing(form, lines, documents),
            "copies": await _copies(session, row, form.copies),
            "timeline": [Event.model_validate(e) for e in timeline.get(nomination_id, [])],
        }
    )


def _line(row: Any) -> dict[str, Any]:
    """A line as the office reads it: its council vote, the outcome and, if they differ, the signer's reason."""
    against = against_council(row["outcome"], row["council_result"])
    return dict(row) | {"against_council": against, "deviation_reason": row["outcome_reason"] if against else None}


async def add_documents(
    session: AsyncSession, caller: Caller, nomination_id: uuid.UUID, documents: Sequence[DocumentIn]
) -> Nomination:
    row = await _row(session, nomination_id, lock=True)
    _require_reader(caller, row)
    access.require_scope(caller, row["proposer_path"])
    if row["status"] not in EDITABLE:
        raise DossierLocked(current=row["status"])
    form = await catalogue.form(session, row["form_id"])
    lines = await repo.nominees(session, [nomination_id])
    await repo.add_documents(session, _documents(caller, nomination_id, form, lines, documents, "items"))
    await repo.nominations.bump(session, nomination_id)
    return await read(session, caller, nomination_id)


async def remove_document(
    session: AsyncSession, caller: Caller, nomination_id: uuid.UUID, document_id: uuid.UUID
) -> None:
    row = await _row(session, nomination_id, lock=True)
    _require_reader(caller, row)
    access.require_scope(caller, row["proposer_path"])
    if row["status"] not in EDITABLE:
        raise DossierLocked(current=row["status"])
    if not await repo.delete_document(session, nomination_id, document_id):
        raise NominationNotFound(document_id=str(document_id))
    await repo.nominations.bump(session, nomination_id)


async def transition(
    session: AsyncSession,
    caller: Caller,
    registry: RegistryClient,
    scoring: ScoringClient,
    nomination_id: uuid.UUID,
    body: TransitionIn,
    version: int,
) -> Nomination:
    """Move the nomination one step; the row is locked, so of concurrent identical moves exactly one succeeds."""
    row = await _row(session, nomination_id, lock=True)
    _require_reader(caller, row)
    require_version(row["version"], version)
    current, to = Status(row["status"]), body.to
    if to == Status.ISSUED:
        raise IssuedByDecision()
    require_transition(TRANSITIONS, current, to)
    caller.require_any(TRANSITIONS[(current, to)])  # who moves a nomination depends on the step, not the endpoint
    access.require_scope(caller, row["proposer_path"] if (current, to) in PROPOSER_MOVES else row["authority_path"])
    if to in NEEDS_REASON and not body.reason:
        raise ReasonRequired()
    form = await catalogue.form(session, row["form_id"])
    lines = await repo.nominees(session, [nomination_id])
    await _ready(session, form, row, lines, to)
    against: list[str] = []
    if to == Status.DECIDED:
        against = _check_outcomes(lines, body, await councils.tallies(session, [line["id"] for line in lines]))
        assert body.outcomes is not None
        approved = {o.nominee_id for o in body.outcomes if o.outcome == LineOutcome.APPROVED}
        await rules.require_within_caps(
            session, registry, scoring, row, [line for line in lines if line["id"] in approved]
        )
        await decide_lines(session, body)
    if to == Status.WITHDRAWN:
        await repo.withdraw_lines(session, nomination_id)
    days = form.deadlines.get(to)
    due = await catalogue.due_date(session, date.today(), days) if days else None
    await repo.move(session, nomination_id, caller.subject, current, to, body.reason, due)
    for note in against:  # after the move: the timeline reads "decided", then each line decided against the vote
        await workflow.record(
            session, repo.transitions, nomination_id, caller.subject, Status.DECIDED, AGAINST_COUNCIL, note
        )
    return await read(session, caller, nomination_id)


async def _ready(session: AsyncSession, form: Form, row: Any, lines: Sequence[Any], to: Status) -> None:
    """What each step needs besides the role: a complete dossier, public notice, the council's results (the outcomes
    of 'decided' are checked by _check_outcomes)."""
    if to in (Status.SUBMITTED, Status.RESUBMITTED):
        lacking = missing(form, lines, await repo.documents(session, row["id"]))
        if lacking:
            raise DossierLacks.of(
                lacking_vi=", ".join(m.title_vi for m in lacking),
                lacking_en=", ".join(m.title_en for m in lacking),
                errors=[
                    FieldError(
                        MISSING_DOCUMENT.format(title_vi=m.title_vi, title_en=m.title_en),
                        pointer=pointer("documents"),
                        extra={"code": m.code, "nominee_id": str(m.nominee_id) if m.nominee_id else None},
                    )
                    for m in lacking
                ],
                extensions={"missing": [m.code for m in lacking]},
            )
    if to == Status.PUBLIC_NOTICE and form.public_notice_days is None:
        raise NoPublicNotice.of(form_vi=form.name_vi, form_en=form.name_en)
    if to == Status.COUNCIL and row["status"] == Status.APPRAISING and form.public_notice_days is not None:
        raise PublicNoticeFirst.of(form_vi=form.name_vi, form_en=form.name_en)
    if to == Status.TO_SIGNER and any(line["council_result"] is None for line in lines):
        raise CouncilNotDone()


def _check_outcomes(lines: Sequence[Any], body: TransitionIn, tallies: Mapping[uuid.UUID, Any]) -> list[str]:
    """An outcome for every line; a reason for each refusal and for each line decided against the council's vote
    (else 422 at that line's reason, naming the vote). Returns the timeline's account of those against the vote."""
    if body.outcomes is None:
        raise OutcomesRequired()
    by_id = {line["id"]: line for line in lines}
    against = [
        (i, o, by_id[o.nominee_id], _vote(by_id[o.nominee_id], tallies.get(o.nominee_id)))
        for i, o in enumerate(body.outcomes)
        if o.nominee_id in by_id and against_council(o.outcome, by_id[o.nominee_id]["council_result"])
    ]
    unexplained = [(i, o, line, _departure(line, o.outcome, vote)) for i, o, line, vote in against if not o.reason]
    faults = _outcome_faults(lines, body, {o.nominee_id for _, o, _, _ in unexplained})
    if unexplained:
        raise AgainstCouncilUnexplained.of(
            lines_vi="; ".join(what.vi for *_, what in unexplained),
            lines_en="; ".join(what.en for *_, what in unexplained),
            errors=[
                *(
                    FieldError(
                        Text(f"D{what.vi[1:]}: cần nêu lý do", f"L{what.en[1:]}: a reason is needed"),
                        pointer=pointer("outcomes", i, "reason"),
                        extra=_tally(line, o.outcome, tallies.get(o.nominee_id)),
                    )
                    for i, o, line, what in unexplained
                ),
                *(FieldError(t, pointer=p) for p, t in faults),
            ],
        )
    if faults:
        raise InvalidInput.fields(faults)
    return [
        f"Dòng {line['position']} ({line['name']}): {VERBS[o.outcome].vi}. {against_note(vote, o.reason or '')}"
        for _, o, line, vote in against
    ]


def _departure(line: Any, outcome: LineOutcome, vote: Text) -> Text:
    """ "dòng 1 (Ông A): phê duyệt khác với kết quả bỏ phiếu của Hội đồng (Không đạt: …)", to follow a colon."""
    return Text(
        f"dòng {line['position']} ({line['name']}): {VERBS[outcome].vi} khác với kết quả bỏ phiếu của Hội đồng "
        f"({vote.vi})",
        f"line {line['position']} ({line['name']}): {VERBS[outcome].en} against the council's vote ({vote.en})",
    )


VERBS = {LineOutcome.APPROVED: Text("phê duyệt", "approving"), LineOutcome.REFUSED: Text("không khen", "refusing")}


def _vote(line: Any, tally: Any) -> Text:
    return described(
        line["council_result"],
        *((tally["yes"], tally["no"], tally["abstain"]) if tally else (None, None, None)),
    )


def _tally(line: Any, outcome: LineOutcome, tally: Any) -> dict[str, Any]:
    """What the 422 names of a line decided against the vote: the line, the outcome asked and the council's vote."""
    return {
        "nominee_id": str(line["id"]),
        "position": line["position"],
        "name": line["name"],
        "outcome": outcome.value,
        "council_result": line["council_result"],
        "council_id": str(tally["council_id"]) if tally else None,
        "yes": tally["yes"] if tally else None,
        "no": tally["no"] if tally else None,
        "abstain": tally["abstain"] if tally else None,
    }


def _outcome_faults(
    lines: Sequence[Any], body: TransitionIn, explained_elsewhere: set[uuid.UUID]
) -> list[tuple[str, Text]]:
    """The other faults of the outcomes: lines without one, lines of another dossier, refusals without a reason."""
    assert body.outcomes is not None
    given = {o.nominee_id: o for o in body.outcomes}
    faults = [
        (pointer("outcomes"), Text(f"Thiếu kết quả của {line['name']}", f"No outcome for {line['name']}"))
        for line in lines
        if line["id"] not in given
    ]
    ids = {line["id"] for line in lines}
    faults += [
        (pointer("outcomes", i, "nominee_id"), Text("Không thuộc hồ sơ này", "Not a line of this dossier"))
        for i, o in enumerate(body.outcomes)
        if o.nominee_id not in ids
    ]
    faults += [
        (pointer("outcomes", i, "reason"), Text("Không khen thì cần lý do", "A refusal needs a reason"))
        for i, o in enumerate(body.outcomes)
        if o.outcome == LineOutcome.REFUSED and not o.reason and o.nominee_id not in explained_elsewhere
    ]
    return faults


async def decide_lines(session: AsyncSession, body: TransitionIn) -> None:
    assert body.outcomes is not None
    await repo.set_outcomes(session, [(o.nominee_id, o.outcome.value, o.reason) for o in body.outcomes])


async def escalate(
    session: AsyncSession, caller: Caller, registry: RegistryClient, nomination_id: uuid.UUID, body: EscalationIn
) -> Nomination:
    """File a new nomination at a higher authority for lines of this one (the authority becomes the proposer)."""
    row = await _row(session, nomination_id)
    _require_reader(caller, row)
    access.require_scope(caller, row["authority_path"])
    if row["status"] not in (Status.COUNCIL, Status.TO_SIGNER, Status.DECIDED, Status.ISSUED):
        raise EscalateAfterCouncil()
    lines = await repo.nominees(session, [nomination_id])
    chosen = [
        line
        for line in lines
        if (body.nominee_ids is None and line["outcome"] != LineOutcome.REFUSED and line["council_result"] != "failed")
        or (body.nominee_ids is not None and line["id"] in body.nominee_ids)
    ]
    if not chosen:
        raise NoLinesChosen()
    new = NominationCreate(
        form_id=body.form_id,
        proposer_unit_id=row["authority_unit_id"],
        authority_unit_id=body.authority_unit_id,
        movement_id=row["movement_id"],
        phase_code=row["phase_code"],
        title=body.title,
        achievement=row["achievement"],
        achievement_year=row["achievement_year"],
        nominees=[
            NomineeIn.model_validate({k: line[k] for k in ("subject_type", "unit_id", "person_id", "name", "detail")})
            for line in chosen
        ],
    )
    escalated = await _file(session, caller, registry, new)  # the office files for its own unit
    await repo.mark_escalated(session, escalated.id, nomination_id)
    note = f"escalated: {escalated.id}"
    await workflow.record(session, repo.transitions, nomination_id, caller.subject, row["status"], row["status"], note)
    return await read(session, caller, escalated.id)


async def find(
    session: AsyncSession,
    caller: Caller,
    paging: PageParams,
    *,
    status: Status | None,
    movement_id: uuid.UUID | None,
    overdue: bool,
) -> Page[NominationSummary]:
    scope = None if Role.ADMIN in caller.roles else caller.unit_id
    if scope is None and Role.ADMIN not in caller.roles:
        return Page(items=[])
    today = date.today()
    rows = await repo.find(
        session,
        scope,
        status=status,
        movement_id=movement_id,
        overdue_on=today if overdue else None,
        open_statuses=sorted(OPEN_STATUSES),
        after=(paging.after(uuid.UUID) or [None])[0],
        limit=paging.limit,
    )
    items = [
        NominationSummary.model_validate(
            dict(r) | {"overdue": r["due_on"] is not None and r["due_on"] < today and r["status"] in OPEN_STATUSES}
        )
        for r in rows
    ]
    return paging.page(items, lambda s: [str(s.id)])
