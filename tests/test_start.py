"""Starting, as a person meets it: `thidua --help` loads no app, one setting places every app, and each reason not to
start is one line in Vietnamese and one in English (no traceback, non-zero exit), before anything is changed."""

import asyncio
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from gateway.settings import GatewaySettings
from kit import embedded, revisions, startup
from services.awards.settings import AwardsSettings
from services.registry.settings import RegistrySettings
from services.scoring.settings import ScoringSettings
from tests.loopback import free_port
from thidua.system import SERVICES

ROOT = Path(__file__).resolve().parent.parent
PLACES = ("THIDUA_BASE_PORT", "THIDUA_HOST", "THIDUA_PORT", "DATABASE_URL", "THIDUA_DATABASE_URL")


def _env(**values: str) -> dict[str, str]:
    """This environment without anything that places the apps or names a database, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not (k in PLACES or k.endswith(("_PORT", "_HOST", "_URL")))}
    return env | values


def thidua(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "thidua.cli", *args],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _refused(run: subprocess.CompletedProcess[str], vi: str, en: str) -> None:
    assert run.returncode == 1, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 2, run.stderr
    assert vi in lines[0]
    assert en in lines[1]
    assert run.stdout == ""


@pytest.fixture
def clean_places(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name in PLACES or (name.startswith("THIDUA_") and name.endswith(("_PORT", "_HOST", "_URL"))):
            monkeypatch.delenv(name)
    return monkeypatch


class TestHelp:
    def test_help_loads_no_web_framework_no_orm_no_graphql(self) -> None:
        probe = (
            "import sys\nfrom thidua.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'sqlalchemy', 'strawberry', 'alembic', "
            "'uvicorn', 'asyncpg', 'graphql', 'httpx'}))"
        )
        run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert run.stdout.splitlines()[-1] == "[]"
        assert "THIDUA_BASE_PORT" in run.stdout


class TestOneSettingForWhereThingsRun:
    def test_the_base_port_places_every_app_and_the_urls_between_them(self, clean_places: pytest.MonkeyPatch) -> None:
        clean_places.setenv("THIDUA_BASE_PORT", "9100")
        gateway = GatewaySettings()
        assert (gateway.port, RegistrySettings().port, ScoringSettings().port, AwardsSettings().port) == (
            9100,
            9101,
            9102,
            9103,
        )
        assert (gateway.registry_url, gateway.scoring_url, gateway.awards_url) == (
            "http://127.0.0.1:9101",
            "http://127.0.0.1:9102",
            "http://127.0.0.1:9103",
        )
        assert gateway.public_url == "http://127.0.0.1:9100"
        assert ScoringSettings().registry_url == "http://127.0.0.1:9101"

    def test_a_port_set_one_by_one_wins_and_the_others_follow_it(self, clean_places: pytest.MonkeyPatch) -> None:
        clean_places.setenv("THIDUA_BASE_PORT", "9100")
        clean_places.setenv("THIDUA_REGISTRY_PORT", "9555")
        clean_places.setenv("THIDUA_HOST", "0.0.0.0")
        awards = AwardsSettings()
        assert (awards.host, awards.port) == ("0.0.0.0", 9103)
        assert awards.registry_url == "http://127.0.0.1:9555"  # a wildcard listen address is reached on loopback
        assert GatewaySettings().registry_url == "http://127.0.0.1:9555"
        clean_places.setenv("THIDUA_GATEWAY_REGISTRY_URL", "http://registry.internal:8001")
        assert GatewaySettings().registry_url == "http://registry.internal:8001"

    def test_thidua_env_prints_shell_lines_that_name_each_app(self) -> None:
        run = thidua("env", THIDUA_BASE_PORT="9100", THIDUA_SCORING_PORT="9555")
        assert run.returncode == 0, run.stderr
        assert run.stdout.splitlines() == [
            "export GATEWAY=http://127.0.0.1:9100",
            "export REGISTRY=http://127.0.0.1:9101",
            "export AWARDS=http://127.0.0.1:9103",
            "export SCORING=http://127.0.0.1:9555",
        ]
        shell = f'eval "$({sys.executable} -m thidua.cli env)"; echo "$GATEWAY $REGISTRY"'
        echoed = subprocess.run(
            ["bash", "-c", shell], cwd=ROOT, env=_env(THIDUA_BASE_PORT="9200"), capture_output=True, text=True
        )
        assert echoed.stdout.strip() == "http://127.0.0.1:9200 http://127.0.0.1:9201"


def _free_base() -> int:
    """A base port with the three after it free too, below the range the kernel picks clients' ports from (one of
    those could take it between this check and the listening)."""
    for base in range(random.randrange(20_000, 30_000, 10), 32_000, 10):
        try:
            for port in range(base, base + 4):
                startup.port_free("probe", "127.0.0.1", port)
        except startup.StartError:
            continue
        return base
    raise AssertionError("no four free ports")


class TestReasonsNotToStart:
    def test_a_busy_port_is_named_with_what_to_do(self, held_port: int, tmp_path: Path) -> None:
        run = thidua("serve", "registry", THIDUA_REGISTRY_PORT=str(held_port), THIDUA_DATA_DIR=str(tmp_path))
        _refused(
            run,
            f"Cổng {held_port} (registry) đang bị chương trình khác dùng",
            f"Port {held_port} (registry) is in use by another program (pid {os.getpid()}: ",
        )
        assert "stop it, or choose other ports (e.g. THIDUA_BASE_PORT=" in run.stderr

    def test_up_on_a_busy_port_starts_nothing(self, held_port: int, tmp_path: Path) -> None:
        base = str(_free_base())
        run = thidua("up", THIDUA_BASE_PORT=base, THIDUA_SCORING_PORT=str(held_port), THIDUA_DATA_DIR=str(tmp_path))
        _refused(run, f"Cổng {held_port} (scoring)", f"Port {held_port} (scoring) is in use")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["thidua.lock"]  # no database, no keys, no logs

    def test_a_database_that_does_not_answer_is_named_without_its_password(self, tmp_path: Path) -> None:
        url = f"postgresql://thidua:secret@127.0.0.1:{free_port()}/thidua"
        run = thidua("up", DATABASE_URL=url, THIDUA_DATA_DIR=str(tmp_path), THIDUA_BASE_PORT=str(_free_base()))
        shown = url.replace("secret", "***")
        _refused(
            run,
            f"Không kết nối được cơ sở dữ liệu {shown} (không có máy chủ nào nghe ở đó)",
            f"Cannot reach the database {shown} (nothing listens there)",
        )
        assert "check DATABASE_URL, or unset it to use the embedded PostgreSQL" in run.stderr
        assert "secret" not in run.stderr

    def test_migrate_names_a_database_that_does_not_answer_too(self) -> None:
        url = f"postgresql://thidua@127.0.0.1:{free_port()}/thidua"
        run = thidua("migrate", DATABASE_URL=url)
        _refused(run, f"Không kết nối được cơ sở dữ liệu {url}", f"Cannot reach the database {url}")

    def test_a_setting_that_does_not_parse_is_named_by_its_variable(self, tmp_path: Path) -> None:
        run = thidua("up", THIDUA_SCORING_PORT="tám nghìn", THIDUA_DATA_DIR=str(tmp_path))
        fault = "THIDUA_SCORING_PORT='tám nghìn' (Input should be a valid integer"
        _refused(run, f"Cài đặt không hợp lệ: {fault}", f"Invalid setting: {fault}")

    def test_a_data_folder_that_cannot_be_written_is_named(self, tmp_path: Path) -> None:
        (tmp_path / "file").write_text("")
        run = thidua("up", THIDUA_DATA_DIR=str(tmp_path / "file" / "data"))
        _refused(
            run,
            f"Không tạo hoặc ghi được thư mục dữ liệu {tmp_path / 'file' / 'data'}",
            f"Cannot create or write the data folder {tmp_path / 'file' / 'data'} (Not a directory)",
        )

    async def test_a_server_older_than_needed_is_refused_before_any_change(
        self, database_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(revisions, "MIN_SERVER_VERSION", 990000)
        with pytest.raises(startup.StartError) as refused:
            await startup.database(database_url, ["registry"])
        assert "thidua needs PostgreSQL 99 or later; the server" in refused.value.en
        assert "Cần PostgreSQL 99 trở lên" in refused.value.vi

    def test_a_token_without_the_servers_keys_is_refused(self, tmp_path: Path) -> None:
        run = thidua("token", "--user", "admin", THIDUA_DATA_DIR=str(tmp_path), THIDUA_REGISTRY_PORT=str(free_port()))
        _refused(
            run,
            f"Không có khóa ký trong {tmp_path / 'keys'}",
            f"No signing key in {tmp_path / 'keys'}: `thidua up` makes one on its first start",
        )
        assert not (tmp_path / "keys").exists()  # none made: they would sign tokens nobody accepts

    def test_a_token_with_other_keys_than_the_running_registry_is_refused(
        self, live_registry: tuple[str, str], live_database: tuple[str, Path], tmp_path: Path
    ) -> None:
        registry = live_registry[0]
        port = registry.rsplit(":", 1)[1]
        from kit.auth import TokenIssuer

        TokenIssuer(tmp_path / "keys", issuer="thidua", audience="thidua")  # keys of another data folder

        run = thidua("token", "--user", "admin", THIDUA_DATA_DIR=str(tmp_path), THIDUA_REGISTRY_PORT=port)
        _refused(run, f"Registry ở {registry} dùng khóa khác", f"The registry at {registry} signs with other keys")

        same = thidua("token", "--user", "admin", THIDUA_DATA_DIR=str(live_database[1]), THIDUA_REGISTRY_PORT=port)
        assert same.returncode == 0, same.stderr
        assert same.stdout.count(".") == 2  # a JWT


class TestMigrationsAtHead:
    async def test_a_migrated_database_has_nothing_behind_and_an_empty_one_everything(
        self, database_url: str, server_url: str
    ) -> None:
        names = [spec.name for spec in SERVICES]
        assert await startup.database(database_url, names) == []
        empty = await embedded.ensure_database(server_url, "thidua_empty", fresh=True)
        assert await startup.database(empty, names) == names

    def test_the_heads_are_the_scripts_no_other_follows(self) -> None:
        from alembic.script import ScriptDirectory

        for spec in SERVICES:
            scripts = ScriptDirectory(str(revisions.MIGRATIONS_DIR / spec.name))
            assert revisions.heads(spec.name) == set(scripts.get_heads())


def test_a_second_instance_lock_says_who_holds_it(tmp_path: Path) -> None:
    lock = tmp_path / "thidua.lock"
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom kit import startup\n"
        f"startup.claim(Path({str(lock)!r}), {{'pid': 1234}})\nprint('held', flush=True)\ntime.sleep(30)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(startup.AlreadyRunning) as running:
            startup.claim(lock, {"pid": os.getpid()})
        assert running.value.about == {"pid": 1234}
    finally:
        holder.kill()
        holder.wait()
    again = startup.claim(lock, {"pid": os.getpid()})  # the kernel let it go with the process
    os.close(again.fd)
    assert again.previous == {"pid": 1234}  # what the one gone had written


def test_up_leaves_running_a_postgresql_it_did_not_start(tmp_path: Path) -> None:
    """Started before (`up --keep-db`, another program): whoever started it stops it, not this `up`."""
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the embedded server is what this is about")
    admin = embedded.start(tmp_path)
    try:
        env = _env(THIDUA_DATA_DIR=str(tmp_path), THIDUA_BASE_PORT=str(_free_base()), THIDUA_LOG_FILE="-")
        command = [sys.executable, "-m", "thidua.cli", "up", "--no-demo"]
        with (tmp_path / "stderr").open("w") as err:
            up = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        assert up.stdout is not None
        said = ""
        for line in up.stdout:  # the banner's last line says it serves
            said += line
            if line.startswith("  a token"):
                break
        up.send_signal(signal.SIGTERM)
        assert up.wait(timeout=60) == 0, said + (tmp_path / "stderr").read_text()[-3000:]

        assert embedded.running(tmp_path)
        assert asyncio.run(_answers(admin))
    finally:
        embedded.stop(tmp_path)


async def _answers(url: str) -> bool:
    conn = await asyncpg.connect(url)
    try:
        return bool(await conn.fetchval("select true"))
    finally:
        await conn.close()
