"""What counts as a lost database (a 503 the client may retry) and what is the request's own fault."""

import asyncio

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from kit.db import Database, database_lost

NO_SERVER = "postgresql://postgres@/thidua?host=/nonexistent/thidua-faults"


async def _raised(database: Database, statement: str) -> BaseException:
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the kind is what the test looks at
        async with database.sessionmaker() as session:
            await session.execute(sa.text(statement))
    return raised.value


async def test_a_missing_server_socket_is_a_lost_database() -> None:
    database = Database.connect(NO_SERVER)
    try:
        error = await _raised(database, "select 1")
    finally:
        await database.dispose()
    assert isinstance(error, OSError)  # what asyncpg raises, unwrapped
    assert database_lost(error)


async def test_a_pool_with_no_free_connection_is_a_lost_database(database_url: str) -> None:
    database = Database.connect(database_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    try:
        async with database.engine.connect() as held:
            await held.execute(sa.text("select 1"))
            error = await _raised(database, "select 1")
    finally:
        await database.dispose()
    assert database_lost(error)


async def test_a_terminated_connection_is_a_lost_database(database_url: str) -> None:
    database = Database.connect(database_url, pool_size=1)
    try:
        async with database.engine.connect() as conn:
            pid = (await conn.execute(sa.text("select pg_backend_pid()"))).scalar_one()
            async with database.engine.connect() as killer:  # an overflow connection
                await killer.execute(sa.text("select pg_terminate_backend(:pid)"), {"pid": pid})
            await asyncio.sleep(0.05)
            with pytest.raises(DBAPIError) as raised:
                await conn.execute(sa.text("select 1"))
        assert database_lost(raised.value)
        await database.ping()  # the pool replaced the dead connection by itself
    finally:
        await database.dispose()


async def test_a_statement_past_the_command_timeout_is_a_lost_database(database_url: str) -> None:
    database = Database.connect(database_url, pool_size=1, command_timeout=0.2)
    try:
        error = await _raised(database, "select pg_sleep(5)")
        await database.ping()  # the connection is still usable
    finally:
        await database.dispose()
    assert database_lost(error)


@pytest.mark.parametrize(
    "statement",
    ["select 'x'::int", "select 1/0", "select * from no_such_table", "select E'\\\\x00'::text::int"],
    ids=["bad-number", "division", "unknown-table", "cast"],
)
async def test_errors_of_the_statement_are_not_an_outage(database_url: str, statement: str) -> None:
    database = Database.connect(database_url, pool_size=1)
    try:
        error = await _raised(database, statement)
    finally:
        await database.dispose()
    assert not database_lost(error)
