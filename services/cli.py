"""`thidua`: run the whole system, migrate, load demo data, issue demo tokens.

thidua up              embedded PostgreSQL (or DATABASE_URL) + migrations + demo data + every service
thidua serve SERVICE   one service, e.g. in a container (no migrations, no demo data)
thidua migrate [--down] apply (or roll back) every service's migrations
thidua demo            load the demo data (idempotent)
thidua token --user U  print a bearer token for a demo user (embedded issuer)
thidua schema          export the gateway's GraphQL schema and the plan formats' JSON Schemas
thidua plans check F…  validate movement definitions (plans/*.yaml) or demo scenarios (plans/demo/*.yaml)
thidua plans import F  load a movement definition through the services' APIs (--dry-run: report only)
thidua db-stop         stop the embedded PostgreSQL
"""

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import uvicorn

from kit import embedded, logs, migrations
from kit.app import database_url
from kit.auth import TokenIssuer
from kit.problems import Problem
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
    _freeze()
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
    app = spec.create_app(settings)
    _freeze()
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, proxy_headers=True)


def _freeze() -> None:
    """What is built before serving (modules, routes, schemas, ORM metadata) lives as long as the process: moved out
    of the collector's sight, a request of 10,000 rows no longer pays for full collections that walk all of it
    (measured: ingest through the API from 23,600 to 46,100 rows/s, bench/README.md)."""
    gc.collect()
    gc.freeze()


def cmd_migrate(args: argparse.Namespace) -> None:
    asyncio.run(_migrate(_url(), down=args.down))


def cmd_demo(_: argparse.Namespace) -> None:
    url = _url()
    asyncio.run(_migrate(url))
    asyncio.run(_load_demo(url))


def _demo_token(user: str, ttl: int = 3600) -> str:
    settings = RegistrySettings()
    caller = demo_caller(demo_users(), user)
    if caller is None:
        sys.exit(f"unknown demo user {user!r}; known: {', '.join(demo_users())}")
    issuer = TokenIssuer(settings.data_dir / "keys", issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    return issuer.issue(caller, ttl_seconds=ttl)


def cmd_token(args: argparse.Namespace) -> None:
    print(_demo_token(args.user, args.ttl))


def cmd_schema(_: argparse.Namespace) -> None:
    from gateway.graphql import SCHEMA_FILE, sdl
    from services.plans import formats

    SCHEMA_FILE.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    for path in formats.export():
        print(f"wrote {path}")


def cmd_plans_check(args: argparse.Namespace) -> None:
    from services.plans import formats
    from services.plans.source import PlanInvalid

    failed = False
    for file in args.files:
        try:
            formats.load_any(Path(file))
            print(f"{file}: ok")
        except PlanInvalid as exc:
            failed = True
            print(exc, file=sys.stderr)
    if failed:
        sys.exit(1)


def cmd_plans_import(args: argparse.Namespace) -> None:
    import httpx

    from gateway.settings import GatewaySettings
    from services.awards.client import AwardsClient
    from services.plans.definition import Plan
    from services.plans.importer import Clients, Importer
    from services.plans.source import PlanInvalid, load
    from services.registry.client import RegistryClient
    from services.scoring.client import ScoringClient

    token = args.token or _demo_token(args.user)
    urls = GatewaySettings()

    async def run() -> None:
        plan, source = load(Path(args.file), Plan)
        async with httpx.AsyncClient(timeout=120) as http:
            clients = Clients(
                RegistryClient(http, urls.registry_url, token=token),
                ScoringClient(http, urls.scoring_url, token=token),
                AwardsClient(http, urls.awards_url, token=token),
            )
            steps = await Importer(clients).run(plan, source, dry_run=args.dry_run)
        print(("dry run: nothing written\n" if args.dry_run else "") + "\n".join(map(str, steps)))

    try:
        asyncio.run(run())
    except PlanInvalid as exc:
        sys.exit(str(exc))
    except Problem as exc:  # a service refused a write, or is down: its answer, not a traceback
        faults = "".join(f"\n  {e.pointer or e.parameter or ''}: {e.detail.vi} / {e.detail.en}" for e in exc.errors)
        sys.exit(f"{args.file}: {exc.code} {exc.detail.vi} / {exc.detail.en}{faults}")


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
    plans = sub.add_parser("plans", help="movement definitions: check, import").add_subparsers(
        dest="plans_command", required=True
    )
    check = plans.add_parser("check", help="validate definitions or demo scenarios, reporting line and field")
    check.add_argument("files", nargs="+")
    check.set_defaults(run=cmd_plans_check)
    load = plans.add_parser("import", help="load a definition through the services (re-import updates)")
    load.add_argument("file")
    load.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    load.add_argument("--token", default=os.environ.get("THIDUA_TOKEN"), help="bearer token (env THIDUA_TOKEN)")
    load.add_argument("--user", default="admin", help="else a demo user's token (embedded issuer)")
    load.set_defaults(run=cmd_plans_import)
    sub.add_parser("db-stop", help="stop the embedded PostgreSQL").set_defaults(run=cmd_db_stop)
    args = parser.parse_args(argv)
    logs.configure(as_json=RegistrySettings().log_json)
    args.run(args)


if __name__ == "__main__":
    main()
