"""Loads the demo data through the same service functions the API uses: only what is missing is created (an
existing unit or event is never updated), so loading twice changes nothing."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from services.registry.demo.data import EVENTS, REFORM, UNITS, USERS, demo_id
from services.registry.identity.schemas import DemoUser
from services.registry.lineage import repository as lineage_repo
from services.registry.lineage import service as lineage
from services.registry.lineage.schemas import LegalAct, LineageEventCreate, Predecessor, Successor
from services.registry.movements.repository import mv
from services.registry.units import repository as units_repo
from services.registry.units import service as units
from services.registry.units.schemas import UnitCreate
from services.registry.vocabulary import Role

LOADER = Caller(subject="demo-loader", roles=frozenset({Role.ADMIN}))


async def load(session: AsyncSession) -> dict[str, int]:
    existing = await units_repo.existing_ids(session, [demo_id(u.key) for u in UNITS])
    new = [
        (
            demo_id(u.key),
            UnitCreate(
                kind=u.kind,
                level=u.level,
                name=u.name,
                admin_code=u.admin_code,
                parent_id=demo_id(u.parent) if u.parent else None,
                valid_from=u.valid_from,
                valid_to=u.valid_to,
            ),
        )
        for u in UNITS
        if demo_id(u.key) not in existing
    ]
    await units.insert(session, new)
    events = 0
    for ev in EVENTS:
        event_id = demo_id("event/" + ev.key)
        if await lineage_repo.get_event(session, event_id) is not None:
            continue
        number, act_date, issuer = ev.act
        body = LineageEventCreate(
            kind=ev.kind,
            effective_date=REFORM,
            legal_act=LegalAct(number=number, date=act_date, issuer=issuer),
            predecessors=[Predecessor(unit_id=demo_id(k), share=share) for k, share in ev.predecessors],
            successors=[Successor(unit_id=demo_id(ev.successor))] if ev.successor else [],
            unit_id=demo_id(ev.unit) if ev.unit else None,
        )
        await lineage.record(session, LOADER, body, event_id=event_id)
        events += 1
    return {"units": len(new), "lineage_events": events}


async def present(session: AsyncSession, movement_codes: Sequence[str]) -> bool:
    """Whether every demo unit and every movement of the demo's plans is in the registry (two indexed reads)."""
    ids = [demo_id(u.key) for u in UNITS]
    if len(await units_repo.existing_ids(session, ids)) < len(ids):
        return False
    found = await session.scalar(sa.select(sa.func.count()).where(mv.c.code.in_(movement_codes)))
    return found == len(set(movement_codes))


def demo_users() -> dict[str, DemoUser]:
    return {
        username: DemoUser(
            username=username,
            name=name,
            roles=[r.value for r in roles],
            unit_admin_code=None,
            unit_id=demo_id(scope) if scope else None,
        )
        for username, name, roles, scope in USERS
    }
