import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.auth import OptionalCaller
from kit.caching import OPEN_DATA, OPEN_DATA_AND_PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.params import AsOf, IdList
from kit.schemas import IsoDateTime
from kit.text import fold
from kit.versioning import ExpectedVersion, created, with_etag
from services.registry.access import Editor
from services.registry.parameters import UnitID
from services.registry.units import service
from services.registry.units.schemas import (
    CodeCreate,
    NameCreate,
    ParentCreate,
    SubtreeUnit,
    TreeNode,
    Unit,
    UnitCreate,
    UnitHistory,
    UnitUpdate,
)
from services.registry.vocabulary import UnitKind, UnitLevel

router = APIRouter(tags=["units"])


@router.get("/units", summary="List, search or batch-read units")
@cache(OPEN_DATA_AND_PERSONAL)
async def list_units(
    session: ReadSession,
    caller: OptionalCaller,
    paging: Paging,
    as_of: AsOf,
    ids: IdList,
    kind: Annotated[list[UnitKind], Query(description="filter by kind (repeatable)")] = [],  # noqa: B006
    level: Annotated[list[UnitLevel], Query(description="filter by level (repeatable)")] = [],  # noqa: B006
    parent_id: Annotated[uuid.UUID | None, Query(description="direct children of this unit on `as_of`")] = None,
    q: Annotated[str | None, Query(max_length=200, description="name contains (ignores diacritics and case)")] = None,
    include_inactive: Annotated[bool, Query(description="also units that did not exist on `as_of`")] = False,
    modified_since: Annotated[
        IsoDateTime | None, Query(description="only units changed at or after this instant (incremental sync)")
    ] = None,
) -> Page[Unit]:
    if ids is not None:
        return Page(items=await service.read_many(session, caller, ids, as_of))
    return await service.search(
        session,
        caller,
        paging,
        as_of,
        kinds=kind,
        levels=level,
        parent_id=parent_id,
        q=q,
        include_inactive=include_inactive,
        modified_since=modified_since,
    )


@router.get("/units/tree", summary="The hierarchy on a day, as nested nodes")
@cache(OPEN_DATA_AND_PERSONAL)
async def tree(
    session: ReadSession,
    caller: OptionalCaller,
    as_of: AsOf,
    root: Annotated[uuid.UUID | None, Query(description="start from this unit (default: every root)")] = None,
) -> list[TreeNode]:
    return await service.tree(session, caller, root, as_of)


@router.post("/units", status_code=201, summary="Create a unit")
async def create_unit(session: WriteSession, caller: Editor, body: UnitCreate, response: Response) -> Unit:
    return created(response, await service.create(session, caller, body), "/units")


@router.get("/units/{unit_id}", summary="One unit as of a day, with its dated history")
@cache(OPEN_DATA_AND_PERSONAL)
async def get_unit(
    session: ReadSession, caller: OptionalCaller, unit_id: UnitID, as_of: AsOf, response: Response
) -> UnitHistory:
    return with_etag(response, await service.read_history(session, caller, unit_id, as_of))


@router.patch("/units/{unit_id}", summary="Change kind or level (If-Match required)")
async def update_unit(
    session: WriteSession,
    caller: Editor,
    unit_id: UnitID,
    body: UnitUpdate,
    version: ExpectedVersion,
    response: Response,
) -> Unit:
    return with_etag(response, await service.update(session, caller, unit_id, body, version))


@router.post("/units/{unit_id}/names", status_code=201, summary="Add a dated name (If-Match required)")
async def add_name(
    session: WriteSession,
    caller: Editor,
    unit_id: UnitID,
    body: NameCreate,
    version: ExpectedVersion,
    response: Response,
) -> UnitHistory:
    return with_etag(response, await service.add_name(session, caller, unit_id, body, version))


@router.post("/units/{unit_id}/codes", status_code=201, summary="Add dated codes (If-Match required)")
async def add_code(
    session: WriteSession,
    caller: Editor,
    unit_id: UnitID,
    body: CodeCreate,
    version: ExpectedVersion,
    response: Response,
) -> UnitHistory:
    return with_etag(response, await service.add_code(session, caller, unit_id, body, version))


@router.post("/units/{unit_id}/parents", status_code=201, summary="Add a dated parent (If-Match required)")
async def add_parent(
    session: WriteSession,
    caller: Editor,
    unit_id: UnitID,
    body: ParentCreate,
    version: ExpectedVersion,
    response: Response,
) -> UnitHistory:
    return with_etag(response, await service.add_parent(session, caller, unit_id, body, version))


@router.get("/units/{unit_id}/children", summary="Direct children on a day")
@cache(OPEN_DATA_AND_PERSONAL)
async def children(
    session: ReadSession, caller: OptionalCaller, unit_id: UnitID, as_of: AsOf, paging: Paging
) -> Page[Unit]:
    await service.read(session, caller, unit_id, as_of)
    return await service.search(
        session, caller, paging, as_of, kinds=[], levels=[], parent_id=unit_id, q=None, include_inactive=False
    )


@router.get("/units/{unit_id}/ancestors", summary="Ancestors on a day, root first")
@cache(OPEN_DATA_AND_PERSONAL)
async def ancestors(session: ReadSession, caller: OptionalCaller, unit_id: UnitID, as_of: AsOf) -> list[Unit]:
    return await service.ancestors(session, caller, unit_id, as_of)


@router.get("/units/{unit_id}/subtree", summary="The unit and everything under it on a day")
@cache(OPEN_DATA_AND_PERSONAL)
async def subtree(
    session: ReadSession, caller: OptionalCaller, unit_id: UnitID, as_of: AsOf, paging: Paging
) -> Page[SubtreeUnit]:
    found = await service.subtree(session, caller, unit_id, as_of)
    return paging.page_of(found, lambda u: (u.depth, fold(u.name or ""), str(u.id)))


@router.get("/unit-kinds", summary="Unit kinds with their Vietnamese labels")
@cache(OPEN_DATA)
async def unit_kinds() -> list[dict[str, str]]:
    return [{"kind": k.value, "label": k.label} for k in UnitKind]
