from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from kit.db import WriteSession
from services.registry.access import Officer
from services.registry.imports import service
from services.registry.imports.schemas import ImportReport

router = APIRouter(tags=["units"])


@router.post("/units/import", summary="Import a unit list (CSV or XLSX); dry_run reports without writing")
async def import_units(
    session: WriteSession,
    caller: Officer,
    file: Annotated[
        UploadFile,
        File(
            description="columns: admin_code, organ_code, name, short_name, kind, level, "
            "parent_code, valid_from (Vietnamese headers accepted)"
        ),
    ],
    dry_run: Annotated[bool, Query(description="validate and report, write nothing")] = False,
) -> ImportReport:
    content = await file.read()
    return await service.run(session, caller, content, file.filename or "", file.content_type, dry_run=dry_run)
