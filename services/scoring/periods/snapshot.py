"""The participants of a period, copied from the registry in a handful of batch calls (never one per unit)."""

import uuid
from datetime import date
from typing import Any

from services.registry.client import RegistryClient
from services.registry.registrations.schemas import RegistrationStatus
from services.scoring.frameworks.schemas import Framework


async def scope_path(registry: RegistryClient, scope_unit_id: uuid.UUID, day: date) -> list[uuid.UUID]:
    """The scope unit's ancestors, root first, then the scope unit itself."""
    return [a.id for a in await registry.ancestors(scope_unit_id, as_of=day)] + [scope_unit_id]


async def take(
    registry: RegistryClient,
    framework: Framework,
    *,
    scope_unit_id: uuid.UUID,
    day: date,
    movement_id: uuid.UUID | None,
    registered_only: bool,
) -> list[dict[str, Any]]:
    units = await registry.subtree(scope_unit_id, as_of=day)
    above = await scope_path(registry, scope_unit_id, day)
    blocs = await registry.blocs(as_of=day)
    member_of: dict[uuid.UUID, list[uuid.UUID]] = {}
    for bloc in blocs:
        for member in bloc.members:
            member_of.setdefault(member.unit_id, []).append(bloc.id)
    approved: set[uuid.UUID] | None = None
    if registered_only and movement_id is not None:
        approved = {
            r.unit_id
            for r in await registry.registrations(movement_id, status=RegistrationStatus.APPROVED)
            if r.unit_id is not None
        }
    parent = {u.id: u.parent_id for u in units}
    rows = []
    for unit in units:
        if framework.unit_kinds and unit.kind not in framework.unit_kinds:
            continue
        if framework.unit_levels and unit.level not in framework.unit_levels:
            continue
        if approved is not None and unit.id not in approved:
            continue
        chain: list[uuid.UUID] = []
        up = parent.get(unit.id) if unit.id != scope_unit_id else None
        while up is not None and up != scope_unit_id and up in parent:
            chain.append(up)
            up = parent[up]
        path = above[:-1] if unit.id == scope_unit_id else above + list(reversed(chain))
        rows.append(
            {
                "unit_id": unit.id,
                "name": unit.name or "",
                "kind": unit.kind.value,
                "level": unit.level.value,
                "path": path,
                "bloc_ids": member_of.get(unit.id, []),
            }
        )
    return rows
