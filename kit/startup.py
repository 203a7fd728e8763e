"""Checks before a start, each refusing with one line a person can act on, in Vietnamese and in English; and the
lock that keeps one instance per data folder."""

import contextlib
import errno
import fcntl
import json
import os
import socket
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit import revisions


class StartError(Exception):
    """A reason not to start: printed as is (no traceback), the process exits non-zero."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(f"{vi}\n{en}")
        self.vi, self.en = vi, en


def writable_folder(path: Path) -> Path:
    """`path`, created if missing, once a file could be written in it."""
    path = path.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StartError(
            f"Không tạo hoặc ghi được thư mục dữ liệu {path} ({reason}): đặt THIDUA_DATA_DIR tới một thư mục ghi được.",
            f"Cannot create or write the data folder {path} ({reason}): set THIDUA_DATA_DIR to a folder you can write.",
        ) from None
    return path


def port_free(name: str, host: str, port: int) -> None:
    """Refuse when another program listens on `host`:`port` (bound as uvicorn binds: SO_REUSEADDR)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise StartError(
                    f"Không nghe được trên {host}:{port} ({name}): {exc.strerror}; kiểm tra THIDUA_HOST.",
                    f"Cannot listen on {host}:{port} ({name}): {exc.strerror}; check THIDUA_HOST.",
                ) from None
            who = _listener(port)
            raise StartError(
                f"Cổng {port} ({name}) đang bị chương trình khác dùng{f' ({who})' if who else ''}: dừng chương trình "
                f"đó, hoặc chọn cổng khác (ví dụ THIDUA_BASE_PORT={_elsewhere(port)}).",
                f"Port {port} ({name}) is in use by another program{f' ({who})' if who else ''}: stop it, or choose "
                f"other ports (e.g. THIDUA_BASE_PORT={_elsewhere(port)}).",
            ) from None


def _listener(port: int) -> str | None:
    """`pid N: its command line` of the process listening on `port`, when /proc tells (Linux, a process of ours)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: listening
                    inodes.add(f"socket:[{fields[9]}]")
    for fd_dir in Path("/proc").glob("[0-9]*/fd") if inodes else ():
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) in inodes for fd in fd_dir.iterdir()):
                pid = int(fd_dir.parent.name)
                command = _command(pid)
                while (parent := _parent(pid)) and _command(parent) == command:  # a forked child: name its parent
                    pid = parent
                return f"pid {pid}: {command[:120]}"
    return None


def _command(pid: int) -> str:
    return " ".join((Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")).replace("\0", " ").split())


def _parent(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return None


def _elsewhere(port: int) -> int:
    return (port // 100 + 1) * 100


async def database(url: str, schemas: Iterable[str], *, connect_seconds: float = 5.0) -> list[str]:
    """Refuse a database that does not answer or is too old; return the schemas whose migrations are not at head."""
    import asyncpg

    shown = _without_password(url)
    try:
        conn = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=connect_seconds)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
        if isinstance(exc, ConnectionRefusedError):
            vi, en = "không có máy chủ nào nghe ở đó", "nothing listens there"
        elif isinstance(exc, TimeoutError):
            vi, en = f"không trả lời sau {connect_seconds:g} s", f"no answer within {connect_seconds:g} s"
        else:
            vi = en = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
        raise StartError(
            f"Không kết nối được cơ sở dữ liệu {shown} ({vi}): kiểm tra DATABASE_URL, hoặc bỏ nó để dùng "
            "PostgreSQL nhúng.",
            f"Cannot reach the database {shown} ({en}): check DATABASE_URL, or unset it to use the embedded "
            "PostgreSQL.",
        ) from None
    try:
        version = int(await conn.fetchval("show server_version_num"))
        if version < revisions.MIN_SERVER_VERSION:
            need, found = revisions.MIN_SERVER_VERSION // 10000, f"{version // 10000}.{version % 10000}"
            raise StartError(
                f"Cần PostgreSQL {need} trở lên; máy chủ {shown} là bản {found}.",
                f"thidua needs PostgreSQL {need} or later; the server {shown} is {found}.",
            )
        return await revisions.behind(conn, schemas)
    finally:
        await conn.close()


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{place}"


class AlreadyRunning(Exception):
    """Another process holds the instance lock; `about` is what it wrote there."""

    def __init__(self, about: Mapping[str, Any]) -> None:
        super().__init__(f"already running: {about}")
        self.about = about


@dataclass(frozen=True)
class Claim:
    """A held instance lock: its descriptor (closing it lets the lock go) and what the previous holder, now gone,
    had written (empty the first time)."""

    fd: int
    previous: Mapping[str, Any]


def claim(path: Path, about: Mapping[str, Any]) -> Claim:
    """Hold the lock at `path` for the life of this process and of those it forks (flock: released by the kernel
    when they end, however they end), and write `about` in it; raise AlreadyRunning when another holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        with os.fdopen(fd) as held:
            raise AlreadyRunning(_read(held.read())) from None
    claimed = Claim(fd, _read(os.pread(fd, 1 << 16, 0).decode(errors="replace")))
    note(claimed, about)
    return claimed


def _read(text: str) -> Mapping[str, Any]:
    with contextlib.suppress(ValueError):
        about = json.loads(text)
        if isinstance(about, dict):
            return about
    return {}


def note(claim: Claim, about: Mapping[str, Any]) -> None:
    """Write `about` in a held lock (what the next holder reads as `previous`)."""
    os.ftruncate(claim.fd, 0)
    os.pwrite(claim.fd, json.dumps(dict(about), ensure_ascii=False).encode(), 0)


def holder(path: Path) -> Mapping[str, Any] | None:
    """What the process holding the lock at `path` wrote, or None when none holds it (nothing is changed)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    with os.fdopen(fd) as lock:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(lock.read())
    return None
