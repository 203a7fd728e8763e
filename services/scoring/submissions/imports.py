"""A file of values (CSV or XLSX, the layouts of kit.spreadsheets) submitted as one batch: all or nothing.

A line names its unit by id (`unit_id`) or by name (`unit`): a name unique among the period's participants the caller
sees, or a path of names from an ancestor down ("Thành phố Hạ Long / Phường Hồng Gai"). The lines become the items of
`submit_batch`, whose faults come back at the file's lines (`/rows/{index}/{field}`, with the line number).
"""

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.namepaths import NameIndex, parts
from kit.problems import FieldError, InvalidInput, Text
from kit.schemas import RowError
from kit.spreadsheets import FileHasErrors, Row, TooManyRows, at_row, read_table, row_fault
from kit.validation import field_errors
from services.registry.client import RegistryClient
from services.scoring import access
from services.scoring.periods import repository as periods_repo
from services.scoring.periods import service as periods
from services.scoring.settings import ScoringSettings
from services.scoring.submissions import service
from services.scoring.submissions.reader import EVIDENCE, HEADINGS
from services.scoring.submissions.schemas import BatchReport, ImportReport, ValueBatch, ValueIn
from services.scoring.vocabulary import Reorganisation

if TYPE_CHECKING:
    from services.scoring.scores.refresh import ScoreRefresher


async def run(
    session: AsyncSession,
    caller: Caller,
    registry: RegistryClient,
    period_id: uuid.UUID,
    file: tuple[bytes, str, str | None],
    *,
    dry_run: bool,
    submit: bool,
    settings: ScoringSettings,
    refresher: "ScoreRefresher",
) -> ImportReport:
    """Read the file, find each line's unit, then check and write the lines as `submit_batch` does."""
    period = await periods.get_row(session, period_id)
    rows = read_table(*file, HEADINGS)
    if len(rows) > settings.max_batch_rows:
        raise TooManyRows.of(parameter="file", limit=settings.max_batch_rows)
    errors: list[FieldError] = []
    names = await _names(session, caller, registry, period, rows) if any("unit" in r.cells for r in rows) else None
    lines: list[tuple[Row, ValueIn]] = []
    for row in rows:
        item = dict(row.cells)
        if "unit_id" not in item and "unit" in item and names is not None:
            found = names.find(str(item["unit"]))
            if isinstance(found, Text):
                errors.append(row_fault(row, "unit", found))
                continue
            item["unit_id"] = found
        item.pop("unit", None)
        document = {k.removeprefix("evidence_"): item.pop(k) for k in EVIDENCE if k in item}
        if document:
            item["evidence"] = [{"kind": "document", **document}]
        if "unit_id" not in item:
            detail = Text("Cần mã (ID) hoặc tên đơn vị", "The unit's id or name is needed")
            errors.append(row_fault(row, "unit", detail))
            continue
        try:
            lines.append((row, ValueIn.model_validate(item)))
        except ValidationError as exc:
            errors += [at_row(row, e) for e in field_errors(exc.errors(include_url=False))]

    report = ImportReport(dry_run=dry_run, rows=len(rows), written=0, created=0, updated=0, submitted=False)
    if lines:
        check_only = dry_run or bool(errors)
        batch = ValueBatch(items=[item for _, item in lines])
        try:
            result = await service.submit_batch(
                session,
                caller,
                period_id,
                batch,
                dry_run=check_only,
                submit=submit,
                settings=settings,
                refresher=refresher,
            )
        except InvalidInput as refused:
            if "report" not in refused.extensions:
                raise
            result = BatchReport.model_validate(refused.extensions["report"])
            errors += _at_lines(refused.errors, lines)
        else:
            errors += _at_lines(_faults(result), lines)
        report = ImportReport.model_validate(result.model_dump(exclude={"errors", "rows"}) | {"rows": len(rows)})
        if errors:
            report.written = 0
    errors.sort(key=lambda e: (e.extra["row"], e.extra["field"]))
    report.errors = [RowError.of(e) for e in errors]
    if errors and not dry_run:
        raise FileHasErrors.of(count=len(errors), errors=errors, extensions={"report": report.model_dump(mode="json")})
    return report


def _faults(result: BatchReport) -> list[FieldError]:
    return [FieldError(Text(f.messages["vi"], f.messages["en"]), pointer=f.pointer) for f in result.errors]


def _at_lines(faults: Sequence[FieldError], lines: Sequence[tuple[Row, ValueIn]]) -> list[FieldError]:
    """Faults at `/items/{i}/…` of the batch, moved to the file's rows."""
    out = []
    for fault in faults:
        segments = (fault.pointer or "").split("/")
        if len(segments) < 3 or segments[1] != "items" or not segments[2].isdigit():
            continue
        row = lines[int(segments[2])][0]
        field = segments[3] if len(segments) > 3 else "row"
        if field == "unit_id" and "unit_id" not in row.cells:
            field = "unit"  # the line named its unit by name
        if field == "evidence":
            field = "evidence_number"
        out.append(row_fault(row, field, fault.detail))
    return out


async def _names(
    session: AsyncSession, caller: Caller, registry: RegistryClient, period: Any, rows: Sequence[Row]
) -> NameIndex[uuid.UUID]:
    """The participants the caller sees, by name (a name shared after a merger means the unit on the tree the period
    ranks on); their ancestors' names come from the registry when a line gives a path (one call)."""
    seen = [p for p in await periods_repo.participants(session, period["id"]) if access.sees(caller, period, p)]
    names = {p["unit_id"]: p["name"] for p in seen}
    parent: dict[uuid.UUID, uuid.UUID | None] = {}
    for p in seen:
        path = list(p["path"])
        parent[p["unit_id"]] = path[-1] if path else None
        for child, above in zip(path[1:], path, strict=False):
            parent.setdefault(child, above)
    if any(len(parts(str(r.cells.get("unit", "")))) > 1 for r in rows):
        missing = [u for u in parent.values() if u is not None and u not in names]
        for unit in await registry.units(sorted(set(missing))):
            names.setdefault(unit.id, unit.name)
    on_tree = {p["unit_id"] for p in seen if _on_tree(period, p)}
    return NameIndex(names, parent.get, on_tree.__contains__)


def _on_tree(period: Any, participant: Any) -> bool:
    """On the tree the period ranks on (the office may still leave it out of the ranking)."""
    return bool(participant["on_start"] if period["reorganisation"] == Reorganisation.START else participant["on_end"])
