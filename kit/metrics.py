"""Prometheus metrics of one app, served at GET /metrics: its HTTP traffic by route template, its database pool, its
calls to other services, and the domain figures its service registers (read from the database at scrape time).

Each app has its own `CollectorRegistry`, not prometheus-client's global one: tests build many apps in one process,
and a process must serve only its own figures. `thidua up` and `thidua serve` run each app in a process of its own
with one worker, so no multiprocess mode is needed: replicas (containers) are scraped one by one and summed in
Prometheus.
"""

import asyncio
import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import httpx
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.client import UNANSWERED
from kit.problems import Text, Unauthenticated

if TYPE_CHECKING:  # the gateway loads this module and keeps no database: SQLAlchemy only where one is read
    from sqlalchemy.ext.asyncio import AsyncSession

    from kit.db import Database

UNMATCHED = "unmatched"  # the route label of every path no route matches: a scanner cannot grow the label set
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})  # any other counts as "other"
# 1 ms to 10 s: a batch read answers in a few ms, a recompute or an import may take seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
FIGURES_TIMEOUT_MS = 5000  # a domain figure that takes longer fails the scrape's figures, never the database

log = logging.getLogger("thidua")

Figures = Callable[["AsyncSession"], Awaitable[Iterable[Metric]]]
"""A service's domain figures: one cheap set-based statement in a read-only session, returned as metric families."""


class Metrics:
    """The metrics of one app, in its own registry."""

    def __init__(
        self, service: str, version: str, figures: Sequence[Figures] = (), *, figures_max_age: float = 0
    ) -> None:
        self.registry = CollectorRegistry()
        self.figures = tuple(figures)
        # Counting a province's values takes ~0.4 s (bench/figures.py): scrapes within this many seconds of a
        # reading get that reading (as postgres_exporter's cache_seconds), and concurrent scrapes share one.
        self.figures_max_age = figures_max_age
        self._reading = asyncio.Lock()
        self._last: tuple[float, list[Metric]] | None = None
        Info("thidua_build", "The app that answers this scrape", registry=self.registry).info(
            {"service": service, "version": version}
        )
        ProcessCollector(registry=self.registry)
        self.requests = Counter(
            "thidua_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "thidua_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by method and route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "thidua_http_requests_in_flight", "HTTP requests being answered now", registry=self.registry
        )
        self.upstream_requests = Counter(
            "thidua_upstream_requests",
            "Calls this app made to other services, by service and status (the HTTP status, or unanswered)",
            ["service", "status"],
            registry=self.registry,
        )
        self.upstream_latency = Histogram(
            "thidua_upstream_request_duration_seconds",
            "Time from sending a call to another service until its answer's headers arrive, by service",
            ["service"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        figures_registry = self.registry if self.figures else None  # an app without figures (the gateway) has none
        self.figures_up = Gauge(
            "thidua_figures_up",
            "1 when the last reading of the service's domain figures succeeded, 0 when the database did not answer",
            registry=figures_registry,
        )
        self.figures_seconds = Gauge(
            "thidua_figures_read_seconds",
            "How long the last reading of the service's domain figures took",
            registry=figures_registry,
        )
        self._read = _Snapshot()
        self.registry.register(self._read)

    def watch_database(self, database: Callable[[], "Database | None"]) -> None:
        """Report the pool of the app's database (looked up at each scrape: the lifespan builds it later)."""
        self.registry.register(_PoolCollector(database))

    def watch_upstreams(self, http: httpx.AsyncClient, services: dict[str, str]) -> Callable[[], None]:
        """Count and time the calls `http` makes to `services` (name → base URL); others are labelled `other`.
        Event hooks rather than a transport, so a client built elsewhere (a test's, with its mounts) is measured the
        same way. A call that gets no answer (refused, timed out) has no response hook: the typed clients report it
        (kit.client.UNANSWERED), counted with the status `unanswered`. Returns the function that stops watching."""
        bases = sorted(((url.rstrip("/"), name) for name, url in services.items()), reverse=True)

        def service_of(url: httpx.URL) -> str:
            plain = str(url.copy_with(query=None, fragment=None))
            return next((name for base, name in bases if plain == base or plain.startswith(base + "/")), "other")

        async def sent(request: httpx.Request) -> None:
            request.extensions["thidua_sent_at"] = time.perf_counter()

        async def answered(response: httpx.Response) -> None:
            request = response.request
            started = request.extensions.get("thidua_sent_at")
            service = service_of(request.url)
            self.upstream_requests.labels(service, str(response.status_code)).inc()
            if started is not None:
                self.upstream_latency.labels(service).observe(time.perf_counter() - started)

        def lost(request: httpx.Request) -> None:
            self.upstream_requests.labels(service_of(request.url), "unanswered").inc()

        hooks = http.event_hooks
        http.event_hooks = {
            "request": [*hooks.get("request", []), sent],
            "response": [*hooks.get("response", []), answered],
        }
        UNANSWERED.setdefault(http, []).append(lost)

        def stop() -> None:
            now = http.event_hooks
            http.event_hooks = {
                "request": [h for h in now.get("request", []) if h is not sent],
                "response": [h for h in now.get("response", []) if h is not answered],
            }
            UNANSWERED[http].remove(lost)

        return stop

    async def read_figures(self, database: "Database | None") -> list[Metric]:
        """The service's domain figures, read in one read-only transaction (or the reading of less than
        `figures_max_age` seconds ago); none, and figures_up 0, when the database does not answer, so a scrape
        during an outage still shows the traffic."""
        if not self.figures or database is None:
            return []
        async with self._reading:
            started = time.monotonic()
            if self._last is not None and started - self._last[0] < self.figures_max_age:
                return self._last[1]
            try:
                async with database.reading(statement_timeout_ms=FIGURES_TIMEOUT_MS) as session:
                    families = [family for read in self.figures for family in await read(session)]
            except Exception as exc:  # an outage is one line a scrape, anything else its stack
                log.warning("metrics: the domain figures could not be read", exc_info=not database.lost(exc))
                self.figures_up.set(0)
                self._last = None
                return []
            self.figures_up.set(1)
            self.figures_seconds.set(time.monotonic() - started)
            self._last = (started, families)
            return families

    def render(self, families: list[Metric], accept: str | None) -> tuple[bytes, str]:
        """The exposition (Prometheus text, or OpenMetrics when asked for) with `families` added for this scrape."""
        encoder, content_type = choose_encoder(accept or "")
        self._read.families = families  # no await until rendered: another scrape cannot interleave
        try:
            return encoder(self.registry), content_type
        finally:
            self._read.families = []


class _Snapshot:
    """Families read asynchronously just before rendering (a collector's `collect` cannot await)."""

    def __init__(self) -> None:
        self.families: list[Metric] = []

    def collect(self) -> Iterable[Metric]:
        return list(self.families)


class _PoolCollector:
    """SQLAlchemy's pool status, read at scrape time."""

    def __init__(self, database: Callable[[], "Database | None"]) -> None:
        self.database = database

    def collect(self) -> Iterable[Metric]:
        db = self.database()
        status = db.pool_status() if db is not None else None
        if status is None:
            return []
        docs = {
            "size": "Connections the pool keeps open",
            "checked_out": "Connections in use by requests now",
            "idle": "Open connections waiting in the pool",
            "overflow": "Connections open beyond the pool's size",
        }
        return [GaugeMetricFamily(f"thidua_db_pool_{key}", doc, value=status[key]) for key, doc in docs.items()]


def routes_in(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route of an app in the order it is tried, also inside included routers (FastAPI keeps an included
    router's own route objects, whose `path` is the full template: the apps include routers without a prefix)."""
    for route in routes:
        if (router := getattr(route, "original_router", None)) is not None:
            yield from routes_in(router.routes)
        else:
            yield route


def route_of(routes: Iterable[BaseRoute], scope: Scope) -> str:
    """The template of the route that answers `scope` (`/units/{unit_id}`, never the raw path), or UNMATCHED.
    A route matching the path but not the method (a 405) still names it. Matched before the app runs, since the
    scope the router marks may be a copy (a middleware that rewrites the body passes one on)."""
    partial: str | None = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return _template(route)
        if match is Match.PARTIAL and partial is None:
            partial = _template(route)
    return partial or UNMATCHED


def _template(route: BaseRoute) -> str:
    """The path as OpenAPI shows it: `/units/{unit_id}`, without the `:uuid` convertor."""
    return str(getattr(route, "path_format", None) or getattr(route, "path", UNMATCHED))


class MetricsMiddleware:
    """Counts and times every HTTP request by route template and status. The outermost middleware, so answers
    given by the others (a 413, a 500) are counted too."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, routes: Callable[[], Iterable[BaseRoute]]) -> None:
        self.app = app
        self.metrics = metrics
        self.app_routes = routes
        self.routes: list[BaseRoute] | None = None  # flattened at the first request, once every route is added

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.routes is None:
            self.routes = list(routes_in(self.app_routes()))
        route = route_of(self.routes, scope)
        method = scope["method"] if scope["method"] in METHODS else "other"
        status = 500  # what the client gets when nothing answered: the server drops the connection
        started = time.perf_counter()

        async def send_seen(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_seen)
        finally:
            self.metrics.in_flight.dec()
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


def upstream_urls(settings: Any) -> dict[str, str]:
    """The other services an app calls, from its settings: every `<name>_url` holding an http(s) URL is `name`
    (registry_url → registry), so a service that gains a dependency is measured without a list to keep."""
    found = {}
    for field, value in vars(settings).items():
        if field.endswith("_url") and isinstance(value, str) and value.startswith(("http://", "https://")):
            found[field.removesuffix("_url")] = value
    return found


async def scrape(request: Request) -> Response:
    """GET /metrics. Open by default (operators scrape on an internal network); with a metrics token configured,
    only a caller sending it as a bearer token gets an answer."""
    settings = request.app.state.settings
    if expected := settings.metrics_token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {expected}".encode()):
            raise Unauthenticated(Text("Cần token đọc số liệu giám sát", "The metrics need the metrics bearer token"))
    metrics: Metrics = request.app.state.metrics
    families = await metrics.read_figures(getattr(request.app.state, "database", None))
    body, content_type = metrics.render(families, request.headers.get("accept"))
    return Response(body, media_type=content_type)
