"""Decisions: numbered per issuing body and year without gaps, awardees from approved lines, amounts from the base
salary in force on the day of signing; publishing makes them open data and issues their nominations."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit import workflow
from kit.auth import Caller
from kit.pagination import Page, PageParams
from kit.versioning import require_version
from services.awards import access, privacy
from services.awards.catalogue import service as catalogue
from services.awards.councils import repository as councils
from services.awards.decisions import repository as repo
from services.awards.decisions.errors import (
    AlreadyPublished,
    AlreadyRevoked,
    AwardNotFound,
    DecisionNotFound,
    NotDecidable,
)
from services.awards.decisions.schemas import AwardOut, CouncilDeviation, Decision, DecisionCreate, Revocation
from services.awards.nominations import repository as nominations
from services.awards.vocabulary import ISSUERS, DecisionStatus, LineOutcome, Status, against_council
from services.registry.client import RegistryClient
from services.registry.vocabulary import Role

RECORDS_LINE = "Lưu: VT"


def reference(number: int, notation: str) -> str:
    """Số của văn bản: two digits at least (Decree 30 writes 01 … 09), then the notation."""
    return f"{number:02d}/{notation}"


async def create(session: AsyncSession, caller: Caller, registry: RegistryClient, body: DecisionCreate) -> Decision:
    path = await registry.path(body.issuer_unit_id)
    access.require_scope(caller, path)
    asked = list(dict.fromkeys(body.nominee_ids))  # a line named twice is listed once
    lines = await nominations.nominees_by_id(session, asked)
    files = {
        n["id"]: n for n in await nominations.many(session, list({line["nomination_id"] for line in lines}), lock=True)
    }
    found = {line["id"] for line in lines}
    bad = [str(i) for i in asked if i not in found]
    bad += [
        str(line["id"])
        for line in lines
        if line["outcome"] != LineOutcome.APPROVED
        or files[line["nomination_id"]]["status"] != Status.DECIDED
        or files[line["nomination_id"]]["authority_unit_id"] != body.issuer_unit_id
    ]
    if bad:
        raise NotDecidable(nominee_ids=bad)
    salary = (await catalogue.base_salary_on(session, body.signed_on)).amount
    forms = {f: await catalogue.form(session, f) for f in {n["form_id"] for n in files.values()}}
    number = await repo.next_number(session, body.issuer_unit_id, body.signed_on.year)
    decision_id = uuid.uuid4()
    recipients = list(body.recipients)
    if not any(r.startswith(RECORDS_LINE) for r in recipients):
        recipients.append(RECORDS_LINE + ".")
    awards = [
        {
            "id": uuid.uuid4(),
            "decision_id": decision_id,
            "nominee_id": line["id"],
            "nomination_id": line["nomination_id"],
            "form_id": files[line["nomination_id"]]["form_id"],
            "subject_type": line["subject_type"],
            "unit_id": line["unit_id"],
            "person_id": line["person_id"],
            "name": line["name"],
            "detail": line["detail"],
            "amount": (
                forms[files[line["nomination_id"]]["form_id"]].reward_multiple.get(line["subject_type"], Decimal(0))
                * salary
            ).quantize(Decimal(1)),
        }
        for line in lines
    ]
    await repo.insert_decision(
        session,
        {
            "id": decision_id,
            "issuer_path": path,
            "year": body.signed_on.year,
            "number": number,
            "base_salary": salary,
            "created_by": caller.subject,
            **body.model_dump(exclude={"nominee_ids", "recipients"}),
            "recipients": recipients,
        },
        awards,
    )
    return await _read(session, caller, decision_id)


def _decision(caller: Caller | None, row: Any, awards: Sequence[Any], against: Sequence[CouncilDeviation]) -> Decision:
    """A decision with its awardees as this caller may see them (services/awards/privacy.py)."""
    facts = privacy.decision_facts(caller, row["issuer_path"])
    shown = [
        privacy.POLICY.shape(
            AwardOut.model_validate(
                dict(a)
                | {
                    "deviation_reason": (
                        a["outcome_reason"] if against_council(LineOutcome.APPROVED, a["council_result"]) else None
                    )
                }
            ),
            facts,
        )
        for a in awards
    ]
    decision = Decision.model_validate(
        dict(row)
        | {"reference": reference(row["number"], row["notation"]), "awards": shown, "against_council": list(against)}
    )
    return privacy.POLICY.shape(decision, facts)


async def _against_council(
    session: AsyncSession, decision_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[CouncilDeviation]]:
    """By decision: the lines of its nominations decided against their council's vote (approved in it, or refused),
    with the vote's counts and the signer's reason."""
    lines = [
        line
        for line in await repo.voted_lines(session, decision_ids)
        if against_council(line["outcome"], line["council_result"])
        and (line["in_decision"] or line["outcome"] == LineOutcome.REFUSED)
    ]
    tallies = await councils.tallies(session, list({line["nominee_id"] for line in lines}))
    out: dict[uuid.UUID, list[CouncilDeviation]] = {}
    for line in lines:
        tally = tallies.get(line["nominee_id"])
        vote = {k: tally[k] for k in ("council_id", "yes", "no", "abstain")} if tally else {}
        out.setdefault(line["decision_id"], []).append(
            CouncilDeviation.model_validate(dict(line) | vote | {"reason": line["outcome_reason"] or ""})
        )
    return out


async def _read(session: AsyncSession, caller: Caller | None, decision_id: uuid.UUID, row: Any = None) -> Decision:
    row = row or await repo.get(session, decision_id)
    if row is None:
        raise DecisionNotFound(decision_id=str(decision_id))
    against = (await _against_council(session, [decision_id])).get(decision_id, [])
    return _decision(caller, row, await repo.awards(session, [decision_id]), against)


def _visible(caller: Caller | None, row: Any) -> bool:
    """Published decisions are open data; a signed one is seen by its body's issuers and council secretary."""
    return row["status"] == DecisionStatus.PUBLISHED or (
        caller is not None
        and caller.has_any(ISSUERS | {Role.COUNCIL_SECRETARY})
        and access.in_scope(caller, row["issuer_path"])
    )


async def read(session: AsyncSession, caller: Caller | None, decision_id: uuid.UUID) -> Decision:
    row = await repo.get(session, decision_id)
    if row is None or not _visible(caller, row):  # an unpublished decision is unknown to outsiders
        raise DecisionNotFound(decision_id=str(decision_id))
    return await _read(session, caller, decision_id, row)


async def publish(session: AsyncSession, caller: Caller, decision_id: uuid.UUID, version: int) -> Decision:
    row = await repo.get(session, decision_id, lock=True)
    if row is None or not _visible(caller, row):
        raise DecisionNotFound(decision_id=str(decision_id))
    access.require_scope(caller, row["issuer_path"])
    require_version(row["version"], version)
    if row["status"] == DecisionStatus.PUBLISHED:
        raise AlreadyPublished()
    await repo.publish(session, decision_id)
    touched = sorted({a["nomination_id"] for a in await repo.awards(session, [decision_id])})
    for nomination_id in await repo.fully_issued(session, touched):
        await nominations.move(
            session, nomination_id, caller.subject, Status.DECIDED, Status.ISSUED, f"decision {decision_id}", None
        )
    return await _read(session, caller, decision_id)


async def revoke(session: AsyncSession, caller: Caller, award_id: uuid.UUID, body: Revocation) -> AwardOut:
    """Hủy khen thưởng: the award stays in the history, marked revoked with its legal reason."""
    found = await repo.award(session, award_id, lock=True)
    decision = await repo.get(session, found["decision_id"]) if found else None
    if found is None or decision is None or not _visible(caller, decision):
        raise AwardNotFound(award_id=str(award_id))
    access.require_scope(caller, decision["issuer_path"])
    if found["status"] == "revoked":
        raise AlreadyRevoked()
    await repo.revoke(session, award_id, body.reason, caller.subject)
    note = f"{found['name']}: {body.reason}"
    await workflow.record(
        session, nominations.transitions, found["nomination_id"], caller.subject, Status.ISSUED, "revoked", note
    )
    revoked = await repo.award(session, award_id)
    return AwardOut.model_validate(revoked)


async def find(
    session: AsyncSession,
    caller: Caller | None,
    paging: PageParams,
    *,
    issuer_unit_id: uuid.UUID | None,
    year: int | None,
    published_since: datetime | None = None,
) -> Page[Decision]:
    rows = await repo.find(
        session,
        scope=caller.unit_id if caller else None,
        everything=caller is not None and Role.ADMIN in caller.roles,
        issuer_unit_id=issuer_unit_id,
        year=year,
        published_since=published_since,
        after=paging.after(date.fromisoformat, uuid.UUID),
        limit=paging.limit,
    )
    ids = [r["id"] for r in rows]
    by_decision: dict[uuid.UUID, list[Any]] = {}
    for a in await repo.awards(session, ids):
        by_decision.setdefault(a["decision_id"], []).append(a)
    against = await _against_council(session, ids)
    items = [_decision(caller, r, by_decision.get(r["id"], []), against.get(r["id"], [])) for r in rows]
    return paging.page(items, lambda d: [d.signed_on.isoformat(), str(d.id)])
