"""Bulk import of unit lists: validate every row first, report all faults, then write everything or nothing.

A row's parent is named by code (`parent_code`) or by name (`parent`): a unique name, or a path of names from an
ancestor down ("Tỉnh Lạng Sơn / Huyện Bắc Sơn"), matched without case or diacritics against today's units of the
registry and the units of the file; a name that matches none or several is the row's fault.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from kit import namepaths
from kit.auth import Caller
from kit.namepaths import NameIndex
from kit.problems import FieldError, Text
from kit.schemas import RowError
from kit.spreadsheets import FileHasErrors, Row, TooManyRows, at_row, row_fault
from kit.text import fold
from kit.validation import field_errors
from services.registry import access
from services.registry.imports import repository as repo
from services.registry.imports.reader import read_rows
from services.registry.imports.schemas import ImportReport, ImportRow
from services.registry.units import repository as units_repo
from services.registry.units import service as units
from services.registry.units.schemas import ADMIN_CODE, UnitCreate
from services.registry.vocabulary import UnitKind

MAX_ROWS = 100_000
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
    if isinstance(code := out.pop("code", None), str):
        out.setdefault("admin_code" if ADMIN_CODE.fullmatch(code) else "organ_code", code)
    for key, words in (("kind", _KIND_WORDS), ("level", _LEVEL_WORDS)):
        if isinstance(out.get(key), str):
            out[key] = words.get(fold(out[key]), out[key])
    return out


async def run(
    session: AsyncSession, caller: Caller, content: bytes, filename: str, content_type: str | None, *, dry_run: bool
) -> ImportReport:
    """Read the file, validate every row, resolve parents by code or name, plan creates and updates, and write them
    all (unless `dry_run`, or any row has a fault: then the report lists every fault and nothing is written)."""
    raw_rows = read_rows(content, filename, content_type)
    if len(raw_rows) > MAX_ROWS:
        raise TooManyRows.of(parameter="file", limit=MAX_ROWS)
    today = date.today()
    rows, errors = _parse(raw_rows)
    seen = _first_line_of_codes(rows, errors)
    known = await units_repo.ids_by_code(
        session, sorted({c for _, r in rows for c in (r.admin_code, r.organ_code, r.parent_code) if c}), today
    )
    _check_parent_codes(rows, seen, known, errors)
    ids = _unit_ids(rows, known)
    parents = await _parents(session, rows, ids, today, errors)
    plan = await _plan(session, caller, rows, ids, parents, today)

    errors.sort(key=lambda e: (e.extra["row"], e.extra["field"]))
    report = ImportReport(
        dry_run=dry_run,
        rows=len(raw_rows),
        created=len(plan.creates),
        updated=len(plan.updates),
        unchanged=plan.unchanged,
        errors=[RowError.of(e) for e in errors],
    )
    if dry_run:
        return report
    if errors:
        raise FileHasErrors.of(
            count=len(report.errors), errors=errors, extensions={"report": report.model_dump(mode="json")}
        )
    await units.insert(session, plan.creates)
    await repo.apply_updates(session, plan.updates, today)
    report.created_ids = [uid for uid, _ in plan.creates]
    return report


Rows = list[tuple[Row, ImportRow]]


def _parse(raw_rows: Sequence[Row]) -> tuple[Rows, list[FieldError]]:
    """The rows that validate, and the faults of those that do not (at their line and column)."""
    rows: Rows = []
    errors: list[FieldError] = []
    for raw in raw_rows:
        try:
            rows.append((raw, ImportRow.model_validate(_translate(raw.cells))))
        except ValidationError as exc:
            errors += [at_row(raw, e) for e in field_errors(exc.errors(include_url=False))]
    return rows, errors


def _first_line_of_codes(rows: Rows, errors: list[FieldError]) -> dict[str, Row]:
    """The row where each code first appears; a row with no code, or a code seen before, is a fault."""
    seen: dict[str, Row] = {}
    for raw, row in rows:
        if not row.code:
            errors.append(
                row_fault(
                    raw,
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
                    row_fault(
                        raw,
                        "admin_code" if code == row.admin_code else "organ_code",
                        Text(
                            f"Mã {code} trùng với dòng {seen[code].line}", f"Code {code} repeats line {seen[code].line}"
                        ),
                    )
                )
            seen.setdefault(code, raw)
    return seen


def _check_parent_codes(
    rows: Rows, seen: dict[str, Row], known: dict[str, uuid.UUID], errors: list[FieldError]
) -> None:
    """A `parent_code` names a unit of the file or of today's registry."""
    for raw, row in rows:
        if row.parent_code and row.parent_code not in seen and row.parent_code not in known:
            errors.append(
                row_fault(
                    raw,
                    "parent_code",
                    Text(
                        f"Không tìm thấy đơn vị cấp trên có mã {row.parent_code}",
                        f"No parent unit with code {row.parent_code}",
                    ),
                )
            )


def _unit_ids(rows: Rows, known: dict[str, uuid.UUID]) -> dict[str, uuid.UUID]:
    """The id of each code: the registry's unit with that code, else a new id; and of registry parents by code."""
    ids = {
        row.code: known.get(row.admin_code or "") or known.get(row.organ_code or "") or uuid.uuid4()
        for _, row in rows
        if row.code
    }
    for parent_code in {r.parent_code for _, r in rows if r.parent_code and r.parent_code not in ids}:
        if parent_code in known:
            ids[parent_code] = known[parent_code]
    return ids


async def _parents(
    session: AsyncSession, rows: Rows, ids: dict[str, uuid.UUID], today: date, errors: list[FieldError]
) -> dict[int, uuid.UUID | None]:
    """Each row's parent, by line: by code, else by name (one query for every name); a name that matches none or
    several units is the row's fault."""
    parents = {raw.index: ids.get(row.parent_code) for raw, row in rows if row.parent_code}
    named = [raw for raw, row in rows if row.parent and not row.parent_code and row.code]
    if named:
        names = await _Names.load(session, rows, ids, today)
        for raw in named:
            found = names.resolve(raw.index)
            if isinstance(found, Text):
                errors.append(row_fault(raw, "parent", found))
            else:
                parents[raw.index] = found
    return parents


@dataclass
class _Plan:
    creates: list[tuple[uuid.UUID, UnitCreate]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0


async def _plan(
    session: AsyncSession,
    caller: Caller,
    rows: Rows,
    ids: dict[str, uuid.UUID],
    parents: dict[int, uuid.UUID | None],
    today: date,
) -> _Plan:
    """What writing the file does to the registry: units to create, units whose name, kind, level or parent change,
    and how many stay as they are. Every unit changed and every parent outside the file must be in scope."""
    existing = {r["id"]: r for r in await units_repo.get_many(session, list(ids.values()), today)}
    in_file = {ids[r.code] for _, r in rows if r.code}
    outside_parents = {p for p in parents.values() if p is not None} - in_file
    await access.require_scope_all(session, caller, outside_parents | (in_file & existing.keys()))
    plan = _Plan()
    for raw, row in rows:
        if not row.code:
            continue
        unit_id = ids[row.code]
        parent_id = parents.get(raw.index)
        current = existing.get(unit_id)
        if current is None:
            plan.creates.append((unit_id, _new_unit(row, parent_id)))
        elif _differs(current, row, parent_id):
            plan.updates.append(_correction(unit_id, row, parent_id))
        else:
            plan.unchanged += 1
    return plan


def _new_unit(row: ImportRow, parent_id: uuid.UUID | None) -> UnitCreate:
    return UnitCreate(
        kind=row.kind,
        level=row.level,
        name=row.name,
        short_name=row.short_name,
        admin_code=row.admin_code,
        organ_code=row.organ_code,
        parent_id=parent_id,
        valid_from=row.valid_from,
    )


def _differs(current: Any, row: ImportRow, parent_id: uuid.UUID | None) -> bool:
    """Does the row change the unit's current name, kind, level or parent?"""
    now = (current["name"], current["short_name"], current["kind"], current["level"], current["parent_id"])
    return now != (row.name, row.short_name, row.kind, row.level, parent_id)


def _correction(unit_id: uuid.UUID, row: ImportRow, parent_id: uuid.UUID | None) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "name": row.name,
        "short_name": row.short_name,
        "search_key": fold(row.name),
        "kind": row.kind,
        "level": row.level,
        "parent_id": parent_id,
    }


class _Names:
    """Finds a row's parent by name among today's units of the registry and the units of the file (whose name and
    parent, as the file gives them, win over the registry's)."""

    def __init__(self, rows: Sequence[tuple[Row, ImportRow]], ids: dict[str, uuid.UUID]) -> None:
        self.rows = {raw.index: row for raw, row in rows}
        self.ids = ids
        self.registry_parent: dict[uuid.UUID, uuid.UUID | None] = {}
        self.row_of: dict[uuid.UUID, int] = {}
        self.resolving: set[int] = set()
        self.resolved: dict[int, uuid.UUID | Text] = {}
        self.index: NameIndex[uuid.UUID] = NameIndex({}, self._parent)

    @classmethod
    async def load(
        cls, session: AsyncSession, rows: Sequence[tuple[Row, ImportRow]], ids: dict[str, uuid.UUID], today: date
    ) -> "_Names":
        names = cls(rows, ids)
        keys = {part for _, row in rows if row.parent for part in namepaths.parts(row.parent)}
        known: dict[uuid.UUID, str] = {}
        for unit in await repo.named(session, sorted(keys), today):
            known[unit["id"]] = unit["search_key"]
            names.registry_parent[unit["id"]] = unit["parent_id"]
        for raw, row in rows:
            if row.code:
                known[ids[row.code]] = row.name
                names.row_of[ids[row.code]] = raw.index
        names.index = NameIndex(known, names._parent)
        return names

    def _parent(self, unit_id: uuid.UUID) -> uuid.UUID | None:
        index = self.row_of.get(unit_id)
        if index is None:
            return self.registry_parent.get(unit_id)
        row = self.rows[index]
        if row.parent_code:
            return self.ids.get(row.parent_code)
        if row.parent and index not in self.resolving:
            found = self.resolve(index)
            return found if isinstance(found, uuid.UUID) else None
        return None

    def resolve(self, index: int) -> uuid.UUID | Text:
        """The parent the row's `parent` names, or why none can be told."""
        if index not in self.resolved:
            self.resolving.add(index)
            self.resolved[index] = self.index.find(self.rows[index].parent or "")
            self.resolving.discard(index)
        return self.resolved[index]
