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


_REORGANISATIONS = (LineageKind.MERGE, LineageKind.SPLIT, LineageKind.PARTIAL_TRANSFER)


async def record(
    session: AsyncSession, caller: Caller, body: LineageEventCreate, *, event_id: uuid.UUID | None = None
) -> LineageEvent:
    """Apply a lineage event in one transaction: check its shape and its units, then end, create and link them (a
    merge, split or partial transfer) or change the one unit (dissolve, rename, reclassify, parent change)."""
    errors = ErrorList()
    _check_shape(body, errors)
    errors.raise_if_any()
    await _check_units_exist(session, body)
    await access.require_scope_all(session, caller, _involved(body))
    event_id = event_id or uuid.uuid4()
    if body.kind in _REORGANISATIONS:
        details, links = {}, await _reorganise(session, body)
    else:
        details, links = await _change_unit(session, body), []
    await repo.insert_event(session, _event_row(event_id, body, details, caller), links)
    return await read(session, caller, event_id)


def _involved(body: LineageEventCreate) -> set[uuid.UUID]:
    """Every unit the event names: the caller must have all of them in scope."""
    named = [p.unit_id for p in body.predecessors] + [s.unit_id for s in body.successors]
    return {x for x in (*named, body.unit_id, body.new_parent_id) if x}


async def _check_units_exist(session: AsyncSession, body: LineageEventCreate) -> None:
    """Predecessors exist the day before the event, successors and the changed unit on its day: two queries."""
    day = body.effective_date
    eve = day - timedelta(days=1)
    on_eve = await units_repo.existing_ids(session, [p.unit_id for p in body.predecessors], on=eve)
    named = [s.unit_id for s in body.successors if s.unit_id] + ([body.unit_id] if body.unit_id else [])
    on_day = await units_repo.existing_ids(session, named, on=day)
    errors = ErrorList()
    for i, pred in enumerate(body.predecessors):
        if pred.unit_id not in on_eve:
            errors.add(
                pointer("predecessors", i, "unit_id"),
                Text(
                    "Đơn vị không tồn tại vào ngày trước ngày hiệu lực",
                    "The unit does not exist on the day before the effective date",
                ),
            )
    for i, succ in enumerate(body.successors):
        if succ.unit_id and succ.unit_id not in on_day:
            errors.add(
                pointer("successors", i, "unit_id"),
                Text(
                    "Đơn vị kế thừa không tồn tại vào ngày hiệu lực",
                    "The successor does not exist on the effective date",
                ),
            )
    if body.unit_id and body.unit_id not in on_day:
        errors.add(
            pointer("unit_id"),
            Text("Đơn vị không tồn tại vào ngày hiệu lực", "The unit does not exist on the effective date"),
        )
    errors.raise_if_any()


async def _reorganise(session: AsyncSession, body: LineageEventCreate) -> list[dict[str, Any]]:
    """Merge, split or partial transfer: create the new successors, end the predecessors that do not live on, and
    return the links from every predecessor to every successor."""
    day = body.effective_date
    created = {
        i: (uuid.uuid4(), UnitCreate(**s.new.model_dump(), valid_from=day))
        for i, s in enumerate(body.successors)
        if s.new is not None
    }
    await _check_new_parents(session, created, day)
    await units.insert(session, list(created.values()))
    if body.kind != LineageKind.PARTIAL_TRANSFER:
        ending = [p.unit_id for p in body.predecessors if p.share is None]
        await units_repo.end_on(session, ending, day - timedelta(days=1))
    successor_ids = [created[i][0] if i in created else s.unit_id for i, s in enumerate(body.successors)]
    return [
        {"predecessor_id": pred.unit_id, "successor_id": succ_id, "share": pred.share or succ.share}
        for pred in body.predecessors
        for succ, succ_id in zip(body.successors, successor_ids, strict=True)
    ]


async def _check_new_parents(
    session: AsyncSession, created: dict[int, tuple[uuid.UUID, UnitCreate]], day: date
) -> None:
    """A new successor's parent exists on the event's day (one query for all of them)."""
    parents = [new.parent_id for _, new in created.values() if new.parent_id]
    active = await units_repo.existing_ids(session, parents, on=day)
    errors = ErrorList()
    for i, (_, new) in created.items():
        if new.parent_id and new.parent_id not in active:
            errors.add(
                pointer("successors", i, "new", "parent_id"),
                Text(
                    "Đơn vị cấp trên không tồn tại vào ngày hiệu lực",
                    "The parent does not exist on the effective date",
                ),
            )
    errors.raise_if_any()


async def _change_unit(session: AsyncSession, body: LineageEventCreate) -> dict[str, Any]:
    """Dissolve, rename, reclassify or move one unit; the event's details say what it was and what it became."""
    assert body.unit_id is not None
    day = body.effective_date
    current = await units_repo.get(session, body.unit_id, day)
    assert current is not None
    details: dict[str, Any] = {"unit_id": str(body.unit_id)}
    if body.kind == LineageKind.DISSOLVE:
        await units_repo.end_on(session, [body.unit_id], day - timedelta(days=1))
    if body.kind == LineageKind.RECLASSIFY:
        details |= await _reclassify(session, body.unit_id, body, current)
    if body.new_name:
        details |= await _rename(session, body.unit_id, body, current)
    if body.kind == LineageKind.PARENT_CHANGE:
        details |= await _move(session, body.unit_id, body, current)
    await units_repo.touch(session, body.unit_id)
    return details


async def _reclassify(
    session: AsyncSession, unit_id: uuid.UUID, body: LineageEventCreate, current: Any
) -> dict[str, Any]:
    assert body.new_kind is not None
    level = body.new_level or current["level"]
    await units_repo.touch(session, unit_id, kind=body.new_kind, level=level)
    return {"from_kind": current["kind"], "to_kind": body.new_kind.value}


async def _rename(session: AsyncSession, unit_id: uuid.UUID, body: LineageEventCreate, current: Any) -> dict[str, Any]:
    """End the current name the day before and start the new one on the event's day."""
    assert body.new_name is not None
    day = body.effective_date
    await units_repo.close_facet(session, "names", unit_id, day - timedelta(days=1))
    name = {"name": body.new_name, "short_name": body.new_short_name, "search_key": fold(body.new_name)}
    await units_repo.insert_names(session, [{"unit_id": unit_id, **name, "valid_from": day}])
    return {"old_name": current["name"], "new_name": body.new_name}


async def _move(session: AsyncSession, unit_id: uuid.UUID, body: LineageEventCreate, current: Any) -> dict[str, Any]:
    """End the current parent the day before and start the new one (no cycle) on the event's day."""
    assert body.new_parent_id is not None
    day = body.effective_date
    await units.check_parent(session, unit_id, body.new_parent_id, day, "new_parent_id")
    await units_repo.close_facet(session, "parents", unit_id, day - timedelta(days=1))
    await units_repo.insert_parents(session, [{"unit_id": unit_id, "parent_id": body.new_parent_id, "valid_from": day}])
    old = current["parent_id"]
    return {"old_parent_id": str(old) if old else None, "new_parent_id": str(body.new_parent_id)}


def _event_row(
    event_id: uuid.UUID, body: LineageEventCreate, details: dict[str, Any], caller: Caller
) -> dict[str, Any]:
    act = body.legal_act
    return {
        "id": event_id,
        "kind": body.kind,
        "effective_date": body.effective_date,
        "act_number": act.number,
        "act_date": act.date,
        "act_issuer": act.issuer,
        "note": body.note,
        "details": details,
        "created_by": caller.subject,
    }


def _check_shape(body: LineageEventCreate, errors: ErrorList) -> None:
    """Which fields each kind needs; every missing or surplus one is reported at once."""
    if body.kind in _REORGANISATIONS:
        _check_reorganisation(body, errors)
    else:
        _check_one_unit(body, errors)


def _check_reorganisation(body: LineageEventCreate, errors: ErrorList) -> None:
    """A merge has two or more predecessors and one successor, a split the reverse, a partial transfer one of each
    and the share that moves; no unit appears twice."""
    kind = body.kind
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


def _check_one_unit(body: LineageEventCreate, errors: ErrorList) -> None:
    """Dissolve, rename, reclassify and parent change name one unit and what changes, and no other units."""
    kind = body.kind
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
