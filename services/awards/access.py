"""Who may act on what: roles from the token, scope from the unit paths kept on each record (no registry call per
check). The registry and scoring clients forward the caller's token, so those services apply the caller's rights.

Roles are declared in endpoint signatures with the aliases below (`kit.auth.requires`, published as `x-roles`).
On the data: a record outside the caller's scope is answered as an unknown one (404, the same problem), so outsiders
learn nothing of what exists; 403 is for a role the operation does not admit, or a record the caller may see but not
change. Versions (412) and states (409) are told only after that."""

import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends

from kit.auth import Caller, requires
from kit.client import forwarding
from services.awards.errors import OutsideUnitScope
from services.awards.vocabulary import (
    CATALOGUE_EDITORS,
    DELIBERATORS,
    ISSUERS,
    NOMINATION_READERS,
    OFFICE,
    PROPOSERS,
    SECRETARY,
    VOTERS,
)
from services.registry.client import RegistryClient
from services.registry.vocabulary import Role
from services.scoring.client import ScoringClient


def in_scope(caller: Caller, path: Sequence[uuid.UUID]) -> bool:
    """An administrator, or a caller whose unit is the unit at the end of `path` or one above it."""
    return Role.ADMIN in caller.roles or (caller.unit_id is not None and caller.unit_id in path)


def require_scope(caller: Caller, path: Sequence[uuid.UUID]) -> None:
    """The caller's unit is on `path`. Roles are the endpoint's (its `Annotated[Caller, requires(...)]` alias)."""
    if not in_scope(caller, path):
        raise OutsideUnitScope()


async def scoped_subjects(caller: Caller, registry: RegistryClient, subject_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which units and people are in the caller's scope: the registry knows the hierarchy and the memberships (it
    answers for the forwarded token); an administrator's scope is everything."""
    if Role.ADMIN in caller.roles:
        return set(subject_ids)
    return await registry.in_scope(list(dict.fromkeys(subject_ids))) if subject_ids else set()


CatalogueEditor = Annotated[Caller, requires(*CATALOGUE_EDITORS)]
Office = Annotated[Caller, requires(*OFFICE)]
Proposer = Annotated[Caller, requires(*PROPOSERS)]
NominationReader = Annotated[Caller, requires(*NOMINATION_READERS)]
Deliberator = Annotated[Caller, requires(*DELIBERATORS)]
Secretary = Annotated[Caller, requires(*SECRETARY)]
Voter = Annotated[Caller, requires(*VOTERS)]
Issuer = Annotated[Caller, requires(*ISSUERS)]

Registry = Annotated[RegistryClient, Depends(forwarding(RegistryClient, "registry_url"))]
Scoring = Annotated[ScoringClient, Depends(forwarding(ScoringClient, "scoring_url"))]
