"""Async engine and sessions. A write session commits before the response is sent, so 201 means stored; a read
session is a read-only transaction, so a GET cannot write (and may be served by a replica)."""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from types import TracebackType
from typing import Annotated, Any, Protocol

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import ColumnElement, DateTime, MetaData, Table, bindparam, func, text
from sqlalchemy import any_ as sa_any
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.pool import QueuePool
from sqlalchemy.types import TypeEngine

from kit.failures import database_unavailable
from kit.problems import InvalidInput, Problem, Text

log = logging.getLogger("thidua")

# Stable constraint names, so migrations and error mapping can rely on them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Record(Protocol):
    """A row read by key: a dict or an SQLAlchemy RowMapping."""

    def __getitem__(self, key: str, /) -> Any: ...


def table_of(model: type[Any]) -> Table:
    """The Core table of an ORM class, typed as such (repositories write set-based Core statements)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def service_metadata(schema: str) -> MetaData:
    """The MetaData of one service: its own PostgreSQL schema and the naming convention."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def timestamp() -> Mapped[datetime]:
    """A `timestamptz not null` ORM column that the database sets to the transaction's time on insert."""
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


def async_url(url: str) -> str:
    """Accept plain `postgresql://` URLs (as most tools print them) and use the asyncpg driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


class Database:
    """Engine plus sessionmaker; built in the app lifespan, never at import time."""

    def __init__(
        self, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], *, serial: bool = False
    ) -> None:
        self.engine = engine
        self.sessionmaker = sessionmaker
        # Every session shares one connection (tests): work after a request must end before the next one starts.
        self.serial = serial

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        pool_size: int = 10,
        connect_timeout: float = 5.0,
        pool_timeout: float = 10.0,
        command_timeout: float | None = None,
        **engine_args: Any,
    ) -> "Database":
        """A pool that heals after an outage: each checkout pings (a connection that died with the server is
        replaced), and a lost server fails fast (connect, pool and, if given, statement waits are bounded) so
        callers get a 503 rather than hang."""
        engine = create_async_engine(
            async_url(url),
            pool_size=pool_size,
            pool_pre_ping=True,
            pool_timeout=pool_timeout,
            connect_args={"timeout": connect_timeout, "command_timeout": command_timeout},
            **engine_args,
        )
        return cls(engine, async_sessionmaker(engine, expire_on_commit=False))

    @classmethod
    def bound_to(cls, connection: AsyncConnection) -> "Database":
        """Sessions that run inside an outer transaction of `connection` (tests roll it back at the end)."""
        maker = async_sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
        return cls(connection.engine, maker, serial=True)

    @asynccontextmanager
    async def reading(self, *, statement_timeout_ms: int | None = None) -> AsyncIterator[AsyncSession]:
        """A session in a read-only transaction: PostgreSQL refuses any write in it. Closing it rolls back (a
        savepoint, when bound to an outer transaction), which ends the read-only transaction with it.
        `statement_timeout_ms` bounds each statement of that transaction."""
        async with self.sessionmaker() as session:
            await session.execute(_READ_ONLY)  # the first statement, or it does not apply
            if statement_timeout_ms is not None:
                await session.execute(text(f"set local statement_timeout = {int(statement_timeout_ms)}"))
            yield session

    def pool_status(self) -> dict[str, int] | None:
        """The pool's size, connections checked out, idle and open beyond its size; None for a pool that does not
        count (a test's connection bound to one transaction)."""
        pool = self.engine.pool
        if not isinstance(pool, QueuePool):
            return None
        # QueuePool counts overflow from -size up: only what is above the pool's size is overflow.
        return {
            "size": pool.size(),
            "checked_out": pool.checkedout(),
            "idle": pool.checkedin(),
            "overflow": max(pool.overflow(), 0),
        }

    @staticmethod
    def lost(exc: BaseException) -> bool:
        """`database_lost`, for a caller that holds the database but loads no SQLAlchemy itself (kit.metrics)."""
        return database_lost(exc)

    async def ping(self) -> None:
        async with self.sessionmaker() as session:
            await session.execute(text("select 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def get_database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


AfterCommit = Callable[[], Awaitable[object]]
_AFTER_COMMIT = "after_commit"
_READ_ONLY = text("set transaction read only")


def after_commit(session: AsyncSession, key: Hashable, job: AfterCommit) -> None:
    """Run `job` once the request's write session has committed, before the response is sent (never when it rolls
    back). A key registered twice runs its first job once."""
    jobs: dict[Hashable, AfterCommit] = session.info.setdefault(_AFTER_COMMIT, {})
    jobs.setdefault(key, job)


async def _write_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_database(request).sessionmaker() as session:
        async with session.begin():
            yield session
        jobs: dict[Hashable, AfterCommit] = session.info.pop(_AFTER_COMMIT, {})
    for job in jobs.values():  # the connection is back in the pool: a job takes its own
        try:
            await job()
        except Exception:  # the write is stored and its answer stands; the job's owner recovers on its own
            log.exception("a job after a commit failed", extra={"path": request.url.path})


async def _read_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_database(request).reading() as session:
        yield session


# scope="function": the dependency exits (and commits) after the handler returns and before the response is sent.
WriteSession = Annotated[AsyncSession, Depends(_write_session, scope="function")]
ReadSession = Annotated[AsyncSession, Depends(_read_session, scope="function")]


async def lock_name(session: AsyncSession, name: str) -> None:
    """Hold a PostgreSQL advisory lock named `name` until the session's transaction ends (waiting for its holder)."""
    await session.execute(text("select pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name})


def violated_constraint(exc: BaseException) -> str | None:
    """Name of the constraint a database error violated (asyncpg reports it), else None."""
    seen: BaseException | None = exc
    while seen is not None:
        name = getattr(seen, "constraint_name", None)
        if name:
            return str(name)
        seen = seen.__cause__ or getattr(seen, "orig", None)
    return None


# SQLSTATEs that mean the server is gone or refusing work for now: connection exceptions (08), shut down or
# starting up (57P01-57P03), too many connections (53300).
_OUTAGE_STATES = ("08", "57P01", "57P02", "57P03", "53300")
_DRIVER_MODULES = ("asyncpg", "sqlalchemy")


def database_lost(exc: BaseException) -> bool:
    """True when `exc` says the database cannot be reached (refused, reset, socket missing, shut down, timed out,
    pool exhausted) rather than that the statement or its data was wrong: an outage the caller may retry."""
    for seen in _causes(exc):
        if isinstance(seen, sa_exc.TimeoutError | asyncpg.InterfaceError):
            return True  # waiting for a pooled connection timed out; asyncpg's "connection is closed"
        if isinstance(seen, sa_exc.DBAPIError) and seen.connection_invalidated:
            return True
        state = str(getattr(seen, "sqlstate", "") or "")
        if state and state.startswith(_OUTAGE_STATES):
            return True
        # A refused or missing socket and connect timeouts come out of the driver as plain OSError/TimeoutError.
        if isinstance(seen, OSError) and _raised_in_driver(seen.__traceback__):
            return True
    return False


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        yield seen
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__


def _raised_in_driver(tb: TracebackType | None) -> bool:
    while tb is not None:
        if str(tb.tb_frame.f_globals.get("__name__", "")).startswith(_DRIVER_MODULES):
            return True
        tb = tb.tb_next
    return False


def any_of(column: ColumnElement[Any], values: Iterable[Any], item_type: TypeEngine[Any]) -> ColumnElement[bool]:
    """`column = any(:array)`: one bound array, however many values (an IN list is capped at 32,767 parameters)."""
    return column == sa_any(bindparam(None, list(values), type_=ARRAY(item_type)))


def database_problem(exc: BaseException, *, retry_after: int) -> Problem | None:
    """The problem answering a database failure (kit.failures asks when an app has loaded this module), or None."""
    if database_lost(exc):
        return database_unavailable(retry_after)
    # SQLSTATE class 22 (data exception: a NUL in text, a number out of range …) is the caller's input.
    state = str(getattr(getattr(exc, "orig", None), "sqlstate", "") or "")
    if isinstance(exc, sa_exc.DBAPIError) and state.startswith("22"):
        return InvalidInput(
            Text(
                "Có giá trị không lưu được (ký tự NUL, số quá lớn …)",
                "A value cannot be stored (a NUL character, a number out of range …)",
            ),
            sqlstate=state,
        )
    return None
