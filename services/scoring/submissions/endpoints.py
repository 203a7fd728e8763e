import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile

from kit import openapi
from kit.body import JsonBody
from kit.caching import PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.versioning import ExpectedVersion, with_etag
from services.scoring.access import Officer, Registry, Writer
from services.scoring.parameters import FileID, IndicatorCode, PeriodID, UnitID
from services.scoring.scores.refresh import Refresher
from services.scoring.submissions import imports, service
from services.scoring.submissions.schemas import (
    BatchReport,
    Change,
    EvidenceFile,
    ImportReport,
    Review,
    StoredValue,
    ValueBatch,
)
from services.scoring.vocabulary import ValueStatus

router = APIRouter(tags=["submissions"])


_batch = JsonBody(ValueBatch)


@router.post(
    "/periods/{period_id}/values",
    summary="Submit values (up to 10,000 rows; all or nothing)",
    openapi_extra=_batch.openapi,
)
async def submit_values(
    request: Request,
    session: WriteSession,
    caller: Writer,
    refresher: Refresher,
    period_id: PeriodID,
    body: Annotated[ValueBatch, Depends(_batch)],
    dry_run: Annotated[bool, Query(description="check every row and report, write nothing")] = False,
    submit: Annotated[bool, Query(description="also send them for appraisal (they lock for the unit)")] = False,
) -> BatchReport:
    return await service.submit_batch(
        session,
        caller,
        period_id,
        body,
        dry_run=dry_run,
        submit=submit,
        settings=request.app.state.settings,
        refresher=refresher,
    )


@router.post(
    "/periods/{period_id}/values/import",
    summary="Submit values from a CSV or XLSX file (one line per unit and indicator; all or nothing)",
)
async def import_values(
    request: Request,
    session: WriteSession,
    caller: Writer,
    refresher: Refresher,
    registry: Registry,
    period_id: PeriodID,
    file: Annotated[
        UploadFile,
        File(
            description="columns (Vietnamese labels accepted, STT ignored, title rows skipped): unit_id or unit "
            "(name, or path 'Thành phố Hạ Long / Phường Hồng Gai'), indicator_code, value | numerator + denominator "
            "| flag (Có/Không) | category, and optionally evidence_number, evidence_date, evidence_subject"
        ),
    ],
    dry_run: Annotated[bool, Query(description="check every line and report, write nothing")] = False,
    submit: Annotated[bool, Query(description="also send them for appraisal (they lock for the unit)")] = False,
) -> ImportReport:
    upload = (await file.read(), file.filename or "", file.content_type)
    return await imports.run(
        session,
        caller,
        registry,
        period_id,
        upload,
        dry_run=dry_run,
        submit=submit,
        settings=request.app.state.settings,
        refresher=refresher,
    )


@router.get("/periods/{period_id}/values", summary="Values in your scope")
@cache(PERSONAL)
async def list_values(
    session: ReadSession,
    caller: Writer,
    period_id: PeriodID,
    paging: Paging,
    unit_id: Annotated[uuid.UUID | None, Query(description="only this unit's")] = None,
    indicator_code: Annotated[str | None, Query(description="only this indicator's")] = None,
    status: Annotated[ValueStatus | None, Query(description="only those in this status")] = None,
) -> Page[StoredValue]:
    return await service.list_values(
        session, caller, period_id, paging, unit_id=unit_id, code=indicator_code, status=status
    )


@router.post("/periods/{period_id}/units/{unit_id}/submit", summary="Send the unit's values to the appraiser")
async def submit_unit(
    session: WriteSession, caller: Writer, refresher: Refresher, period_id: PeriodID, unit_id: UnitID
) -> dict[str, int]:
    return {"submitted": await service.submit_unit(session, caller, refresher, period_id, unit_id)}


@router.post(
    "/periods/{period_id}/values/{unit_id}/{indicator_code}/review",
    summary="Accept, adjust or return one value (If-Match: the value's version)",
)
async def review(
    session: WriteSession,
    caller: Officer,
    refresher: Refresher,
    period_id: PeriodID,
    unit_id: UnitID,
    indicator_code: IndicatorCode,
    body: Review,
    version: ExpectedVersion,
    response: Response,
) -> StoredValue:
    reviewed = await service.review(session, caller, refresher, period_id, unit_id, indicator_code, body, version)
    return with_etag(response, reviewed)


@router.get("/periods/{period_id}/values/{unit_id}/{indicator_code}/history", summary="Every change of a value")
@cache(PERSONAL)
async def history(
    session: ReadSession, caller: Writer, period_id: PeriodID, unit_id: UnitID, indicator_code: IndicatorCode
) -> list[Change]:
    return await service.history(session, caller, period_id, unit_id, indicator_code)


@router.post("/periods/{period_id}/evidence", status_code=201, summary="Upload an evidence file (PDF, image, docx…)")
async def upload(
    request: Request,
    session: WriteSession,
    caller: Writer,
    period_id: PeriodID,
    unit_id: Annotated[uuid.UUID, Form(description="the participating unit the file is evidence for")],
    file: Annotated[
        UploadFile,
        File(description="the file, of a media type the service accepts (PDF, image, docx…; 20 MiB by default)"),
    ],
) -> EvidenceFile:
    content = await file.read()
    return await service.upload(
        session, caller, period_id, unit_id, file.filename or "", file.content_type, content, request.app.state.settings
    )


@router.get(
    "/periods/{period_id}/evidence/{file_id}",
    summary="Download an evidence file",
    **openapi.download(*service.EVIDENCE_MEDIA_TYPES, description="The file as uploaded"),
)
@cache(PERSONAL)
async def download(session: ReadSession, caller: Writer, period_id: PeriodID, file_id: FileID) -> Response:
    found = await service.download(session, caller, period_id, file_id)
    return Response(
        found["content"],
        media_type=found["content_type"],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(found['filename'])}"},
    )
