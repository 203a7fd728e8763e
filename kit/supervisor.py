"""A small process supervisor: each app in its own process, so one saturated app never stops the others.

Children are forked from the supervisor once it has imported what they run (as gunicorn's `--preload` does): a child
starts, or starts again after a crash, in well under a second instead of importing everything anew, and shares those
pages with its siblings. The supervisor restarts a child that dies (with backoff), gives up with one message when a
child cannot start at all (e.g. its port is taken), and on SIGINT/SIGTERM/SIGHUP stops them all: SIGTERM, then
SIGKILL after a grace period. Jobs (e.g. loading demo data) run once, forked the same way, when every child answers.
It must fork from a process with one thread (POSIX keeps only the forking thread).
"""

import contextlib
import ctypes
import logging
import os
import signal
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
    """What to keep running: a function run in a forked process (it returns or exits when done), what it adds to
    the environment first, and the URL that answers 200 once it serves."""

    name: str
    target: Callable[[], object]
    env: Mapping[str, str]
    ready_url: str


@dataclass(frozen=True)
class Job:
    """Work done once, in a forked process, after every child answers (never restarted: its end is logged)."""

    name: str
    target: Callable[[], object]


@dataclass
class _Running:
    child: Child
    pid: int | None = None  # None while down
    ready: bool = False
    ready_at: float = 0.0
    start_failures: int = 0  # consecutive deaths before ever answering ready
    crashes: int = 0  # consecutive deaths without a long enough life: the backoff's exponent
    start_at: float = 0.0  # when to (re)start a child that is down
    probe_at: float = 0.0
    pids: list[int] = field(default_factory=list)  # every process started for it


class Supervisor:
    """Keeps `children` running until a stop signal; `run` returns the exit status (0 once asked to stop)."""

    def __init__(
        self,
        children: list[Child],
        *,
        jobs: Sequence[Job] = (),
        grace_s: float = 5.0,
        max_start_failures: int = 3,
        backoff_s: float = 0.5,
        max_backoff_s: float = 15.0,
        stable_s: float = 30.0,
    ) -> None:
        self._children = [_Running(c) for c in children]
        self._jobs = jobs
        self._job_pids: dict[int, str] = {}
        self._grace_s = grace_s
        self._max_start_failures = max_start_failures
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self._stable_s = stable_s  # a child up this long before dying starts its backoff afresh
        self._stop = threading.Event()
        self._signals = 0

    def run(self, on_ready: Callable[[], None] = lambda: None) -> int:
        """Start every child, call `on_ready` once all answer their readiness URL, supervise until stopped."""
        if threading.active_count() > 1:
            log.warning("forking with other threads running: a lock one of them holds stays held in the children")
        # No kept-alive connection: a child forked later would inherit its socket.
        with self._stop_on_signals(), httpx.Client(timeout=1.0, trust_env=False, limits=_NO_KEEPALIVE) as http:
            try:
                return self._supervise(http, on_ready)
            finally:
                self._stop_all()

    def _supervise(self, http: httpx.Client, on_ready: Callable[[], None]) -> int:
        announced = False
        while not self._stop.is_set():
            now = time.monotonic()
            for running in self._children:
                if self._stop.is_set():
                    break
                if running.pid is None:
                    if now >= running.start_at:
                        self._start(running)
                    continue
                status = _exit_status(running.pid)
                if status is not None:
                    if not self._died(running, status, now):
                        return 1
                elif not running.ready and now >= running.probe_at:
                    self._probe(http, running, now)
            if not announced and all(r.ready for r in self._children):
                announced = True
                on_ready()
                for job in self._jobs:
                    self._job_pids[self._fork(Child(job.name, job.target, {}, ""))] = job.name
            self._reap_jobs()
            self._stop.wait(0.1)
        return 0

    def _start(self, running: _Running) -> None:
        child = running.child
        pid = self._fork(child)
        running.pid, running.ready, running.probe_at = pid, False, time.monotonic() + 0.2
        running.pids.append(pid)
        log.info(f"{child.name} started (pid {pid})", extra={"app": child.name, "pid": pid})

    @staticmethod
    def _fork(child: Child) -> int:
        sys.stdout.flush()
        sys.stderr.flush()  # else the child writes what the supervisor buffered once more
        supervisor = os.getpid()
        pid = os.fork()
        if pid == 0:
            _become(child, parent=supervisor)
        return pid

    def _reap_jobs(self) -> None:
        for pid, name in list(self._job_pids.items()):
            status = _exit_status(pid)
            if status is None:
                continue
            del self._job_pids[pid]
            if status == 0:
                log.info(f"{name} done", extra={"job": name, "pid": pid})
            else:
                how = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
                log.warning(f"{name} (pid {pid}) {how}", extra={"job": name, "pid": pid, "status": status})

    def _probe(self, http: httpx.Client, running: _Running, now: float) -> None:
        running.probe_at = now + 0.2
        try:
            ready = http.get(running.child.ready_url).status_code == 200
        except httpx.HTTPError:
            return
        if ready:
            running.ready, running.ready_at, running.start_failures = True, time.monotonic(), 0
            if len(running.pids) > 1:
                name, pid = running.child.name, running.pid
                log.info(f"{name} ready again (pid {pid})", extra={"app": name, "pid": pid})

    def _died(self, running: _Running, status: int, now: float) -> bool:
        """Schedule the restart of a child that ended; False when it should be given up."""
        name, pid = running.child.name, running.pid
        how = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
        running.pid = None
        if not running.ready:
            running.start_failures += 1
            if running.start_failures >= self._max_start_failures:
                log.error(
                    f"{name} could not start: it ended {running.start_failures} times before answering "
                    f"{running.child.ready_url} (last: {how}); giving up and stopping the others",
                    extra={"app": name, "pid": pid, "status": status},
                )
                return False
        if running.ready and now - running.ready_at >= self._stable_s:
            running.crashes = 0
        delay = min(self._max_backoff_s, self._backoff_s * 2**running.crashes)
        running.crashes += 1
        running.start_at = now + delay
        log.warning(
            f"{name} (pid {pid}) {how}; restarting it in {delay:g} s",
            extra={"app": name, "pid": pid, "status": status},
        )
        return True

    def _stop_all(self) -> None:
        """SIGTERM every child (and SIGCONT, so a stopped one hears it), SIGKILL what is left after the grace."""
        alive = {r.pid: r.child.name for r in self._children if r.pid is not None} | self._job_pids
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
                os.kill(pid, signal.SIGCONT)
        deadline = time.monotonic() + self._grace_s
        while alive and self._signals < 2 and time.monotonic() < deadline:  # a second Ctrl-C means now
            alive = {pid: name for pid, name in alive.items() if _exit_status(pid) is None}
            time.sleep(0.05)
        for pid, name in alive.items():
            if _exit_status(pid) is None:
                log.warning(f"{name} killed: still running {self._grace_s:g} s after SIGTERM", extra={"app": name})
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
        for running in self._children:
            running.pid = None
        self._job_pids.clear()

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


_NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)


def _exit_status(pid: int) -> int | None:
    """None while `pid` runs; else its exit status (negative: the signal that killed it), reaping it."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # already reaped
        return 0
    return os.waitstatus_to_exitcode(status) if done else None


def _become(child: Child, *, parent: int) -> None:
    """In the forked process: run `child.target`, then leave without returning into the supervisor's code."""
    status = 1
    try:
        os.setpgid(0, 0)  # Ctrl-C in a terminal reaches the supervisor only; it stops the children in order
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        if sys.platform == "linux":  # SIGTERM when the supervisor dies, even by SIGKILL
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # it died before the line above
            return
        os.environ.update(child.env)
        child.target()
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException as exc:  # the stack goes where the logs go (a file under `up`), the console gets one line
        log.error(f"{child.name} failed: {exc!r}", exc_info=True, extra={"app": child.name, "pid": os.getpid()})
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)
