"""How soon `make run` answers: from the command until every app's /readyz answers, and until "demo ready" is
printed, on a fresh data folder; then a later start on the same folder (the demo is already there).

    .venv/bin/python bench/start.py                  # 3 fresh starts and 3 later ones on ports 8400-8403
    .venv/bin/python bench/start.py --runs 1 --base-port 8500

Goals (issue 15): every app answers within 8 s of a fresh start and the demo is loaded within 15 s, even on a busy
machine; a later start answers within 3 s. Bytecode writing is left on, as on a user's machine (our sessions set
PYTHONDONTWRITEBYTECODE, which makes every start compile the project again)."""

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BOUND_S = 120.0


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def start(data_dir: Path, base: int, *, wait_for_demo: bool) -> tuple[float, float | None]:
    """Seconds until all four apps answer, and until "demo ready" (None when not waited for or not printed)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"THIDUA_BASE_PORT": str(base), "THIDUA_DATA_DIR": str(data_dir)}
    told = data_dir.parent / f"{data_dir.name}.out"
    started = time.monotonic()
    with told.open("wb") as out:
        process = subprocess.Popen(
            ["make", "-s", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    ready: float | None = None
    demo: float | None = None
    try:
        while time.monotonic() - started < BOUND_S:
            if ready is None and all(_answers(f"http://127.0.0.1:{base + i}/readyz") for i in range(4)):
                ready = time.monotonic() - started
            if demo is None and "demo ready" in told.read_text(errors="replace"):
                demo = time.monotonic() - started
            if ready is not None and (demo is not None or not wait_for_demo):
                break
            if process.poll() is not None:
                raise SystemExit(f"make run ended: {told.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(30)
    if ready is None:
        raise SystemExit(f"the apps did not answer within {BOUND_S:.0f} s")
    return ready, demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base-port", type=int, default=8400)
    args = parser.parse_args()
    for run in range(1, args.runs + 1):
        folder = Path(tempfile.mkdtemp(prefix="thidua-start-"))
        try:
            ready, demo = start(folder / "data", args.base_port, wait_for_demo=True)
            later, _ = start(folder / "data", args.base_port, wait_for_demo=False)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        shown = f"{demo:.1f} s" if demo is not None else "not printed"
        print(
            f"run {run}: fresh start answers in {ready:.1f} s (goal ≤ 8 s), demo ready in {shown} (goal ≤ 15 s); "
            f"later start answers in {later:.1f} s (goal ≤ 3 s); load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
