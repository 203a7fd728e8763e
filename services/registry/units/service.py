"""Rules about units: who may change what, dated facts that never overlap, parents without cycles."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.db import violated_constraint
from kit.pagination import Page, PageParams
from kit.text import fold
from kit.versioning import require_version
from services.registry import access, privacy
from services.registry.units import repository as repo
from services.registry.units.errors import (
    DuplicateCode,
    OverlappingValidity,
    ParentCycle,
    ParentNotActive,
    RootUnitNeedsAdmin,
    UnitNotFound,
    UnknownParent,
)
from services.registry.units.schemas import (
    CodeCreate,
    NameCreate,
    ParentCreate,
    SubtreeUnit,
    TreeNode,
    Unit,
    UnitCreate,
    UnitHistory,
    UnitUpdate,
)
from services.registry.vocabulary import Role, UnitKind


def to_unit(row: sa.RowMapping) -> Unit:
    return Unit(**_unit_fields(row))


def _unit_fields(row: sa.RowMapping) -> dict[str, Any]:
    kind = UnitKind(row["kind"])
    return {
        "id": row["id"],
        "kind": kind,
        "kind_label": kind.label,
        "level": row["level"],
        "name": row["name"],
        "short_name": row["short_name"],
        "admin_code": row["admin_code"],
        "organ_code": row["organ_code"],
        "parent_id": row["parent_id"],
        "valid_from": row["valid_from"],
        "valid_to": row["valid_to"],
        "as_of": row["as_of"],
        "version": row["version"],
        "updated_at": row["updated_at"],
    }


async def shown(session: AsyncSession, caller: Caller | None, rows: Sequence[sa.RowMapping]) -> set[uuid.UUID]:
    """Ids of the rows this caller may see (households only within their scope: services/registry/privacy.py)."""
    return await privacy.shown_units(session, caller, {r["id"]: r["kind"] for r in rows})


async def read(session: AsyncSession, caller: Caller | None, unit_id: uuid.UUID, as_of: date) -> Unit:
    row = await repo.get(session, unit_id, as_of)
    if row is None or not await shown(session, caller, [row]):
        raise UnitNotFound(unit_id=str(unit_id))
    return to_unit(row)


async def read_history(session: AsyncSession, caller: Caller | None, unit_id: uuid.UUID, as_of: date) -> UnitHistory:
    unit = await read(session, caller, unit_id, as_of)
    facets = await repo.history(session, unit_id)
    return UnitHistory(**unit.model_dump(), **{k: [dict(r) for r in v] for k, v in facets.items()})


async def read_many(session: AsyncSession, caller: Caller | None, ids: Sequence[uuid.UUID], as_of: date) -> list[Unit]:
    rows = await repo.get_many(session, ids, as_of)
    visible = await shown(session, caller, rows)
    by_id = {r["id"]: r for r in rows if r["id"] in visible}
    return [to_unit(by_id[i]) for i in dict.fromkeys(ids) if i in by_id]


async def search(
    session: AsyncSession,
    caller: Caller | None,
    paging: PageParams,
    as_of: date,
    *,
    kinds: Sequence[str],
    levels: Sequence[str],
    parent_id: uuid.UUID | None,
    q: str | None,
    include_inactive: bool,
    modified_since: datetime | None = None,
) -> Page[Unit]:
    rows = await repo.search(
        session,
        as_of,
        kinds=kinds,
        levels=levels,
        parent_id=parent_id,
        text=fold(q) if q else None,
        include_inactive=include_inactive,
        modified_since=modified_since,
        hidden=privacy.hidden(caller),
        after=paging.after(str, uuid.UUID),
        limit=paging.limit,
    )
    page = paging.page(list(rows), key=lambda r: (r["search_key"] or "", str(r["id"])))
    return Page(items=[to_unit(r) for r in page.items], next_cursor=page.next_cursor)


async def ancestors(session: AsyncSession, caller: Caller | None, unit_id: uuid.UUID, as_of: date) -> list[Unit]:
    await read(session, caller, unit_id, as_of)
    rows = await repo.ancestors(session, unit_id, as_of)
    visible = await shown(session, caller, rows)
    return [to_unit(r) for r in rows if r["id"] in visible]


async def subtree(session: AsyncSession, caller: Caller | None, unit_id: uuid.UUID, as_of: date) -> list[SubtreeUnit]:
    await read(session, caller, unit_id, as_of)
    rows = await repo.subtree(session, unit_id, as_of)
    visible = await shown(session, caller, rows)
    return [SubtreeUnit(**_unit_fields(r), depth=r["depth"]) for r in rows if r["id"] in visible]


async def tree(session: AsyncSession, caller: Caller | None, root_id: uuid.UUID | None, as_of: date) -> list[TreeNode]:
    """The hierarchy on a day as nested nodes (one query, assembled in one pass)."""
    if root_id is not None:
        await read(session, caller, root_id, as_of)
    every = await repo.subtree(session, root_id, as_of)
    visible = await shown(session, caller, every)
    rows = [r for r in every if r["id"] in visible]
    nodes = {
        r["id"]: TreeNode(
            id=r["id"], kind=r["kind"], level=r["level"], name=r["name"], admin_code=r["admin_code"], children=[]
        )
        for r in rows
    }
    roots: list[TreeNode] = []
    for r in rows:
        parent = nodes.get(r["parent_id"]) if r["depth"] > 0 else None
        (parent.children if parent else roots).append(nodes[r["id"]])
    return roots


async def check_parent(
    session: AsyncSession, unit_id: uuid.UUID | None, parent_id: uuid.UUID, start: date | None, field: str = "parent_id"
) -> None:
    if not await repo.exists(session, parent_id):
        raise UnknownParent.field(field)
    if start is not None and not await repo.exists(session, parent_id, on=start):
        raise ParentNotActive.field()
    if unit_id is not None and (
        parent_id == unit_id or unit_id in await repo.ancestor_ids_on(session, parent_id, start)
    ):
        raise ParentCycle.field()


async def create(session: AsyncSession, caller: Caller, body: UnitCreate) -> Unit:
    if body.parent_id is None:
        if Role.ADMIN not in caller.roles:
            raise RootUnitNeedsAdmin()
    else:
        await check_parent(session, None, body.parent_id, body.valid_from)
        await access.require_scope(session, caller, body.parent_id)
    unit_id = uuid.uuid4()
    await insert(session, [(unit_id, body)])
    return await read(session, caller, unit_id, body.valid_from or date.today())


async def insert(session: AsyncSession, units: Sequence[tuple[uuid.UUID, UnitCreate]]) -> None:
    """Insert new units with their first name, codes and parent (set-based, one statement per table)."""
    dated = [(uid, b, {"valid_from": b.valid_from, "valid_to": b.valid_to}) for uid, b in units]
    try:
        await repo.insert_units(session, [{"id": uid, "kind": b.kind, "level": b.level, **d} for uid, b, d in dated])
        await repo.insert_names(
            session,
            [
                {"unit_id": uid, "name": b.name, "short_name": b.short_name, "search_key": fold(b.name), **d}
                for uid, b, d in dated
            ],
        )
        await repo.insert_codes(
            session,
            [
                {"unit_id": uid, "admin_code": b.admin_code, "organ_code": b.organ_code, **d}
                for uid, b, d in dated
                if b.admin_code or b.organ_code
            ],
        )
        await repo.insert_parents(
            session, [{"unit_id": uid, "parent_id": b.parent_id, **d} for uid, b, d in dated if b.parent_id]
        )
    except IntegrityError as exc:
        raise _conflict(exc) from exc


def _conflict(exc: IntegrityError) -> Exception:
    name = violated_constraint(exc) or ""
    if name.startswith("ex_unit_codes_admin") or name.startswith("ex_unit_codes_organ"):
        return DuplicateCode.of(extensions={"constraint": name})
    if name.startswith("ex_"):
        return OverlappingValidity.of(extensions={"constraint": name})
    if name.startswith("fk_unit_parents_parent_id"):
        return UnknownParent.field()
    return exc


async def update(
    session: AsyncSession, caller: Caller, unit_id: uuid.UUID, body: UnitUpdate, expected_version: int
) -> Unit:
    await _locked(session, caller, unit_id, expected_version)
    await repo.touch(session, unit_id, **body.model_dump(exclude_none=True))
    return await read(session, caller, unit_id, date.today())


async def _locked(session: AsyncSession, caller: Caller, unit_id: uuid.UUID, expected_version: int) -> sa.RowMapping:
    row = await repo.lock(session, unit_id)
    if row is None:
        raise UnitNotFound(unit_id=str(unit_id))
    await access.require_scope(session, caller, unit_id)
    require_version(row["version"], expected_version)
    return row


async def add_name(
    session: AsyncSession, caller: Caller, unit_id: uuid.UUID, body: NameCreate, expected_version: int
) -> UnitHistory:
    await _locked(session, caller, unit_id, expected_version)
    await _add_dated(
        session,
        "names",
        unit_id,
        body.valid_from,
        {
            "name": body.name,
            "short_name": body.short_name,
            "search_key": fold(body.name),
            "valid_from": body.valid_from,
            "valid_to": body.valid_to,
        },
    )
    return await read_history(session, caller, unit_id, body.valid_from or date.today())


async def add_code(
    session: AsyncSession, caller: Caller, unit_id: uuid.UUID, body: CodeCreate, expected_version: int
) -> UnitHistory:
    await _locked(session, caller, unit_id, expected_version)
    await _add_dated(session, "codes", unit_id, body.valid_from, body.model_dump() | {"unit_id": unit_id})
    return await read_history(session, caller, unit_id, body.valid_from or date.today())


async def add_parent(
    session: AsyncSession, caller: Caller, unit_id: uuid.UUID, body: ParentCreate, expected_version: int
) -> UnitHistory:
    await _locked(session, caller, unit_id, expected_version)
    await check_parent(session, unit_id, body.parent_id, body.valid_from)
    await access.require_scope(session, caller, body.parent_id)
    await _add_dated(session, "parents", unit_id, body.valid_from, body.model_dump())
    return await read_history(session, caller, unit_id, body.valid_from or date.today())


async def _add_dated(
    session: AsyncSession, facet: str, unit_id: uuid.UUID, start: date | None, values: dict[str, Any]
) -> None:
    insert_row = {"names": repo.insert_names, "codes": repo.insert_codes, "parents": repo.insert_parents}[facet]
    try:
        async with session.begin_nested():
            await insert_row(session, [values | {"unit_id": unit_id}])
    except IntegrityError as exc:
        raise _conflict(exc) from exc
    await repo.touch(session, unit_id)
