"""`thidua`: run the whole system, migrate, load demo data, issue demo tokens.

thidua up              embedded PostgreSQL (or DATABASE_URL) + migrations + demo data + each app in its own process
thidua serve SERVICE   one service, e.g. in a container (no migrations, no demo data)
thidua migrate         apply every service's migrations (--down: one revision back, never dropping rows unasked)
thidua demo            load what is missing of the demo data (never changes what exists)
thidua token --user U  print a bearer token for a demo user (embedded issuer)
thidua schema          export the gateway's GraphQL schema and the plan formats' JSON Schemas
thidua plans check F…  validate movement definitions (plans/*.yaml) or demo scenarios (plans/demo/*.yaml)
thidua plans import F  load a movement definition through the services' APIs (--dry-run: report only)
thidua units import F  load a unit list (CSV or XLSX) through the registry (--dry-run: report only)
thidua db-stop         stop the embedded PostgreSQL
"""

import argparse
import asyncio
import contextlib
import functools
import gc
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import uvicorn

from kit import embedded, logs
from kit.auth import TokenIssuer
from kit.problems import Problem
from kit.supervisor import Child, Supervisor
from services.registry.settings import RegistrySettings
from services.system import APPS, SERVICES, AppSpec

log = logging.getLogger("thidua")


def _url() -> str:
    from kit.app import database_url

    return database_url(RegistrySettings())


async def _migrate(url: str, services: list[str] | None = None, revision: str = "head") -> None:
    from kit import migrations

    for spec in SERVICES:
        if services is None or spec.name in services:
            await migrations.upgrade(url, spec.name, revision)
            log.info("migrated", extra={"service": spec.name, "direction": "up"})


async def _load_demo(url: str) -> None:
    from services import demo

    await demo.load(url)


def _children(url: str, host: str | None) -> list[Child]:
    """One process per app, as `thidua serve NAME` runs it, on the database of `up`; an app reaches the others at
    the ports they listen on unless its settings name another URL."""
    settings = {spec.name: spec.settings() for spec in APPS}
    # Where each app listens, as seen from this machine.
    reach = {name: f"http://{_reachable(host or s.host)}:{s.port}" for name, s in settings.items()}
    children = []
    for spec in APPS:
        own = settings[spec.name]
        prefix = f"THIDUA_{spec.name.upper()}_"
        env = {"DATABASE_URL": url, **({prefix + "HOST": host} if host else {})}
        for other, base in reach.items():
            field = f"{other}_url"
            if field in type(own).model_fields and field not in own.model_fields_set:
                env[prefix + field.upper()] = base
        if "public_url" in type(own).model_fields and "public_url" not in own.model_fields_set:
            env[prefix + "PUBLIC_URL"] = reach[spec.name]  # the links it writes (open data) name its real port
        children.append(Child(spec.name, functools.partial(_serve_app, spec), env, reach[spec.name] + "/readyz"))
    return children


def _reachable(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def _banner(host: str | None) -> None:
    print("\nthidua is running (Ctrl-C to stop):", flush=True)
    for spec in APPS:
        settings = spec.settings()
        base = f"http://{host or settings.host}:{settings.port}"
        print(f"  {spec.name:<10} {base}   API docs {base}/docs   health {base}/readyz", flush=True)
    gateway = next(s for s in APPS if s.name == "gateway").settings()
    base = f"http://{host or gateway.host}:{gateway.port}"
    print(f"  GraphQL    {base}/graphql   (GraphiQL in a browser)   open data {base}/open-data", flush=True)
    print("  demo token: .venv/bin/thidua token --user tdkt.snv   (users: GET /auth/demo-users)\n", flush=True)


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


def cmd_up(args: argparse.Namespace) -> None:
    """Embedded PostgreSQL (shared), migrations, demo data, then each app in its own supervised process."""
    settings = RegistrySettings()
    try:
        with _signals_exit():
            url = _url()
            asyncio.run(_migrate(url))
            if not args.no_demo:
                asyncio.run(_load_demo(url))
            if settings.issue_tokens and not settings.jwks_url:  # its key exists before the others look for it
                TokenIssuer(settings.data_dir / "keys", issuer=settings.jwt_issuer, audience=settings.jwt_audience)
            for spec in APPS:  # imported once, before the children are forked: they start (again) in a moment
                spec.factory()
            _freeze()
            status = Supervisor(_children(url, args.host)).run(on_ready=lambda: _banner(args.host))
    finally:
        if not settings.database_url and not args.keep_db:
            embedded.stop(settings.data_dir)
    sys.exit(status)


def cmd_serve(args: argparse.Namespace) -> None:
    """One service (as containers run it): migrations are the `migrate` job's business."""
    spec = next((s for s in APPS if s.name == args.service), None)
    if spec is None:
        sys.exit(f"unknown service {args.service!r}; known: {', '.join(s.name for s in APPS)}")
    _serve_app(spec)


def _serve_app(spec: AppSpec) -> None:
    """Serve one app in this process until SIGINT/SIGTERM (`thidua serve`, and each child of `thidua up`)."""
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
    """Up to the head (or `--to`); `--down` goes one revision back per service (or to `--to`), all or nothing, and
    refuses to drop a table that holds rows unless `--drop-data`."""
    from alembic.util import CommandError

    from kit import migrations

    services = [args.service] if args.service else None
    if not args.down:
        asyncio.run(_migrate(_url(), services, args.to or "head"))
        return
    targets = [(s.name, args.to or "-1") for s in reversed(SERVICES) if services is None or s.name in services]
    try:
        steps = asyncio.run(migrations.downgrade_all(_url(), targets, drop_data=args.drop_data))
    except migrations.DataLoss as exc:
        sys.exit(
            f"refused: {exc}.\nNothing was changed. Export what you need, then run again with --drop-data to drop them."
        )
    except CommandError as exc:
        sys.exit(f"refused: {exc}\nNothing was changed.")
    for step in steps:
        print(f"{step.schema:<10} {step.before or 'base'} -> {step.after or 'base'}")


def cmd_demo(_: argparse.Namespace) -> None:
    """What is missing of the demo, with a line per step; what an office changed since stays as it is."""
    from kit import console
    from services import demo

    logging.getLogger().setLevel(logging.WARNING)  # the steps say it all; the in-process requests are noise
    url = _url()
    with console.Steps("demo") as steps:
        asyncio.run(_migrate(url))
        if asyncio.run(demo.loaded(url)):
            steps.say("demo data already loaded: nothing to do")
            return
        asyncio.run(demo.load(url, steps))
        steps.say(f"demo data loaded in {steps.elapsed:.1f} s (users: GET /auth/demo-users)")


def _demo_token(user: str, ttl: int = 3600) -> str:
    from services.registry.demo.load import demo_users
    from services.registry.identity.endpoints import demo_caller

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
    from kit import console
    from services.awards.client import AwardsClient
    from services.plans.definition import Plan
    from services.plans.importer import Clients, Importer, Step
    from services.plans.source import PlanInvalid, load
    from services.registry.client import RegistryClient
    from services.scoring.client import ScoringClient

    token = args.token or _demo_token(args.user)
    urls = GatewaySettings()

    async def run(steps: console.Steps) -> list[Step]:
        plan, source = load(Path(args.file), Plan)
        async with httpx.AsyncClient(timeout=120) as http:
            clients = Clients(
                RegistryClient(http, urls.registry_url, token=token),
                ScoringClient(http, urls.scoring_url, token=token),
                AwardsClient(http, urls.awards_url, token=token),
            )
            return await Importer(clients).run(plan, source, dry_run=args.dry_run, progress=steps)

    try:
        with console.Steps(f"import {Path(args.file).name}", echo=False) as steps:
            done = asyncio.run(run(steps))
    except PlanInvalid as exc:
        sys.exit(str(exc))
    except Problem as exc:  # a service refused a write, or is down: its answer, not a traceback
        sys.exit(_refusal(args.file, exc))
    counts = {action: sum(s.action == action for s in done) for action in ("create", "update", "unchanged", "kept")}
    dry = "dry run, nothing written: " if args.dry_run else ""
    title = f"{args.file}: {dry}" + ", ".join(f"{n} {action}" for action, n in counts.items() if n)
    console.table(title, ["action", "what", "key", "note"], [(s.action, s.what, s.key, s.note) for s in done])


def _refusal(file: str, exc: Problem) -> str:
    faults = "".join(
        f"\n  {e.extra.get('row', '')} {e.pointer or e.parameter or ''}: {e.detail.vi} / {e.detail.en}"
        for e in exc.errors
    )
    return f"{file}: {exc.code} {exc.detail.vi} / {exc.detail.en}{faults}"


def cmd_units_import(args: argparse.Namespace) -> None:
    """A unit list (CSV or XLSX) posted to the registry's import, a spinner while it runs, then what changed."""
    import httpx

    from gateway.settings import GatewaySettings
    from kit import console
    from services.registry.client import RegistryClient
    from services.registry.imports.schemas import ImportReport

    file = Path(args.file)
    try:
        content = file.read_bytes()
    except OSError as exc:
        sys.exit(f"{file}: {exc.strerror}")
    token = args.token or _demo_token(args.user)

    async def run() -> ImportReport:
        async with httpx.AsyncClient(timeout=300) as http:
            registry = RegistryClient(http, GatewaySettings().registry_url, token=token)
            return await registry.import_units(content, file.name, dry_run=args.dry_run)

    try:
        with console.waiting(f"import {file.name}") as wait:
            report = asyncio.run(run())
    except Problem as exc:  # a faulty row refuses the whole file (422, each row named), or the registry is down
        sys.exit(_refusal(args.file, exc))
    counts = [("created", report.created), ("updated", report.updated), ("unchanged", report.unchanged)]
    dry = " (dry run, nothing written)" if report.dry_run else ""
    title = f"{file}: {report.rows} rows in {wait.elapsed:.1f} s{dry}"
    console.table(title, ["", "rows"], [*counts, ("errors", len(report.errors))])
    if report.errors:
        faults = [(e.row, e.field, " / ".join(e.messages.values()) or e.detail) for e in report.errors]
        console.table("errors", ["row", "field", "detail"], faults)
        sys.exit(1)


def cmd_db_stop(_: argparse.Namespace) -> None:
    embedded.stop(RegistrySettings().data_dir)


def parser() -> argparse.ArgumentParser:
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
    migrate = sub.add_parser("migrate", help="apply every service's migrations (or roll back: --down)")
    migrate.add_argument("--down", action="store_true", help="roll back one revision per service (or to --to)")
    migrate.add_argument("--service", choices=[s.name for s in SERVICES], help="only this service's history")
    migrate.add_argument("--to", metavar="REVISION", help="target revision (up: head; down: -1; 'base' is empty)")
    migrate.add_argument(
        "--drop-data", action="store_true", help="let a roll back drop tables that hold rows (the data is lost)"
    )
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
    units = sub.add_parser("units", help="unit lists: import").add_subparsers(dest="units_command", required=True)
    unit_import = units.add_parser("import", help="load a unit list (CSV or XLSX) through the registry")
    unit_import.add_argument("file")
    unit_import.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    unit_import.add_argument("--token", default=os.environ.get("THIDUA_TOKEN"), help="bearer token (env THIDUA_TOKEN)")
    unit_import.add_argument("--user", default="admin", help="else a demo user's token (embedded issuer)")
    unit_import.set_defaults(run=cmd_units_import)
    sub.add_parser("db-stop", help="stop the embedded PostgreSQL").set_defaults(run=cmd_db_stop)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    logs.configure(as_json=RegistrySettings().log_json)
    args.run(args)


if __name__ == "__main__":
    main()
