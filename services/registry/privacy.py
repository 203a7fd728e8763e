"""The registry's personal data, in one place: who sees people, households and the registrations of either.

- A unit of a published kind (anything but a household) is open data, and so is its registration for a movement.
- A household (PRIVATE_KINDS: its name is a family's name) and its registrations are seen only by callers whose
  scope holds it (their unit is the household or was ever above it) and by administrators; to anyone else it does
  not exist (404 on its own, absent from lists, trees and batch reads). Anonymous callers never see one.
- A person and their registrations are seen only by callers whose scope holds one of the units the person belongs
  (or belonged) to, and by administrators; never by anonymous callers.
- Who did what (the account name of the official in a registration's history, of the one who recorded a lineage
  event) is shown to signed-in callers only: an account name is a personal identifier and a login to guess at.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.disclosure import Disclosure, Policy, when
from services.registry.lineage.schemas import LineageEvent
from services.registry.people import repository as people_repo
from services.registry.people.schemas import Person
from services.registry.registrations.schemas import Registration, TransitionOut
from services.registry.units import repository as units_repo
from services.registry.units.schemas import TreeNode, Unit
from services.registry.vocabulary import PRIVATE_KINDS, Role


class Fact(StrEnum):
    PUBLISHED_KIND = "published_kind"  # the record is about a unit of a kind the directory publishes
    IN_SCOPE = "in_scope"  # the caller's scope holds the unit (or one of the person's units), or an administrator
    SIGNED_IN = "signed_in"  # the caller is not anonymous


POLICY = Policy(
    Disclosure(Unit, record=when(Fact.PUBLISHED_KIND, Fact.IN_SCOPE), why="households are personal data"),
    Disclosure(TreeNode, record=when(Fact.PUBLISHED_KIND, Fact.IN_SCOPE), why="households are personal data"),
    Disclosure(Person, record=when(Fact.IN_SCOPE), why="every field of a person is personal data"),
    Disclosure(
        Registration,
        record=when(Fact.PUBLISHED_KIND, Fact.IN_SCOPE),
        why="a person's or a household's registration (its id, commitments and history) is personal data",
    ),
    Disclosure(TransitionOut, fields={"actor": when(Fact.SIGNED_IN)}, why="an official's account name"),
    Disclosure(LineageEvent, fields={"created_by": when(Fact.SIGNED_IN)}, why="an official's account name"),
)


@dataclass(frozen=True)
class Reach:
    """How far a caller reaches into personal data: everywhere (administrator), a unit's subtree, or nowhere."""

    everywhere: bool
    root: uuid.UUID | None

    @property
    def nowhere(self) -> bool:
        return not self.everywhere and self.root is None


def reach(caller: Caller | None) -> Reach:
    if caller is None:
        return Reach(everywhere=False, root=None)
    return Reach(everywhere=Role.ADMIN in caller.roles, root=caller.unit_id)


def published_kind(kind: str) -> bool:
    return kind not in PRIVATE_KINDS


async def units_in_reach(session: AsyncSession, caller: Caller | None, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `ids` lie in the caller's scope (one query)."""
    wanted = set(ids)
    scope = reach(caller)
    if scope.everywhere:
        return wanted
    if scope.root is None or not wanted:
        return set()
    return ({scope.root} & wanted) | await units_repo.descendants_ever(session, scope.root, wanted)


async def unit_facts(
    session: AsyncSession, caller: Caller | None, kinds: dict[uuid.UUID, str]
) -> dict[uuid.UUID, set[Fact]]:
    """Facts about units given as {id: kind}; scope is looked up only for the units the public may not see."""
    private = {i for i, kind in kinds.items() if not published_kind(kind)}
    near = await units_in_reach(session, caller, private)
    return {
        i: ({Fact.PUBLISHED_KIND} if i not in private else set()) | ({Fact.IN_SCOPE} if i in near else set())
        for i in kinds
    }


async def shown_units(session: AsyncSession, caller: Caller | None, kinds: dict[uuid.UUID, str]) -> set[uuid.UUID]:
    """The units of {id: kind} this caller may see."""
    facts = await unit_facts(session, caller, kinds)
    return {i for i, held in facts.items() if POLICY.shows(Unit, held)}


@dataclass(frozen=True)
class Hidden:
    """What a paged SQL list leaves out for a caller: units of `kinds`, people, and their registrations, except
    within `under`'s subtree (`kinds` None: nothing is left out)."""

    kinds: list[str] | None
    under: uuid.UUID | None


def hidden(caller: Caller | None) -> Hidden:
    scope = reach(caller)
    return Hidden(None, None) if scope.everywhere else Hidden(sorted(PRIVATE_KINDS), scope.root)


async def registration_facts(session: AsyncSession, caller: Caller | None, row: Mapping[str, Any]) -> set[Fact]:
    """Facts about one registration: of a published unit, and whether its subject lies in the caller's scope."""
    if row["unit_id"] is not None:
        kind = await units_repo.kind_of(session, row["unit_id"])
        return (await unit_facts(session, caller, {row["unit_id"]: kind or ""}))[row["unit_id"]]
    near = await units_in_reach(session, caller, await people_repo.unit_ids_of(session, row["person_id"]))
    return {Fact.IN_SCOPE} if near else set()


async def shows_registration(session: AsyncSession, caller: Caller | None, row: Mapping[str, Any]) -> bool:
    return POLICY.shows(Registration, await registration_facts(session, caller, row))


def signed_in(caller: Caller | None) -> set[Fact]:
    return {Fact.SIGNED_IN} if caller is not None else set()


def registration(record: Registration, caller: Caller | None) -> Registration:
    """A registration this caller may see, its history as they may see it."""
    history = [POLICY.shape(step, signed_in(caller)) for step in record.history]
    return record.model_copy(update={"history": history})
