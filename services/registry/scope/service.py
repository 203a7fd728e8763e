"""Which units and people are in a caller's scope: asked by the other services (awards keeps records about units
and people) without learning anything about those that are not."""

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from services.registry import access
from services.registry.people import repository as people_repo
from services.registry.units import repository as units_repo


async def in_scope(session: AsyncSession, caller: Caller, ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """The ids, in the order asked, that are a unit in the caller's scope or a person with a membership of one;
    unknown ids are left out like those outside the scope."""
    asked = set(ids)
    units = await units_repo.existing_ids(session, list(asked))
    people = await people_repo.units_of_people(session, list(asked - units))
    allowed = await access.scoped_units(session, caller, units | {u for us in people.values() for u in us})
    return [i for i in dict.fromkeys(ids) if i in allowed or bool(people.get(i, set()) & allowed)]
