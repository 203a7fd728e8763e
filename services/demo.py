"""Loads the demo data of every service. The registry's goes straight through its service layer; the others go
through their HTTP APIs (in-process, over ASGI), the way an emulation office would enter them."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from kit.auth import TokenIssuer
from kit.db import Database
from services.awards import demo as awards_demo
from services.awards.app import create_app as awards_app
from services.awards.settings import AwardsSettings
from services.registry.app import create_app as registry_app
from services.registry.demo.load import demo_users
from services.registry.demo.load import load as registry_demo
from services.registry.identity.endpoints import demo_caller
from services.registry.settings import RegistrySettings
from services.scoring import demo as scoring_demo
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings

log = logging.getLogger("thidua")
REGISTRY = "http://registry.demo"
SCORING = "http://scoring.demo"


@asynccontextmanager
async def _running(app: FastAPI, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url, timeout=120) as client,
    ):
        yield client


async def load(url: str) -> None:
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
    async with _running(registry, REGISTRY) as to_registry:
        scoring.state.http = to_registry
        async with _running(scoring, SCORING) as to_scoring:
            issuer = TokenIssuer(
                registry_settings.data_dir / "keys",
                issuer=registry_settings.jwt_issuer,
                audience=registry_settings.jwt_audience,
            )
            office = demo_caller(demo_users(), "tdkt.snv")
            assert office is not None
            counts = await scoring_demo.load(to_scoring, issuer.issue(office))
            log.info("demo data loaded", extra={"service": "scoring", **counts})
            awards = awards_app(AwardsSettings(database_url=url, registry_url=REGISTRY, scoring_url=SCORING))
            awards.state.http = httpx.AsyncClient(
                mounts={
                    REGISTRY: httpx.ASGITransport(app=registry),
                    SCORING: httpx.ASGITransport(app=scoring),
                },
                timeout=120,
            )
            async with _running(awards, "http://awards.demo") as to_awards:
                admin = demo_caller(demo_users(), "admin")
                assert admin is not None
                counts = await awards_demo.load(to_awards, issuer.issue(admin))
                log.info("demo data loaded", extra={"service": "awards", **counts})
            await awards.state.http.aclose()
