"""Runs each service's alembic history (in its own schema) on a given database."""

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from kit.db import async_url

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# PostgreSQL 18 is the first with RETURNING old/new, which a batch of values is written with (scoring).
MIN_SERVER_VERSION = 180000


def require_server(version_num: int) -> None:
    """Refuse, before any change, a server older than the features the services use."""
    if version_num < MIN_SERVER_VERSION:
        found = f"{version_num // 10000}.{version_num % 10000}"
        raise RuntimeError(f"thidua needs PostgreSQL {MIN_SERVER_VERSION // 10000} or later; this server is {found}")


def _config(connection: Connection, schema: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR / schema))
    cfg.attributes["connection"] = connection
    cfg.attributes["schema"] = schema
    return cfg


async def upgrade(url: str, schema: str, revision: str = "head") -> None:
    """Upgrade the `schema` service's history on the database at `url`."""
    await _run(url, schema, lambda cfg: command.upgrade(cfg, revision))


async def downgrade(url: str, schema: str, revision: str = "base") -> None:
    await _run(url, schema, lambda cfg: command.downgrade(cfg, revision))


async def upgrade_on(connection: AsyncConnection, schema: str, revision: str = "head") -> None:
    await connection.run_sync(lambda sync: command.upgrade(_config(sync, schema), revision))


async def _run(url: str, schema: str, action: Callable[[Config], None]) -> None:
    engine = create_async_engine(async_url(url))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: action(_config(sync, schema)))
    finally:
        await engine.dispose()


def run_env(target_metadata: sa.MetaData) -> None:
    """Body of every service's `env.py`: migrate on the connection handed over by `upgrade`/`downgrade`."""
    config = context.config
    connection: Connection = config.attributes["connection"]
    schema: str = config.attributes["schema"]
    require_server(int(connection.execute(sa.text("show server_version_num")).scalar_one()))
    connection.execute(sa.text(f'create schema if not exists "{schema}"'))
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table_schema=schema,
        include_schemas=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()
