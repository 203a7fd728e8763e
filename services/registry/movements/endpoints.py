import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.caching import OPEN_DATA, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.versioning import ExpectedVersion, created, with_etag
from services.registry.access import Officer
from services.registry.movements import service
from services.registry.movements.schemas import Movement, MovementCreate, MovementUpdate, Schedule
from services.registry.parameters import MovementID

router = APIRouter(tags=["movements"])


@router.post("/movements", status_code=201, summary="Launch a movement (phát động)")
async def create(session: WriteSession, caller: Officer, body: MovementCreate, response: Response) -> Movement:
    return created(response, await service.create(session, caller, body), "/movements")


@router.get("/movements", summary="Movements, newest first")
@cache(OPEN_DATA)
async def search(
    session: ReadSession,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=200, description="title contains, ignoring diacritics")] = None,
    issuer_unit_id: Annotated[uuid.UUID | None, Query(description="only those launched by this unit")] = None,
    code: Annotated[str | None, Query(max_length=64, description="the movement with this code")] = None,
) -> Page[Movement]:
    return await service.search(session, paging, q=q, issuer_unit_id=issuer_unit_id, code=code)


@router.get("/movements/{movement_id}", summary="One movement with its phases and milestones")
@cache(OPEN_DATA)
async def read(session: ReadSession, movement_id: MovementID, response: Response) -> Movement:
    return with_etag(response, await service.read(session, movement_id))


@router.patch("/movements/{movement_id}", summary="Change title, end date or description (If-Match)")
async def update(
    session: WriteSession,
    caller: Officer,
    movement_id: MovementID,
    body: MovementUpdate,
    version: ExpectedVersion,
    response: Response,
) -> Movement:
    return with_etag(response, await service.update(session, caller, movement_id, body, version))


@router.put("/movements/{movement_id}/schedule", summary="Replace phases and milestones (If-Match)")
async def replace_schedule(
    session: WriteSession,
    caller: Officer,
    movement_id: MovementID,
    body: Schedule,
    version: ExpectedVersion,
    response: Response,
) -> Movement:
    return with_etag(
        response, await service.replace_schedule(session, caller, movement_id, body.phases, body.milestones, version)
    )
