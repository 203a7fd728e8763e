from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from kit.auth import OptionalCaller
from kit.caching import OPEN_DATA, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.params import AsOf
from kit.schemas import IsoDate
from kit.versioning import ExpectedVersion, created, with_etag
from services.registry.access import Officer
from services.registry.blocs import service
from services.registry.blocs.schemas import Bloc, BlocCreate, MemberCreate, OfficersSet, UnitBloc
from services.registry.parameters import BlocID, UnitID

router = APIRouter(tags=["blocs"])
OnDay = Annotated[IsoDate | None, Query(description="members on this day (default: all, with their dates)")]


@router.post("/blocs", status_code=201, summary="Form a Cụm/Khối thi đua")
async def create(session: WriteSession, caller: Officer, body: BlocCreate, response: Response) -> Bloc:
    return created(response, await service.create(session, caller, body), "/blocs")


@router.get("/blocs", summary="All blocs")
@cache(OPEN_DATA)
async def list_blocs(session: ReadSession, paging: Paging, as_of: OnDay = None) -> Page[Bloc]:
    return paging.page_of(await service.list_all(session, as_of), lambda b: (b.code, str(b.id)))


@router.get("/blocs/{bloc_id}", summary="One bloc with its members and officers")
@cache(OPEN_DATA)
async def read(session: ReadSession, bloc_id: BlocID, response: Response, as_of: OnDay = None) -> Bloc:
    return with_etag(response, await service.read(session, bloc_id, as_of))


@router.post("/blocs/{bloc_id}/members", status_code=201, summary="Add a dated member (If-Match)")
async def add_member(
    session: WriteSession,
    caller: Officer,
    bloc_id: BlocID,
    body: MemberCreate,
    version: ExpectedVersion,
    response: Response,
) -> Bloc:
    return with_etag(response, await service.add_member(session, caller, bloc_id, body, version))


@router.put("/blocs/{bloc_id}/officers/{year}", summary="Leader and deputies of a year (If-Match)")
async def set_officers(
    session: WriteSession,
    caller: Officer,
    bloc_id: BlocID,
    year: Annotated[int, Path(ge=1990, le=2100, description="the year of office")],
    body: OfficersSet,
    version: ExpectedVersion,
    response: Response,
) -> Bloc:
    return with_etag(response, await service.set_officers(session, caller, bloc_id, year, body, version))


@router.get("/units/{unit_id}/blocs", summary="Blocs a unit belongs to on a day")
@cache(OPEN_DATA)
async def of_unit(
    session: ReadSession, caller: OptionalCaller, unit_id: UnitID, as_of: AsOf, paging: Paging
) -> Page[UnitBloc]:
    found = await service.of_unit(session, caller, unit_id, as_of)
    return paging.page_of(found, lambda b: (b.code, str(b.bloc_id)))
