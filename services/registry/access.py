"""Who may call what, and unit scope: a caller may act on their own unit and every unit below it.

Roles are declared in endpoint signatures with the aliases below (`kit.auth.requires`, published as `x-roles`);
the checks on the data (scope) stay in the services and run before existence of what is private, versions and
states are revealed."""

import uuid
from typing import Annotated

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller, requires
from services.registry.errors import UnitOutOfScope, UnitsOutOfScope
from services.registry.units import repository as units_repo
from services.registry.vocabulary import REGISTRY_OFFICERS, SIGNED_IN, UNIT_EDITORS, Role

Editor = Annotated[Caller, requires(*UNIT_EDITORS)]
Officer = Annotated[Caller, requires(*REGISTRY_OFFICERS)]
SignedIn = Annotated[Caller, requires(*SIGNED_IN)]


async def in_scope(session: AsyncSession, caller: Caller, unit_id: uuid.UUID) -> bool:
    if Role.ADMIN in caller.roles:
        return True
    if caller.unit_id is None:
        return False
    return caller.unit_id == unit_id or await units_repo.is_descendant(session, unit_id, caller.unit_id)


async def require_scope(session: AsyncSession, caller: Caller, unit_id: uuid.UUID) -> None:
    if not await in_scope(session, caller, unit_id):
        raise UnitOutOfScope(unit_id=str(unit_id))


async def scoped_units(session: AsyncSession, caller: Caller, unit_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `unit_ids` are in the caller's scope (units ever below the caller's unit count), in one query."""
    if Role.ADMIN in caller.roles:
        return set(unit_ids)
    if caller.unit_id is None or not unit_ids:
        return set()
    return (await units_repo.descendants_ever(session, caller.unit_id, unit_ids)) | (unit_ids & {caller.unit_id})


async def require_scope_all(session: AsyncSession, caller: Caller, unit_ids: set[uuid.UUID]) -> None:
    """Scope check of many units in one query."""
    outside = unit_ids - await scoped_units(session, caller, unit_ids)
    if outside:
        raise UnitsOutOfScope.of(count=len(outside), extensions={"unit_ids": sorted(str(u) for u in outside)[:20]})


async def any_in_scope(session: AsyncSession, caller: Caller, unit_ids: set[uuid.UUID]) -> bool:
    """At least one of the units is in scope (e.g. a person is visible through any unit they belong to)."""
    return Role.ADMIN in caller.roles or bool(await scoped_units(session, caller, unit_ids))
