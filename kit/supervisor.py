"""A small process supervisor: each app in its own process, so one saturated app never stops the others.

It starts every child, restarts one that dies (with backoff), gives up with one message when a child cannot start at
all (e.g. its port is taken), and on SIGINT/SIGTERM/SIGHUP stops them all: SIGTERM, then SIGKILL after a grace period.
"""

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

import httpx

log = logging.getLogger("thidua")

_PR_SET_PDEATHSIG = 1
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass(frozen=True)
class Child:
    """A program to keep running: its command, what it adds to the environment, and its readiness URL."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str]
    ready_url: str  # answers 200 once the child serves


@dataclass
class _Running:
    child: Child
    process: subprocess.Popen[bytes] | None = None
    ready: bool = False
    ready_at: float = 0.0
    start_failures: int = 0  # consecutive deaths before ever answering ready
    crashes: int = 0  # consecutive deaths soon after being ready: the backoff's exponent
    start_at: float = 0.0  # when to (re)start a child that is down
    probe_at: float = 0.0
    pids: list[int] = field(default_factory=list)


class Supervisor:
    """Keeps `children` running until a stop signal; `run` returns the exit status (0 once asked to stop)."""

    def __init__(
        self,
        children: Sequence[Child],
        *,
        grace_s: float = 5.0,
        max_start_failures: int = 3,
        backoff_s: float = 0.5,
        max_backoff_s: float = 15.0,
        stable_s: float = 30.0,
    ) -> None:
        self._children = [_Running(c) for c in children]
        self._grace_s = grace_s
        self._max_start_failures = max_start_failures
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self._stable_s = stable_s  # a child up this long before dying starts its backoff afresh
        self._stop = threading.Event()
        self._signals = 0
        self._http = httpx.Client(timeout=1.0, trust_env=False)

    def run(self, on_ready: Callable[[], None] = lambda: None) -> int:
        """Start every child, call `on_ready` once all answer their readiness URL, supervise until stopped."""
        with self._stop_on_signals():
            try:
                return self._supervise(on_ready)
            finally:
                self._stop_all()
                self._http.close()

    def _supervise(self, on_ready: Callable[[], None]) -> int:
        announced = False
        while not self._stop.is_set():
            now = time.monotonic()
            for running in self._children:
                if running.process is None:
                    if now >= running.start_at:
                        self._start(running)
                    continue
                code = running.process.poll()
                if code is not None:
                    if self._stop.is_set():
                        break  # it got the same Ctrl-C: not a crash
                    if not self._died(running, code, now):
                        return 1
                elif not running.ready and now >= running.probe_at:
                    self._probe(running, now)
            if not announced and all(r.ready for r in self._children):
                announced = True
                on_ready()
            self._stop.wait(0.1)
        return 0

    def _start(self, running: _Running) -> None:
        child = running.child
        running.process = subprocess.Popen(
            list(child.argv),
            env={**os.environ, **child.env},
            process_group=0,  # Ctrl-C reaches the supervisor only; it stops the children in order
            preexec_fn=_die_with(os.getpid()),
        )
        running.ready = False
        running.probe_at = time.monotonic() + 0.2
        running.pids.append(running.process.pid)
        log.info(
            f"{child.name} started (pid {running.process.pid})", extra={"app": child.name, "pid": running.process.pid}
        )

    def _probe(self, running: _Running, now: float) -> None:
        running.probe_at = now + 0.2
        try:
            ready = self._http.get(running.child.ready_url).status_code == 200
        except httpx.HTTPError:
            return
        if ready:
            running.ready, running.ready_at, running.start_failures = True, time.monotonic(), 0
            if len(running.pids) > 1:
                name, pid = running.child.name, running.pids[-1]
                log.info(f"{name} ready again (pid {pid})", extra={"app": name, "pid": pid})

    def _died(self, running: _Running, code: int, now: float) -> bool:
        """Schedule the restart of a child that exited; False when it should be given up."""
        name, pid = running.child.name, running.pids[-1]
        how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        running.process = None
        if not running.ready:
            running.start_failures += 1
            if running.start_failures >= self._max_start_failures:
                log.error(
                    f"{name} could not start: it ended {running.start_failures} times before answering "
                    f"{running.child.ready_url} (last: {how}); giving up and stopping the others",
                    extra={"app": name, "pid": pid, "status": code},
                )
                return False
        if running.ready and now - running.ready_at >= self._stable_s:
            running.crashes = 0
        delay = min(self._max_backoff_s, self._backoff_s * 2**running.crashes)
        running.crashes += 1
        running.start_at = now + delay
        log.warning(
            f"{name} (pid {pid}) {how}; restarting it in {delay:g} s",
            extra={"app": name, "pid": pid, "status": code},
        )
        return True

    def _stop_all(self) -> None:
        """SIGTERM every child (and SIGCONT, so a stopped one hears it), SIGKILL what is left after the grace."""
        alive = [r.process for r in self._children if r.process is not None and r.process.poll() is None]
        for process in alive:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
                process.send_signal(signal.SIGCONT)
        deadline = time.monotonic() + self._grace_s
        while self._signals < 2 and time.monotonic() < deadline and any(p.poll() is None for p in alive):
            time.sleep(0.05)  # a second Ctrl-C means now
        names = {r.process.pid: r.child.name for r in self._children if r.process is not None}
        for process in alive:
            if process.poll() is None:
                name = names[process.pid]
                log.warning(f"{name} killed: still running {self._grace_s:g} s after SIGTERM", extra={"app": name})
                process.kill()
                process.wait()
        for running in self._children:
            running.process = None

    @contextlib.contextmanager
    def _stop_on_signals(self) -> Iterator[None]:
        def stop(signum: int, _: FrameType | None) -> None:
            self._signals += 1
            self._stop.set()

        previous = {sig: signal.signal(sig, stop) for sig in _STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _die_with(parent: int) -> Callable[[], None]:
    """In the child before exec: be sent SIGTERM when the supervisor dies, even by SIGKILL (Linux)."""

    def arrange() -> None:
        if sys.platform == "linux":
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the supervisor died before the line above
            os._exit(1)

    return arrange
