"""Submitting values: every row is checked and every fault reported at once; a batch is written whole or not at
all. Units write drafts, send them for appraisal, and correct what the appraiser returns; every change is kept."""

import hashlib
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.db import Record
from kit.pagination import Page, PageParams
from kit.problems import (
    ErrorList,
    Text,
    pointer,
)
from kit.versioning import require_version
from services.scoring import access
from services.scoring.errors import ParticipantOutOfScope, ParticipantsOutOfScope
from services.scoring.frameworks import service as frameworks
from services.scoring.periods import repository as periods_repo
from services.scoring.periods import service as periods
from services.scoring.periods.errors import NotAParticipant, ValuesFrozen
from services.scoring.settings import ScoringSettings
from services.scoring.submissions import repository as repo
from services.scoring.submissions.errors import (
    BatchHasErrors,
    BatchTooLarge,
    EvidenceNotFound,
    EvidenceTooLarge,
    EvidenceTypeRefused,
    NotSubmitted,
    ValueNotFound,
)
from services.scoring.submissions.repository import Columns, ValueRow
from services.scoring.submissions.schemas import (
    BatchReport,
    Change,
    EvidenceFile,
    FileRef,
    Review,
    ReviewAction,
    RowFault,
    StoredValue,
    ValueBatch,
    ValueFields,
    ValueIn,
)
from services.scoring.vocabulary import Method, PeriodStatus, ValueStatus, ValueType

if TYPE_CHECKING:  # the refresher reads scores, which read periods and values
    from services.scoring.scores.refresh import ScoreRefresher

UNIT_LOCKED = {ValueStatus.SUBMITTED, ValueStatus.ACCEPTED, ValueStatus.ADJUSTED}
HUNDRED = Decimal(100)
# Magic numbers of the accepted evidence types: a file must be what it says it is.
_MAGIC = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
}
EVIDENCE_MEDIA_TYPES = tuple(_MAGIC)  # what a download can answer


def _open_period(period: Record) -> None:
    if period["status"] != PeriodStatus.OPEN:
        raise ValuesFrozen(status_now=period["status"])


_REQUIRED = Text("Thiếu giá trị theo kiểu của chỉ số", "Missing the value this indicator's type needs")
_PERCENT = Text("Tỷ lệ phần trăm phải trong khoảng 0–100", "A percentage is within 0–100")
_COUNT = Text("Số đếm là số nguyên không âm", "A count is a whole number ≥ 0")
_DENOMINATOR = Text("Mẫu số phải lớn hơn 0", "The denominator must be above 0")
_NUMERATOR = Text("Tử số phải từ 0 đến mẫu số", "The numerator is within 0..denominator")
_NO_INDICATOR = Text("Không có chỉ số thành phần nhập liệu với mã này", "No indicator that takes values has this code")
_NOT_PARTICIPANT = Text(
    "Đơn vị không có trong danh sách tham gia kỳ đánh giá", "The unit is not among the period's participants"
)
_WITH_APPRAISER = Text("Giá trị đã gửi thẩm định; chỉ sửa được khi bị trả lại", "The value is with the appraiser")
_NEEDS_EVIDENCE = Text("Chỉ số này cần minh chứng", "This indicator requires evidence")
_NO_FILE = Text("Không có tệp minh chứng này của đơn vị", "No such evidence file for this unit")
_PERCENT_SCALE = Decimal("0.0001")


Fault = tuple[str, Text]  # the field at fault, and what is wrong with it
_FINE: tuple[Fault, ...] = ()


def normalise(fields: ValueFields, node: Record) -> tuple[Columns | None, Sequence[Fault]]:
    """Check a value against its indicator's type: the columns to store (a ratio's value is its percent), or the
    faults. Called once per row of a batch of up to 10,000, so it returns at the first answer."""
    kind = node["value_type"]
    if kind == ValueType.PERCENT:
        value = fields.value
        if value is None:
            return None, [("value", _REQUIRED)]
        if not 0 <= value <= HUNDRED:
            return None, [("value", _PERCENT)]
        return {"value": value}, _FINE
    if kind == ValueType.COUNT:
        value = fields.value
        if value is None:
            return None, [("value", _REQUIRED)]
        if value < 0 or value != value.to_integral_value():
            return None, [("value", _COUNT)]
        return {"value": value}, _FINE
    if kind == ValueType.RATIO:
        num, den = fields.numerator, fields.denominator
        if num is None or den is None:
            return None, [(name, _REQUIRED) for name, v in (("numerator", num), ("denominator", den)) if v is None]
        if den <= 0:
            return None, [("denominator", _DENOMINATOR)]
        if num < 0 or num > den:
            return None, [("numerator", _NUMERATOR)]
        return {"value": (num / den * HUNDRED).quantize(_PERCENT_SCALE), "numerator": num, "denominator": den}, _FINE
    if kind == ValueType.BOOLEAN:
        if fields.flag is None:
            return None, [("flag", _REQUIRED)]
        return {"flag": fields.flag}, _FINE
    allowed = list((node["params"] or {}).get("map", {}))
    if fields.category is None:
        return None, [("category", _REQUIRED)]
    if allowed and fields.category not in allowed:
        listed = ", ".join(allowed)
        return None, [("category", Text(f"Phân loại phải là một trong: {listed}", f"The category is one of: {listed}"))]
    return {"category": fields.category}, _FINE


Key = tuple[uuid.UUID, str]


def _repeats(items: Sequence[ValueIn]) -> dict[int, int]:
    """Row → the earlier row it repeats (same unit and indicator); empty, and cheap, when none does."""
    keys = [(item.unit_id.int, item.indicator_code) for item in items]
    if len(set(keys)) == len(keys):
        return {}
    first: dict[tuple[int, str], int] = {}
    repeats = {}
    for i, key in enumerate(keys):
        if key in first:
            repeats[i] = first[key]
        first[key] = i  # a third copy names the second, as a clerk reading down the sheet would
    return repeats


def _check_rows(
    items: Sequence[ValueIn],
    nodes: Mapping[str, Record],
    participants: Iterable[uuid.UUID],
    files: Mapping[uuid.UUID, uuid.UUID],
    locked: Collection[Key],
) -> tuple[list[ValueRow], ErrorList]:
    """Every row's faults, in row order, and the rows to store. `locked`: the values with the appraiser.
    Written for 10,000 rows a request: unit ids compare as ints (a UUID's hash is Python code), pointers are made
    only for faults."""
    errors = ErrorList()
    rows: list[ValueRow] = []
    inputs = {code: node for code, node in nodes.items() if node["method"] != Method.FORMULA}
    units = {u.int for u in participants}
    repeats = _repeats(items)
    for i, item in enumerate(items):
        code = item.indicator_code
        node = inputs.get(code)
        if node is None:
            errors.add(pointer("items", i, "indicator_code"), _NO_INDICATOR)
            continue
        unit = item.unit_id
        if unit.int not in units:
            errors.add(pointer("items", i, "unit_id"), _NOT_PARTICIPANT)
            continue
        if repeats and i in repeats:
            earlier = repeats[i]
            errors.add(
                pointer("items", i, "indicator_code"), Text(f"Trùng với dòng {earlier}", f"Repeats item {earlier}")
            )
        if locked and (unit, code) in locked:
            errors.add(pointer("items", i, "indicator_code"), _WITH_APPRAISER)
        evidence = item.evidence
        if evidence:
            for j, ev in enumerate(evidence):
                if isinstance(ev, FileRef) and files.get(ev.file_id) != unit:
                    errors.add(pointer("items", i, "evidence", j, "file_id"), _NO_FILE)
        elif node["evidence_required"]:
            errors.add(pointer("items", i, "evidence"), _NEEDS_EVIDENCE)
        stored, faults = normalise(item, node)
        for field, detail in faults:
            errors.add(pointer("items", i, field), detail)
        if stored is not None:
            row = cast(ValueRow, stored)  # a fresh dict: completed in place, not copied, 10,000 times a batch
            row["unit_id"], row["indicator_code"] = unit, code
            if evidence:
                row["evidence"] = evidence
            rows.append(row)
    return rows, errors


async def submit_batch(
    session: AsyncSession,
    caller: Caller,
    period_id: uuid.UUID,
    batch: ValueBatch,
    *,
    dry_run: bool,
    submit: bool,
    settings: ScoringSettings,
    refresher: "ScoreRefresher",
) -> BatchReport:
    """Check every row, then write them all in one statement. The rows are checked against what is stored (a value
    with the appraiser cannot change) by the write itself; a dry run, or a batch already refused, reads it first."""
    if len(batch.items) > settings.max_batch_rows:
        raise BatchTooLarge.of(limit=settings.max_batch_rows)
    period = await periods.get_row(session, period_id, lock=None if dry_run else "share")
    participants = await periods.participant_rows(session, period_id, list({item.unit_id for item in batch.items}))
    outside = [u for u, p in participants.items() if not access.sees(caller, period, p)]
    if outside:
        raise ParticipantsOutOfScope(unit_ids=[str(u) for u in outside[:20]])
    _open_period(period)  # the state after the scope: outsiders learn nothing of it
    nodes = await frameworks.indicators(session, period["framework_id"])
    file_ids = [e.file_id for item in batch.items for e in item.evidence if isinstance(e, FileRef)]
    files = await repo.files(session, period_id, file_ids)
    check = partial(_check_rows, batch.items, nodes, participants.keys(), files)

    rows, errors = check(())
    if dry_run or errors.items:
        stored = await repo.statuses(session, period_id, [(item.unit_id, item.indicator_code) for item in batch.items])
        locked = {key for key, status in stored.items() if status in UNIT_LOCKED}
        if locked:
            rows, errors = check(locked)
        created = sum(1 for r in rows if (r["unit_id"], r["indicator_code"]) not in stored)
    else:
        status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
        action = "submit" if submit else "draft"
        savepoint = await session.begin_nested()
        written = await repo.write(session, period_id, rows, status, caller.subject, action, UNIT_LOCKED)
        created = written.created
        if written.locked:  # refused below; nothing of the write stays, whatever the caller does with the session
            await savepoint.rollback()
            rows, errors = check(set(written.locked))
        else:
            await savepoint.commit()
    report = BatchReport(
        dry_run=dry_run,
        rows=len(batch.items),
        written=0,
        created=created,
        updated=len(rows) - created,
        submitted=submit and not dry_run,
        errors=[
            RowFault(pointer=e.pointer or "", detail=e.detail.vi, messages={"vi": e.detail.vi, "en": e.detail.en})
            for e in errors.items
        ],
    )
    if dry_run:
        return report
    if errors.items:
        raise BatchHasErrors.of(
            count=len(errors.items), errors=errors.items, extensions={"report": report.model_dump(mode="json")}
        )
    await refresher.mark_stale(session, period_id)
    report.written = len(rows)
    return report


async def submit_unit(
    session: AsyncSession, caller: Caller, refresher: "ScoreRefresher", period_id: uuid.UUID, unit_id: uuid.UUID
) -> int:
    """Send the unit's drafts (and corrected returned values) to the appraiser; they lock for the unit."""
    period = await periods.get_row(session, period_id, lock="share")
    participant = await _participant(session, period, unit_id, caller)
    _open_period(period)
    changed = await repo.submit_unit(session, period_id, participant["unit_id"], caller.subject)
    if changed:
        await repo.log(
            session,
            period_id,
            caller.subject,
            "submit",
            [(r["unit_id"], r["indicator_code"], None, {"status": "submitted"}) for r in changed],
        )
        await refresher.mark_stale(session, period_id)
    return len(changed)


async def _participant(session: AsyncSession, period: Record, unit_id: uuid.UUID, caller: Caller) -> Record:
    found = (await periods.participant_rows(session, period["id"], [unit_id])).get(unit_id)
    if found is None:
        raise NotAParticipant()
    if not access.sees(caller, period, found):
        raise ParticipantOutOfScope()
    return found


async def review(
    session: AsyncSession,
    caller: Caller,
    refresher: "ScoreRefresher",
    period_id: uuid.UUID,
    unit_id: uuid.UUID,
    code: str,
    body: Review,
    expected: int,
) -> StoredValue:
    """The appraiser accepts, adjusts (appraised value kept beside the unit's) or returns one value."""
    period = await periods.get_row(session, period_id, lock="update")
    access.require_manager(caller, period)
    _open_period(period)
    row = await repo.get(session, period_id, unit_id, code, for_update=True)
    if row is None:
        raise ValueNotFound(unit_id=str(unit_id), indicator_code=code)
    require_version(row["version"], expected)
    if row["status"] not in (ValueStatus.SUBMITTED, ValueStatus.ACCEPTED, ValueStatus.ADJUSTED):
        raise NotSubmitted(status_now=row["status"])
    errors = ErrorList()
    if body.action != ReviewAction.ACCEPT and not body.reason:
        errors.add(pointer("reason"), Text("Cần nêu lý do", "A reason is required"))
    changes: dict[str, Any] = {"review_reason": body.reason}
    if body.action == ReviewAction.ADJUST:
        nodes = await frameworks.indicators(session, period["framework_id"])
        adjusted, faults = normalise(body, nodes[code])
        for field, detail in faults:
            errors.add(pointer(field), detail)
        if adjusted is not None:
            changes |= {
                "appraised_value": adjusted.get("value"),
                "appraised_flag": adjusted.get("flag"),
                "appraised_category": adjusted.get("category"),
                "status": ValueStatus.ADJUSTED,
            }
    elif body.action == ReviewAction.ACCEPT:
        changes |= {
            "status": ValueStatus.ACCEPTED,
            "appraised_value": None,
            "appraised_flag": None,
            "appraised_category": None,
        }
    else:
        changes |= {"status": ValueStatus.RETURNED}
    errors.raise_if_any()
    await repo.update(session, period_id, unit_id, code, updated_by=caller.subject, **changes)
    after = await repo.get(session, period_id, unit_id, code)
    assert after is not None
    await repo.log(
        session,
        period_id,
        caller.subject,
        body.action.value,
        [(unit_id, code, repo.snapshot(row), repo.snapshot(after))],
        reason=body.reason,
    )
    await refresher.mark_stale(session, period_id)
    return StoredValue.model_validate(after)


async def list_values(
    session: AsyncSession,
    caller: Caller,
    period_id: uuid.UUID,
    paging: PageParams,
    *,
    unit_id: uuid.UUID | None,
    code: str | None,
    status: ValueStatus | None,
) -> Page[StoredValue]:
    period = await periods.get_row(session, period_id)
    unit_ids: list[uuid.UUID] | None = None
    if not access.manages(caller, period):
        visible = [
            p["unit_id"] for p in await periods_repo.participants(session, period_id) if access.sees(caller, period, p)
        ]
        unit_ids = [u for u in visible if unit_id is None or u == unit_id]
    elif unit_id is not None:
        unit_ids = [unit_id]
    rows = await repo.list_values(
        session, period_id, unit_ids, code, status, paging.after(uuid.UUID, str), paging.limit
    )
    page = paging.page(list(rows), key=lambda r: (str(r["unit_id"]), r["indicator_code"]))
    return Page(items=[StoredValue.model_validate(r) for r in page.items], next_cursor=page.next_cursor)


async def history(
    session: AsyncSession, caller: Caller, period_id: uuid.UUID, unit_id: uuid.UUID, code: str
) -> list[Change]:
    period = await periods.get_row(session, period_id)
    await _participant(session, period, unit_id, caller)
    return [Change.model_validate(r) for r in await repo.history(session, period_id, unit_id, code)]


async def upload(
    session: AsyncSession,
    caller: Caller,
    period_id: uuid.UUID,
    unit_id: uuid.UUID,
    filename: str,
    content_type: str | None,
    content: bytes,
    settings: ScoringSettings,
) -> EvidenceFile:
    period = await periods.get_row(session, period_id)
    await _participant(session, period, unit_id, caller)
    _open_period(period)
    if len(content) > settings.max_evidence_bytes:
        raise EvidenceTooLarge.of(limit=settings.max_evidence_bytes)
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind not in settings.evidence_types or not content.startswith(_MAGIC.get(kind, (b"",))):
        raise EvidenceTypeRefused.of(types=", ".join(settings.evidence_types))
    values = {
        "id": uuid.uuid4(),
        "period_id": period_id,
        "unit_id": unit_id,
        "filename": filename or "evidence",
        "content_type": kind,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "content": content,
        "uploaded_by": caller.subject,
    }
    return EvidenceFile.model_validate(await repo.insert_file(session, values))


async def download(session: AsyncSession, caller: Caller, period_id: uuid.UUID, file_id: uuid.UUID) -> Record:
    period = await periods.get_row(session, period_id)
    found = await repo.file(session, period_id, file_id)
    owner = (
        (await periods.participant_rows(session, period_id, [found["unit_id"]])).get(found["unit_id"])
        if found
        else None
    )
    # A file of a unit outside the caller's scope is answered as an unknown one.
    if found is None or owner is None or not access.sees(caller, period, owner):
        raise EvidenceNotFound(file_id=str(file_id))
    return found
