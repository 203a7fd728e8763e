"""The services served for real by uvicorn on loopback, on a database of their own (for fuzzing and real
concurrency)."""

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from kit import embedded, migrations
from kit.auth import TokenIssuer
from services.awards.app import create_app as awards_app
from services.awards.settings import AwardsSettings
from services.registry.app import create_app as registry_app
from services.registry.demo.load import demo_users
from services.registry.identity.demo import demo_caller
from services.registry.settings import RegistrySettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.loopback import free_port
from thidua.system import SERVICES


def _serve(app: FastAPI, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    return server, thread


@pytest.fixture(scope="session")
def live_database(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """(URL, data folder) of a fresh database with every service's migrations, for the live servers."""

    async def prepare() -> str:
        url = await embedded.ensure_database(server_url, "thidua_live", fresh=True)
        for spec in SERVICES:
            await migrations.upgrade(url, spec.name)
        return url

    return asyncio.run(prepare()), tmp_path_factory.mktemp("live")


@pytest.fixture(scope="session")
def live_registry(live_database: tuple[str, Path]) -> Iterator[tuple[str, str]]:
    """(base URL, admin `Authorization` value) of the registry on loopback."""
    url, data_dir = live_database
    port = free_port()
    server, thread = _serve(registry_app(RegistrySettings(database_url=url, data_dir=data_dir, log_json=False)), port)
    issuer = TokenIssuer(data_dir / "keys", issuer="thidua", audience="thidua")
    admin = demo_caller(demo_users(), "admin")
    assert admin is not None
    yield f"http://127.0.0.1:{port}", "Bearer " + issuer.issue(admin)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_scoring(live_database: tuple[str, Path], live_registry: tuple[str, str]) -> Iterator[tuple[str, str]]:
    """(base URL, admin `Authorization` value) of scoring on loopback, calling the live registry."""
    url, data_dir = live_database
    registry_base, admin = live_registry
    port = free_port()
    settings = ScoringSettings(database_url=url, data_dir=data_dir, registry_url=registry_base, log_json=False)
    server, thread = _serve(scoring_app(settings), port)
    yield f"http://127.0.0.1:{port}", admin
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_awards(
    live_database: tuple[str, Path], live_registry: tuple[str, str], live_scoring: tuple[str, str]
) -> Iterator[tuple[str, str]]:
    """(base URL, admin `Authorization` value) of awards on loopback, calling the live registry and scoring; the
    demo data (units, catalogue) is loaded first."""
    from thidua import demo

    url, data_dir = live_database
    registry_base, admin = live_registry
    scoring_base, _ = live_scoring
    asyncio.run(demo.load(url))
    port = free_port()
    settings = AwardsSettings(
        database_url=url, data_dir=data_dir, registry_url=registry_base, scoring_url=scoring_base, log_json=False
    )
    server, thread = _serve(awards_app(settings), port)
    yield f"http://127.0.0.1:{port}", admin
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_gateway(
    live_database: tuple[str, Path],
    live_registry: tuple[str, str],
    live_scoring: tuple[str, str],
    live_awards: tuple[str, str],
) -> Iterator[tuple[str, str]]:
    """(base URL, admin `Authorization` value) of the gateway on loopback, in front of the three live services."""
    from gateway.app import create_app as gateway_app
    from gateway.settings import GatewaySettings

    _, data_dir = live_database
    settings = GatewaySettings(
        data_dir=data_dir,
        registry_url=live_registry[0],
        scoring_url=live_scoring[0],
        awards_url=live_awards[0],
        log_json=False,
    )
    port = free_port()
    server, thread = _serve(gateway_app(settings), port)
    yield f"http://127.0.0.1:{port}", live_registry[1]
    server.should_exit = True
    thread.join(timeout=10)
