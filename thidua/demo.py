"""Loads the demo data: the registry's units and lineage straight through its service layer, the award catalogue
through the awards API, then the five seed plans (plans/demo/*.yaml), each imported and run end to end through the
gateway, all in-process over ASGI, the way the people of each plan would enter them.

The demo only creates what is missing, never updates what exists: what an office corrected (a form's copies, a
movement's title) stays as it is when `thidua up` or `thidua demo` runs again. `loaded` tells, in three queries,
whether there is anything left to load."""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager

import httpx

from kit.db import Database
from kit.middleware import access_log
from services.awards import demo as awards_demo
from services.registry.demo import load as registry_demo
from thidua.plans import demo as plans_demo

log = logging.getLogger("thidua")
REGISTRY = "http://registry.demo"
SCORING = "http://scoring.demo"
AWARDS = "http://awards.demo"
GATEWAY = "http://gateway.demo"

# (what was just done, steps done, steps in all): called as each step of `load` ends.
Progress = Callable[[str, int, int], None]


async def loaded(url: str) -> bool:
    """Whether every part of the demo is there: the registry's demo units and the plans' movements, the awards
    regimes (three reads, each through its service's own repository). Asked after the migrations."""
    database = Database.connect(url, pool_size=1)
    try:
        async with database.sessionmaker() as session:
            if not await registry_demo.present(session, plans_demo.movement_codes()):
                return False
            return await awards_demo.present(session)
    finally:
        await database.dispose()


class _Steps:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def end(self, label: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(label, self.done, self.total)


async def load(url: str, progress: Progress | None = None, *, services: Mapping[str, str] | None = None) -> None:
    """Create what is missing of the demo; `progress(label, done, total)` after each step (units, catalogue, the
    plans' places, then each plan). `services`: the base URLs of the registry, scoring, awards and the gateway when
    they run (`thidua up`): the demo's calls go to them and the work is shared by their processes; else the apps are
    built here and called in-process."""
    with _quiet(access_log):
        await _load(url, progress, services)


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """The demo's in-process calls are not callers' requests: a thousand access lines would bury the start's own
    (failures are still logged, at warning and above)."""
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


async def _load(url: str, progress: Progress | None, services: Mapping[str, str] | None) -> None:
    # Imported here, not above: a start that only asks `loaded` is spared a second of imports.
    from kit.auth import Caller, TokenIssuer
    from services.awards.client import AwardsClient
    from services.registry.client import RegistryClient
    from services.registry.identity.demo import demo_caller
    from services.registry.settings import RegistrySettings
    from services.scoring.client import ScoringClient
    from thidua.plans.importer import Clients
    from thidua.plans.runner import Runner
    from thidua.plans.units import Units

    files = plans_demo.scenarios()
    steps = _Steps(3 + len(files), progress)
    database = Database.connect(url, pool_size=2)
    try:
        async with database.sessionmaker() as session, session.begin():
            counts = await registry_demo.load(session)
        log.info("demo data loaded", extra={"service": "registry", **counts})
    finally:
        await database.dispose()
    steps.end("units and lineage")

    registry_settings = RegistrySettings(database_url=url)
    issuer = TokenIssuer(
        registry_settings.data_dir / "keys",
        issuer=registry_settings.jwt_issuer,
        audience=registry_settings.jwt_audience,
    )
    tokens: dict[tuple[str, frozenset[str], uuid.UUID | None], str] = {}

    def mint(subject: str, roles: frozenset[str], unit_id: uuid.UUID | None) -> str:
        """One token per person for the whole load (each lives an hour; the load takes seconds)."""
        key = (subject, roles, unit_id)
        if key not in tokens:
            tokens[key] = issuer.issue(Caller(subject=subject, roles=roles, unit_id=unit_id))
        return tokens[key]

    async with (
        _reach(url, services) as (mounts, urls),
        httpx.AsyncClient(mounts=mounts, timeout=120) as http,
        httpx.AsyncClient(mounts=mounts, base_url=urls["awards"], timeout=120) as to_awards,
        httpx.AsyncClient(mounts=mounts, base_url=urls["gateway"], timeout=120) as to_gateway,
    ):
        admin = demo_caller(registry_demo.demo_users(), "admin")
        assert admin is not None
        token = issuer.issue(admin)
        counts = await awards_demo.load(to_awards, token)
        log.info("demo data loaded", extra={"service": "awards", **counts})
        steps.end("award catalogue")
        clients = Clients(
            RegistryClient(http, urls["registry"], token=token),
            ScoringClient(http, urls["scoring"], token=token),
            AwardsClient(http, urls["awards"], token=token),
        )
        missing: list[tuple[str, plans_demo.Demo]] = []
        for file in files:
            demo = plans_demo.Demo.read(file)
            if await plans_demo.there(demo, clients):
                steps.end(f"plan {file.stem} (already there)")
            else:
                missing.append((file.stem, demo))
        # Plans share places (two name Tỉnh Quảng Ninh): created one plan after the other, before the plans run;
        # a name resolved once is not looked up again.
        units = Units(clients.registry)
        for _, demo in missing:
            await Runner(to_gateway, clients, mint, units).places(demo.scenario)
        steps.end("places of the plans")

        async def run(name: str, demo: plans_demo.Demo) -> None:
            runner = Runner(to_gateway, clients, mint, units)
            outcome = await runner.run(demo.scenario, demo.plan, demo.plan_source)
            log.info("demo plan loaded", extra={"plan": name, "decisions": len(outcome.decisions)})
            steps.end(f"plan {name}")

        # The plans share no row they write: run together, one computes while another waits on the database. A
        # plan that fails does not stop the others (each is left whole); the first failure is raised after.
        ran = await asyncio.gather(*(run(name, demo) for name, demo in missing), return_exceptions=True)
        for failed in ran:
            if isinstance(failed, BaseException):
                raise failed


Mounts = dict[str, httpx.AsyncBaseTransport]


@asynccontextmanager
async def _reach(url: str, services: Mapping[str, str] | None) -> AsyncIterator[tuple[Mounts, Mapping[str, str]]]:
    """Where the demo's calls go: (transports by base URL, base URL of each app). The running apps when given, else
    the four apps built here on the database, reaching each other in-process."""
    if services is not None:
        yield {}, services
        return
    from gateway.app import create_app as gateway_app
    from gateway.settings import GatewaySettings
    from services.awards.app import create_app as awards_app
    from services.awards.settings import AwardsSettings
    from services.registry.app import create_app as registry_app
    from services.registry.settings import RegistrySettings
    from services.scoring.app import create_app as scoring_app
    from services.scoring.settings import ScoringSettings

    urls = {"registry": REGISTRY, "scoring": SCORING, "awards": AWARDS, "gateway": GATEWAY}
    apps = {
        "registry": registry_app(RegistrySettings(database_url=url)),
        "scoring": scoring_app(ScoringSettings(database_url=url, registry_url=REGISTRY)),
        "awards": awards_app(AwardsSettings(database_url=url, registry_url=REGISTRY, scoring_url=SCORING)),
        "gateway": gateway_app(GatewaySettings(registry_url=REGISTRY, scoring_url=SCORING, awards_url=AWARDS)),
    }
    mounts: Mounts = {urls[name]: httpx.ASGITransport(app=app) for name, app in apps.items()}
    async with httpx.AsyncClient(mounts=mounts, timeout=120) as between:
        for app in apps.values():
            app.state.http = between
        async with contextlib.AsyncExitStack() as running:
            for app in apps.values():
                await running.enter_async_context(app.router.lifespan_context(app))
            yield mounts, urls
