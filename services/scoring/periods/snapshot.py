"""The participants of a period, copied from the registry in a handful of batch calls (never one per unit): the
units of the tree on the period's first day and those of its last day, and the lineage events between the two."""

import uuid
from datetime import date, timedelta
from typing import Any

from kit.client import UpstreamProblem
from services.registry.client import RegistryClient
from services.registry.schemas import registrations as rg
from services.registry.schemas import units as un
from services.scoring.frameworks.schemas import Framework

REORGANISING = ("merge", "split", "partial_transfer")  # the events that move area, and so scores


async def scope_path(registry: RegistryClient, scope_unit_id: uuid.UUID, day: date) -> list[uuid.UUID]:
    """The scope unit's ancestors, root first, then the scope unit itself."""
    return [a.id for a in await registry.ancestors(scope_unit_id, as_of=day)] + [scope_unit_id]


async def take(
    registry: RegistryClient,
    framework: Framework,
    *,
    scope_unit_id: uuid.UUID,
    starts_on: date,
    ends_on: date,
    movement_id: uuid.UUID | None,
    registered_only: bool,
) -> list[dict[str, Any]]:
    """One row per unit on either tree, marked `on_start` / `on_end`; a unit on both is described as on the last day."""
    approved: set[uuid.UUID] | None = None
    if registered_only and movement_id is not None:
        approved = {
            r.unit_id
            for r in await registry.registrations(movement_id, status=rg.RegistrationStatus.APPROVED)
            if r.unit_id is not None
        }
    end = await _tree(registry, framework, scope_unit_id, ends_on, approved)
    start = await _tree(registry, framework, scope_unit_id, starts_on, approved) if starts_on < ends_on else end
    rows = {unit_id: row | {"on_start": unit_id in start, "on_end": True} for unit_id, row in end.items()}
    for unit_id, row in start.items():
        rows.setdefault(unit_id, row | {"on_start": True, "on_end": False})
    return list(rows.values())


async def lineage(
    registry: RegistryClient, starts_on: date, ends_on: date, units: set[uuid.UUID]
) -> list[dict[str, Any]]:
    """Links of the merges, splits and partial transfers effective inside the period (the first day's tree already
    shows those effective on it) that touch a participant."""
    if ends_on <= starts_on:
        return []
    rows = []
    for event in await registry.lineage_between(starts_on + timedelta(days=1), ends_on):
        if event.kind.value not in REORGANISING:
            continue
        for link in event.links:
            if link.predecessor_id in units or link.successor_id in units:
                rows.append(
                    {
                        "event_id": event.id,
                        "predecessor_id": link.predecessor_id,
                        "successor_id": link.successor_id,
                        "share": link.share,
                        "kind": event.kind.value,
                        "effective_date": event.effective_date,
                        "act_number": event.legal_act.number,
                        "act_date": event.legal_act.date,
                        "act_issuer": event.legal_act.issuer,
                    }
                )
    return rows


async def _tree(
    registry: RegistryClient,
    framework: Framework,
    scope_unit_id: uuid.UUID,
    day: date,
    approved: set[uuid.UUID] | None,
) -> dict[uuid.UUID, dict[str, Any]]:
    """The participating units of one day's tree, by id (none when the scope unit does not exist that day)."""
    try:
        units: list[un.SubtreeUnit] = await registry.subtree(scope_unit_id, as_of=day)
        above = await scope_path(registry, scope_unit_id, day)
    except UpstreamProblem as problem:
        if problem.code == 404:
            return {}
        raise
    blocs = await registry.blocs(as_of=day)
    member_of: dict[uuid.UUID, list[uuid.UUID]] = {}
    for bloc in blocs:
        for member in bloc.members:
            member_of.setdefault(member.unit_id, []).append(bloc.id)
    parent = {u.id: u.parent_id for u in units}
    rows = {}
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
        rows[unit.id] = {
            "unit_id": unit.id,
            "name": unit.name or "",
            "kind": unit.kind.value,
            "level": unit.level.value,
            "path": path,
            "bloc_ids": member_of.get(unit.id, []),
        }
    return rows
