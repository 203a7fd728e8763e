"""`thidua`: run the whole system, migrate, load demo data, issue demo tokens.

thidua up              embedded PostgreSQL (or DATABASE_URL) + migrations + demo data + every service
thidua serve SERVICE   one service, e.g. in a container (no migrations, no demo data)
thidua migrate [--down] apply (or roll back) every service's migrations
thidua demo            load the demo data (idempotent)
thidua token --user U  print a bearer token for a demo user (embedded issuer)
thidua schema          export the gateway's GraphQL schema (gateway/schema.graphql)
thidua db-stop         stop the embedded PostgreSQL
"""

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator

import uvicorn

from kit import embedded, logs, migrations
from kit.app import database_url
from kit.auth import TokenIssuer
from services.registry.demo.load import demo_users
from services.registry.identity.endpoints import demo_caller
from services.registry.settings import RegistrySettings
from services.system import APPS, SERVICES

log = logging.getLogger("thidua")


def _url() -> str:
    return database_url(RegistrySettings())


async def _migrate(url: str, *, down: bool = False) -> None:
    for spec in reversed(SERVICES) if down else SERVICES:
        if down:
            await migrations.downgrade(url, spec.name)
        else:
            await migrations.upgrade(url, spec.name)
        log.info("migrated", extra={"service": spec.name, "direction": "down" if down else "up"})


async def _load_demo(url: str) -> None:
    from services import demo

    await demo.load(url)


class _Server(uvicorn.Server):
    """One of several servers in one loop: the CLI handles Ctrl-C for all of them."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _serve(url: str, host: str | None) -> None:
    servers = []
    for spec in APPS:
        settings = spec.settings().model_copy(update={"database_url": url, **({"host": host} if host else {})})
        app = spec.create_app(settings)
        config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None, lifespan="on")
        servers.append((spec.name, settings, _Server(config)))

    def stop_all() -> None:
        for _, _, server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop_all)
    tasks = [asyncio.create_task(s.serve()) for _, _, s in servers]
    while not all(s.started for _, _, s in servers):
        if any(t.done() for t in tasks):
            break
        await asyncio.sleep(0.05)
    print("\nthidua is running (Ctrl-C to stop):", flush=True)
    for name, settings, _ in servers:
        base = f"http://{settings.host}:{settings.port}"
        print(f"  {name:<10} {base}   API docs {base}/docs   health {base}/readyz", flush=True)
    gateway = next(s for n, s, _ in servers if n == "gateway")
    base = f"http://{gateway.host}:{gateway.port}"
    print(f"  GraphQL    {base}/graphql   (GraphiQL in a browser)   open data {base}/open-data", flush=True)
    print("  demo token: .venv/bin/thidua token --user tdkt.snv   (users: GET /auth/demo-users)\n", flush=True)
    await asyncio.gather(*tasks)


def cmd_up(args: argparse.Namespace) -> None:
    settings = RegistrySettings()
    url = _url()
    asyncio.run(_migrate(url))
    if not args.no_demo:
        asyncio.run(_load_demo(url))
    try:
        asyncio.run(_serve(url, args.host))
    finally:
        if not settings.database_url and not args.keep_db:
            embedded.stop(settings.data_dir)


def cmd_serve(args: argparse.Namespace) -> None:
    """One service (as containers run it): migrations are the `migrate` job's business."""
    spec = next((s for s in APPS if s.name == args.service), None)
    if spec is None:
        sys.exit(f"unknown service {args.service!r}; known: {', '.join(s.name for s in APPS)}")
    settings = spec.settings()
    uvicorn.run(spec.create_app(settings), host=settings.host, port=settings.port, log_config=None, proxy_headers=True)


def cmd_migrate(args: argparse.Namespace) -> None:
    asyncio.run(_migrate(_url(), down=args.down))


def cmd_demo(_: argparse.Namespace) -> None:
    url = _url()
    asyncio.run(_migrate(url))
    asyncio.run(_load_demo(url))


def cmd_token(args: argparse.Namespace) -> None:
    settings = RegistrySettings()
    caller = demo_caller(demo_users(), args.user)
    if caller is None:
        sys.exit(f"unknown demo user {args.user!r}; known: {', '.join(demo_users())}")
    issuer = TokenIssuer(settings.data_dir / "keys", issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    print(issuer.issue(caller, ttl_seconds=args.ttl))


def cmd_schema(_: argparse.Namespace) -> None:
    from gateway.graphql import SCHEMA_FILE, sdl

    SCHEMA_FILE.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")


def cmd_db_stop(_: argparse.Namespace) -> None:
    embedded.stop(RegistrySettings().data_dir)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="thidua", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start everything with demo data")
    up.add_argument("--host", help="listen address (default 127.0.0.1)")
    up.add_argument("--no-demo", action="store_true", help="do not load demo data")
    up.add_argument("--keep-db", action="store_true", help="leave the embedded PostgreSQL running on exit")
    up.set_defaults(run=cmd_up)
    serve = sub.add_parser("serve", help="serve one service (containers)")
    serve.add_argument("service", choices=[s.name for s in APPS])
    serve.set_defaults(run=cmd_serve)
    migrate = sub.add_parser("migrate", help="apply every service's migrations")
    migrate.add_argument("--down", action="store_true", help="roll every service back to empty")
    migrate.set_defaults(run=cmd_migrate)
    sub.add_parser("demo", help="load demo data").set_defaults(run=cmd_demo)
    token = sub.add_parser("token", help="print a bearer token for a demo user")
    token.add_argument("--user", required=True)
    token.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    token.set_defaults(run=cmd_token)
    sub.add_parser("schema", help="export the gateway's GraphQL schema to gateway/schema.graphql").set_defaults(
        run=cmd_schema
    )
    sub.add_parser("db-stop", help="stop the embedded PostgreSQL").set_defaults(run=cmd_db_stop)
    args = parser.parse_args(argv)
    logs.configure(as_json=RegistrySettings().log_json)
    args.run(args)


if __name__ == "__main__":
    main()
