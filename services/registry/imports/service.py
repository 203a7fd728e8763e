"""Bulk import of unit lists: validate every row first, report all faults, then write everything or nothing."""

import uuid
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.problems import FieldError, InvalidInput, Text, pointer
from kit.text import fold
from kit.validation import field_errors
from services.registry import access
from services.registry.imports import repository as repo
from services.registry.imports.reader import read_rows
from services.registry.imports.schemas import ImportReport, ImportRow, RowError
from services.registry.units import repository as units_repo
from services.registry.units import service as units
from services.registry.units.schemas import UnitCreate
from services.registry.vocabulary import UnitKind

MAX_ROWS = 100_000
FIRST_DATA_LINE = 2
# Vietnamese labels a sheet may use instead of our codes, folded.
_KIND_WORDS = {fold(k.label): k.value for k in UnitKind} | {"huyen": "district", "xa": "commune", "phuong": "ward"}
_LEVEL_WORDS = {
    "trung uong": "central",
    "tinh": "province",
    "huyen": "district",
    "xa": "commune",
    "co so": "grassroots",
}


def _translate(raw: dict[str, Any]) -> dict[str, Any]:
    out = dict(raw)
    for key, words in (("kind", _KIND_WORDS), ("level", _LEVEL_WORDS)):
        if isinstance(out.get(key), str):
            out[key] = words.get(fold(out[key]), out[key])
    return out


async def run(
    session: AsyncSession, caller: Caller, content: bytes, filename: str, content_type: str | None, *, dry_run: bool
) -> ImportReport:
    raw_rows = read_rows(content, filename, content_type)
    if len(raw_rows) > MAX_ROWS:
        detail = Text(f"Tối đa {MAX_ROWS} dòng mỗi tệp", f"At most {MAX_ROWS} rows per file")
        raise InvalidInput(detail, errors=[FieldError(detail, parameter="file")])

    errors: list[FieldError] = []
    parsed: list[ImportRow | None] = []
    for i, raw in enumerate(raw_rows):
        try:
            parsed.append(ImportRow.model_validate(_translate(raw)))
        except ValidationError as exc:
            parsed.append(None)
            errors += [_at_row(i, e) for e in field_errors(exc.errors(include_url=False))]

    today = date.today()
    rows = [(i, r) for i, r in enumerate(parsed) if r is not None]
    seen: dict[str, int] = {}
    for i, row in rows:
        if not row.code:
            errors.append(
                _row_error(
                    i,
                    "admin_code",
                    Text(
                        "Cần mã ĐVHC hoặc mã định danh để nhận diện đơn vị",
                        "An administrative or organ code identifies the unit",
                    ),
                )
            )
        for code in filter(None, (row.admin_code, row.organ_code)):
            if code in seen:
                errors.append(
                    _row_error(
                        i,
                        "admin_code" if code == row.admin_code else "organ_code",
                        Text(
                            f"Mã {code} trùng với dòng {seen[code] + FIRST_DATA_LINE}",
                            f"Code {code} repeats line {seen[code] + FIRST_DATA_LINE}",
                        ),
                    )
                )
            seen.setdefault(code, i)

    known = await units_repo.ids_by_code(
        session, sorted({c for _, r in rows for c in (r.admin_code, r.organ_code, r.parent_code) if c}), today
    )
    for i, row in rows:
        if row.parent_code and row.parent_code not in seen and row.parent_code not in known:
            errors.append(
                _row_error(
                    i,
                    "parent_code",
                    Text(
                        f"Không tìm thấy đơn vị cấp trên có mã {row.parent_code}",
                        f"No parent unit with code {row.parent_code}",
                    ),
                )
            )

    ids = {
        row.code: known.get(row.admin_code or "") or known.get(row.organ_code or "") or uuid.uuid4()
        for _, row in rows
        if row.code
    }
    for parent_code in {r.parent_code for _, r in rows if r.parent_code and r.parent_code not in ids}:
        if parent_code in known:
            ids[parent_code] = known[parent_code]
    existing = {r["id"]: r for r in await units_repo.get_many(session, list(ids.values()), today)}
    in_file = {ids[r.code] for _, r in rows if r.code}
    outside_parents = {ids[r.parent_code] for _, r in rows if r.parent_code in ids} - in_file
    await access.require_scope_all(session, caller, outside_parents | (in_file & existing.keys()))
    creates: list[tuple[uuid.UUID, UnitCreate]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for _, row in rows:
        if not row.code:
            continue
        unit_id = ids[row.code]
        parent_id = ids.get(row.parent_code) if row.parent_code else None
        current = existing.get(unit_id)
        if current is None:
            creates.append(
                (
                    unit_id,
                    UnitCreate(
                        kind=row.kind,
                        level=row.level,
                        name=row.name,
                        short_name=row.short_name,
                        admin_code=row.admin_code,
                        organ_code=row.organ_code,
                        parent_id=parent_id,
                        valid_from=row.valid_from,
                    ),
                )
            )
        elif (current["name"], current["short_name"], current["kind"], current["level"], current["parent_id"]) != (
            row.name,
            row.short_name,
            row.kind,
            row.level,
            parent_id,
        ):
            updates.append(
                {
                    "unit_id": unit_id,
                    "name": row.name,
                    "short_name": row.short_name,
                    "search_key": fold(row.name),
                    "kind": row.kind,
                    "level": row.level,
                    "parent_id": parent_id,
                }
            )
        else:
            unchanged += 1

    report = ImportReport(
        dry_run=dry_run,
        rows=len(raw_rows),
        created=len(creates),
        updated=len(updates),
        unchanged=unchanged,
        errors=[_report_error(e) for e in sorted(errors, key=lambda e: e.extra["row"])],
    )
    if dry_run:
        return report
    if errors:
        raise InvalidInput(
            Text(
                f"Tệp có {len(report.errors)} lỗi; chưa ghi gì",
                f"The file has {len(report.errors)} errors; nothing was written",
            ),
            errors=errors,
            report=report.model_dump(mode="json"),
        )
    await units.insert(session, creates)
    await repo.apply_updates(session, updates, today)
    report.created_ids = [uid for uid, _ in creates]
    return report


def _row_error(index: int, field: str, detail: Text) -> FieldError:
    return FieldError(
        detail, pointer=pointer("rows", index, field), extra={"row": index + FIRST_DATA_LINE, "field": field}
    )


def _at_row(index: int, error: FieldError) -> FieldError:
    field = (error.pointer or "").lstrip("/").split("/")[0] or "row"
    return _row_error(index, field, error.detail)


def _report_error(error: FieldError) -> RowError:
    return RowError(
        row=error.extra["row"],
        pointer=error.pointer or "",
        field=error.extra["field"],
        detail=error.detail.vi,
        messages={"vi": error.detail.vi, "en": error.detail.en},
    )
