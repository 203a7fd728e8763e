"""Applying a lineage event: end what ends, create what starts, link predecessors to successors, in one transaction."""

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.pagination import Page, PageParams
from kit.problems import ErrorList, Text, pointer
from kit.text import fold
from services.registry import access, privacy
from services.registry.lineage import repository as repo
from services.registry.lineage.errors import EventNotFound, PeriodReversed
from services.registry.lineage.schemas import LegalAct, LineageEvent, LineageEventCreate, LineageKind, LinkOut, Relative
from services.registry.units import repository as units_repo
from services.registry.units import service as units
from services.registry.units.schemas import UnitCreate

_MISSING = Text("Thiếu trường bắt buộc cho loại sự kiện này", "Required for this kind of event")


async def record(
    session: AsyncSession, caller: Caller, body: LineageEventCreate, *, event_id: uuid.UUID | None = None
) -> LineageEvent:
    day = body.effective_date
    eve = day - timedelta(days=1)
    errors = ErrorList()
    _check_shape(body, errors)
    errors.raise_if_any()

    involved = [p.unit_id for p in body.predecessors] + [s.unit_id for s in body.successors if s.unit_id]
    involved += [x for x in (body.unit_id, body.new_parent_id) if x]
    for i, pred in enumerate(body.predecessors):
        if not await units_repo.exists(session, pred.unit_id, on=eve):
            errors.add(
                pointer("predecessors", i, "unit_id"),
                Text(
                    "Đơn vị không tồn tại vào ngày trước ngày hiệu lực",
                    "The unit does not exist on the day before the effective date",
                ),
            )
    for i, succ in enumerate(body.successors):
        if succ.unit_id and not await units_repo.exists(session, succ.unit_id, on=day):
            errors.add(
                pointer("successors", i, "unit_id"),
                Text(
                    "Đơn vị kế thừa không tồn tại vào ngày hiệu lực",
                    "The successor does not exist on the effective date",
                ),
            )
    if body.unit_id and not await units_repo.exists(session, body.unit_id, on=day):
        errors.add(
            pointer("unit_id"),
            Text("Đơn vị không tồn tại vào ngày hiệu lực", "The unit does not exist on the effective date"),
        )
    errors.raise_if_any()
    for unit_id in dict.fromkeys(involved):
        await access.require_scope(session, caller, unit_id)

    event_id = event_id or uuid.uuid4()
    details: dict[str, Any] = {}
    links: list[dict[str, Any]] = []
    if body.kind in (LineageKind.MERGE, LineageKind.SPLIT, LineageKind.PARTIAL_TRANSFER):
        successor_ids = []
        new_units = []
        for succ in body.successors:
            if succ.new is not None:
                new_id = uuid.uuid4()
                new_units.append((new_id, UnitCreate(**succ.new.model_dump(), valid_from=day)))
                successor_ids.append(new_id)
            else:
                assert succ.unit_id is not None
                successor_ids.append(succ.unit_id)
        for i, (_, new) in enumerate(new_units):
            if new.parent_id and not await units_repo.exists(session, new.parent_id, on=day):
                errors.add(
                    pointer("successors", i, "new", "parent_id"),
                    Text(
                        "Đơn vị cấp trên không tồn tại vào ngày hiệu lực",
                        "The parent does not exist on the effective date",
                    ),
                )
        errors.raise_if_any()
        await units.insert(session, new_units)
        for pred in body.predecessors:
            if pred.share is None and body.kind != LineageKind.PARTIAL_TRANSFER:
                await units_repo.end_on(session, pred.unit_id, eve)
            for succ, succ_id in zip(body.successors, successor_ids, strict=True):
                links.append(
                    {"predecessor_id": pred.unit_id, "successor_id": succ_id, "share": pred.share or succ.share}
                )
    else:
        assert body.unit_id is not None
        details["unit_id"] = str(body.unit_id)
        current = await units_repo.get(session, body.unit_id, day)
        assert current is not None
        if body.kind == LineageKind.DISSOLVE:
            await units_repo.end_on(session, body.unit_id, eve)
        if body.kind == LineageKind.RECLASSIFY:
            assert body.new_kind is not None
            details |= {"from_kind": current["kind"], "to_kind": body.new_kind.value}
            level = body.new_level or current["level"]
            await units_repo.touch(session, body.unit_id, kind=body.new_kind, level=level)
        if body.new_name:
            details |= {"old_name": current["name"], "new_name": body.new_name}
            await units_repo.close_facet(session, "names", body.unit_id, eve)
            await units_repo.insert_names(
                session,
                [
                    {
                        "unit_id": body.unit_id,
                        "name": body.new_name,
                        "short_name": body.new_short_name,
                        "search_key": fold(body.new_name),
                        "valid_from": day,
                    }
                ],
            )
        if body.kind == LineageKind.PARENT_CHANGE:
            assert body.new_parent_id is not None
            await units.check_parent(session, body.unit_id, body.new_parent_id, day, "new_parent_id")
            details |= {
                "old_parent_id": str(current["parent_id"]) if current["parent_id"] else None,
                "new_parent_id": str(body.new_parent_id),
            }
            await units_repo.close_facet(session, "parents", body.unit_id, eve)
            await units_repo.insert_parents(
                session, [{"unit_id": body.unit_id, "parent_id": body.new_parent_id, "valid_from": day}]
            )
        await units_repo.touch(session, body.unit_id)

    await repo.insert_event(
        session,
        {
            "id": event_id,
            "kind": body.kind,
            "effective_date": day,
            "act_number": body.legal_act.number,
            "act_date": body.legal_act.date,
            "act_issuer": body.legal_act.issuer,
            "note": body.note,
            "details": details,
            "created_by": caller.subject,
        },
        links,
    )
    return await read(session, caller, event_id)


def _check_shape(body: LineageEventCreate, errors: ErrorList) -> None:
    """Which fields each kind needs; every missing or surplus one is reported at once."""
    kind = body.kind
    if kind in (LineageKind.MERGE, LineageKind.SPLIT, LineageKind.PARTIAL_TRANSFER):
        need_preds, need_succs = {
            LineageKind.MERGE: (2, 1),
            LineageKind.SPLIT: (1, 2),
            LineageKind.PARTIAL_TRANSFER: (1, 1),
        }[kind]
        if len(body.predecessors) < need_preds or (kind != LineageKind.MERGE and len(body.predecessors) != 1):
            errors.add(
                pointer("predecessors"),
                Text(
                    f"Sự kiện {kind.value} cần {'ít nhất 2' if kind == LineageKind.MERGE else 'đúng 1'} đơn vị trước",
                    f"A {kind.value} needs {'at least 2' if kind == LineageKind.MERGE else 'exactly 1'} predecessor(s)",
                ),
            )
        if len(body.successors) < need_succs or (kind != LineageKind.SPLIT and len(body.successors) != 1):
            errors.add(
                pointer("successors"),
                Text(
                    f"Sự kiện {kind.value} cần {'ít nhất 2' if kind == LineageKind.SPLIT else 'đúng 1'} đơn vị kế thừa",
                    f"A {kind.value} needs {'at least 2' if kind == LineageKind.SPLIT else 'exactly 1'} successor(s)",
                ),
            )
        if kind == LineageKind.PARTIAL_TRANSFER and body.predecessors and body.predecessors[0].share is None:
            errors.add(
                pointer("predecessors", 0, "share"),
                Text("Chuyển một phần cần tỷ lệ (share)", "A partial transfer needs the share that moves"),
            )
        ids = [p.unit_id for p in body.predecessors] + [s.unit_id for s in body.successors if s.unit_id]
        if len(ids) != len(set(ids)):
            errors.add(pointer("successors"), Text("Một đơn vị xuất hiện hai lần", "A unit appears twice"))
        return
    if body.unit_id is None:
        errors.add(pointer("unit_id"), _MISSING)
    if kind == LineageKind.RENAME and not body.new_name:
        errors.add(pointer("new_name"), _MISSING)
    if kind == LineageKind.RECLASSIFY and body.new_kind is None:
        errors.add(pointer("new_kind"), _MISSING)
    if kind == LineageKind.PARENT_CHANGE and body.new_parent_id is None:
        errors.add(pointer("new_parent_id"), _MISSING)
    if body.predecessors or body.successors:
        errors.add(
            pointer("predecessors"),
            Text(
                "Loại sự kiện này không có đơn vị trước/kế thừa; dùng unit_id",
                "This kind of event has no predecessors/successors; use unit_id",
            ),
        )


async def read(session: AsyncSession, caller: Caller | None, event_id: uuid.UUID) -> LineageEvent:
    found = await repo.get_event(session, event_id)
    if found is None:
        raise EventNotFound(event_id=str(event_id))
    return _shown(caller, *found)


async def between(
    session: AsyncSession, caller: Caller | None, first: date, last: date, paging: PageParams
) -> Page[LineageEvent]:
    """Every event effective in [first, last]: what a scoring period follows when units reorganise inside it."""
    if last < first:
        raise PeriodReversed.of(parameter="effective_to")
    events, links = await repo.events_between(
        session, first, last, paging.after(date.fromisoformat, uuid.UUID), paging.limit
    )
    return paging.page(
        [_shown(caller, ev, links.get(ev["id"], [])) for ev in events],
        lambda ev: (ev.effective_date.isoformat(), str(ev.id)),
    )


def _shown(caller: Caller | None, event: Any, links: Sequence[Any]) -> LineageEvent:
    shown = LineageEvent(
        id=event["id"],
        kind=event["kind"],
        effective_date=event["effective_date"],
        legal_act=LegalAct(number=event["act_number"], date=event["act_date"], issuer=event["act_issuer"]),
        note=event["note"],
        links=[LinkOut.model_validate(dict(link)) for link in links],
        details=event["details"],
        created_by=event["created_by"],
        created_at=event["created_at"],
    )
    return privacy.POLICY.shape(shown, privacy.signed_in(caller))


async def events_of(session: AsyncSession, caller: Caller | None, unit_id: uuid.UUID) -> list[LineageEvent]:
    await units.read(session, caller, unit_id, date.today())
    return [await read(session, caller, eid) for eid in await repo.events_of(session, unit_id)]


async def relatives(
    session: AsyncSession,
    caller: Caller | None,
    unit_id: uuid.UUID,
    direction: Literal["predecessors", "successors"],
    as_of: date,
) -> list[Relative]:
    await units.read(session, caller, unit_id, as_of)
    rows = await repo.relatives(session, unit_id, direction, as_of)
    visible = await units.shown(session, caller, rows)
    return [
        Relative(
            unit=units.to_unit(r),
            event_id=r["event_id"],
            event_kind=r["event_kind"],
            effective_date=r["effective_date"],
            legal_act_number=r["act_number"],
            share=r["share"],
            partial=r["share"] is not None,
            depth=r["depth"],
        )
        for r in rows
        if r["id"] in visible
    ]
