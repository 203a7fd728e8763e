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


async def test_history_numbers_written_as_json_numbers_are_read_as_text_after_the_upgrade(scratch_url: str) -> None:
    await migrations.upgrade(scratch_url, "scoring")
    await migrations.downgrade(scratch_url, "scoring", "20261121_0004")
    engine = create_async_engine(async_url(scratch_url))
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.text("""
                    insert into scoring.value_changes (period_id, unit_id, indicator_code, actor, action, old, new)
                    values (gen_random_uuid(), gen_random_uuid(), 'KS', 'a', 'draft',
                            '{"value": 70.0000, "flag": null}', '{"value": "75.0000", "status": "draft"}')""")
            )
        await migrations.upgrade(scratch_url, "scoring")
        async with engine.connect() as conn:
            old, new = (await conn.execute(sa.text("select old, new from scoring.value_changes"))).one()
    finally:
        await engine.dispose()
    assert (old, new) == ({"value": "70.0000", "flag": None}, {"value": "75.0000", "status": "draft"})
