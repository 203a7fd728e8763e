import uuid
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.db import violated_constraint
from kit.problems import ErrorList, Text, pointer
from kit.versioning import require_version
from services.registry import access
from services.registry.blocs import repository as repo
from services.registry.blocs.errors import BlocCodeExists, BlocNotFound, MembershipOverlaps
from services.registry.blocs.schemas import Bloc, BlocCreate, Decision, MemberCreate, OfficersSet, UnitBloc
from services.registry.units import repository as units_repo
from services.registry.units import service as units


def _conflict(exc: IntegrityError) -> BlocCodeExists | MembershipOverlaps:
    if (violated_constraint(exc) or "").startswith("uq_blocs_code"):
        return BlocCodeExists()
    return MembershipOverlaps()


async def _unknown_units(session: AsyncSession, ids: list[uuid.UUID], path: str) -> None:
    found = await units_repo.existing_ids(session, ids)
    errors = ErrorList()
    for i, unit_id in enumerate(ids):
        if unit_id not in found:
            errors.add(
                pointer(*path.split("/"), i) if path else pointer(i), Text("Đơn vị không tồn tại", "No such unit")
            )
    errors.raise_if_any()


async def create(session: AsyncSession, caller: Caller, body: BlocCreate) -> Bloc:
    await _unknown_units(session, [m.unit_id for m in body.members], "members")
    await access.require_scope_all(session, caller, {m.unit_id for m in body.members})
    bloc_id = uuid.uuid4()
    decision = body.decision
    values: dict[str, Any] = {
        "id": bloc_id,
        "code": body.code,
        "name": body.name,
        "kind": body.kind,
        "decision_number": decision.number if decision else None,
        "decision_date": decision.date if decision else None,
        "decision_issuer": decision.issuer if decision else None,
    }
    try:
        async with session.begin_nested():
            await repo.insert(session, values, [m.model_dump() for m in body.members])
    except IntegrityError as exc:
        raise _conflict(exc) from exc
    return await read(session, bloc_id, None)


def _to_bloc(row: dict[str, Any]) -> Bloc:
    number = row["decision_number"]
    decision = Decision(number=number, date=row["decision_date"], issuer=row["decision_issuer"]) if number else None
    return Bloc.model_validate(row | {"decision": decision})


async def read(session: AsyncSession, bloc_id: uuid.UUID, on: date | None) -> Bloc:
    found = await repo.get_many(session, [bloc_id], on)
    if not found:
        raise BlocNotFound(bloc_id=str(bloc_id))
    return _to_bloc(found[0])


async def list_all(session: AsyncSession, on: date | None) -> list[Bloc]:
    return [_to_bloc(r) for r in await repo.get_many(session, await repo.all_ids(session), on)]


async def _locked(session: AsyncSession, caller: Caller, bloc_id: uuid.UUID, expected: int) -> None:
    """A bloc is changed by an office whose scope holds all its members (a province's office, its blocs): scope
    before version."""
    version = await repo.lock(session, bloc_id)
    if version is None:
        raise BlocNotFound(bloc_id=str(bloc_id))
    await access.require_scope_all(session, caller, await repo.member_ids(session, bloc_id))
    require_version(version, expected)


async def add_member(
    session: AsyncSession, caller: Caller, bloc_id: uuid.UUID, body: MemberCreate, expected: int
) -> Bloc:
    await _locked(session, caller, bloc_id, expected)
    await _unknown_units(session, [body.unit_id], "")
    await access.require_scope(session, caller, body.unit_id)
    try:
        async with session.begin_nested():
            await repo.add_member(session, bloc_id, body.model_dump())
    except IntegrityError as exc:
        raise _conflict(exc) from exc
    await repo.touch(session, bloc_id)
    return await read(session, bloc_id, None)


async def set_officers(
    session: AsyncSession, caller: Caller, bloc_id: uuid.UUID, year: int, body: OfficersSet, expected: int
) -> Bloc:
    """Leader and deputies of a year (suy tôn): they must be members during that year."""
    await _locked(session, caller, bloc_id, expected)
    bloc = await read(session, bloc_id, None)
    errors = ErrorList()
    chosen = [("leader", body.leader, pointer("leader"))] + [
        ("deputy", d, pointer("deputies", i)) for i, d in enumerate(body.deputies)
    ]
    for _, unit_id, ptr in chosen:
        if not any(
            m.unit_id == unit_id
            and (m.valid_from is None or m.valid_from.year <= year)
            and (m.valid_to is None or m.valid_to.year >= year)
            for m in bloc.members
        ):
            errors.add(
                ptr,
                Text(
                    f"Đơn vị không là thành viên của cụm/khối trong năm {year}",
                    f"The unit is not a member of the bloc in {year}",
                ),
            )
    if body.leader in body.deputies:
        errors.add(pointer("deputies"), Text("Trưởng cụm/khối không đồng thời là phó", "The leader cannot be a deputy"))
    errors.raise_if_any()
    await repo.set_officers(session, bloc_id, year, [{"role": r, "unit_id": u} for r, u, _ in chosen])
    await repo.touch(session, bloc_id)
    return await read(session, bloc_id, None)


async def of_unit(session: AsyncSession, caller: Caller | None, unit_id: uuid.UUID, on: date) -> list[UnitBloc]:
    await units.read(session, caller, unit_id, on)
    return [UnitBloc.model_validate(r) for r in await repo.of_unit(session, unit_id, on)]
