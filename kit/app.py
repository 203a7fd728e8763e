"""The app factory: every service starts, fails and reports health the same way."""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from kit import apidocs
from kit.auth import TokenVerifier, declared_roles
from kit.body import document_bodies
from kit.caching import UNCACHED, Ages, Answers, CachingMiddleware, cache, declare_caching
from kit.failures import nested_too_deeply
from kit.http import ProblemException, language, problem_response
from kit.metrics import Figures, Metrics, MetricsMiddleware, scrape, upstream_urls
from kit.middleware import (
    METRICS_PATH,
    BodySizeLimitMiddleware,
    RequestContextMiddleware,
    UnicodeNormalizationMiddleware,
    request_id_var,
)
from kit.openapi import document_operations
from kit.problems import PROBLEM_BASE, InvalidInput, NotFound, Problem, Text
from kit.settings import ServiceSettings
from kit.validation import field_errors

LifespanHook = Callable[[FastAPI], Awaitable[None]]


def create_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    on_startup: Sequence[LifespanHook] = (),
    on_shutdown: Sequence[LifespanHook] = (),
    openapi_tags: list[dict[str, Any]] | None = None,
    readiness: LifespanHook | None = None,
    figures: Sequence[Figures] = (),
    extend: Callable[[FastAPI], None] | None = None,
) -> FastAPI:
    """Build an app that keeps no data of its own (the gateway; `kit.service_app` adds a database to it).

    `readiness` raises when the app cannot serve (default: nothing, it depends on nothing). `on_shutdown` hooks run
    first when the app stops. `figures` are the app's domain figures, read by GET /metrics. `extend` adds to the app
    after its routes and error handlers and before the shared middleware, so what it adds runs innermost."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_http = getattr(app.state, "http", None) is None  # tests preset one that reaches other apps in-process
        if owns_http:
            app.state.http = httpx.AsyncClient(timeout=httpx.Timeout(30.0))
        unwatch = app.state.metrics.watch_upstreams(app.state.http, upstream_urls(settings))
        for hook in on_startup:  # hooks may set their own verifier (the embedded issuer does)
            await hook(app)
        if settings.jwks_url:
            app.state.verifier = TokenVerifier(
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                jwks_url=settings.jwks_url,
                http=app.state.http,
            )
        elif getattr(app.state, "verifier", None) is None:
            app.state.verifier = TokenVerifier.from_pem_file(
                settings.resolved_public_key_file(), issuer=settings.jwt_issuer, audience=settings.jwt_audience
            )
        try:
            yield
        finally:
            for hook in on_shutdown:  # before the database and clients they may use are closed
                await hook(app)
            unwatch()
            if owns_http:
                await app.state.http.aclose()
                del app.state.http

    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        openapi_tags=openapi_tags,
        docs_url=None,  # FastAPI's pages load their files from CDNs: apidocs serves them from the app
        redoc_url=None,
    )
    app.state.settings = settings
    apidocs.install(app)
    app.state.metrics = metrics = Metrics(
        settings.service_name, app.version, figures, figures_max_age=settings.metrics_figures_seconds
    )
    for router in routers:
        app.include_router(router)
    app.include_router(_health_router(readiness or _serving))
    app.add_route(METRICS_PATH, scrape, methods=["GET"], include_in_schema=False)
    _install_error_handlers(app)
    document_bodies(app, routers)
    declare_roles(app)
    ages = Ages(
        settings.cache_max_age_seconds,
        settings.cache_shared_max_age_seconds,
        settings.cache_stale_while_revalidate_seconds,
    )
    declare_caching(api_routes(app.routes), ages)
    document_operations(app)
    if extend is not None:
        extend(app)
    app.state.answers = Answers(ttl=settings.cache_shared_max_age_seconds, max_bytes=settings.cache_memory_bytes)
    # Added last runs first: metrics → request id → caching → size limit → NFC → what `extend` added → app.
    app.add_middleware(UnicodeNormalizationMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(CachingMiddleware, ages=ages, answers=app.state.answers)
    app.add_middleware(RequestContextMiddleware, retry_after=settings.retry_after_seconds)
    app.add_middleware(MetricsMiddleware, metrics=metrics, routes=lambda: app.router.routes)
    return app


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """The app's operations, also inside included routers (FastAPI includes them lazily: their own route objects are
    where OpenAPI reads `openapi_extra` from, when it first builds the app's routes)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (router := getattr(route, "original_router", None)) is not None:
            yield from api_routes(router.routes)


def declare_roles(app: FastAPI) -> None:
    """Publish who may call each operation: the roles of its `requires(...)` dependencies as `x-roles`."""
    for route in api_routes(app.routes):
        roles: set[str] = set()
        pending = [route.dependant]
        while pending:
            dependant = pending.pop()
            if (declared := declared_roles(dependant.call)) is not None:
                roles |= declared
            pending.extend(dependant.dependencies)
        if roles:
            route.openapi_extra = {**(route.openapi_extra or {}), "x-roles": sorted(roles)}


async def _serving(app: FastAPI) -> None:
    """Ready once started: an app without data or a `readiness` of its own depends on nothing."""


def _health_router(ready: LifespanHook) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/livez", summary="The process is alive")
    @cache(UNCACHED)
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="The service can serve: its database (or what it depends on) answers")
    @cache(UNCACHED)
    async def readyz(request: Request) -> dict[str, str]:
        await ready(request.app)
        return {"status": "ok"}

    return router


def render(request: Request, problem: Problem) -> JSONResponse:
    """A problem as problem+json, in the caller's language, with the request's path and id."""
    return problem_response(
        problem,
        lang=language(request.headers.get("accept-language")),
        instance=request.url.path,
        request_id=request_id_var.get(),
    )


def _install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return render(request, exc)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = field_errors(exc.errors())
        return render(request, InvalidInput(errors=errors))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        problem: Problem
        if isinstance(exc, ProblemException):
            return render(request, exc.problem)
        if isinstance(exc.__cause__, RecursionError):  # FastAPI's 400 for a JSON body its parser could not nest
            return render(request, nested_too_deeply())
        if exc.status_code == 404:
            problem = NotFound(Text("Không có đường dẫn này", "No such path"))
        else:
            problem = _StatusProblem(exc.status_code, str(exc.detail))
        response = render(request, problem)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    # No handler for Exception: Starlette runs that one outside our middleware, without the request id, and
    # re-raises so the server drops the connection. RequestContextMiddleware answers everything else.


class _StatusProblem(Problem):
    """A framework error (405, 415 …) passed through with its own status, typed by it (`method-not-allowed`)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(Text(detail, detail), status=status)

    @property
    def type(self) -> str:
        return PROBLEM_BASE + HTTPStatus(self.code).phrase.lower().replace(" ", "-")
