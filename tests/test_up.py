"""`thidua up` for real: every app in its own process, on free ports, on a database of its own (no demo data).

One run for the module (starting four apps is most of the cost), its tests in order: a second `up` on the same data
folder is refused and changes nothing; a busy gateway does not stop the registry, a child killed with SIGKILL is
started again, and SIGTERM to `thidua up` ends every process it started (last: it ends the run)."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kit import embedded
from tests.loopback import free_port
from thidua.system import APPS

ROOT = Path(__file__).resolve().parent.parent
START_S = 180  # generous bounds for a loaded 2-core machine; a quiet one needs a tenth
STOP_S = 30


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Up:
    process: subprocess.Popen[bytes]
    base: dict[str, str]  # app name → its URL
    env: dict[str, str]
    stdout: Path
    stderr: Path
    log_file: Path

    def log(self) -> list[dict[str, object]]:
        lines = self.log_file.read_text(errors="replace").splitlines() if self.log_file.exists() else []
        return [json.loads(line) for line in lines if line.startswith("{")]

    def pids(self, app: str) -> list[int]:
        """Every process started for `app`, oldest first, as the supervisor logged them."""
        return [int(str(r["pid"])) for r in self.log() if r.get("app") == app and "started" in str(r["msg"])]

    def wait_for(self, what: str, ok: Callable[[], bool], bound_s: float = START_S) -> None:
        deadline = time.monotonic() + bound_s
        while not ok():
            assert self.process.poll() is None, f"thidua up ended: {self.stderr.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"no {what} within {bound_s} s: {self.stderr.read_text()[-3000:]}"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def up(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Up]:
    url = asyncio.run(embedded.ensure_database(server_url, "thidua_up", fresh=True))
    ports = {spec.name: free_port() for spec in APPS}
    tmp_path = tmp_path_factory.mktemp("up")
    env = os.environ | {
        "DATABASE_URL": url,
        "THIDUA_DATA_DIR": str(tmp_path),
        "THIDUA_LOG_JSON": "true",
        "THIDUA_LOG_LEVEL": "INFO",
        **{f"THIDUA_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    env.pop("THIDUA_LOG_FILE", None)
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "thidua.cli", "up", "--no-demo"], cwd=ROOT, env=env, stdout=out, stderr=err
        )
    base = {n: f"http://127.0.0.1:{p}" for n, p in ports.items()}
    running = Up(process, base, env, stdout, stderr, tmp_path / "logs" / "thidua.log")
    try:
        running.wait_for("banner", lambda: "a token" in stdout.read_text())  # its last line
        yield running
    finally:
        if process.poll() is None:
            process.kill()  # its children get SIGTERM from the kernel (parent-death signal)
            process.wait()
        for spec in APPS:
            for pid in running.pids(spec.name):
                if _alive(pid):
                    os.kill(pid, signal.SIGCONT)
                    os.kill(pid, signal.SIGKILL)


def test_the_console_shows_the_banner_and_the_log_file_the_json_records(up: Up) -> None:
    banner = up.stdout.read_text()
    for name, base in up.base.items():
        assert f"{name:<10} {base}" in banner
    assert f"logs       {up.log_file}" in banner
    assert up.stderr.read_text() == ""  # nothing went wrong: nothing but the banner on the console
    assert [r["service"] for r in up.log() if r["msg"] == "migrated"] == ["registry", "scoring", "awards"]


def test_a_second_up_on_the_same_data_folder_says_where_the_first_runs_and_changes_nothing(up: Up) -> None:
    records = len(up.log())
    second = subprocess.run(
        [sys.executable, "-m", "thidua.cli", "up"], cwd=ROOT, env=up.env, capture_output=True, timeout=STOP_S
    )

    assert second.returncode == 1
    said = second.stderr.decode()
    assert f"thidua is already running on the data folder {up.env['THIDUA_DATA_DIR']} (pid {up.process.pid})" in said
    assert f"gateway {up.base['gateway']}" in said
    assert "thidua đã chạy" in said
    assert "Traceback" not in said
    assert len(up.log()) == records  # no migration, no demo, nothing stopped
    assert all(_ready(base) for base in up.base.values())


def test_db_stop_leaves_the_postgresql_of_a_running_up_alone(up: Up) -> None:
    stop = subprocess.run(
        [sys.executable, "-m", "thidua.cli", "db-stop"], cwd=ROOT, env=up.env, capture_output=True, timeout=STOP_S
    )

    assert stop.returncode == 1
    assert f"thidua is running on this data folder (pid {up.process.pid})" in stop.stderr.decode()
    assert _ready(up.base["registry"])


def test_each_app_runs_in_its_own_process_restarted_when_killed_and_stopped_by_sigterm(up: Up) -> None:
    pids = {spec.name: up.pids(spec.name) for spec in APPS}
    assert all(len(p) == 1 for p in pids.values()), pids
    assert len({p[0] for p in pids.values()} | {up.process.pid}) == len(APPS) + 1  # a process each

    # The gateway is stuck (stopped in the middle of whatever it does): a request to it waits, the registry answers.
    gateway = pids["gateway"][0]
    os.kill(gateway, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(httpx.get, up.base["gateway"] + "/livez", timeout=STOP_S)
            assert httpx.get(up.base["registry"] + "/readyz", timeout=10).status_code == 200
            units = httpx.get(up.base["registry"] + "/units", params={"limit": 1}, timeout=10)
            assert units.status_code == 200
            assert not waiting.done()
            os.kill(gateway, signal.SIGCONT)
            assert waiting.result().status_code == 200
    finally:
        os.kill(gateway, signal.SIGCONT)

    # A child killed outright is started again, and the supervisor says so.
    os.kill(pids["registry"][0], signal.SIGKILL)
    up.wait_for("restart", lambda: len(up.pids("registry")) == 2)
    up.wait_for("registry again", lambda: _ready(up.base["registry"]))
    messages = [str(r["msg"]) for r in up.log()]
    assert f"registry (pid {pids['registry'][0]}) was killed by signal 9; restarting it in 0.5 s" in messages
    assert not _alive(pids["registry"][0])

    # SIGTERM ends `thidua up` and every process it started, within a bound.
    up.process.send_signal(signal.SIGTERM)
    assert up.process.wait(timeout=STOP_S) == 0
    every = [pid for spec in APPS for pid in up.pids(spec.name)]
    assert not [pid for pid in every if _alive(pid)]


def _ready(base: str) -> bool:
    try:
        return httpx.get(base + "/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


async def test_one_app_on_the_embedded_default_finds_its_database_from_inside_the_event_loop(server_url: str) -> None:
    """`thidua serve NAME` with no DATABASE_URL: the app's lifespan starts (or reuses) the embedded server."""
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the test server is not an embedded one")
    from services.scoring.app import create_app
    from services.scoring.settings import ScoringSettings

    app = create_app(ScoringSettings(data_dir=ROOT / ".data" / "test", database_url=None))  # the test server's
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://s") as client:
        assert (await client.get("/readyz")).status_code == 200
