"""Who may act on what: roles from the token, scope from the unit paths kept on each record (no registry call per
check). The registry and scoring clients forward the caller's token, so those services apply the caller's rights."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Annotated

from fastapi import Depends

from kit.auth import Caller
from kit.client import forwarding
from kit.problems import Forbidden, Text
from services.registry.client import RegistryClient
from services.registry.vocabulary import Role
from services.scoring.client import ScoringClient


def in_scope(caller: Caller, path: Sequence[uuid.UUID]) -> bool:
    """An administrator, or a caller whose unit is the unit at the end of `path` or one above it."""
    return Role.ADMIN in caller.roles or (caller.unit_id is not None and caller.unit_id in path)


def require(caller: Caller, roles: Iterable[str], path: Sequence[uuid.UUID]) -> None:
    caller.require_any(roles)
    if not in_scope(caller, path):
        raise Forbidden(Text("Hồ sơ này nằm ngoài phạm vi đơn vị của bạn", "This is outside your unit's scope"))


Registry = Annotated[RegistryClient, Depends(forwarding(RegistryClient, "registry_url"))]
Scoring = Annotated[ScoringClient, Depends(forwarding(ScoringClient, "scoring_url"))]
