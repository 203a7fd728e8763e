"""A seed plan run end to end: its places and definition loaded, then its demo scenario acted out through the
gateway in front of the three services (in-process, on the test's rolled-back connection)."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from kit.auth import Caller
from services.awards.client import AwardsClient
from services.registry.client import RegistryClient
from services.scoring.client import ScoringClient
from tests.conftest import Stack, demo_token
from tests.gateway.conftest import URLS, OneAtATime
from thidua.plans import demo
from thidua.plans.importer import Clients
from thidua.plans.runner import Outcome, Runner


@dataclass
class PlanRun:
    demo: demo.Demo
    outcome: Outcome
    gateway: httpx.AsyncClient
    clients: Clients
    runner: Runner

    async def query(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        """The data of a GraphQL operation (anonymous unless a token is given)."""
        return await self.runner.gql(token, query, **variables)

    def token(self, subject: str, unit: uuid.UUID | None, *roles: str) -> str:
        return self.runner.mint(subject, frozenset(roles), unit)


RunPlan = Callable[[str], Awaitable[PlanRun]]


@pytest.fixture
async def run_plan(stack: Stack, keys_dir: Any) -> AsyncIterator[RunPlan]:
    registry_app = stack.apps["registry"]
    lock = asyncio.Lock()
    mounts = {f"http://{name}": OneAtATime(app, lock) for name, app in stack.apps.items()}
    app = create_app(GatewaySettings.model_validate({"data_dir": keys_dir, **URLS}))
    app.state.verifier = registry_app.state.verifier
    app.state.http = httpx.AsyncClient(mounts=mounts)
    admin = demo_token(registry_app, "admin")
    clients = Clients(
        RegistryClient(app.state.http, URLS["registry_url"], token=admin),
        ScoringClient(app.state.http, URLS["scoring_url"], token=admin),
        AwardsClient(app.state.http, URLS["awards_url"], token=admin),
    )

    def mint(subject: str, roles: frozenset[str], unit_id: uuid.UUID | None) -> str:
        token: str = registry_app.state.issuer.issue(Caller(subject=subject, roles=roles, unit_id=unit_id))
        return token

    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as gateway,
    ):

        async def run(slug: str) -> PlanRun:
            loaded = demo.Demo.read(demo.PLANS / "demo" / f"{slug}.yaml")
            outcome = await demo.run(loaded, gateway, clients, mint)
            assert outcome is not None, "the plan's movement existed before the test"
            return PlanRun(loaded, outcome, gateway, clients, Runner(gateway, clients, mint))

        yield run
    await app.state.http.aclose()
