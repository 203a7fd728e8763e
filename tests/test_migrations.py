"""Every service's migrations upgrade, downgrade to nothing and upgrade again, and match the models."""

from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from kit import embedded, migrations
from kit.db import async_url
from services.system import SERVICES, ServiceSpec


@pytest.fixture(scope="module")
async def scratch_url(server_url: str) -> str:
    return await embedded.ensure_database(server_url, "thidua_migrations", fresh=True)


def _diff(sync: sa.Connection, spec: ServiceSpec) -> list[Any]:
    def include(name: str | None, kind: str, _: object) -> bool:
        if kind == "schema":
            return name == spec.name
        return not (kind == "table" and name == "alembic_version")

    context = MigrationContext.configure(sync, opts={"include_schemas": True, "include_name": include})
    return list(compare_metadata(context, spec.metadata))


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
async def test_upgrade_downgrade_upgrade_matches_the_models(scratch_url: str, spec: ServiceSpec) -> None:
    engine = create_async_engine(async_url(scratch_url))
    tables = sa.text(
        "select count(*) from information_schema.tables where table_schema = :s and table_name <> 'alembic_version'"
    )
    try:
        await migrations.upgrade(scratch_url, spec.name)
        await migrations.downgrade(scratch_url, spec.name)
        async with engine.connect() as conn:
            assert (await conn.execute(tables, {"s": spec.name})).scalar() == 0
        await migrations.upgrade(scratch_url, spec.name)
        async with engine.connect() as conn:
            assert (await conn.execute(tables, {"s": spec.name})).scalar() == len(spec.metadata.tables)
            assert await conn.run_sync(_diff, spec) == []
    finally:
        await engine.dispose()


def test_a_server_older_than_postgresql_18_is_refused_before_any_change() -> None:
    with pytest.raises(RuntimeError, match=r"PostgreSQL 18 or later; this server is 17\.5"):
        migrations.require_server(170005)
    migrations.require_server(180001)
