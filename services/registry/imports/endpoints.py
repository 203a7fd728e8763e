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
            description="columns (Vietnamese labels accepted: Mã đơn vị, Tên đơn vị, Loại, Cấp, Đơn vị cấp trên, "
            "Hiệu lực từ …; STT and Ghi chú ignored; title rows skipped): code or admin_code / organ_code, name, "
            "short_name, kind, level, parent_code or parent (a unique name or a path 'Tỉnh A / Huyện B'), valid_from "
            "(dd/mm/yyyy, ISO or a date cell). CSV in UTF-8 (with or without BOM) or Windows-1258"
        ),
    ],
    dry_run: Annotated[bool, Query(description="validate and report, write nothing")] = False,
) -> ImportReport:
    content = await file.read()
    return await service.run(session, caller, content, file.filename or "", file.content_type, dry_run=dry_run)
