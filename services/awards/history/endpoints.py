import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from kit.caching import OPEN_DATA_AND_PERSONAL, PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.params import UnitIdList
from services.awards.access import Office, Registry
from services.awards.history import service
from services.awards.history.schemas import HistoryEntry, RecordOut, RecordsIn
from services.awards.parameters import PersonID, UnitID

router = APIRouter(tags=["history"])


def _newest_first(entry: HistoryEntry) -> tuple[int, str, str]:
    return (-entry.signed_on.toordinal(), entry.name, str(entry.award_id))


@router.get(
    "/units/{unit_id}/awards", summary="A unit's awards, with its predecessors' (published decisions: open data)"
)
@cache(OPEN_DATA_AND_PERSONAL)
async def unit_awards(
    session: ReadSession,
    registry: Registry,
    unit_id: UnitID,
    paging: Paging,
    include_predecessors: Annotated[bool, Query(description="also the units it was formed from")] = True,
) -> Page[HistoryEntry]:
    return paging.page_of(await service.unit_awards(session, registry, unit_id, include_predecessors), _newest_first)


@router.get("/awards", summary="Awards of many units at once (published decisions: open data)")
@cache(OPEN_DATA_AND_PERSONAL)
async def units_awards(session: ReadSession, unit_ids: UnitIdList) -> Page[HistoryEntry]:
    """A batch read, answered as one page like every batch read: each unit's own awards, newest first."""
    return Page(items=await service.units_awards(session, unit_ids or []))


@router.get("/people/{person_id}/awards", summary="A person's awards (the emulation office of their unit)")
@cache(PERSONAL)
async def person_awards(
    session: ReadSession, caller: Office, registry: Registry, person_id: PersonID, paging: Paging
) -> Page[HistoryEntry]:
    return paging.page_of(await service.person_awards(session, caller, registry, person_id), _newest_first)


@router.post(
    "/records", status_code=201, summary="Record ratings, titles, initiatives or disciplines rules look back on"
)
async def add_records(session: WriteSession, caller: Office, registry: Registry, body: RecordsIn) -> list[RecordOut]:
    return await service.add_records(session, caller, registry, body)


@router.get("/records", summary="Recorded facts about a unit or a person")
@cache(PERSONAL)
async def records(
    session: ReadSession,
    caller: Office,
    registry: Registry,
    paging: Paging,
    subject_id: Annotated[uuid.UUID, Query(description="the unit or person (registry id)")],
) -> Page[RecordOut]:
    found = await service.records(session, caller, registry, subject_id)
    return paging.page_of(found, lambda r: (-r.year, r.kind, str(r.id)))
