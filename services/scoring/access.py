"""Who may do what in a period: the office in the period's scope manages it; a unit sees and writes its own data
(and its subtree's). Scope is read from the period's snapshot, not asked of the registry per row.

Roles are declared in endpoint signatures with the aliases below; scope on the data stays in the services."""

from typing import Annotated

from fastapi import Depends

from kit.auth import Caller, requires
from kit.client import forwarding
from kit.db import Record
from services.registry.client import RegistryClient
from services.registry.vocabulary import REGISTRY_OFFICERS, UNIT_EDITORS, Role
from services.scoring.errors import PeriodOutOfScope

# Offices define frameworks and manage periods; the units' editors (and offices) write and read their values.
Officer = Annotated[Caller, requires(*REGISTRY_OFFICERS)]
Writer = Annotated[Caller, requires(*UNIT_EDITORS)]


def manages(caller: Caller, period: Record) -> bool:
    if Role.ADMIN in caller.roles:
        return True
    return caller.has_any(REGISTRY_OFFICERS) and caller.unit_id is not None and caller.unit_id in period["scope_path"]


def require_manager(caller: Caller, period: Record) -> None:
    if not manages(caller, period):
        raise PeriodOutOfScope()


def sees(caller: Caller, period: Record, participant: Record) -> bool:
    """The period's office, the unit itself, or a unit above it."""
    return manages(caller, period) or (
        caller.unit_id is not None
        and (caller.unit_id == participant["unit_id"] or caller.unit_id in participant["path"])
    )


Registry = Annotated[RegistryClient, Depends(forwarding(RegistryClient, "registry_url"))]
