"""The gateway keeps no data: its app loads no database driver, not even through kit (import-linter checks the
imports it names; this checks what loading it really pulls in)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_gateway_app_loads_no_sqlalchemy_and_no_asyncpg() -> None:
    probe = (
        "import sys\nfrom gateway.app import create_app\ncreate_app\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'asyncpg', 'alembic'}))"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
