"""One run per key at a time: requests that arrive while a key runs coalesce into one more run after it."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger("thidua")
K = TypeVar("K", bound=Hashable)


class CoalescingRunner(Generic[K]):
    """Runs `work(key)` in the background of this process. Each request is answered by a run that starts after it
    (so a run sees what was committed before the request), and a run covers every request made before it started."""

    def __init__(
        self,
        work: Callable[[K], Awaitable[None]],
        *,
        pause: float = 0.0,
        long_run: float = 0.0,
        max_delay: float = 60.0,
    ) -> None:
        """`pause`: when requests came during a run that took longer than `long_run` seconds, the next one waits
        for a quiet spell (no new request) of this share of the last run's time, and at most `max_delay` seconds:
        a burst of requests (a bulk import) gets one run after it rather than long runs taking a core from the work
        that requests them all along. Short runs follow each other at once."""
        self._work = work
        self._pause = pause
        self._long_run = long_run
        self._max_delay = max_delay
        self._last: dict[K, float] = {}  # when `key` was last requested
        self._tasks: dict[K, asyncio.Task[None]] = {}
        self._waiting: dict[K, list[asyncio.Future[None]]] = {}
        self._took: dict[K, float] = {}
        self._started: dict[K, float] = {}  # when the run under way began
        self._closing = False

    def took(self, key: K) -> float | None:
        """Seconds the last run of `key` took in this process (None: none ran yet)."""
        return self._took.get(key)

    def remember(self, key: K, took: float) -> None:
        """What a run of `key` took before this process ran one (e.g. as stored), if it has not run one yet."""
        self._took.setdefault(key, took)

    def running_for(self, key: K) -> float | None:
        """Seconds the run of `key` under way has lasted (None: none is under way)."""
        started = self._started.get(key)
        return None if started is None else time.monotonic() - started

    def request(self, key: K) -> asyncio.Future[None]:
        """Ask for a run of `key`; the future is done when a run that started after this call has ended (whether
        it succeeded: a failure is logged, and the next request runs again)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._closing:
            done.set_result(None)
            return done
        self._waiting.setdefault(key, []).append(done)
        self._last[key] = time.monotonic()
        if key not in self._tasks:
            self._tasks[key] = asyncio.create_task(self._runs(key), name=f"run {key}")
        return done

    async def run(self, key: K, *, wait: float | None) -> bool:
        """Request a run of `key` and wait for it up to `wait` seconds (None: until it ends; 0: not at all). True
        when the run has ended."""
        done = self.request(key)
        if wait == 0:
            return False
        try:
            await asyncio.wait_for(asyncio.shield(done), wait)
        except TimeoutError:
            return False
        return True

    async def _runs(self, key: K) -> None:
        try:
            while not self._closing and (waiting := self._waiting.pop(key, None)):
                took = self._took.get(key, 0.0)
                if self._pause and took > self._long_run:  # its last run was long: wait for the burst to pass
                    await self._quiet(key, took * self._pause)
                    waiting += self._waiting.pop(key, [])
                started = self._started[key] = time.monotonic()
                try:
                    await self._work(key)
                except Exception:
                    log.exception("a background run failed", extra={"key": str(key)})
                finally:
                    del self._started[key]
                    self._took[key] = time.monotonic() - started
                    for done in waiting:
                        if not done.done():
                            done.set_result(None)
        finally:
            del self._tasks[key]  # no await since the last look at the queue: a new request starts a new task
            for done in self._waiting.pop(key, []) if self._closing else []:
                done.set_result(None)  # its waiter goes on; the run it asked for is left to the next process

    async def _quiet(self, key: K, spell: float) -> None:
        """Until `key` has had no request for `spell` seconds, or `max_delay` has passed."""
        deadline = time.monotonic() + self._max_delay
        while True:
            left = min(self._last.get(key, 0.0) + spell, deadline) - time.monotonic()
            if left <= 0:
                return
            await asyncio.sleep(left)

    async def close(self, grace: float = 0.0) -> None:
        """Stop: runs under way get `grace` seconds to end, then are cancelled; no new run starts."""
        self._closing = True
        tasks = list(self._tasks.values())
        if tasks and grace > 0:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
