"""How the apps start: one in this process (`thidua serve`), or all of them, each in its own supervised process, with
the database and the demo data (`thidua up`).

`thidua up`, in order: one instance per data folder (a lock that names where it runs), every port free, the embedded
PostgreSQL started and the database checked (reachable, new enough, migrations at head: one query when nothing is to
do) in a thread while this process imports the apps, migrations when behind, the signing key, then the apps forked;
once all answer, the banner, and the demo data loaded in the background, once. Nothing is changed before the checks
pass, and PostgreSQL is stopped on exit only by the process that started it."""

import asyncio
import contextlib
import functools
import gc
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType

from kit import embedded, logs, startup
from kit.settings import ServiceSettings
from kit.supervisor import Child, Job, Supervisor
from services.registry.settings import RegistrySettings
from thidua.system import APPS, SERVICES, AppSpec

log = logging.getLogger("thidua")


def serve(spec: AppSpec) -> None:
    """Serve one app in this process until SIGINT/SIGTERM (`thidua serve`, and each child of `thidua up`)."""
    import uvicorn

    settings = spec.settings()
    app = spec.create_app(settings)
    _freeze()
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, proxy_headers=True)


def _freeze() -> None:
    """What is built before serving (modules, routes, schemas, ORM metadata) lives as long as the process: moved out
    of the collector's sight, a request of 10,000 rows no longer pays for full collections that walk all of it
    (measured: ingest through the API from 23,600 to 46,100 rows/s, bench/README.md)."""
    gc.collect()
    gc.freeze()


def log_file(settings: ServiceSettings, *, default: Path | None) -> Path | None:
    """Where JSON logs go (None: the console): THIDUA_LOG_FILE, `-` for the console, else `default`."""
    if settings.log_file == "-":
        return None
    return Path(settings.log_file).expanduser() if settings.log_file else default


def up(*, host: str | None, demo: bool, keep_db: bool) -> int:
    """Run everything until SIGINT/SIGTERM; return the exit status. Raises StartError before touching anything."""
    started = time.monotonic()
    if host:  # every app listens there, and the others reach it there
        os.environ.update({f"THIDUA_{spec.name.upper()}_HOST": host for spec in APPS})
    places = {spec.name: spec.settings() for spec in APPS}
    settings = RegistrySettings()  # what every app shares: data folder, database, logs, identity
    data_dir = startup.writable_folder(settings.data_dir)
    urls = {name: s.url for name, s in places.items()}
    embedded_before = not settings.database_url and embedded.running(data_dir)
    about = {"pid": os.getpid(), "data_dir": str(data_dir), "urls": urls}
    try:
        lock = startup.claim(data_dir / "thidua.lock", about)
    except startup.AlreadyRunning as running:
        raise _already_running(data_dir, running.about) from None
    # Ours to stop: started by this process, or left by an `up` that meant to stop it but died first (kill -9).
    ours = not settings.database_url and (not embedded_before or bool(lock.previous.get("stops_db")))
    if ours and not keep_db:
        startup.note(lock, about | {"stops_db": True})
    for name, place in places.items():
        startup.port_free(name, place.host, place.port)
    logged_to = log_file(settings, default=data_dir / "logs" / "thidua.log")
    logs.configure(settings.log_level, as_json=settings.log_json, file=logged_to)
    try:
        with _signals_exit():
            with ThreadPoolExecutor(1) as pool:  # PostgreSQL starts while the apps are imported
                database = pool.submit(_database, settings, data_dir)
                _preload()
                log.info("apps imported", extra={"seconds": round(time.monotonic() - started, 2)})
                url, behind = database.result()
            log.info("database ready", extra={"seconds": round(time.monotonic() - started, 2), "behind": behind})
            if behind:
                asyncio.run(migrate(url, behind))
            if settings.issue_tokens and not settings.jwks_url:  # its key exists before the others look for it
                from kit.auth import TokenIssuer

                TokenIssuer(data_dir / "keys", issuer=settings.jwt_issuer, audience=settings.jwt_audience)
            gc.freeze()  # what the imports built, out of the collector's sight once for all children (no
            gc.enable()  # collection first: imports leave next to no garbage, and a pass over it all costs 0.1 s)
            children = [
                Child(spec.name, functools.partial(serve, spec), {"DATABASE_URL": url}, urls[spec.name] + "/readyz")
                for spec in APPS
            ]
            jobs = [Job("demo", functools.partial(_load_demo, url, urls, started, logged_to))] if demo else []
            banner = functools.partial(_banner, urls, logged_to, started)
            return Supervisor(children, jobs=jobs).run(on_ready=banner)
    finally:
        if ours and not keep_db:
            embedded.stop(data_dir)


def _already_running(data_dir: Path, about: object) -> startup.StartError:
    about = about if isinstance(about, dict) else {}
    pid = about.get("pid", "?")
    where = ", ".join(f"{name} {url}" for name, url in dict(about.get("urls", {})).items())
    return startup.StartError(
        f"thidua đã chạy với thư mục dữ liệu {data_dir} (pid {pid}): {where}. Dùng nó, hoặc dừng nó (Ctrl-C trong cửa "
        f"sổ của nó, hay kill {pid}) trước khi chạy lại.",
        f"thidua is already running on the data folder {data_dir} (pid {pid}): {where}. Use it, or stop it (Ctrl-C in "
        f"its window, or kill {pid}) before starting again.",
    )


def _database(settings: ServiceSettings, data_dir: Path) -> tuple[str, list[str]]:
    """The database URL (the embedded server started when no URL is set), and the services whose migrations are
    behind; StartError when it cannot be used."""
    if settings.database_url:
        url = settings.database_url
    else:
        try:
            admin = embedded.start(data_dir)
            url = embedded.ensure_database_sync(admin, "thidua")
        except Exception as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise startup.StartError(
                f"PostgreSQL nhúng ở {data_dir / 'pg'} không khởi động được ({reason}).",
                f"The embedded PostgreSQL in {data_dir / 'pg'} did not start ({reason}).",
            ) from exc
    return url, asyncio.run(startup.database(url, [spec.name for spec in SERVICES]))


def _preload() -> None:
    """Import every app before forking (each child then starts in a fraction of a second); the collector is off
    meanwhile: imports build long-lived objects only, and a collection pass over them is wasted (~10 % of it)."""
    gc.disable()
    for spec in APPS:
        spec.factory()


async def migrate(url: str, services: list[str] | None = None, revision: str = "head") -> None:
    """Upgrade each service's history (all, or `services`), in dependency order."""
    from kit import migrations

    for spec in SERVICES:
        if services is None or spec.name in services:
            await migrations.upgrade(url, spec.name, revision)
            log.info("migrated", extra={"service": spec.name, "direction": "up"})


@contextlib.contextmanager
def _signals_exit() -> Iterator[None]:
    """Until the apps run, SIGINT and SIGTERM end `up` through its `finally` (the embedded server is stopped)."""

    def leave(signum: int, _: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def command() -> str:
    """How the person who started this process runs the CLI (e.g. `.venv/bin/thidua`)."""
    argv0 = Path(sys.argv[0])
    if argv0.name != "thidua":
        return "thidua"
    with contextlib.suppress(ValueError):
        return str(argv0.resolve().relative_to(Path.cwd()))
    return str(argv0)


def _banner(urls: dict[str, str], logged_to: Path | None, started: float) -> None:
    from services.registry.demo.load import demo_users

    log.info("ready", extra={"seconds": round(time.monotonic() - started, 2), "urls": urls})

    me, gateway = command(), urls["gateway"]
    lines = [
        f"\nthidua đang chạy / is running ({time.monotonic() - started:.1f} s; Ctrl-C to stop):",
        f"  {'gateway':<10} {gateway}   GraphQL + GraphiQL {gateway}/graphql   open data {gateway}/open-data",
        *(f"  {name:<10} {url}   API docs {url}/docs" for name, url in urls.items() if name != "gateway"),
        "  each also answers /readyz (health) and /metrics (Prometheus)",
        f"  logs       {logged_to or 'this console'}",
        f"  demo users {' '.join(demo_users())}",
        f'  a token    {me} token --user tdkt.snv     shell: eval "$({me} env)"; curl "$REGISTRY/units"',
    ]
    print("\n".join(lines), flush=True)


class _ProgressLine:
    """One line on the console that says how far a long job is: on a terminal, rewritten in place at each step and
    at the end; elsewhere (a log collector), a line when it starts and one when it ends."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.tty = sys.stdout.isatty()
        self.width = 0

    def start(self, text: str) -> None:
        self._write(f"  {self.what:<10} {text}", line=not self.tty)

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.tty:
            self._write(f"  {self.what:<10} {step} {done}/{total}" if total else f"  {self.what:<10} {step}")

    def end(self, text: str) -> None:
        self._write(f"  {text}", line=True)

    def _write(self, text: str, *, line: bool = False) -> None:
        sys.stdout.write(("\r" + text.ljust(self.width) if self.tty else text) + ("\n" if line else ""))
        sys.stdout.flush()
        self.width = 0 if line else len(text)


def _load_demo(url: str, urls: dict[str, str], started: float, logged_to: Path | None) -> None:
    """The demo job: the demo data, unless already in the database (a later start costs one query)."""
    from thidua import demo

    progress = _ProgressLine("demo data")

    async def load() -> bool:
        if await demo.loaded(url):
            return False
        progress.start("loading in the background (the services already answer)…")
        await demo.load(url, progress=progress, services=urls)  # the running apps do the work
        return True

    try:
        if asyncio.run(load()):
            progress.end(f"demo ready ({time.monotonic() - started:.1f} s after start)")
    except Exception as exc:
        log.error(
            f"demo data could not load: {exc}" + (f" (details in {logged_to})" if logged_to else ""), exc_info=True
        )
        sys.exit(1)
