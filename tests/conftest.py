"""Test plumbing: a real PostgreSQL (embedded, or TEST_DATABASE_URL), migrations applied once per run, every test
inside a transaction that is rolled back, and apps called in-process over httpx."""

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from kit import embedded, migrations
from kit.db import Database, async_url

pytest_plugins = ["tests.registry.live"]  # the live registry on loopback (fuzzing, concurrency)

ROOT = Path(__file__).resolve().parent.parent
TEST_DB = "thidua_test"


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """Admin URL of the test server: TEST_DATABASE_URL, else the embedded one under .data/test (stopped after)."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    data_dir = ROOT / ".data" / "test"
    yield embedded.start(data_dir)
    embedded.stop(data_dir)


@pytest.fixture(scope="session")
async def database_url(server_url: str) -> str:
    url = await embedded.ensure_database(server_url, TEST_DB, fresh=True)
    from services.system import SERVICES

    for spec in SERVICES:
        await migrations.upgrade(url, spec.name)
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(async_url(database_url))
    from services.registry.demo.load import load

    async with engine.connect() as conn:
        db = Database.bound_to(conn)
        async with db.sessionmaker() as session, session.begin():
            await load(session)
        await conn.commit()
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection per test, inside a transaction that is rolled back at the end."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            yield conn
        finally:
            await transaction.rollback()


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


async def running(app: FastAPI, connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    app.state.database = Database.bound_to(connection)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def registry_app(keys_dir: Path) -> FastAPI:
    from services.registry.app import create_app
    from services.registry.settings import RegistrySettings

    return create_app(RegistrySettings(data_dir=keys_dir, database_url="postgresql://unused/unused"))


@pytest.fixture
async def registry(registry_app: FastAPI, connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    async for client in running(registry_app, connection):
        yield client


@pytest.fixture
async def scoring(
    registry_app: FastAPI, connection: AsyncConnection, keys_dir: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """The scoring service, calling the registry in-process over real HTTP semantics (ASGI transport)."""
    from services.scoring.app import create_app
    from services.scoring.settings import ScoringSettings

    app = create_app(
        ScoringSettings(data_dir=keys_dir, database_url="postgresql://unused/unused", registry_url="http://registry")
    )
    async for _ in running(registry_app, connection):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=registry_app),
            base_url="http://registry",
        ) as to_registry:
            app.state.http = to_registry
            app.state.verifier = registry_app.state.verifier
            async for client in running(app, connection):
                yield client


@pytest.fixture
def token_for(registry_app: FastAPI) -> Callable[[str], dict[str, str]]:
    """Authorization header of a demo user (issued by the registry's embedded issuer)."""
    from services.registry.identity.endpoints import demo_caller

    def make(username: str) -> dict[str, str]:
        caller = demo_caller(registry_app.state.demo_users, username)
        assert caller is not None, username
        return {"Authorization": "Bearer " + registry_app.state.issuer.issue(caller)}

    return make
