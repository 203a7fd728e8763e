"""A restart keeps what an office changed: `thidua up` with the demo, a correction through the API, a stop, a second
`up` on the same data folder and database, and the correction is still there (the demo is not loaded again)."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from kit import embedded
from tests.loopback import free_port
from thidua.system import APPS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "services" / "awards" / "catalogue" / "data"
BOUND_S = 240  # a loaded 2-core machine; a quiet one needs a tenth


@contextmanager
def _up(env: dict[str, str], out: Path) -> Iterator[subprocess.Popen[bytes]]:
    with out.open("wb") as stdout:
        process = subprocess.Popen([sys.executable, "-m", "thidua.cli", "up"], cwd=ROOT, env=env, stdout=stdout)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0


def _wait(process: subprocess.Popen[bytes], done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND_S
    while not done():
        assert process.poll() is None, f"thidua up ended before {what}"
        assert time.monotonic() < deadline, f"no {what} within {BOUND_S} s"
        time.sleep(0.1)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_correction_survives_a_restart(server_url: str, tmp_path: Path) -> None:
    url = asyncio.run(embedded.ensure_database(server_url, "thidua_restart", fresh=True))
    ports = {spec.name: free_port() for spec in APPS}
    env = os.environ | {
        "DATABASE_URL": url,
        "THIDUA_DATA_DIR": str(tmp_path),
        **{f"THIDUA_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    awards = f"http://127.0.0.1:{ports['awards']}"
    first, second = tmp_path / "first.out", tmp_path / "second.out"
    shipped = json.loads((DATA / "TDKT-2022.json").read_text(encoding="utf-8"))
    corrected = json.loads(json.dumps(shipped))
    form = next(f for f in corrected["forms"] if f["code"] == "HCLD_3")
    form["copies"] += 2  # the office files more sets of the dossier than the shipped catalogue says

    with _up(env, first) as process:
        _wait(process, lambda: "demo ready" in first.read_text(), "demo ready")
        token = subprocess.run(
            [sys.executable, "-m", "thidua.cli", "token", "--user", "admin"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        put = httpx.put(f"{awards}/regimes/TDKT-2022", json=corrected, headers={"Authorization": f"Bearer {token}"})
        assert put.status_code == 200, put.text

    with _up(env, second) as process:
        _wait(process, lambda: all(_answers(f"http://127.0.0.1:{p}/readyz") for p in ports.values()), "readyz")
        regime = httpx.get(f"{awards}/regimes/TDKT-2022", headers={"Authorization": f"Bearer {token}"}).json()
        assert next(f["copies"] for f in regime["forms"] if f["code"] == "HCLD_3") == form["copies"]
        time.sleep(1)  # the demo job runs once every app answers: it finds the demo there and says nothing
        told = second.read_text()
        assert "demo ready" not in told, told
        assert "loading" not in told, told
