"""Submitting values: every row is checked and every fault reported at once; a batch is written whole or not at
all. Units write drafts, send them for appraisal, and correct what the appraiser returns; every change is kept."""

import hashlib
import uuid
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.db import Record
from kit.pagination import Page, PageParams
from kit.problems import (
    ErrorList,
    FieldError,
    Forbidden,
    InvalidInput,
    PayloadTooLarge,
    Text,
    UnsupportedMediaType,
    pointer,
)
from kit.versioning import require_version
from services.registry.vocabulary import REGISTRY_OFFICERS, UNIT_EDITORS
from services.scoring import access
from services.scoring.frameworks import service as frameworks
from services.scoring.periods import repository as periods_repo
from services.scoring.periods import service as periods
from services.scoring.periods.errors import NotAParticipant, PeriodLocked
from services.scoring.settings import ScoringSettings
from services.scoring.submissions import repository as repo
from services.scoring.submissions.errors import EvidenceNotFound, ValueLocked, ValueNotFound
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
)
from services.scoring.vocabulary import Method, PeriodStatus, ValueStatus, ValueType

WRITERS = UNIT_EDITORS | REGISTRY_OFFICERS
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


def _open_period(period: Record) -> None:
    if period["status"] != PeriodStatus.OPEN:
        raise PeriodLocked(
            Text(
                "Kỳ đánh giá đã khóa: không nhận thêm hay sửa số liệu",
                "The period is locked: values can no longer change",
            ),
            status_now=period["status"],
        )


def normalise(fields: ValueFields, node: Record, at: Callable[..., str], errors: ErrorList) -> dict[str, Any] | None:
    """Check a value against its indicator's type; return the columns to store (ratio → value in percent)."""
    kind = ValueType(node["value_type"])
    out: dict[str, Any] = {"value": None, "numerator": None, "denominator": None, "flag": None, "category": None}
    before = len(errors.items)
    required = Text("Thiếu giá trị theo kiểu của chỉ số", "Missing the value this indicator's type needs")
    if kind == ValueType.PERCENT:
        if fields.value is None:
            errors.add(at("value"), required)
        elif not 0 <= fields.value <= HUNDRED:
            errors.add(at("value"), Text("Tỷ lệ phần trăm phải trong khoảng 0–100", "A percentage is within 0–100"))
        out["value"] = fields.value
    elif kind == ValueType.COUNT:
        if fields.value is None:
            errors.add(at("value"), required)
        elif fields.value < 0 or fields.value != fields.value.to_integral_value():
            errors.add(at("value"), Text("Số đếm là số nguyên không âm", "A count is a whole number ≥ 0"))
        out["value"] = fields.value
    elif kind == ValueType.RATIO:
        num, den = fields.numerator, fields.denominator
        if num is None:
            errors.add(at("numerator"), required)
        if den is None:
            errors.add(at("denominator"), required)
        if num is not None and den is not None:
            if den <= 0:
                errors.add(at("denominator"), Text("Mẫu số phải lớn hơn 0", "The denominator must be above 0"))
            elif num < 0 or num > den:
                errors.add(
                    at("numerator"), Text("Tử số phải từ 0 đến mẫu số", "The numerator is within 0..denominator")
                )
            else:
                out |= {
                    "numerator": num,
                    "denominator": den,
                    "value": (num / den * HUNDRED).quantize(Decimal("0.0001")),
                }
    elif kind == ValueType.BOOLEAN:
        if fields.flag is None:
            errors.add(at("flag"), required)
        out["flag"] = fields.flag
    elif kind == ValueType.CATEGORY:
        allowed = list((node["params"] or {}).get("map", {}))
        if fields.category is None:
            errors.add(at("category"), required)
        elif allowed and fields.category not in allowed:
            errors.add(
                at("category"),
                Text(
                    f"Phân loại phải là một trong: {', '.join(allowed)}",
                    f"The category is one of: {', '.join(allowed)}",
                ),
            )
        out["category"] = fields.category
    return out if len(errors.items) == before else None


async def submit_batch(
    session: AsyncSession,
    caller: Caller,
    period_id: uuid.UUID,
    batch: ValueBatch,
    *,
    dry_run: bool,
    submit: bool,
    settings: ScoringSettings,
) -> BatchReport:
    caller.require_any(WRITERS)
    if len(batch.items) > settings.max_batch_rows:
        detail = Text(f"Tối đa {settings.max_batch_rows} dòng mỗi lần", f"At most {settings.max_batch_rows} rows")
        raise InvalidInput(detail, errors=[FieldError(detail, pointer="/items")])
    period = await periods.get_row(session, period_id, lock=None if dry_run else "share")
    _open_period(period)
    nodes = await frameworks.indicators(session, period["framework_id"])
    unit_ids = list({item.unit_id for item in batch.items})
    participants = await periods.participant_rows(session, period_id, unit_ids)
    outside = [u for u, p in participants.items() if not access.sees(caller, period, p)]
    if outside:
        raise Forbidden(
            Text("Có đơn vị ngoài phạm vi của bạn trong lô số liệu", "The batch has units outside your scope"),
            unit_ids=[str(u) for u in outside[:20]],
        )
    file_ids = [e.file_id for item in batch.items for e in item.evidence if isinstance(e, FileRef)]
    files = await repo.files(session, period_id, file_ids)
    keys = [(item.unit_id, item.indicator_code) for item in batch.items]
    existing = await repo.existing(session, period_id, keys)

    errors = ErrorList()
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[uuid.UUID, str], int] = {}
    for i, item in enumerate(batch.items):
        at = partial(pointer, "items", i)
        node = nodes.get(item.indicator_code)
        if node is None or node["method"] == Method.FORMULA:
            errors.add(
                at("indicator_code"),
                Text("Không có chỉ số thành phần nhập liệu với mã này", "No indicator that takes values has this code"),
            )
            continue
        if item.unit_id not in participants:
            errors.add(
                at("unit_id"),
                Text(
                    "Đơn vị không có trong danh sách tham gia kỳ đánh giá",
                    "The unit is not among the period's participants",
                ),
            )
            continue
        key = (item.unit_id, item.indicator_code)
        if key in seen:
            errors.add(at("indicator_code"), Text(f"Trùng với dòng {seen[key]}", f"Repeats item {seen[key]}"))
        seen[key] = i
        current = existing.get(key)
        if current is not None and current["status"] in UNIT_LOCKED:
            errors.add(
                at("indicator_code"),
                Text("Giá trị đã gửi thẩm định; chỉ sửa được khi bị trả lại", "The value is with the appraiser"),
            )
        if node["evidence_required"] and not item.evidence:
            errors.add(at("evidence"), Text("Chỉ số này cần minh chứng", "This indicator requires evidence"))
        for j, ev in enumerate(item.evidence):
            if isinstance(ev, FileRef) and files.get(ev.file_id) != item.unit_id:
                errors.add(
                    at("evidence", j, "file_id"),
                    Text("Không có tệp minh chứng này của đơn vị", "No such evidence file for this unit"),
                )
        stored = normalise(item, node, at, errors)
        if stored is not None:
            rows.append(
                stored
                | {
                    "unit_id": item.unit_id,
                    "indicator_code": item.indicator_code,
                    "evidence": [e.model_dump(mode="json") for e in item.evidence],
                }
            )

    created = sum(1 for r in rows if (r["unit_id"], r["indicator_code"]) not in existing)
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
        raise InvalidInput(
            Text(
                f"Lô số liệu có {len(errors.items)} lỗi; chưa ghi gì",
                f"The batch has {len(errors.items)} errors; nothing was written",
            ),
            errors=errors.items,
            report=report.model_dump(mode="json"),
        )
    status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
    await repo.write(session, period_id, rows, status, caller.subject, "submit" if submit else "draft")
    await periods_repo.mark_stale(session, period_id)
    report.written = len(rows)
    return report


async def submit_unit(session: AsyncSession, caller: Caller, period_id: uuid.UUID, unit_id: uuid.UUID) -> int:
    """Send the unit's drafts (and corrected returned values) to the appraiser; they lock for the unit."""
    caller.require_any(WRITERS)
    period = await periods.get_row(session, period_id, lock="share")
    _open_period(period)
    participant = await _participant(session, period, unit_id, caller)
    changed = await repo.submit_unit(session, period_id, participant["unit_id"], caller.subject)
    if changed:
        await repo.log(
            session,
            period_id,
            caller.subject,
            "submit",
            [(r["unit_id"], r["indicator_code"], None, {"status": "submitted"}) for r in changed],
        )
        await periods_repo.mark_stale(session, period_id)
    return len(changed)


async def _participant(session: AsyncSession, period: Record, unit_id: uuid.UUID, caller: Caller) -> Record:
    found = (await periods.participant_rows(session, period["id"], [unit_id])).get(unit_id)
    if found is None:
        raise NotAParticipant.at(
            pointer("unit_id"),
            Text("Đơn vị không tham gia kỳ đánh giá này", "The unit does not take part in this period"),
        )
    if not access.sees(caller, period, found):
        raise Forbidden(Text("Đơn vị nằm ngoài phạm vi của bạn", "The unit is outside your scope"))
    return found


async def review(
    session: AsyncSession,
    caller: Caller,
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
        raise ValueLocked(
            Text("Chỉ thẩm định giá trị đơn vị đã gửi", "Only submitted values are appraised"), status_now=row["status"]
        )
    errors = ErrorList()
    if body.action != ReviewAction.ACCEPT and not body.reason:
        errors.add(pointer("reason"), Text("Cần nêu lý do", "A reason is required"))
    changes: dict[str, Any] = {"review_reason": body.reason}
    if body.action == ReviewAction.ADJUST:
        nodes = await frameworks.indicators(session, period["framework_id"])
        adjusted = normalise(body, nodes[code], pointer, errors)
        if adjusted is not None:
            changes |= {
                "appraised_value": adjusted["value"],
                "appraised_flag": adjusted["flag"],
                "appraised_category": adjusted["category"],
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
    await periods_repo.mark_stale(session, period_id)
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
    caller.require_any(WRITERS)
    period = await periods.get_row(session, period_id)
    _open_period(period)
    await _participant(session, period, unit_id, caller)
    if len(content) > settings.max_evidence_bytes:
        raise PayloadTooLarge(
            Text(
                f"Tệp minh chứng tối đa {settings.max_evidence_bytes} byte",
                f"Evidence files are at most {settings.max_evidence_bytes} bytes",
            )
        )
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind not in settings.evidence_types or not content.startswith(_MAGIC.get(kind, (b"",))):
        raise UnsupportedMediaType(
            Text(
                f"Chỉ nhận minh chứng dạng: {', '.join(settings.evidence_types)} (nội dung phải đúng định dạng)",
                f"Evidence must be one of: {', '.join(settings.evidence_types)} (and its content must match)",
            )
        )
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
    if found is None:
        raise EvidenceNotFound(file_id=str(file_id))
    await _participant(session, period, found["unit_id"], caller)
    return found
