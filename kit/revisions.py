"""Where a database stands against the migration scripts, read without alembic: a start with nothing to migrate
costs one query instead of importing alembic and every history's env.py (about half a second)."""

import ast
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncpg

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# PostgreSQL 18 is the first with RETURNING old/new, which a batch of values is written with (scoring).
MIN_SERVER_VERSION = 180000


def heads(schema: str) -> set[str]:
    """The head revisions of the `schema` history: revisions of its scripts that no other script follows."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / schema / "versions").glob("*.py"):
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            value = getattr(node, "value", None)
            if not isinstance(target, ast.Name) or value is None:
                continue
            if target.id == "revision":
                revisions.add(ast.literal_eval(value))
            elif target.id == "down_revision":
                down = ast.literal_eval(value)
                parents.update([down] if isinstance(down, str) else down or ())
    return revisions - parents


async def behind(conn: "asyncpg.Connection", schemas: Iterable[str]) -> list[str]:
    """The schemas (in the order given) whose recorded revisions are not exactly their scripts' heads."""
    late = []
    for schema in schemas:
        table = await conn.fetchval("select to_regclass($1)::text", f'"{schema}".alembic_version')
        current = set(await conn.fetchval(f"select array_agg(version_num) from {table}") or ()) if table else set()
        if current != heads(schema):
            late.append(schema)
    return late
