"""Recompute on write, never on read. A write that changes an input of a period's scores (values, their review,
participants, the snapshot) adds a stale mark in its own transaction and, once it has committed, asks this process's
refresher to recompute the period. Recomputes of a period run one at a time (coalesced here, and across processes by
the period's recompute lock), and a request that comes during one is covered by one more run after it.

The write's answer waits for the run that covers it when the period recomputes quickly (an ordinary province: a
read after the write sees it); a period whose recompute takes longer than `scores_wait_seconds` is recomputed in the
background, and its results say `stale` until then. Lock and publish recompute inside their own transaction."""

import asyncio
import logging
import uuid
from functools import partial
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession

from kit.coalescing import CoalescingRunner
from kit.db import Database, after_commit
from services.scoring.periods import repository as periods_repo
from services.scoring.scores import repository as repo
from services.scoring.scores import service

log = logging.getLogger("thidua")


class ScoreRefresher:
    """This process's recomputes, one per period at a time."""

    def __init__(self, database: Database, *, wait: float) -> None:
        self._database = database
        # Sessions sharing one connection (tests) cannot overlap a request: every write waits for its run.
        self._wait = None if database.serial else wait
        # A period that recomputes slowly (the writes do not wait for it) is recomputed once a burst of writes (a bulk
        # import) goes quiet, rather than over and over while it lasts; a quick one at once, for the waiting writes.
        self._runs = CoalescingRunner(self._run, pause=0.0 if database.serial else 1.0, long_run=wait)
        self._took: dict[uuid.UUID, float | None] = {}  # the last recompute's time, as stored (once per period)

    async def mark_stale(self, session: AsyncSession, period_id: uuid.UUID) -> None:
        """An input of the period's scores changed in this session: mark it, and recompute once it has committed."""
        await periods_repo.mark_stale(session, period_id)
        after_commit(session, ("scores", period_id), partial(self.refresh, period_id))

    async def refresh(self, period_id: uuid.UUID) -> bool:
        """Recompute the period (in the background) and wait for it unless it takes long. True when done."""
        return await self._runs.run(period_id, wait=await self._wait_for(period_id))

    async def _wait_for(self, period_id: uuid.UUID) -> float | None:
        if self._wait is None:
            return None
        running = self._runs.running_for(period_id)
        if running is not None and running > self._wait:  # a long one (the first of a large period, say)
            return 0.0
        took = self._runs.took(period_id)
        if took is None:
            if period_id not in self._took:
                async with self._database.sessionmaker() as session:
                    self._took[period_id] = await repo.run_seconds(session, period_id)
            took = self._took[period_id]
            if took is not None:  # a long one waits for a burst of writes to pass, from this process's first run
                self._runs.remember(period_id, took)
        return 0.0 if took is not None and took > self._wait else self._wait

    async def _run(self, period_id: uuid.UUID) -> None:
        async with self._database.sessionmaker() as session, session.begin():
            await service.ensure_fresh(session, period_id)

    async def sweep(self) -> None:
        """Recompute every period left stale (by a process that stopped before its recompute ended)."""
        try:
            async with self._database.sessionmaker() as session:
                stale = await repo.stale_periods(session)
        except Exception:  # the database is away: the next sweep, or the period's next write, recomputes it
            log.warning("stale periods not read", exc_info=True)
            return
        for period_id in stale:
            await self._runs.run(period_id, wait=None if self._wait is None else 0.0)

    async def sweep_every(self, seconds: float) -> None:
        while True:
            await self.sweep()
            await asyncio.sleep(seconds)

    async def close(self, grace: float) -> None:
        await self._runs.close(grace)


async def start(app: FastAPI) -> None:
    database: Database = app.state.database
    refresher = ScoreRefresher(database, wait=app.state.settings.scores_wait_seconds)
    app.state.refresher = refresher
    if database.serial:
        await refresher.sweep()
    else:  # in the background: the app starts (and answers 503) even when the database is away
        app.state.sweep = asyncio.create_task(refresher.sweep_every(app.state.settings.scores_sweep_seconds))


async def stop(app: FastAPI) -> None:
    # A run under way may end (its marks are cleared); one cut short leaves them for the next start.
    if sweep := getattr(app.state, "sweep", None):
        sweep.cancel()
        await asyncio.gather(sweep, return_exceptions=True)
    await app.state.refresher.close(grace=app.state.settings.scores_shutdown_grace_seconds)


def _refresher(request: Request) -> ScoreRefresher:
    refresher: ScoreRefresher = request.app.state.refresher
    return refresher


Refresher = Annotated[ScoreRefresher, Depends(_refresher)]
