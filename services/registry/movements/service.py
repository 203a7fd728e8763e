import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.pagination import Page, PageParams, encode_cursor
from kit.problems import ErrorList, Text, pointer
from kit.text import fold
from kit.versioning import require_version
from services.registry import access
from services.registry.movements import repository as repo
from services.registry.movements.errors import MovementCodeExists, MovementNotFound
from services.registry.movements.schemas import (
    LegalBasis,
    MilestoneIn,
    Movement,
    MovementCreate,
    MovementUpdate,
    PhaseIn,
)
from services.registry.units import repository as units_repo
from services.registry.units.errors import UnknownUnit


def _check_schedule(start: date, end: date | None, phases: list[PhaseIn], milestones: list[MilestoneIn]) -> None:
    errors = ErrorList()
    outside = Text("Ngày nằm ngoài thời gian của phong trào", "The date is outside the movement's period")
    codes = set()
    for i, phase in enumerate(phases):
        if phase.start_date < start or (end and phase.end_date > end):
            errors.add(pointer("phases", i, "start_date"), outside)
        if phase.code in codes:
            errors.add(pointer("phases", i, "code"), Text("Mã giai đoạn bị trùng", "Duplicate phase code"))
        codes.add(phase.code)
    for i, stone in enumerate(milestones):
        if stone.phase_code and stone.phase_code not in codes:
            errors.add(pointer("milestones", i, "phase_code"), Text("Không có giai đoạn này", "No such phase"))
    errors.raise_if_any()


def _to_movement(row: dict[str, object]) -> Movement:
    basis = LegalBasis(
        number=str(row["basis_number"]),
        date=row["basis_date"],
        signer=row["basis_signer"],
    )
    return Movement.model_validate(row | {"legal_basis": basis})


async def create(session: AsyncSession, caller: Caller, body: MovementCreate) -> Movement:
    if not await units_repo.exists(session, body.issuer_unit_id):
        raise UnknownUnit.field("issuer_unit_id")
    await access.require_scope(session, caller, body.issuer_unit_id)
    _check_schedule(body.start_date, body.end_date, body.phases, body.milestones)
    movement_id = uuid.uuid4()
    values = body.model_dump(exclude={"legal_basis", "phases", "milestones"}) | {
        "id": movement_id,
        "search_key": fold(body.title),
        "basis_number": body.legal_basis.number,
        "basis_date": body.legal_basis.date,
        "basis_signer": body.legal_basis.signer,
    }
    try:
        async with session.begin_nested():
            await repo.insert(
                session, values, [p.model_dump() for p in body.phases], [m.model_dump() for m in body.milestones]
            )
    except IntegrityError as exc:
        raise MovementCodeExists.of(code=body.code) from exc
    return await read(session, movement_id)


async def read(session: AsyncSession, movement_id: uuid.UUID) -> Movement:
    found = await repo.get_many(session, [movement_id])
    if not found:
        raise MovementNotFound(movement_id=str(movement_id))
    return _to_movement(found[0])


async def search(
    session: AsyncSession,
    paging: PageParams,
    *,
    q: str | None,
    issuer_unit_id: uuid.UUID | None,
    code: str | None = None,
) -> Page[Movement]:
    ids = await repo.search(
        session,
        code=code,
        text=fold(q) if q else None,
        issuer_ids=[issuer_unit_id] if issuer_unit_id else None,
        after=paging.after(date.fromisoformat, uuid.UUID),
        limit=paging.limit,
    )
    items = [_to_movement(m) for m in await repo.get_many(session, ids[: paging.limit])]
    cursor = encode_cursor([items[-1].start_date.isoformat(), str(items[-1].id)]) if len(ids) > paging.limit else None
    return Page(items=items, next_cursor=cursor)


async def _locked(session: AsyncSession, caller: Caller, movement_id: uuid.UUID, expected: int) -> Movement:
    row = await repo.lock(session, movement_id)
    if row is None:
        raise MovementNotFound(movement_id=str(movement_id))
    await access.require_scope(session, caller, row["issuer_unit_id"])
    require_version(row["version"], expected)
    return await read(session, movement_id)


async def update(
    session: AsyncSession, caller: Caller, movement_id: uuid.UUID, body: MovementUpdate, expected: int
) -> Movement:
    current = await _locked(session, caller, movement_id, expected)
    changes = body.model_dump(exclude_unset=True)
    if "title" in changes:
        changes["search_key"] = fold(changes["title"])
    _check_schedule(
        current.start_date,
        changes.get("end_date", current.end_date),
        [PhaseIn.model_validate(p.model_dump()) for p in current.phases],
        [],
    )
    await repo.update(session, movement_id, **changes)
    return await read(session, movement_id)


async def replace_schedule(
    session: AsyncSession,
    caller: Caller,
    movement_id: uuid.UUID,
    phases: list[PhaseIn],
    milestones: list[MilestoneIn],
    expected: int,
) -> Movement:
    current = await _locked(session, caller, movement_id, expected)
    _check_schedule(current.start_date, current.end_date, phases, milestones)
    await repo.replace_schedule(
        session, movement_id, [p.model_dump() for p in phases], [m.model_dump() for m in milestones]
    )
    await repo.update(session, movement_id)
    return await read(session, movement_id)
