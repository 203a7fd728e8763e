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

    def __init__(self, work: Callable[[K], Awaitable[None]], *, pause: float = 0.0) -> None:
        """`pause`: when requests keep coming during runs, wait this share of the last run's time before the next
        one, so that a long run does not take a core for ever from the work that requests it."""
        self._work = work
        self._pause = pause
        self._tasks: dict[K, asyncio.Task[None]] = {}
        self._waiting: dict[K, list[asyncio.Future[None]]] = {}
        self._took: dict[K, float] = {}
        self._closing = False

    def took(self, key: K) -> float | None:
        """Seconds the last run of `key` took in this process (None: none ran yet)."""
        return self._took.get(key)

    def request(self, key: K) -> asyncio.Future[None]:
        """Ask for a run of `key`; the future is done when a run that started after this call has ended (whether
        it succeeded: a failure is logged, and the next request runs again)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._closing:
            done.set_result(None)
            return done
        self._waiting.setdefault(key, []).append(done)
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
            first = True
            while not self._closing and (waiting := self._waiting.pop(key, None)):
                if not first and self._pause:  # requests came in during the last run: leave room to their writers
                    await asyncio.sleep(self._took.get(key, 0.0) * self._pause)
                    waiting += self._waiting.pop(key, [])
                first = False
                started = time.monotonic()
                try:
                    await self._work(key)
                except Exception:
                    log.exception("a background run failed", extra={"key": str(key)})
                finally:
                    self._took[key] = time.monotonic() - started
                    for done in waiting:
                        if not done.done():
                            done.set_result(None)
        finally:
            del self._tasks[key]  # no await since the last look at the queue: a new request starts a new task
            for done in self._waiting.pop(key, []) if self._closing else []:
                done.set_result(None)  # its waiter goes on; the run it asked for is left to the next process

    async def close(self, grace: float = 0.0) -> None:
        """Stop: runs under way get `grace` seconds to end, then are cancelled; no new run starts."""
        self._closing = True
        tasks = list(self._tasks.values())
        if tasks and grace > 0:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
