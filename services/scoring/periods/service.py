"""Periods: open (with a participant snapshot) → locked (snapshot again) → published; reopening needs a reason.
While open, the office chooses how a reorganisation inside the period is ranked (start or end tree)."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit import workflow
from kit.auth import Caller
from kit.db import Record
from kit.pagination import Page, PageParams, encode_cursor
from kit.repository import Lock
from kit.versioning import require_version
from kit.workflow import require_transition
from services.registry.client import RegistryClient
from services.scoring import access, privacy
from services.scoring.frameworks import service as frameworks
from services.scoring.frameworks.schemas import Framework
from services.scoring.periods import repository as repo
from services.scoring.periods import snapshot
from services.scoring.periods.errors import (
    ParticipantNotFound,
    PeriodNeedsPublishedFramework,
    PeriodNotFound,
    RegisteredOnlyNeedsMovement,
    ReopeningNeedsReason,
    ReorganisationFixed,
    ResultsFixed,
)
from services.scoring.periods.schemas import (
    MergedInto,
    Participant,
    ParticipantUpdate,
    Period,
    PeriodCreate,
    PeriodTransition,
    PeriodUpdate,
    TransitionOut,
)
from services.scoring.vocabulary import DerivationRule, PeriodStatus, Reorganisation

if TYPE_CHECKING:  # scores depend on periods, not the reverse: the refresher is handed in by the endpoint
    from services.scoring.scores.refresh import ScoreRefresher

S = PeriodStatus
ALLOWED = {(S.OPEN, S.LOCKED), (S.LOCKED, S.PUBLISHED), (S.LOCKED, S.OPEN), (S.PUBLISHED, S.OPEN)}


async def create(
    session: AsyncSession, caller: Caller, registry: RegistryClient, refresher: "ScoreRefresher", body: PeriodCreate
) -> Period:
    path = await snapshot.scope_path(registry, body.scope_unit_id, body.ends_on)
    access.require_manager(caller, {"scope_path": path})  # scope first, then the state of what it uses
    framework = await frameworks.read(session, body.framework_id)
    if framework.status != "published":
        raise PeriodNeedsPublishedFramework()
    if body.registered_only and body.movement_id is None:
        raise RegisteredOnlyNeedsMovement()
    period_id = uuid.uuid4()
    await repo.insert_period(session, body.model_dump() | {"id": period_id, "scope_path": path})
    await _take_snapshot(session, registry, framework, await get_row(session, period_id))
    await refresher.mark_stale(session, period_id)  # every participant's zero, from the start
    detail = await _choice(session, period_id, body.reorganisation, body.derivation_rule)
    await workflow.record(session, repo.transitions, period_id, caller.subject, None, S.OPEN, detail=detail)
    return await read(session, caller, period_id)


async def _take_snapshot(
    session: AsyncSession, registry: RegistryClient, framework: Framework, period: sa.RowMapping
) -> None:
    """Participants (the trees of the period's first and last days) and the lineage events inside the period."""
    rows = await snapshot.take(
        registry,
        framework,
        scope_unit_id=period["scope_unit_id"],
        starts_on=period["starts_on"],
        ends_on=period["ends_on"],
        movement_id=period["movement_id"],
        registered_only=period["registered_only"],
    )
    await repo.replace_participants(session, period["id"], rows)
    kept = await repo.participant_ids(session, period["id"])
    links = await snapshot.lineage(registry, period["starts_on"], period["ends_on"], kept)
    await repo.replace_lineage(session, period["id"], links)


async def _choice(
    session: AsyncSession, period_id: uuid.UUID, reorganisation: Reorganisation, rule: DerivationRule
) -> dict[str, Any]:
    """A history entry's detail: the choice, and the lineage events inside the period that it follows."""
    links = await repo.lineage(session, period_id)
    involved = list({u for link in links for u in (link["predecessor_id"], link["successor_id"])})
    names = {p["unit_id"]: p["name"] for p in await repo.participants(session, period_id, involved)}
    events: dict[uuid.UUID, dict[str, Any]] = {}
    for link in links:
        event = events.setdefault(
            link["event_id"],
            {
                "event_id": str(link["event_id"]),
                "kind": link["kind"],
                "effective_date": link["effective_date"].isoformat(),
                "legal_act": {
                    "number": link["act_number"],
                    "date": link["act_date"].isoformat(),
                    "issuer": link["act_issuer"],
                },
                "links": [],
            },
        )
        event["links"].append(
            {
                "predecessor_id": str(link["predecessor_id"]),
                "predecessor_name": names.get(link["predecessor_id"]),
                "successor_id": str(link["successor_id"]),
                "successor_name": names.get(link["successor_id"]),
                "share": None if link["share"] is None else str(link["share"]),
            }
        )
    return {
        "reorganisation": reorganisation.value,
        "derivation_rule": rule.value,
        "lineage_events": list(events.values()),
    }


async def update(
    session: AsyncSession,
    caller: Caller,
    registry: RegistryClient,
    refresher: "ScoreRefresher",
    period_id: uuid.UUID,
    body: PeriodUpdate,
    expected: int,
) -> Period:
    """Change the reorganisation choice (or derivation rule) of an open period, on a fresh snapshot, so that the
    history names the lineage events the new choice follows; scores follow at the next recompute."""
    row = await get_row(session, period_id, lock="update")
    access.require_manager(caller, row)
    require_version(row["version"], expected)
    if row["status"] != S.OPEN:
        raise ReorganisationFixed()
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    reorganisation = Reorganisation(changes.get("reorganisation", row["reorganisation"]))
    rule = DerivationRule(changes.get("derivation_rule", row["derivation_rule"]))
    await _take_snapshot(session, registry, await frameworks.read(session, row["framework_id"]), row)
    await repo.periods.bump(session, period_id, reorganisation=reorganisation, derivation_rule=rule)
    await refresher.mark_stale(session, period_id)
    detail = await _choice(session, period_id, reorganisation, rule)
    status = row["status"]  # unchanged: the entry records the new choice
    await workflow.record(
        session, repo.transitions, period_id, caller.subject, status, status, body.reason, detail=detail
    )
    return await read(session, caller, period_id)


async def get_row(session: AsyncSession, period_id: uuid.UUID, *, lock: Lock = None) -> sa.RowMapping:
    row = await repo.periods.get(session, period_id, lock=lock)
    if row is None:
        raise PeriodNotFound(period_id=str(period_id))
    return row


async def read(session: AsyncSession, caller: Caller | None, period_id: uuid.UUID) -> Period:
    await get_row(session, period_id)
    return (await _read_many(session, caller, [period_id]))[0]


async def _read_many(session: AsyncSession, caller: Caller | None, ids: Sequence[uuid.UUID]) -> list[Period]:
    rows, histories, counts = await repo.get_many(session, ids)
    facts = privacy.signed_in(caller)
    return [
        Period.model_validate(
            dict(row)
            | {
                "participants": counts.get(row["id"], 0),
                "history": [
                    privacy.POLICY.shape(TransitionOut.model_validate(dict(h) | (h["detail"] or {})), facts)
                    for h in histories.get(row["id"], [])
                ],
            }
        )
        for row in rows
    ]


async def list_page(
    session: AsyncSession,
    caller: Caller | None,
    paging: PageParams,
    framework_id: uuid.UUID | None,
    movement_id: uuid.UUID | None,
) -> Page[Period]:
    after = paging.after(int, date.fromisoformat, uuid.UUID)
    keys = await repo.list_keys(session, framework_id, movement_id, after=after, limit=paging.limit)
    items = await _read_many(session, caller, [k.id for k in keys[: paging.limit]])
    more = len(keys) > paging.limit
    return Page(items=items, next_cursor=encode_cursor(list(keys[paging.limit - 1])) if more else None)


async def transition(
    session: AsyncSession,
    caller: Caller,
    registry: RegistryClient,
    refresher: "ScoreRefresher",
    period_id: uuid.UUID,
    body: PeriodTransition,
    expected: int,
) -> Period:
    from services.scoring.scores import service as scores  # scores depend on periods, not the reverse

    row = await get_row(session, period_id, lock="update")
    access.require_manager(caller, row)
    require_version(row["version"], expected)
    current = S(row["status"])
    require_transition(ALLOWED, current, body.to)
    if body.to == S.OPEN and not body.reason:
        raise ReopeningNeedsReason()
    detail = None
    if body.to == S.LOCKED:
        await _take_snapshot(session, registry, await frameworks.read(session, row["framework_id"]), row)
        await repo.mark_stale(session, period_id)
        rule = DerivationRule(row["derivation_rule"])
        detail = await _choice(session, period_id, Reorganisation(row["reorganisation"]), rule)
    if body.to in (S.LOCKED, S.PUBLISHED):  # computed in this transaction: the results leave it fixed
        await scores.ensure_fresh(session, period_id)
    else:  # reopened: recomputed from the inputs as they are, and again after each write
        await refresher.mark_stale(session, period_id)
    await repo.periods.bump(session, period_id, status=body.to)
    if body.to == S.PUBLISHED:  # fixed from now on: each ranking is stored as served
        await scores.store_published_rankings(session, period_id)
    elif current == S.PUBLISHED:
        await scores.drop_published_rankings(session, period_id)
    await workflow.record(
        session, repo.transitions, period_id, caller.subject, current, body.to, body.reason, detail=detail
    )
    return await read(session, caller, period_id)


async def participants(
    session: AsyncSession, caller: Caller | None, period_id: uuid.UUID, paging: PageParams
) -> Page[Participant]:
    row = await get_row(session, period_id)
    found = [p for p in await repo.participants(session, period_id) if privacy.shows(caller, row, p)]
    merged = await merged_into(session, period_id)
    return paging.page_of([_participant(row, p, merged) for p in found], lambda p: (p.level, p.name, str(p.unit_id)))


def _participant(period: sa.RowMapping, p: sa.RowMapping, merged: dict[uuid.UUID, list[MergedInto]]) -> Participant:
    return Participant.model_validate(
        dict(p) | {"in_ranking": in_ranking(period, p), "merged_into": merged.get(p["unit_id"], [])}
    )


def in_ranking(period: Record, participant: Record) -> bool:
    """Ranked in the period: the office's choice, and on the tree that the period's reorganisation choice ranks."""
    on_tree = participant["on_start"] if period["reorganisation"] == Reorganisation.START else participant["on_end"]
    return bool(participant["ranked"] and on_tree)


async def merged_into(session: AsyncSession, period_id: uuid.UUID) -> dict[uuid.UUID, list[MergedInto]]:
    """Per predecessor that left the tree inside the period, the units it went into (the period's lineage)."""
    rows = await repo.merged_into(session, period_id)
    out: dict[uuid.UUID, list[MergedInto]] = {}
    for r in rows:
        out.setdefault(r["predecessor_id"], []).append(MergedInto.model_validate(r))
    return out


def require_not_published(period: Record) -> None:
    """A published period's results are fixed rows: nothing that feeds them changes until it is reopened."""
    if period["status"] == S.PUBLISHED:
        raise ResultsFixed(status_now=period["status"])


async def update_participant(
    session: AsyncSession,
    caller: Caller,
    refresher: "ScoreRefresher",
    period_id: uuid.UUID,
    unit_id: uuid.UUID,
    body: ParticipantUpdate,
) -> Participant:
    row = await get_row(session, period_id, lock="update")
    access.require_manager(caller, row)
    require_not_published(row)
    changes = body.model_dump(exclude_unset=True)
    if changes and await repo.update_participant(session, period_id, unit_id, **changes):
        await refresher.mark_stale(session, period_id)
    found = await repo.participants(session, period_id, [unit_id])
    if not found:  # also with no changes at all (`{}`)
        raise ParticipantNotFound(period_id=str(period_id), unit_id=str(unit_id))
    return _participant(row, found[0], await merged_into(session, period_id))


async def participant_rows(
    session: AsyncSession, period_id: uuid.UUID, unit_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, sa.RowMapping]:
    return {p["unit_id"]: p for p in await repo.participants(session, period_id, unit_ids)}
