from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.auth import OptionalCaller
from kit.caching import OPEN_DATA_AND_PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.versioning import ExpectedVersion, created, with_etag
from kit.xlsx import Export, offers_xlsx
from services.registry.access import Editor
from services.registry.parameters import MovementID, RegistrationID
from services.registry.registrations import service, sheets
from services.registry.registrations.schemas import (
    Registration,
    RegistrationCreate,
    RegistrationStatus,
    RegistrationUpdate,
    Transition,
)

router = APIRouter(tags=["registrations"])


@router.post("/movements/{movement_id}/registrations", status_code=201, summary="Register (draft) for a movement")
async def create(
    session: WriteSession,
    caller: Editor,
    movement_id: MovementID,
    body: RegistrationCreate,
    response: Response,
) -> Registration:
    return created(response, await service.create(session, caller, movement_id, body), "/registrations")


@router.get(
    "/movements/{movement_id}/registrations",
    summary="Registrations of a movement; as Excel (the whole list) with ?format=xlsx",
    **offers_xlsx(Page[Registration], "One page as JSON, or every registration as an Excel workbook"),
)
@cache(OPEN_DATA_AND_PERSONAL)
async def of_movement(
    session: ReadSession,
    caller: OptionalCaller,
    movement_id: MovementID,
    paging: Paging,
    export: Export,
    status: Annotated[RegistrationStatus | None, Query(description="only those in this status")] = None,
    is_pilot: Annotated[bool | None, Query(description="only pilot units (chỉ đạo điểm)")] = None,
) -> Page[Registration] | Response:
    if export.wanted:  # the whole list: paging is for screens
        title, rows = await service.listing(session, caller, movement_id, status=status, is_pilot=is_pilot)
        sheet, lines = sheets.registrations(rows)
        return export.workbook(sheet, lines, filename=f"Đăng ký thi đua {title}", title=f"Danh sách đăng ký: {title}")
    return await service.of_movement(session, caller, movement_id, paging, status=status, is_pilot=is_pilot)


@router.get("/registrations/{registration_id}", summary="One registration with its history")
@cache(OPEN_DATA_AND_PERSONAL)
async def read(
    session: ReadSession, caller: OptionalCaller, registration_id: RegistrationID, response: Response
) -> Registration:
    return with_etag(response, await service.read(session, caller, registration_id))


@router.post("/registrations/{registration_id}/transitions", summary="Submit, approve, reject … (If-Match)")
async def transition(
    session: WriteSession,
    caller: Editor,
    registration_id: RegistrationID,
    body: Transition,
    version: ExpectedVersion,
    response: Response,
) -> Registration:
    return with_etag(response, await service.transition(session, caller, registration_id, body, version))


@router.patch("/registrations/{registration_id}", summary="Edit commitments, or mark a pilot unit (If-Match)")
async def update(
    session: WriteSession,
    caller: Editor,
    registration_id: RegistrationID,
    body: RegistrationUpdate,
    version: ExpectedVersion,
    response: Response,
) -> Registration:
    return with_etag(response, await service.update(session, caller, registration_id, body, version))
