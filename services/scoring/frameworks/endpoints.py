from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.caching import OPEN_DATA, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from services.scoring.access import Officer
from services.scoring.frameworks import service
from services.scoring.frameworks.schemas import Framework, FrameworkCreate
from services.scoring.parameters import FrameworkID

router = APIRouter(tags=["frameworks"])


@router.post("/frameworks", status_code=201, summary="Define a framework (a draft, or the next version of a code)")
async def create(session: WriteSession, caller: Officer, body: FrameworkCreate, response: Response) -> Framework:
    framework = await service.create(session, caller, body)
    response.headers["Location"] = f"/frameworks/{framework.id}"
    return framework


@router.get("/frameworks", summary="Frameworks, every version")
@cache(OPEN_DATA)
async def list_frameworks(
    session: ReadSession, paging: Paging, code: Annotated[str | None, Query(description="only this code")] = None
) -> Page[Framework]:
    return await service.list_page(session, paging, code)


@router.get("/frameworks/{framework_id}", summary="One framework with its tree, bands and targets")
@cache(OPEN_DATA)
async def read(session: ReadSession, framework_id: FrameworkID) -> Framework:
    return await service.read(session, framework_id)


@router.put("/frameworks/{framework_id}", summary="Rewrite a draft (a published framework answers 409)")
async def replace(
    session: WriteSession, caller: Officer, framework_id: FrameworkID, body: FrameworkCreate
) -> Framework:
    return await service.replace(session, caller, framework_id, body)


@router.post("/frameworks/{framework_id}/publish", summary="Publish: the version becomes immutable")
async def publish(session: WriteSession, caller: Officer, framework_id: FrameworkID) -> Framework:
    return await service.publish(session, caller, framework_id)


@router.post("/frameworks/{framework_id}/versions", status_code=201, summary="Start the next version as a draft")
async def new_version(session: WriteSession, caller: Officer, framework_id: FrameworkID) -> Framework:
    return await service.new_version(session, caller, framework_id)
