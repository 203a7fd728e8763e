"""The app factory of a service that owns data: `kit.app.create_app` with a connection pool opened at start, ready
when the database answers, the database's failures answered as problems, replayable POSTs and the pool's metrics.
Only the services import it: the gateway keeps no data and loads no SQLAlchemy."""

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from kit import embedded
from kit.app import LifespanHook, create_app, render
from kit.db import Database
from kit.failures import answer, database_unavailable
from kit.idempotency import IdempotencyMiddleware
from kit.metrics import Figures
from kit.middleware import request_id_var
from kit.settings import ServiceSettings


def database_url(settings: ServiceSettings) -> str:
    """The configured server, or the embedded one under `data_dir` (database `thidua`)."""
    if settings.database_url:
        return settings.database_url
    return embedded.ensure_database_sync(embedded.start(settings.data_dir), "thidua")


async def database_url_async(settings: ServiceSettings) -> str:
    """`database_url` from inside an event loop (an app's lifespan: `thidua serve` on the embedded default)."""
    if settings.database_url:
        return settings.database_url
    return await embedded.ensure_database(await asyncio.to_thread(embedded.start, settings.data_dir), "thidua")


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    idempotency_keys: sa.Table | None = None,
    on_startup: Sequence[LifespanHook] = (),
    on_shutdown: Sequence[LifespanHook] = (),
    openapi_tags: list[dict[str, Any]] | None = None,
    readiness: LifespanHook | None = None,
    figures: Sequence[Figures] = (),
) -> FastAPI:
    """Build a service app. Tests may preset `app.state.database` (e.g. bound to a rolled-back connection).

    `idempotency_keys`: the service's table of replayable answers (its POSTs are then idempotent here).
    `readiness` raises when the service cannot serve (default: the database does not answer). `on_startup` hooks
    run with the database open; `on_shutdown` hooks run before it is closed. `figures` are the service's domain
    figures, read by GET /metrics."""
    owned: list[bool] = []

    async def open_database(app: FastAPI) -> None:
        owned[:] = [getattr(app.state, "database", None) is None]
        if owned[0]:
            app.state.database = Database.connect(
                await database_url_async(settings),
                pool_size=settings.db_pool_size,
                connect_timeout=settings.db_connect_timeout_seconds,
                pool_timeout=settings.db_pool_timeout_seconds,
                command_timeout=settings.db_command_timeout_seconds,
            )

    async def close_database(app: FastAPI) -> None:
        if owned and owned[0]:
            await app.state.database.dispose()
            del app.state.database

    def extend(app: FastAPI) -> None:
        retry_after = settings.retry_after_seconds

        async def on_database(request: Request, exc: Exception) -> JSONResponse:
            # A lost database is a 503 the client retries; bad data the database refused is the caller's 422.
            where = {"path": request.url.path, "request_id": request_id_var.get()}
            return render(request, answer(exc, retry_after=retry_after, where=where))

        app.add_exception_handler(DBAPIError, on_database)
        app.state.metrics.watch_database(lambda: getattr(app.state, "database", None))
        if idempotency_keys is not None:  # innermost: metrics → request id → size limit → NFC → idempotency → app
            app.add_middleware(
                IdempotencyMiddleware,
                table=idempotency_keys,
                ttl=timedelta(hours=settings.idempotency_ttl_hours),
                lease=timedelta(seconds=settings.idempotency_lease_seconds),
                retry_after=retry_after,
            )

    return create_app(
        settings,
        title=title,
        description=description,
        routers=routers,
        on_startup=[open_database, *on_startup],
        on_shutdown=[*on_shutdown, close_database],
        openapi_tags=openapi_tags,
        readiness=readiness or _database_ready,
        figures=figures,
        extend=extend,
    )


async def _database_ready(app: FastAPI) -> None:
    try:
        await app.state.database.ping()
    except Exception as exc:
        raise database_unavailable(app.state.settings.retry_after_seconds) from exc
