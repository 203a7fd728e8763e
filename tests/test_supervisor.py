"""The supervisor with tiny children (http.server each): giving up, and stopping stubborn children."""

import functools
import http.server
import logging
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from kit.supervisor import Child, Job, Supervisor
from tests.loopback import free_port


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _answer_on(port: int, *, stubborn: bool = False) -> None:
    """A child's whole life: answer 200 on every path (ignoring SIGTERM when `stubborn`)."""
    if stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    http.server.HTTPServer(("127.0.0.1", port), _Ok).serve_forever()


def _stub(name: str, port: int, *, stubborn: bool = False) -> Child:
    target = functools.partial(_answer_on, port, stubborn=stubborn)
    return Child(name, target, {}, f"http://127.0.0.1:{port}/readyz")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def caplog(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="thidua")
    return caplog


def _pids(caplog: pytest.LogCaptureFixture) -> dict[str, list[int]]:
    """Every process the supervisor started, by child name, from its log."""
    started: dict[str, list[int]] = {}
    for record in caplog.records:
        app, pid = record.__dict__.get("app"), record.__dict__.get("pid")
        if record.getMessage() == f"{app} started (pid {pid})":
            started.setdefault(str(app), []).append(int(str(pid)))
    return started


def test_a_child_that_cannot_take_its_port_makes_the_supervisor_give_up_and_stop_the_others(
    held_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    ready: list[bool] = []
    supervisor = Supervisor([_stub("good", free_port()), _stub("clash", held_port)], backoff_s=0.05)

    assert supervisor.run(on_ready=lambda: ready.append(True)) == 1

    assert ready == []  # never all ready: no banner
    pids = _pids(caplog)
    assert len(pids["clash"]) == 3
    assert len(pids["good"]) == 1
    assert not any(_alive(pid) for pids_of in pids.values() for pid in pids_of)
    gave_up = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert gave_up == [
        f"clash could not start: it ended 3 times before answering http://127.0.0.1:{held_port}/readyz "
        "(last: exited with status 1); giving up and stopping the others"
    ]


def test_sigterm_stops_every_child_and_kills_one_that_ignores_it_after_the_grace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supervisor = Supervisor([_stub("polite", free_port()), _stub("stubborn", free_port(), stubborn=True)], grace_s=1)
    started, handler = time.monotonic(), signal.getsignal(signal.SIGTERM)

    status = supervisor.run(on_ready=lambda: os.kill(os.getpid(), signal.SIGTERM))

    assert status == 0
    assert time.monotonic() - started < 60  # generous: the grace is 1 s
    pids = _pids(caplog)
    assert not _alive(pids["polite"][0])
    assert not _alive(pids["stubborn"][0])
    assert "stubborn killed: still running 1 s after SIGTERM" in [r.getMessage() for r in caplog.records]
    assert signal.getsignal(signal.SIGTERM) == handler  # the supervisor's handler is gone


def _write(path: str, text: str, status: int = 0) -> None:
    """A job's whole life: leave `text` in `path`, end with `status`."""
    Path(path).write_text(text)
    sys.exit(status)


def test_jobs_run_once_after_every_child_answers_and_a_failed_one_is_reported_not_restarted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    done, failed = tmp_path / "done", tmp_path / "failed"
    jobs = [
        Job("demo", functools.partial(_write, str(done), "loaded")),
        Job("broken", functools.partial(_write, str(failed), "tried", 3)),
    ]
    supervisor = Supervisor([_stub("app", free_port())], jobs=jobs)
    before_jobs: list[bool] = []

    def both_ended() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.__dict__.get("job")]

    def stop_once_both_ended(*_: object) -> None:  # polled: no wall-clock bound on a busy machine
        if len(both_ended()) == 2:
            signal.setitimer(signal.ITIMER_REAL, 0)
            os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGALRM, stop_once_both_ended)
    signal.setitimer(signal.ITIMER_REAL, 0.1, 0.1)
    try:
        status = supervisor.run(on_ready=lambda: before_jobs.append(done.exists() or failed.exists()))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    assert status == 0
    assert before_jobs == [False]  # on_ready (the banner) comes first
    assert (done.read_text(), failed.read_text()) == ("loaded", "tried")  # once each
    ended = both_ended()
    assert ended[0 if "demo" in ended[0] else 1].startswith("demo done")
    assert any(m.startswith("broken (pid ") and m.endswith(") exited with status 3") for m in ended)
    started = _pids(caplog)
    assert list(started) == ["app"]  # jobs are not children: never restarted
