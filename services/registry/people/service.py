import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.pagination import Page, PageParams, encode_cursor
from kit.text import fold
from kit.versioning import require_version
from services.registry import access
from services.registry.people import repository as repo
from services.registry.people.errors import MembershipOverlaps, PersonNotFound
from services.registry.people.schemas import MembershipCreate, Person, PersonCreate
from services.registry.units import repository as units_repo
from services.registry.units.errors import UnknownUnit
from services.registry.vocabulary import Role


async def _check_unit(session: AsyncSession, caller: Caller, membership: MembershipCreate, field: str) -> None:
    if not await units_repo.exists(session, membership.unit_id):
        raise UnknownUnit.field(field)
    await access.require_scope(session, caller, membership.unit_id)


async def create(session: AsyncSession, caller: Caller, body: PersonCreate) -> Person:
    await _check_unit(session, caller, body.membership, "membership/unit_id")
    person_id = uuid.uuid4()
    values = body.model_dump(exclude={"membership"}) | {"id": person_id, "search_key": fold(body.full_name)}
    await repo.insert(session, values, body.membership.model_dump())
    return await read(session, caller, person_id)


async def read(session: AsyncSession, caller: Caller, person_id: uuid.UUID) -> Person:
    found = await repo.get_many(session, [person_id])
    # A person outside the caller's scope is answered as an unknown one: outsiders do not learn who exists.
    if not found or not await access.any_in_scope(session, caller, {m["unit_id"] for m in found[0]["memberships"]}):
        raise PersonNotFound(person_id=str(person_id))
    return Person.model_validate(found[0])


async def search(
    session: AsyncSession,
    caller: Caller,
    paging: PageParams,
    *,
    unit_id: uuid.UUID | None,
    q: str | None,
    as_of: date | None,
) -> Page[Person]:
    if Role.ADMIN not in caller.roles:
        unit_id = unit_id or caller.unit_id
        if unit_id is None:
            return Page(items=[])
        await access.require_scope(session, caller, unit_id)
    ids = await repo.search(
        session,
        unit_ids=[unit_id] if unit_id else None,
        text=fold(q) if q else None,
        on=as_of,
        after=paging.after(str, uuid.UUID),
        limit=paging.limit,
    )
    more = len(ids) > paging.limit
    people = [Person.model_validate(p) for p in await repo.get_many(session, ids[: paging.limit])]
    cursor = encode_cursor([fold(people[-1].full_name), str(people[-1].id)]) if more and people else None
    return Page(items=people, next_cursor=cursor)


async def add_membership(
    session: AsyncSession, caller: Caller, person_id: uuid.UUID, body: MembershipCreate, expected_version: int
) -> Person:
    version = await repo.lock(session, person_id)
    if version is None or not await access.any_in_scope(session, caller, await repo.unit_ids_of(session, person_id)):
        raise PersonNotFound(person_id=str(person_id))
    require_version(version, expected_version)
    await _check_unit(session, caller, body, "unit_id")
    try:
        async with session.begin_nested():
            await repo.add_membership(session, person_id, body.model_dump())
    except IntegrityError as exc:
        raise MembershipOverlaps() from exc
    await repo.touch(session, person_id)
    return await read(session, caller, person_id)
