"""`thidua`: run the whole system, migrate, load demo data, issue demo tokens.

thidua up              embedded PostgreSQL (or DATABASE_URL) + migrations + demo data + each app in its own process
thidua serve SERVICE   one service, e.g. in a container (no migrations, no demo data)
thidua migrate         apply every service's migrations (--down: one revision back, never dropping rows unasked)
thidua demo            load what is missing of the demo data (never changes what exists)
thidua token --user U  print a bearer token for a demo user (embedded issuer)
thidua schema          export the gateway's GraphQL schema and the plan formats' JSON Schemas
thidua plans check F…  validate movement definitions (plans/*.yaml) or demo scenarios (plans/demo/*.yaml)
thidua plans import F  load a movement definition through the services' APIs (--dry-run: report only)
thidua env             shell lines naming where each app answers: eval "$(thidua env)"; curl "$REGISTRY/units"
thidua units import F  load a unit list (CSV or XLSX) through the registry (--dry-run: report only)
thidua db-stop         stop the embedded PostgreSQL

Where things run: THIDUA_BASE_PORT (8000: gateway; registry +1, scoring +2, awards +3) and THIDUA_HOST; data,
keys and logs under THIDUA_DATA_DIR (.data); DATABASE_URL for a PostgreSQL of your own.
"""

import argparse
import asyncio
import logging
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kit import logs
from kit.problems import Problem
from kit.startup import StartError
from thidua.system import APPS, SERVICES

if TYPE_CHECKING:
    from pydantic import ValidationError

    from services.registry.settings import RegistrySettings

log = logging.getLogger("thidua")


def _settings() -> "RegistrySettings":
    """The settings every app shares (data folder, database, logs), read when a command needs them: each command
    imports what it uses, so that `thidua --help` loads no app."""
    from services.registry.settings import RegistrySettings

    return RegistrySettings()


def _url() -> str:
    """The database's URL, once it answers and is new enough (else one line that says what to do)."""
    from kit import startup
    from kit.service_app import database_url

    url = database_url(_settings())
    asyncio.run(startup.database(url, []))
    return url


async def _migrate(url: str, services: list[str] | None = None, revision: str = "head") -> None:
    from thidua.launch import migrate

    await migrate(url, services, revision)


def cmd_up(args: argparse.Namespace) -> None:
    """Embedded PostgreSQL (shared), migrations, each app in its own supervised process, then the demo data."""
    from thidua import launch

    sys.exit(launch.up(host=args.host, demo=not args.no_demo, keep_db=args.keep_db))


def cmd_serve(args: argparse.Namespace) -> None:
    """One service (as containers run it): migrations are the `migrate` job's business."""
    from kit.startup import port_free
    from thidua import launch

    spec = next(s for s in APPS if s.name == args.service)
    settings = spec.settings()
    port_free(spec.name, settings.host, settings.port)
    launch.serve(spec)


def cmd_env(_: argparse.Namespace) -> None:
    """`export GATEWAY=http://…` and the like for each app, as this machine reaches it."""
    places = {spec.name: spec.settings() for spec in APPS}
    for name, settings in sorted(places.items(), key=lambda place: place[1].port):  # the gateway first
        print(f"export {name.upper()}={shlex.quote(settings.url)}")


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
    from thidua import demo

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
    from kit.auth import TokenIssuer
    from services.registry.demo.load import demo_users
    from services.registry.identity.demo import demo_caller

    settings = _settings()
    caller = demo_caller(demo_users(), user)
    if caller is None:
        sys.exit(f"unknown demo user {user!r}; known: {', '.join(demo_users())}")
    keys = settings.data_dir.expanduser().resolve() / "keys"
    if not (keys / "signing.pem").exists():  # only `up` makes keys: new ones here would sign tokens nobody accepts
        raise StartError(
            f"Không có khóa ký trong {keys}: `thidua up` tạo khóa ở lần chạy đầu; đặt THIDUA_DATA_DIR như máy chủ "
            "đang chạy.",
            f"No signing key in {keys}: `thidua up` makes one on its first start; set THIDUA_DATA_DIR as the running "
            "server has it.",
        )
    issuer = TokenIssuer(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    _same_keys(issuer.kid, settings.url, keys)
    return issuer.issue(caller, ttl_seconds=ttl)


def _same_keys(kid: str, registry: str, keys: Path) -> None:
    """Refuse when the registry that answers at `registry` verifies with other keys (it runs on another data folder)."""
    import httpx

    try:
        answer = httpx.get(f"{registry}/auth/jwks.json", timeout=2, trust_env=False)
        served = {key.get("kid") for key in answer.json().get("keys", [])} if answer.status_code == 200 else {kid}
    except (httpx.HTTPError, ValueError, AttributeError):
        return  # not running, or not ours: the token is checked when used
    if kid not in served:
        raise StartError(
            f"Registry ở {registry} dùng khóa khác với {keys}: nó chạy với THIDUA_DATA_DIR khác; đặt THIDUA_DATA_DIR "
            "như nó.",
            f"The registry at {registry} signs with other keys than {keys}: it runs with another THIDUA_DATA_DIR; "
            "set the same one.",
        )


def cmd_token(args: argparse.Namespace) -> None:
    print(_demo_token(args.user, args.ttl))


def cmd_schema(_: argparse.Namespace) -> None:
    from gateway.graphql import SCHEMA_FILE, sdl
    from thidua.plans import formats

    SCHEMA_FILE.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    for path in formats.export():
        print(f"wrote {path}")


def cmd_plans_check(args: argparse.Namespace) -> None:
    from thidua.plans import formats
    from thidua.plans.source import PlanInvalid

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
    from services.registry.client import RegistryClient
    from services.scoring.client import ScoringClient
    from thidua.plans.definition import Plan
    from thidua.plans.importer import Clients, Importer, Step
    from thidua.plans.source import PlanInvalid, load

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
    from kit import embedded, startup

    data_dir = _settings().data_dir.expanduser().resolve()
    if running := startup.holder(data_dir / "thidua.lock"):  # its apps would answer 503 until it is restarted
        pid = running.get("pid", "?")
        raise StartError(
            f"thidua đang chạy trên thư mục dữ liệu này (pid {pid}) và dùng PostgreSQL của nó: dừng thidua (Ctrl-C), "
            "nó tự dừng PostgreSQL.",
            f"thidua is running on this data folder (pid {pid}) and uses its PostgreSQL: stop thidua (Ctrl-C), it "
            "stops its PostgreSQL.",
        )
    embedded.stop(data_dir)


def _import_command(
    group: "argparse._SubParsersAction[argparse.ArgumentParser]",
    about: str,
    run: Callable[[argparse.Namespace], None],
) -> None:
    """An `import` through the services: the file, a dry run, and who signs the calls."""
    command = group.add_parser("import", help=about)
    command.set_defaults(run=run)
    command.add_argument("file")
    command.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    command.add_argument("--token", default=os.environ.get("THIDUA_TOKEN"), help="bearer token (env THIDUA_TOKEN)")
    command.add_argument("--user", default="admin", help="else a demo user's token (embedded issuer)")


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thidua", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start everything with demo data")
    up.add_argument("--host", help="listen address of every app (default THIDUA_HOST, else 127.0.0.1)")
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
    _import_command(plans, "load a definition through the services (re-import updates)", cmd_plans_import)
    sub.add_parser("env", help='print `export GATEWAY=…` lines: eval "$(thidua env)"').set_defaults(run=cmd_env)
    units = sub.add_parser("units", help="unit lists: import").add_subparsers(dest="units_command", required=True)
    _import_command(units, "load a unit list (CSV or XLSX) through the registry", cmd_units_import)
    sub.add_parser("db-stop", help="stop the embedded PostgreSQL").set_defaults(run=cmd_db_stop)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        settings = _settings()
        file = None if settings.log_file in (None, "-") else Path(settings.log_file).expanduser()
        logs.configure(settings.log_level, as_json=settings.log_json, file=file)
        args.run(args)
    except StartError as exc:  # one line a person can act on, in each language; no traceback
        sys.exit(f"{exc.vi}\n{exc.en}")
    except _invalid_settings() as exc:  # evaluated only when something is raised: --help imports no pydantic
        faults = "; ".join(
            f"{_variable(str(e['loc'][0]), e['input'])}={e['input']!r} ({e['msg']})"
            for e in exc.errors()
            if e["type"] != "default_factory_not_called"  # follows from another fault
        )
        sys.exit(f"Cài đặt không hợp lệ: {faults}\nInvalid setting: {faults}")


def _invalid_settings() -> "type[ValidationError]":
    from pydantic import ValidationError

    return ValidationError


def _variable(field: str, value: object) -> str:
    """The environment variable that set `field` to `value` (THIDUA_SCORING_PORT rather than THIDUA_PORT)."""
    suffix = "_" + field.upper()
    named = (k for k, v in os.environ.items() if k.startswith("THIDUA_") and k.endswith(suffix) and v == value)
    return next(named, "THIDUA" + suffix)


if __name__ == "__main__":
    main()
