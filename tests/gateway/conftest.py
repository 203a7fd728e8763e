"""The gateway in front of the three services in-process; every upstream request it makes is counted."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app
from gateway.settings import GatewaySettings
from tests.conftest import Stack

URLS = {"registry_url": "http://registry", "scoring_url": "http://scoring", "awards_url": "http://awards"}
STOPPED = "http://127.0.0.1:9"  # nothing listens there: a service that is down


@dataclass
class Gateway:
    client: httpx.AsyncClient
    calls: Counter[str]  # upstream requests by service host
    app: FastAPI

    async def query(self, query: str, headers: dict[str, str] | None = None, **variables: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


GatewayFactory = Callable[..., Any]


class OneAtATime(httpx.ASGITransport):
    """The in-process services share the test's one rolled-back connection, which cannot serve two sessions at
    once; the gateway calls services concurrently, so its hops are taken one at a time here (live servers do not
    need this)."""

    def __init__(self, app: Any, lock: asyncio.Lock) -> None:
        super().__init__(app=app)
        self._lock = lock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        async with self._lock:
            return await super().handle_async_request(request)


@asynccontextmanager
async def open_gateway(stack: Stack, keys_dir: Any, **overrides: Any) -> AsyncIterator[Gateway]:
    """A gateway over `stack`, with settings overridden (e.g. awards_url=STOPPED)."""
    calls: Counter[str] = Counter()

    async def count(request: httpx.Request) -> None:
        calls[request.url.host] += 1

    lock = asyncio.Lock()
    mounts = {f"http://{name}": OneAtATime(app, lock) for name, app in stack.apps.items()}
    settings = GatewaySettings(data_dir=keys_dir, **(URLS | overrides))
    app = create_app(settings)
    app.state.verifier = stack.apps["registry"].state.verifier
    app.state.http = httpx.AsyncClient(mounts=mounts, event_hooks={"request": [count]})
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield Gateway(client, calls, app)
    await app.state.http.aclose()


@pytest.fixture
def gateway_for(stack: Stack, keys_dir: Any) -> GatewayFactory:
    """Build a gateway over `stack`, with settings overridden (e.g. awards_url=STOPPED)."""
    return partial(open_gateway, stack, keys_dir)


@pytest.fixture
async def gateway(gateway_for: GatewayFactory) -> AsyncIterator[Gateway]:
    async with gateway_for() as gw:
        yield gw
