"""Schemathesis over the registry's OpenAPI: generated requests, anonymous and as an administrator, never get a
server error. The registry runs for real (uvicorn on loopback) against its own database."""

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kit import embedded, migrations
from kit.auth import TokenIssuer
from services.registry.app import create_app
from services.registry.demo.load import demo_users
from services.registry.identity.endpoints import demo_caller
from services.registry.settings import RegistrySettings

schema = schemathesis.openapi.from_dict(create_app(RegistrySettings(database_url="postgresql://x/x")).openapi())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, admin bearer header value) of a registry served on loopback."""

    async def prepare() -> str:
        url = await embedded.ensure_database(server_url, "thidua_fuzz", fresh=True)
        await migrations.upgrade(url, "registry")
        return url

    url = asyncio.run(prepare())
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    port = _free_port()
    app = create_app(RegistrySettings(database_url=url, data_dir=data_dir, port=port, log_json=False))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(base + "/readyz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    issuer = TokenIssuer(data_dir / "keys", issuer="thidua", audience="thidua")
    admin = demo_caller(demo_users(), "admin")
    assert admin is not None
    yield base, "Bearer " + issuer.issue(admin)
    server.should_exit = True
    thread.join(timeout=10)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: schemathesis.Case[Any], live: tuple[str, str]) -> None:
    base, admin = live
    case.call_and_validate(base_url=base, checks=[not_a_server_error])
    case.call_and_validate(base_url=base, headers={"Authorization": admin}, checks=[not_a_server_error])
