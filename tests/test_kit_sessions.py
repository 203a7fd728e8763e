"""A read session is a read-only transaction; a write session runs its after-commit jobs once it has committed."""

from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI, HTTPException
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from kit.db import Database, ReadSession, WriteSession, after_commit

READ_ONLY = "25006"  # read_only_sql_transaction


def _app(database: Database, done: list[str]) -> FastAPI:
    app = FastAPI()
    app.state.database = database

    @app.get("/write-in-a-read")
    async def write_in_a_read(session: ReadSession) -> None:
        await session.execute(sa.text("create table kit_sessions_probe (x int)"))

    @app.get("/read")
    async def read(session: ReadSession) -> int:
        return int((await session.execute(sa.text("select 1"))).scalar_one())

    @app.post("/write")
    async def write(session: WriteSession, fail: bool = False) -> None:
        await session.execute(sa.text("create temporary table if not exists kit_sessions_temp (x int)"))

        async def job() -> None:
            done.append("job")

        after_commit(session, "job", job)
        after_commit(session, "job", job)  # the same key: once
        if fail:
            raise HTTPException(409)

    return app


async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database.connect(database_url, pool_size=2)
    yield db
    await db.dispose()


async def test_a_read_session_refuses_to_write(database: Database) -> None:
    async for client in _client(_app(database, [])):
        with pytest.raises(DBAPIError) as refused:
            await client.get("/write-in-a-read")
        assert getattr(refused.value.orig, "sqlstate", None) == READ_ONLY
        assert (await client.get("/read")).json() == 1  # the pooled connection is not left read-only


async def test_read_only_ends_with_a_read_session_bound_to_an_outer_transaction(connection: AsyncConnection) -> None:
    async for client in _client(_app(Database.bound_to(connection), [])):
        with pytest.raises(DBAPIError):
            await client.get("/write-in-a-read")
        assert (await client.get("/read")).json() == 1
    await connection.execute(sa.text("create table kit_sessions_probe (x int)"))  # rolled back with the test


async def test_jobs_run_once_after_the_commit_and_never_after_a_rollback(database: Database) -> None:
    done: list[str] = []
    async for client in _client(_app(database, done)):
        assert (await client.post("/write", params={"fail": True})).status_code == 409
        assert done == []
        assert (await client.post("/write")).status_code == 200
        assert done == ["job"]  # before the answer was sent
