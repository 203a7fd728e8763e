"""Unit scope: a caller may act on their own unit and every unit below it."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.problems import Forbidden, Text
from services.registry.units import repository as units_repo
from services.registry.vocabulary import Role


async def in_scope(session: AsyncSession, caller: Caller, unit_id: uuid.UUID) -> bool:
    if Role.ADMIN in caller.roles:
        return True
    if caller.unit_id is None:
        return False
    return caller.unit_id == unit_id or await units_repo.is_descendant(session, unit_id, caller.unit_id)


async def require_scope(session: AsyncSession, caller: Caller, unit_id: uuid.UUID) -> None:
    if not await in_scope(session, caller, unit_id):
        raise Forbidden(
            Text("Đơn vị này nằm ngoài phạm vi quản lý của bạn", "This unit is outside your scope"),
            unit_id=str(unit_id),
        )


async def require_scope_all(session: AsyncSession, caller: Caller, unit_ids: set[uuid.UUID]) -> None:
    """Scope check of many units in one query."""
    if Role.ADMIN in caller.roles or not unit_ids:
        return
    outside = (
        unit_ids
        if caller.unit_id is None
        else unit_ids - await units_repo.descendants_ever(session, caller.unit_id, unit_ids) - {caller.unit_id}
    )
    if outside:
        raise Forbidden(
            Text(
                f"{len(outside)} đơn vị nằm ngoài phạm vi quản lý của bạn",
                f"{len(outside)} units are outside your scope",
            ),
            unit_ids=sorted(str(u) for u in outside)[:20],
        )


async def require_any_in_scope(session: AsyncSession, caller: Caller, unit_ids: set[uuid.UUID]) -> None:
    """At least one of the units is in scope (e.g. a person is visible through any unit they belong to)."""
    if Role.ADMIN in caller.roles:
        return
    if caller.unit_id is not None and (
        caller.unit_id in unit_ids or await units_repo.descendants_ever(session, caller.unit_id, unit_ids)
    ):
        return
    raise Forbidden(Text("Người này không thuộc đơn vị trong phạm vi của bạn", "This person is outside your scope"))
