"""A registry served for real by uvicorn on loopback, against its own database (for fuzzing and concurrency)."""

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from kit import embedded, migrations
from kit.auth import TokenIssuer
from services.registry.app import create_app
from services.registry.demo.load import demo_users
from services.registry.identity.endpoints import demo_caller
from services.registry.settings import RegistrySettings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_registry(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, admin `Authorization` value) of a registry on loopback, on an empty database of its own."""

    async def prepare() -> str:
        url = await embedded.ensure_database(server_url, "thidua_live", fresh=True)
        await migrations.upgrade(url, "registry")
        return url

    url = asyncio.run(prepare())
    data_dir: Path = tmp_path_factory.mktemp("live")
    port = _free_port()
    app = create_app(RegistrySettings(database_url=url, data_dir=data_dir, port=port, log_json=False))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
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
