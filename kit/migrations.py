"""Runs each service's alembic history (in its own schema) on a given database."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from kit.db import async_url
from kit.revisions import MIGRATIONS_DIR as MIGRATIONS_DIR
from kit.revisions import MIN_SERVER_VERSION


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


class DataLoss(RuntimeError):
    """A downgrade would drop tables that hold rows; nothing was changed."""

    def __init__(self, tables: Sequence[str]) -> None:
        super().__init__(f"the downgrade would drop tables holding rows: {', '.join(tables)}")
        self.tables = list(tables)


@dataclass(frozen=True)
class Step:
    """What a downgrade did to one service's history (None: no revision, the schema is empty)."""

    schema: str
    before: str | None
    after: str | None


async def downgrade(url: str, schema: str, revision: str = "base", *, drop_data: bool = False) -> Step:
    """Downgrade the `schema` service's history to `revision`; see `downgrade_all`."""
    return (await downgrade_all(url, [(schema, revision)], drop_data=drop_data))[0]


async def downgrade_all(url: str, targets: Sequence[tuple[str, str]], *, drop_data: bool = False) -> list[Step]:
    """Downgrade each (schema, revision) in order, all in one transaction: either every step happens or none.

    A relative revision (`-1`) of a history already at its base is skipped. Unless `drop_data`, raise `DataLoss`
    (and change nothing) when the downgrades would drop a table holding rows (a renamed table is not dropped)."""

    def run(sync: Connection) -> list[Step]:
        holding = _tables_holding_rows(sync, [schema for schema, _ in targets])
        steps = []
        for schema, revision in targets:
            before = _current(sync, schema)
            if before is not None or not revision.startswith("-"):
                command.downgrade(_config(sync, schema), revision)
            steps.append(Step(schema, before, _current(sync, schema)))
        kept = sa.text("select oid from pg_class where oid = any(:oids)")
        left = set(sync.execute(kept, {"oids": list(holding)}).scalars())
        lost = sorted(name for oid, name in holding.items() if oid not in left)
        if lost and not drop_data:
            raise DataLoss(lost)  # the transaction rolls back: nothing changed
        return steps

    engine = create_async_engine(async_url(url))
    try:
        async with engine.begin() as conn:
            return await conn.run_sync(run)
    finally:
        await engine.dispose()


def _current(sync: Connection, schema: str) -> str | None:
    return MigrationContext.configure(sync, opts={"version_table_schema": schema}).get_current_revision()


def _tables_holding_rows(sync: Connection, schemas: Sequence[str]) -> dict[int, str]:
    """Tables of `schemas` with at least one row, by oid (kept by a rename), with their qualified names."""
    tables = sync.execute(
        sa.text("""
            select c.oid, format('%I.%I', n.nspname, c.relname)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = any(:schemas) and c.relkind in ('r', 'p') and c.relname <> 'alembic_version'"""),
        {"schemas": list(schemas)},
    ).all()
    return {oid: name for oid, name in tables if sync.execute(sa.text(f"select exists (select from {name})")).scalar()}


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
