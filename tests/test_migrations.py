"""Every service's migrations upgrade, downgrade to nothing and upgrade again, and match the models."""

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from kit import embedded, migrations
from kit.db import async_url
from thidua import cli
from thidua.system import SERVICES, ServiceSpec


@pytest.fixture(scope="module")
async def scratch_url(server_url: str) -> str:
    return await embedded.ensure_database(server_url, "thidua_migrations", fresh=True)


def _diff(sync: sa.Connection, spec: ServiceSpec) -> list[Any]:
    def include(name: str | None, kind: str, _: object) -> bool:
        if kind == "schema":
            return name == spec.name
        return not (kind == "table" and name == "alembic_version")

    context = MigrationContext.configure(sync, opts={"include_schemas": True, "include_name": include})
    return list(compare_metadata(context, spec.metadata))


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
async def test_upgrade_downgrade_upgrade_matches_the_models(scratch_url: str, spec: ServiceSpec) -> None:
    engine = create_async_engine(async_url(scratch_url))
    tables = sa.text(
        "select count(*) from information_schema.tables where table_schema = :s and table_name <> 'alembic_version'"
    )
    try:
        await migrations.upgrade(scratch_url, spec.name)
        await migrations.downgrade(scratch_url, spec.name)
        async with engine.connect() as conn:
            assert (await conn.execute(tables, {"s": spec.name})).scalar() == 0
        await migrations.upgrade(scratch_url, spec.name)
        async with engine.connect() as conn:
            assert (await conn.execute(tables, {"s": spec.name})).scalar() == len(spec.metadata.tables)
            assert await conn.run_sync(_diff, spec) == []
    finally:
        await engine.dispose()


def test_a_server_older_than_postgresql_18_is_refused_before_any_change() -> None:
    with pytest.raises(RuntimeError, match=r"PostgreSQL 18 or later; this server is 17\.5"):
        migrations.require_server(170005)
    migrations.require_server(180001)


async def test_history_numbers_written_as_json_numbers_are_read_as_text_after_the_upgrade(scratch_url: str) -> None:
    await migrations.upgrade(scratch_url, "scoring")
    await migrations.downgrade(scratch_url, "scoring", "20261121_0004")
    engine = create_async_engine(async_url(scratch_url))
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.text("""
                    insert into scoring.value_changes (period_id, unit_id, indicator_code, actor, action, old, new)
                    values (gen_random_uuid(), gen_random_uuid(), 'KS', 'a', 'draft',
                            '{"value": 70.0000, "flag": null}', '{"value": "75.0000", "status": "draft"}')""")
            )
        await migrations.upgrade(scratch_url, "scoring")
        async with engine.connect() as conn:
            old, new = (await conn.execute(sa.text("select old, new from scoring.value_changes"))).one()
    finally:
        await engine.dispose()
    assert (old, new) == ({"value": "70.0000", "flag": None}, {"value": "75.0000", "status": "draft"})


_OLD_DOSSIERS = """
    insert into awards.regimes (code, title, legal_basis, valid_from) values ('R', 'Quy chế', '{}', '2024-01-01');
    insert into awards.award_forms (id, regime_code, code, kind, name_vi, name_en, subject_types, conferred_by,
        documents, copies, reward_multiple, voting, deadlines)
    select ('00000000-0000-0000-0000-00000000000' || n)::uuid, 'R', c, k, c, c, '{collective}', '[]', '[]', 1, '{}',
        '{}', '{}' from (values (1, 'BK', 'award'), (2, 'TT', 'title')) f(n, c, k);
    insert into awards.nominations (id, form_id, movement_id, phase_code, proposer_unit_id, proposer_path,
        authority_unit_id, authority_path, title, achievement, status, created_by, created_at)
    select ('00000000-0000-0000-0000-00000000010' || d.n)::uuid, ('00000000-0000-0000-0000-00000000000' || d.f)::uuid,
        d.m, d.p, gen_random_uuid(), '{}', gen_random_uuid(), '{}', 'Hồ sơ ' || d.n, d.a, d.s, 'x', d.at
    from (values
        (1, 1, null::uuid, null, '  Cứu hộ  ĐỘT XUẤT bão Yagi ', 'issued', timestamptz '2025-01-05 10:00+07'),
        (2, 2, null, null, null, 'draft', timestamptz '2026-03-01 10:00+07'),
        (3, 1, '00000000-0000-0000-0000-0000000000aa', 'GD1', 'Giai đoạn 1', 'decided', now()),
        (4, 1, null, null, null, 'withdrawn', timestamptz '2026-03-01 10:00+07')) d(n, f, m, p, a, s, at);
    insert into awards.nomination_events (nomination_id, actor, from_status, to_status, reason)
    values ('00000000-0000-0000-0000-000000000101', 'x', 'draft', 'draft', 'filed on paper on 2024-12-20');
    insert into awards.nominees (id, nomination_id, position, subject_type, unit_id, name, subject_key, form_code,
        movement_id, phase_code)
    select gen_random_uuid(), n.id, 1, 'collective', null, 'Phường Hồng Gai', 'u:' || n.status, f.code,
        n.movement_id, n.phase_code
    from awards.nominations n join awards.award_forms f on f.id = n.form_id;
"""


async def test_the_achievement_upgrade_keeps_every_dossier_and_keys_it(scratch_url: str) -> None:
    """20261202_council_achievement: the year from a paper filing or the entry, keys by phase, year and wording."""
    from services.awards.nominations.achievement import achievement_key
    from services.awards.vocabulary import FormKind

    await migrations.upgrade(scratch_url, "awards")
    await migrations.downgrade(scratch_url, "awards", "20261202_faults_awards")
    engine = create_async_engine(async_url(scratch_url))
    try:
        async with engine.begin() as conn:
            for statement in _OLD_DOSSIERS.split(";")[:-1]:
                await conn.execute(sa.text(statement))
        await migrations.upgrade(scratch_url, "awards")
        async with engine.begin() as conn:
            rows = await conn.execute(
                sa.text("""
                    select n.title, n.achievement_year, l.achievement_key, l.withdrawn from awards.nominations n
                    join awards.nominees l on l.nomination_id = n.id order by n.title""")
            )
            found = [tuple(r) for r in rows]
            # the same ward and award for 2026 too: allowed now, a clash for the old index
            await conn.execute(
                sa.text("""
                    insert into awards.nominees (id, nomination_id, position, subject_type, name, subject_key,
                        form_code, achievement_key)
                    values (gen_random_uuid(), '00000000-0000-0000-0000-000000000104', 2, 'collective', 'Phường',
                        'u:issued', 'BK', 'year:2026')""")
            )
        with pytest.raises(RuntimeError, match=r"1 nominee\(s\) hold the same form .* Nothing was changed"):
            await migrations.downgrade(scratch_url, "awards", "20261202_faults_awards")
        async with engine.begin() as conn:
            version = await conn.execute(sa.text("select version_num from awards.alembic_version"))
            assert version.scalar_one() == _history("awards")[0]
            await conn.execute(sa.text("truncate awards.regimes, awards.award_forms, awards.nominations cascade"))
    finally:
        await engine.dispose()
    worded = achievement_key(FormKind.AWARD, None, None, 2024, "cứu hộ đột xuất bão yagi")
    assert found == [
        ("Hồ sơ 1", 2024, worded, False),  # filed on paper in 2024, entered in 2025: the filing's year
        ("Hồ sơ 2", 2026, "year:2026", False),  # a title: its year alone
        ("Hồ sơ 3", found[2][1], "phase:00000000-0000-0000-0000-0000000000aa/GD1", False),
        ("Hồ sơ 4", 2026, "year:2026", True),  # a withdrawn dossier's line no longer holds its achievement
    ]


# The three workflow logs before they shared kit.workflow.transition_log, each with a parent row and one entry.
_OLD_LOGS = {
    "registry": """
        insert into registry.units (id, kind, level) values ('00000000-0000-0000-0000-0000000000e1', 'xa', 'xa');
        insert into registry.movements (id, code, title, search_key, issuer_unit_id, kind, basis_number, basis_date,
            start_date)
        values ('00000000-0000-0000-0000-0000000000e2', 'PT', 'Phong trào', 'phong trao',
            '00000000-0000-0000-0000-0000000000e1', 'regular', '1/KH', '2026-01-01', '2026-01-01');
        insert into registry.registrations (id, movement_id, unit_id, created_by)
        values ('00000000-0000-0000-0000-0000000000e3', '00000000-0000-0000-0000-0000000000e2',
            '00000000-0000-0000-0000-0000000000e1', 'x');
        insert into registry.registration_transitions (registration_id, actor, from_status, to_status, reason, at)
        values ('00000000-0000-0000-0000-0000000000e3', 'cán bộ', 'submitted', 'rejected', 'Thiếu giao ước',
            '2026-03-01 09:30+07')""",
    "scoring": """
        insert into scoring.frameworks (id, code, version, title, max_points, created_by)
        values ('00000000-0000-0000-0000-0000000000e4', 'BCS', 1, 'Bộ chỉ số', 100, 'x');
        insert into scoring.periods (id, framework_id, title, kind, year, starts_on, ends_on, scope_unit_id)
        values ('00000000-0000-0000-0000-0000000000e5', '00000000-0000-0000-0000-0000000000e4', 'Kỳ 2026', 'year',
            2026, '2026-01-01', '2026-12-31', gen_random_uuid());
        insert into scoring.period_transitions (period_id, actor, from_status, to_status, reason, details, at)
        values ('00000000-0000-0000-0000-0000000000e5', 'văn phòng', 'open', 'locked', null,
            '{"reorganisation": "end", "derivation_rule": "mean_index"}', '2026-03-02 10:00+07')""",
    "awards": """
        insert into awards.regimes (code, title, legal_basis, valid_from) values ('R', 'Quy chế', '{}', '2024-01-01');
        insert into awards.award_forms (id, regime_code, code, kind, name_vi, name_en, subject_types, conferred_by,
            documents, copies, reward_multiple, voting, deadlines)
        values ('00000000-0000-0000-0000-0000000000e6', 'R', 'BK', 'award', 'Bằng khen', 'Certificate',
            '{collective}', '[]', '[]', 1, '{}', '{}', '{}');
        insert into awards.nominations (id, form_id, proposer_unit_id, proposer_path, authority_unit_id, authority_path,
            title, achievement_year, created_by)
        values ('00000000-0000-0000-0000-0000000000e7', '00000000-0000-0000-0000-0000000000e6', gen_random_uuid(),
            '{}', gen_random_uuid(), '{}', 'Hồ sơ', 2026, 'x');
        insert into awards.nomination_events (nomination_id, actor, from_status, to_status, reason, at)
        values ('00000000-0000-0000-0000-0000000000e7', 'thư ký', 'council', 'council', 'council voted',
            '2026-03-03 14:00+07')""",
}
# (table, subject column, extra column) before and after the rename
_LOG_NAMES = {
    "registry": (
        ("registration_transitions", "registration_id", "null"),
        ("registration_transitions", "subject_id", "detail"),
    ),
    "scoring": (("period_transitions", "period_id", "details"), ("period_transitions", "subject_id", "detail")),
    "awards": (("nomination_events", "nomination_id", "null"), ("nomination_transitions", "subject_id", "detail")),
}
_WORKFLOW_LOG = {"registry": "20261202_0003", "scoring": "20261202_0007", "awards": "20261202_0004"}


@pytest.mark.parametrize("service", _WORKFLOW_LOG)
async def test_the_workflow_log_rename_keeps_every_entry_both_ways(server_url: str, service: str) -> None:
    """The revision that gives each log the shape of kit.workflow.transition_log renames: no entry is lost or changed,
    up to the head and down again."""
    url = await embedded.ensure_database(server_url, f"thidua_workflow_log_{service}", fresh=True)
    before = (
        ScriptDirectory(str(migrations.MIGRATIONS_DIR / service)).get_revision(_WORKFLOW_LOG[service]).down_revision
    )
    assert isinstance(before, str)
    old, new = _LOG_NAMES[service]
    await migrations.upgrade(url, service, before)
    await _execute_all(url, _OLD_LOGS[service])
    entry = await _log_entries(url, service, *old)
    assert len(entry) == 1

    await migrations.upgrade(url, service)
    assert await _log_entries(url, service, *new) == entry

    await migrations.downgrade(url, service, before)
    assert await _log_entries(url, service, *old) == entry


async def _log_entries(url: str, schema: str, table: str, subject: str, extra: str) -> list[tuple[Any, ...]]:
    engine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                sa.text(
                    f"select id, {subject}, actor, from_status, to_status, reason, {extra}, at "
                    f"from {schema}.{table} order by id"
                )
            )
            return [tuple(r) for r in rows]
    finally:
        await engine.dispose()


async def _execute_all(url: str, script: str) -> None:
    engine = create_async_engine(async_url(url))
    try:
        async with engine.begin() as conn:
            for statement in script.split(";"):
                await conn.execute(sa.text(statement))
    finally:
        await engine.dispose()


A_BLOC = "insert into registry.blocs (id, code, name, kind) values (gen_random_uuid(), 'K1', 'Khối 1', 'khoi')"


class TestMigrateDown:
    """`thidua migrate --down`: one revision back per service, all or nothing, never dropping rows unasked."""

    @pytest.fixture
    def url(self, server_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
        url = asyncio.run(_migrated(server_url))
        monkeypatch.setenv("DATABASE_URL", url)
        return url

    def test_goes_one_revision_back_per_service(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        _thidua("migrate", "--down")

        history = {spec.name: _history(spec.name) for spec in SERVICES}
        assert asyncio.run(_versions(url)) == {name: h[1] for name, h in history.items()}
        assert capsys.readouterr().out.splitlines() == [
            f"{spec.name:<10} {history[spec.name][0]} -> {history[spec.name][1] or 'base'}"
            for spec in reversed(SERVICES)
        ]

    def test_refuses_to_drop_a_table_holding_rows_and_changes_nothing(self, url: str) -> None:
        asyncio.run(_execute(url, A_BLOC))

        with pytest.raises(SystemExit, match=r"would drop tables holding rows: registry\.blocs\.\nNothing was changed"):
            _thidua("migrate", "--down", "--to", "base")

        # Every history is still at its head: scoring and awards, whose tables are empty, were not rolled back either.
        assert asyncio.run(_versions(url)) == {spec.name: _history(spec.name)[0] for spec in SERVICES}

    def test_the_refusal_says_how_to_go_on(self, url: str) -> None:
        asyncio.run(_execute(url, A_BLOC))

        with pytest.raises(SystemExit, match=r"run again with --drop-data to drop them"):
            _thidua("migrate", "--down", "--service", "registry", "--to", "base")

    def test_a_service_whose_tables_are_kept_goes_down_while_another_holds_rows(self, url: str) -> None:
        asyncio.run(_execute(url, A_BLOC))

        _thidua("migrate", "--down", "--service", "scoring", "--to", "20261121_0002")

        assert asyncio.run(_versions(url))["scoring"] == "20261121_0002"

    def test_drop_data_lets_the_rows_go(self, url: str) -> None:
        asyncio.run(_execute(url, A_BLOC))

        _thidua("migrate", "--down", "--service", "registry", "--to", "base", "--drop-data")

        assert asyncio.run(_versions(url))["registry"] is None
        assert asyncio.run(_scalar(url, "select to_regclass('registry.blocs') is null")) is True

    def test_an_unknown_revision_is_refused_and_changes_nothing(self, url: str) -> None:
        with pytest.raises(SystemExit, match=r"refused: .*20991231_9999.*\nNothing was changed"):
            _thidua("migrate", "--down", "--to", "20991231_9999")

        assert asyncio.run(_versions(url)) == {spec.name: _history(spec.name)[0] for spec in SERVICES}

    def test_a_history_already_at_its_base_is_left_alone(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        _thidua("migrate", "--down", "--service", "awards", "--to", "base")
        capsys.readouterr()

        _thidua("migrate", "--down", "--service", "awards")

        assert capsys.readouterr().out == "awards     base -> base\n"


def _history(service: str) -> list[str | None]:
    """The service's revisions, head first, then None (its base: nothing applied)."""
    scripts = ScriptDirectory(str(migrations.MIGRATIONS_DIR / service))
    return [*(revision.revision for revision in scripts.walk_revisions()), None]


def _thidua(*argv: str) -> None:
    args = cli.parser().parse_args(argv)
    args.run(args)


async def _migrated(server_url: str) -> str:
    url = await embedded.ensure_database(server_url, "thidua_migrate_down", fresh=True)
    for spec in SERVICES:
        await migrations.upgrade(url, spec.name)
    return url


async def _scalar(url: str, sql: str) -> Any:
    engine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as conn:
            return (await conn.execute(sa.text(sql))).scalar()
    finally:
        await engine.dispose()


async def _execute(url: str, sql: str) -> None:
    engine = create_async_engine(async_url(url))
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text(sql))
    finally:
        await engine.dispose()


async def _versions(url: str) -> dict[str, str | None]:
    return {
        spec.name: await _scalar(url, f"select max(version_num) from {spec.name}.alembic_version") for spec in SERVICES
    }
