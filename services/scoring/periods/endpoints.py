import uuid
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kit.auth import OptionalCaller
from kit.caching import OPEN_DATA_AND_PERSONAL, cache, forget
from kit.db import ReadSession, WriteSession, after_commit
from kit.pagination import Page, Paging
from kit.versioning import ExpectedVersion, created, with_etag
from services.scoring.access import Officer, Registry
from services.scoring.parameters import PeriodID, UnitID
from services.scoring.periods import service
from services.scoring.periods.schemas import (
    Participant,
    ParticipantUpdate,
    Period,
    PeriodCreate,
    PeriodTransition,
    PeriodUpdate,
)
from services.scoring.scores import service as scores
from services.scoring.scores.refresh import Refresher

router = APIRouter(tags=["periods"])


@router.post("/periods", status_code=201, summary="Open a period: its participants are snapshot from the registry")
async def create(
    session: WriteSession,
    caller: Officer,
    registry: Registry,
    refresher: Refresher,
    body: PeriodCreate,
    response: Response,
) -> Period:
    return created(response, await service.create(session, caller, registry, refresher, body), "/periods")


@router.get("/periods", summary="Periods, newest first")
@cache(OPEN_DATA_AND_PERSONAL)
async def list_periods(
    session: ReadSession,
    caller: OptionalCaller,
    paging: Paging,
    framework_id: Annotated[
        uuid.UUID | None, Query(description="only those scored with this framework version")
    ] = None,
    movement_id: Annotated[uuid.UUID | None, Query(description="only those of this movement")] = None,
) -> Page[Period]:
    return await service.list_page(session, caller, paging, framework_id, movement_id)


@router.get("/periods/{period_id}", summary="One period with its history")
@cache(OPEN_DATA_AND_PERSONAL)
async def read(session: ReadSession, caller: OptionalCaller, period_id: PeriodID, response: Response) -> Period:
    return with_etag(response, await service.read(session, caller, period_id))


@router.patch(
    "/periods/{period_id}",
    summary="While open: how a reorganisation inside the period is ranked (start or end tree) and derived (If-Match)",
)
async def update(
    session: WriteSession,
    caller: Officer,
    registry: Registry,
    refresher: Refresher,
    period_id: PeriodID,
    body: PeriodUpdate,
    version: ExpectedVersion,
    response: Response,
) -> Period:
    return with_etag(response, await service.update(session, caller, registry, refresher, period_id, body, version))


@router.post("/periods/{period_id}/transitions", summary="Lock, publish or reopen (If-Match; reopen needs a reason)")
async def transition(
    request: Request,
    session: WriteSession,
    caller: Officer,
    registry: Registry,
    refresher: Refresher,
    period_id: PeriodID,
    body: PeriodTransition,
    version: ExpectedVersion,
    response: Response,
) -> Period:
    changed = await service.transition(session, caller, registry, refresher, period_id, body, version)
    # This process's remembered answers of the period go once the change is stored (others' expire: kit.caching).
    after_commit(session, ("forget", period_id), partial(forget, request, scores.period_tag(period_id)))
    return with_etag(response, changed)


@router.get("/periods/{period_id}/participants", summary="The snapshot of participating units")
@cache(OPEN_DATA_AND_PERSONAL)
async def participants(
    session: ReadSession, caller: OptionalCaller, period_id: PeriodID, paging: Paging
) -> Page[Participant]:
    return await service.participants(session, caller, period_id, paging)


@router.patch("/periods/{period_id}/participants/{unit_id}", summary="Assessed-not-ranked, or a custom peer group")
async def update_participant(
    session: WriteSession,
    caller: Officer,
    refresher: Refresher,
    period_id: PeriodID,
    unit_id: UnitID,
    body: ParticipantUpdate,
) -> Participant:
    return await service.update_participant(session, caller, refresher, period_id, unit_id, body)
