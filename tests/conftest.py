"""Test plumbing: a real PostgreSQL (embedded, or TEST_DATABASE_URL), migrations applied once per run, every test
inside a transaction that is rolled back, and apps called in-process over httpx."""

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from kit import embedded, migrations
from kit.db import Database, async_url
from tests import loopback

pytest_plugins = ["tests.live"]  # the services on loopback (fuzzing, concurrency)

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
    from thidua.system import SERVICES

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


@pytest.fixture
def held_port() -> Iterator[int]:
    """A loopback port some other program listens on (a port a start must refuse)."""
    with loopback.held_port() as port:
        yield port


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


async def running(app: FastAPI, connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    app.state.database = Database.bound_to(connection)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


def make_registry_app(keys_dir: Path) -> FastAPI:
    from services.registry.app import create_app
    from services.registry.settings import RegistrySettings

    return create_app(RegistrySettings(data_dir=keys_dir, database_url="postgresql://unused/unused"))


@pytest.fixture
async def registry_app(keys_dir: Path) -> FastAPI:
    return make_registry_app(keys_dir)


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


@dataclass
class Stack:
    """The three services in-process on the test's connection; awards and scoring reach the others over ASGI."""

    registry: httpx.AsyncClient
    scoring: httpx.AsyncClient
    awards: httpx.AsyncClient
    apps: dict[str, FastAPI]  # by service name: what the gateway reaches in-process


@pytest.fixture
async def stack(registry_app: FastAPI, connection: AsyncConnection, keys_dir: Path) -> AsyncIterator[Stack]:
    async with open_stack(registry_app, connection, keys_dir) as opened:
        yield opened


@asynccontextmanager
async def open_stack(registry_app: FastAPI, connection: AsyncConnection, keys_dir: Path) -> AsyncIterator[Stack]:
    """The stack on any connection (the `stack` fixture's is the test's; a module may hold one for many tests)."""
    from services.awards import demo as awards_demo
    from services.awards.app import create_app as awards_app
    from services.awards.settings import AwardsSettings
    from services.scoring.app import create_app as scoring_app
    from services.scoring.settings import ScoringSettings

    unused = "postgresql://unused/unused"
    scoring = scoring_app(ScoringSettings(data_dir=keys_dir, database_url=unused, registry_url="http://registry"))
    awards = awards_app(
        AwardsSettings(
            data_dir=keys_dir, database_url=unused, registry_url="http://registry", scoring_url="http://scoring"
        )
    )
    registry_transport = httpx.ASGITransport(app=registry_app)
    async for to_registry in running(registry_app, connection):
        for app in (scoring, awards):
            app.state.verifier = registry_app.state.verifier
        scoring.state.http = httpx.AsyncClient(transport=registry_transport, base_url="http://registry")
        awards.state.http = httpx.AsyncClient(
            mounts={"http://registry": registry_transport, "http://scoring": httpx.ASGITransport(app=scoring)}
        )
        async for to_scoring in running(scoring, connection):
            async for to_awards in running(awards, connection):
                admin = demo_token(registry_app, "admin")
                await awards_demo.load(to_awards, admin)
                apps = {"registry": registry_app, "scoring": scoring, "awards": awards}
                yield Stack(to_registry, to_scoring, to_awards, apps)
        await scoring.state.http.aclose()
        await awards.state.http.aclose()


def demo_token(registry_app: FastAPI, username: str) -> str:
    from services.registry.identity.demo import demo_caller

    caller = demo_caller(registry_app.state.demo_users, username)
    assert caller is not None, username
    token: str = registry_app.state.issuer.issue(caller)
    return token


@pytest.fixture
def token_as(registry_app: FastAPI) -> Callable[..., dict[str, str]]:
    """Authorization header for any subject with the roles and unit given (e.g. the nine members of a council)."""
    import uuid

    from kit.auth import Caller

    def make(subject: str, *roles: str, unit_id: uuid.UUID | str | None = None) -> dict[str, str]:
        unit = uuid.UUID(str(unit_id)) if unit_id else None
        caller = Caller(subject=subject, roles=frozenset(roles), unit_id=unit, name=subject)
        return {"Authorization": "Bearer " + registry_app.state.issuer.issue(caller)}

    return make


@pytest.fixture
def token_for(registry_app: FastAPI) -> Callable[[str], dict[str, str]]:
    """Authorization header of a demo user (issued by the registry's embedded issuer)."""
    from services.registry.identity.demo import demo_caller

    def make(username: str) -> dict[str, str]:
        caller = demo_caller(registry_app.state.demo_users, username)
        assert caller is not None, username
        return {"Authorization": "Bearer " + registry_app.state.issuer.issue(caller)}

    return make
