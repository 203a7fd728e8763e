"""Loads the demo data: the registry's units and users straight through its service layer, the award catalogue
through the awards API, then the five seed plans (plans/demo/*.yaml), each imported and run end to end through the
gateway, all in-process over ASGI, the way the people of each plan would enter them."""

import logging
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from gateway.app import create_app as gateway_app
from gateway.settings import GatewaySettings
from kit.auth import Caller, TokenIssuer
from kit.db import Database
from services.awards import demo as awards_demo
from services.awards.app import create_app as awards_app
from services.awards.client import AwardsClient
from services.awards.settings import AwardsSettings
from services.plans import demo as plans_demo
from services.plans.importer import Clients
from services.registry.app import create_app as registry_app
from services.registry.client import RegistryClient
from services.registry.demo.load import demo_users
from services.registry.demo.load import load as registry_demo
from services.registry.identity.endpoints import demo_caller
from services.registry.settings import RegistrySettings
from services.scoring.app import create_app as scoring_app
from services.scoring.client import ScoringClient
from services.scoring.settings import ScoringSettings

log = logging.getLogger("thidua")
REGISTRY = "http://registry.demo"
SCORING = "http://scoring.demo"
AWARDS = "http://awards.demo"


@asynccontextmanager
async def _running(app: FastAPI, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url, timeout=120) as client,
    ):
        yield client


async def load(
    url: str, progress: Callable[[str, int, int], None] | None = None, *, services: Mapping[str, str] | None = None
) -> None:
    database = Database.connect(url, pool_size=2)
    try:
        async with database.sessionmaker() as session, session.begin():
            counts = await registry_demo(session)
        log.info("demo data loaded", extra={"service": "registry", **counts})
    finally:
        await database.dispose()

    registry_settings = RegistrySettings(database_url=url)
    registry = registry_app(registry_settings)
    scoring = scoring_app(ScoringSettings(database_url=url, registry_url=REGISTRY))
    awards = awards_app(AwardsSettings(database_url=url, registry_url=REGISTRY, scoring_url=SCORING))
    gateway = gateway_app(GatewaySettings(registry_url=REGISTRY, scoring_url=SCORING, awards_url=AWARDS))
    issuer = TokenIssuer(
        registry_settings.data_dir / "keys",
        issuer=registry_settings.jwt_issuer,
        audience=registry_settings.jwt_audience,
    )

    def mint(subject: str, roles: frozenset[str], unit_id: uuid.UUID | None) -> str:
        return issuer.issue(Caller(subject=subject, roles=roles, unit_id=unit_id))

    apps = {REGISTRY: registry, SCORING: scoring, AWARDS: awards}
    async with httpx.AsyncClient(
        mounts={url: httpx.ASGITransport(app=app) for url, app in apps.items()}, timeout=120
    ) as http:
        for app in (scoring, awards, gateway):
            app.state.http = http
        async with (
            _running(registry, REGISTRY),
            _running(scoring, SCORING),
            _running(awards, AWARDS) as to_awards,
            _running(gateway, "http://gateway.demo") as to_gateway,
        ):
            admin = demo_caller(demo_users(), "admin")
            assert admin is not None
            counts = await awards_demo.load(to_awards, issuer.issue(admin))
            log.info("demo data loaded", extra={"service": "awards", **counts})
            token = issuer.issue(admin)
            clients = Clients(
                RegistryClient(http, REGISTRY, token=token),
                ScoringClient(http, SCORING, token=token),
                AwardsClient(http, AWARDS, token=token),
            )
            for file in plans_demo.scenarios():
                outcome = await plans_demo.run(plans_demo.Demo.read(file), to_gateway, clients, mint)
                log.info(
                    "demo plan loaded",
                    extra={"plan": file.name, "decisions": len(outcome.decisions) if outcome else "already there"},
                )


async def loaded(url: str) -> bool:
    """Whether the demo data is already in the database (a stand-in until the demo loader says it cheaply)."""
    return False
