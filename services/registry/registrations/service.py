"""The registration workflow: draft → submitted → approved | rejected (→ draft to correct and resubmit)."""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit import workflow
from kit.auth import Caller
from kit.db import Record
from kit.pagination import Page, PageParams, decode_cursor, encode_cursor
from kit.versioning import require_version
from kit.workflow import require_transition
from services.registry import access, privacy
from services.registry.movements import service as movements
from services.registry.movements.schemas import MilestoneKind, SubjectType
from services.registry.people import repository as people_repo
from services.registry.people import service as people
from services.registry.registrations import repository as repo
from services.registry.registrations.errors import (
    AlreadyRegistered,
    CollectivesNotTargeted,
    CommitmentsLocked,
    IndividualsNotTargeted,
    LateEntryNeedsReason,
    OfficeStep,
    RegistrationClosed,
    RegistrationNotFound,
    RegistrationOutOfScope,
    RejectionNeedsReason,
    UnitKindNotTargeted,
    UnitStep,
)
from services.registry.registrations.schemas import (
    Registration,
    RegistrationCreate,
    RegistrationStatus,
    RegistrationUpdate,
    Transition,
)
from services.registry.units import repository as units_repo
from services.registry.units import service as units
from services.registry.vocabulary import REGISTRY_OFFICERS, UNIT_EDITORS

S = RegistrationStatus
# Who moves a registration where: the unit (its editors) drafts and submits; the movement's office decides.
ALLOWED: dict[tuple[S, S], frozenset[str]] = {
    (S.DRAFT, S.SUBMITTED): UNIT_EDITORS,
    (S.SUBMITTED, S.APPROVED): REGISTRY_OFFICERS,
    (S.SUBMITTED, S.REJECTED): REGISTRY_OFFICERS,
    (S.SUBMITTED, S.DRAFT): UNIT_EDITORS,  # withdraw to correct
    (S.REJECTED, S.DRAFT): UNIT_EDITORS,
}


async def _subject_units(
    session: AsyncSession, unit_id: uuid.UUID | None, person_id: uuid.UUID | None
) -> set[uuid.UUID]:
    if unit_id is not None:
        return {unit_id}
    assert person_id is not None
    return await people_repo.unit_ids_of(session, person_id)


async def create(
    session: AsyncSession, caller: Caller, movement_id: uuid.UUID, body: RegistrationCreate
) -> Registration:
    movement = await movements.read(session, movement_id)
    if body.unit_id is not None:
        unit = await units.read(session, caller, body.unit_id, date.today())
        if movement.unit_kinds and unit.kind not in movement.unit_kinds:
            raise UnitKindNotTargeted()
        if movement.subject_types and SubjectType.COLLECTIVE not in movement.subject_types:
            raise CollectivesNotTargeted()
        await access.require_scope(session, caller, body.unit_id)
    else:
        assert body.person_id is not None
        await people.read(session, caller, body.person_id)
        if movement.subject_types and SubjectType.INDIVIDUAL not in movement.subject_types:
            raise IndividualsNotTargeted()
    registration_id = uuid.uuid4()
    try:
        async with session.begin_nested():
            await repo.insert(
                session,
                body.model_dump() | {"id": registration_id, "movement_id": movement_id, "created_by": caller.subject},
            )
    except IntegrityError as exc:
        raise AlreadyRegistered() from exc
    await workflow.record(session, repo.transitions, registration_id, caller.subject, None, S.DRAFT)
    return await read(session, caller, registration_id)


async def _acts_for(session: AsyncSession, caller: Caller, row: Record) -> tuple[bool, bool]:
    """Whether the caller acts for the registered unit or person (an editor in its scope), and for the movement's
    office (an officer in the scope of its issuer)."""
    movement = await movements.read(session, row["movement_id"])
    as_unit = caller.has_any(UNIT_EDITORS) and await access.any_in_scope(
        session, caller, await _subject_units(session, row["unit_id"], row["person_id"])
    )
    as_office = caller.has_any(REGISTRY_OFFICERS) and await access.in_scope(session, caller, movement.issuer_unit_id)
    return as_unit, as_office


async def _require_actor(session: AsyncSession, caller: Caller, row: Record) -> tuple[bool, bool]:
    """Scope before version and state: a person's registration outside the caller's scope is answered as unknown
    (404); a unit's registration (open data) outside it is 403."""
    as_unit, as_office = await _acts_for(session, caller, row)
    if not (as_unit or as_office):
        if row["person_id"] is not None:
            raise RegistrationNotFound(registration_id=str(row["id"]))
        raise RegistrationOutOfScope()
    return as_unit, as_office


async def read(session: AsyncSession, caller: Caller | None, registration_id: uuid.UUID) -> Registration:
    found = await repo.get_many(session, [registration_id])
    if not found:
        raise RegistrationNotFound(registration_id=str(registration_id))
    row = found[0]
    # A person's or a household's registration is personal data: unknown to whoever may not see it.
    if not await privacy.shows_registration(session, caller, row):
        raise RegistrationNotFound(registration_id=str(registration_id))
    return privacy.registration(Registration.model_validate(row), caller)


async def of_movement(
    session: AsyncSession,
    caller: Caller | None,
    movement_id: uuid.UUID,
    paging: PageParams,
    *,
    status: RegistrationStatus | None,
    is_pilot: bool | None,
) -> Page[Registration]:
    await movements.read(session, movement_id)
    ids = await repo.of_movement(
        session,
        movement_id,
        status=status,
        is_pilot=is_pilot,
        hidden=privacy.hidden(caller),
        after=paging.after(uuid.UUID),
        limit=paging.limit,
    )
    rows = await repo.get_many(session, ids[: paging.limit])
    cursor = encode_cursor([str(ids[paging.limit - 1])]) if len(ids) > paging.limit else None
    return Page(items=[privacy.registration(Registration.model_validate(r), caller) for r in rows], next_cursor=cursor)


MAX_EXPORT = 100_000


async def listing(
    session: AsyncSession,
    caller: Caller | None,
    movement_id: uuid.UUID,
    *,
    status: RegistrationStatus | None,
    is_pilot: bool | None,
) -> tuple[str, list[dict[str, object]]]:
    """Every registration of the movement this caller may see (the pages of `of_movement` read through), each with
    its subject's name: the movement's title and the rows of its spreadsheet."""
    title = (await movements.read(session, movement_id)).title
    found: list[Registration] = []
    paging = PageParams(limit=1000, cursor=None)
    while len(found) < MAX_EXPORT:
        page = await of_movement(session, caller, movement_id, paging, status=status, is_pilot=is_pilot)
        found += page.items
        if page.next_cursor is None:
            break
        paging = PageParams(limit=1000, cursor=decode_cursor(page.next_cursor))
    unit_ids = [r.unit_id for r in found if r.unit_id]
    names = {u["id"]: u["name"] for u in await units_repo.get_many(session, unit_ids, date.today())}
    people_names = {
        p["id"]: p["full_name"]
        for p in await people_repo.get_many(session, [r.person_id for r in found if r.person_id])
    }
    rows = [
        r.model_dump()
        | {
            "subject": names.get(r.unit_id) if r.unit_id else people_names.get(r.person_id) if r.person_id else None,
            "subject_type": "Tập thể" if r.unit_id else "Cá nhân",
            "submitted_at": max((h.at for h in r.history if h.to_status == RegistrationStatus.SUBMITTED), default=None),
        }
        for r in found
    ]
    return title, rows


async def _locked(session: AsyncSession, registration_id: uuid.UUID) -> sa.RowMapping:
    row = await repo.registrations.get(session, registration_id, lock="update")
    if row is None:
        raise RegistrationNotFound(registration_id=str(registration_id))
    return row


def _outside(office: bool) -> OfficeStep | UnitStep:
    return OfficeStep() if office else UnitStep()


async def transition(
    session: AsyncSession, caller: Caller, registration_id: uuid.UUID, body: Transition, expected: int
) -> Registration:
    row = await _locked(session, registration_id)
    as_unit, as_office = await _require_actor(session, caller, row)
    require_version(row["version"], expected)
    current = S(str(row["status"]))
    require_transition(ALLOWED, current, body.to)
    if ALLOWED[(current, body.to)] is REGISTRY_OFFICERS:
        if not as_office:
            raise _outside(office=True)
    elif not as_unit:
        raise _outside(office=False)
    movement = await movements.read(session, row["movement_id"])
    if body.to == S.REJECTED and not body.reason:
        raise RejectionNeedsReason()
    if body.to == S.SUBMITTED:
        deadline = next(
            (m.due_date for m in movement.milestones if m.kind == MilestoneKind.REGISTRATION_DEADLINE), None
        )
        if deadline and date.today() > deadline:
            # After the deadline only the movement's office may submit: it enters a registration the unit sent on
            # paper, and says so in the reason, which the registration's history keeps.
            if not as_office:
                raise RegistrationClosed.of(deadline=deadline)
            if not body.reason:
                raise LateEntryNeedsReason.of(deadline=deadline)
    await repo.registrations.bump(
        session, registration_id, status=body.to, reason=body.reason if body.to == S.REJECTED else None
    )
    await workflow.record(session, repo.transitions, registration_id, caller.subject, current, body.to, body.reason)
    return await read(session, caller, registration_id)


async def update(
    session: AsyncSession, caller: Caller, registration_id: uuid.UUID, body: RegistrationUpdate, expected: int
) -> Registration:
    row = await _locked(session, registration_id)
    as_unit, as_office = await _require_actor(session, caller, row)
    require_version(row["version"], expected)
    changes = body.model_dump(exclude_unset=True)
    if "is_pilot" in changes and not as_office:  # pilot units are chosen by the movement's office
        raise _outside(office=True)
    if "commitments" in changes:
        if not as_unit:
            raise _outside(office=False)
        if row["status"] not in (S.DRAFT, S.REJECTED):
            raise CommitmentsLocked()
    await repo.registrations.bump(session, registration_id, **changes)
    return await read(session, caller, registration_id)
