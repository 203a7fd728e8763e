import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.caching import PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.schemas import IsoDate
from kit.versioning import ExpectedVersion, created, with_etag
from services.registry.access import Editor
from services.registry.parameters import PersonID
from services.registry.people import service
from services.registry.people.schemas import MembershipCreate, Person, PersonCreate

router = APIRouter(tags=["people"])


@router.post("/people", status_code=201, summary="Record an individual with their unit")
async def create(session: WriteSession, caller: Editor, body: PersonCreate, response: Response) -> Person:
    return created(response, await service.create(session, caller, body), "/people")


@router.get("/people", summary="People of a unit in your scope (personal data: unit editors only)")
@cache(PERSONAL)
async def search(
    session: ReadSession,
    caller: Editor,
    paging: Paging,
    unit_id: Annotated[uuid.UUID | None, Query(description="members of this unit (default: your unit)")] = None,
    q: Annotated[str | None, Query(max_length=200, description="name contains, ignoring diacritics")] = None,
    as_of: Annotated[IsoDate | None, Query(description="members on this day (default: at any time)")] = None,
) -> Page[Person]:
    return await service.search(session, caller, paging, unit_id=unit_id, q=q, as_of=as_of)


@router.get("/people/{person_id}", summary="One person")
@cache(PERSONAL)
async def read(session: ReadSession, caller: Editor, person_id: PersonID, response: Response) -> Person:
    return with_etag(response, await service.read(session, caller, person_id))


@router.post("/people/{person_id}/memberships", status_code=201, summary="Add a dated membership (If-Match)")
async def add_membership(
    session: WriteSession,
    caller: Editor,
    person_id: PersonID,
    body: MembershipCreate,
    version: ExpectedVersion,
    response: Response,
) -> Person:
    return with_etag(response, await service.add_membership(session, caller, person_id, body, version))
