"""The seeded demo users as callers: what the embedded issuer's password grant, `thidua token` and the demo load
sign tokens for."""

from kit.auth import Caller
from services.registry.identity.schemas import DemoUser


def demo_caller(users: dict[str, DemoUser], username: str) -> Caller | None:
    """The caller a demo user acts as, or None when no demo user has that name."""
    user = users.get(username)
    if user is None:
        return None
    return Caller(subject=user.username, roles=frozenset(user.roles), unit_id=user.unit_id, name=user.name)
