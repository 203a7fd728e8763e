from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.auth import OptionalCaller
from kit.caching import OPEN_DATA_AND_PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.params import AsOf
from services.registry.access import Officer
from services.registry.lineage import service
from services.registry.lineage.schemas import LineageEvent, LineageEventCreate, Relative
from services.registry.parameters import EventID, UnitID

router = APIRouter(tags=["lineage"])


@router.post("/lineage-events", status_code=201, summary="Record a merge, split, transfer, rename … citing its act")
async def record(session: WriteSession, caller: Officer, body: LineageEventCreate, response: Response) -> LineageEvent:
    event = await service.record(session, caller, body)
    response.headers["Location"] = f"/lineage-events/{event.id}"
    return event


@router.get("/lineage-events", summary="Events effective between two days (both included), oldest first")
@cache(OPEN_DATA_AND_PERSONAL)
async def between(
    session: ReadSession,
    caller: OptionalCaller,
    paging: Paging,
    effective_from: Annotated[date, Query(description="first effective day")],
    effective_to: Annotated[date, Query(description="last effective day")],
) -> Page[LineageEvent]:
    return await service.between(session, caller, effective_from, effective_to, paging)


@router.get("/lineage-events/{event_id}", summary="One lineage event")
@cache(OPEN_DATA_AND_PERSONAL)
async def read(session: ReadSession, caller: OptionalCaller, event_id: EventID) -> LineageEvent:
    return await service.read(session, caller, event_id)


@router.get("/units/{unit_id}/lineage", summary="Events that involve the unit")
@cache(OPEN_DATA_AND_PERSONAL)
async def events_of(
    session: ReadSession, caller: OptionalCaller, unit_id: UnitID, paging: Paging
) -> Page[LineageEvent]:
    found = await service.events_of(session, caller, unit_id)
    return paging.page_of(found, lambda e: (e.effective_date.toordinal(), str(e.id)))


@router.get("/units/{unit_id}/predecessors", summary="Units this one came from, transitively")
@cache(OPEN_DATA_AND_PERSONAL)
async def predecessors(
    session: ReadSession, caller: OptionalCaller, unit_id: UnitID, as_of: AsOf, paging: Paging
) -> Page[Relative]:
    return paging.page_of(await service.relatives(session, caller, unit_id, "predecessors", as_of), _nearest_first)


@router.get("/units/{unit_id}/successors", summary="Units this one went into, transitively")
@cache(OPEN_DATA_AND_PERSONAL)
async def successors(
    session: ReadSession, caller: OptionalCaller, unit_id: UnitID, as_of: AsOf, paging: Paging
) -> Page[Relative]:
    return paging.page_of(await service.relatives(session, caller, unit_id, "successors", as_of), _nearest_first)


def _nearest_first(relative: Relative) -> tuple[int, int, str]:
    return (relative.depth, relative.effective_date.toordinal(), str(relative.unit.id))
