"""Movement definitions: every seed plan is a valid file; faults name their line and field and import nothing;
re-importing updates instead of duplicating; a dry run writes nothing; the published JSON Schemas are current."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.awards.client import AwardsClient
from services.registry.client import RegistryClient
from services.scoring.client import ScoringClient
from tests.conftest import Stack, demo_token
from thidua.plans import formats
from thidua.plans.definition import Plan
from thidua.plans.importer import Clients, Importer
from thidua.plans.source import PlanInvalid, load

PLANS = formats.ROOT
QUANG_NINH = (PLANS / "quang-ninh.yaml").read_text(encoding="utf-8")


@pytest.fixture
async def importer(stack: Stack) -> AsyncIterator[Importer]:
    mounts = {f"http://{name}": httpx.ASGITransport(app=app) for name, app in stack.apps.items()}
    token = demo_token(stack.apps["registry"], "admin")
    async with httpx.AsyncClient(mounts=mounts) as http:
        yield Importer(
            Clients(
                RegistryClient(http, "http://registry", token=token),
                ScoringClient(http, "http://scoring", token=token),
                AwardsClient(http, "http://awards", token=token),
            )
        )


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.mark.parametrize("file", sorted(PLANS.glob("*.yaml")) + sorted((PLANS / "demo").glob("*.yaml")), ids=str)
def test_every_seed_plan_and_scenario_is_valid(file: Path) -> None:
    formats.load_any(file)


def test_the_published_json_schemas_are_current() -> None:
    for path, model in formats.SCHEMAS.items():
        assert path.read_text(encoding="utf-8") == formats.json_schema(model), f"run `thidua schema` ({path})"


def test_a_typo_in_a_field_name_names_its_line_and_field(tmp_path: Path) -> None:
    text = QUANG_NINH.replace("    year: 2025\n    period: y2025", "    year: 2025\n    perod: y2025")
    with pytest.raises(PlanInvalid) as caught:
        load(_file(tmp_path, text), Plan)
    [fault] = caught.value.faults
    assert fault.line == _line_of(text, "perod: y2025")
    assert fault.field == "rules[0].perod"
    assert "Trường không được phép" in str(fault)


def test_a_rule_naming_a_phase_the_movement_lacks_is_refused_at_its_line(tmp_path: Path) -> None:
    text = QUANG_NINH.replace("  - phase: GD2\n    form: BK_TINH", "  - phase: GD9\n    form: BK_TINH")
    with pytest.raises(PlanInvalid) as caught:
        load(_file(tmp_path, text), Plan)
    assert [(f.line, f.field) for f in caught.value.faults] == [(_line_of(text, "phase: GD9"), "rules[0].phase")]


def test_what_a_service_would_refuse_is_found_before_any_write(tmp_path: Path) -> None:
    """A period ending before it starts, and a rule on scores without a period, stop the file at their lines."""
    text = QUANG_NINH.replace("ends_on: 2025-12-31, scope", "ends_on: 2024-12-31, scope").replace(
        "    period: y2025\n", ""
    )
    with pytest.raises(PlanInvalid) as caught:
        load(_file(tmp_path, text), Plan)
    assert {f.field for f in caught.value.faults} == {"periods[0]", "rules[0]"}
    assert {f.line for f in caught.value.faults} == {_line_of(text, "key: y2025"), _line_of(text, "- phase: GD2")}


def test_a_scenario_names_only_what_its_plan_has(tmp_path: Path) -> None:
    (tmp_path / "quang-ninh.yaml").write_text(QUANG_NINH, encoding="utf-8")
    (tmp_path / "demo").mkdir()
    text = (PLANS / "demo" / "quang-ninh.yaml").read_text(encoding="utf-8").replace("form: BK_TINH", "form: GIAY_KHEN")
    scenario = tmp_path / "demo" / "quang-ninh.yaml"
    scenario.write_text(text, encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        formats.load_any(scenario)
    [fault] = caught.value.faults
    assert (fault.line, fault.field) == (_line_of(text, "form: GIAY_KHEN"), "awards[0].form")


async def test_an_unknown_award_form_names_its_line_and_imports_nothing(importer: Importer, tmp_path: Path) -> None:
    text = QUANG_NINH.replace("form: BK_TINH", "form: BK_TINHH")
    plan, source = load(_file(tmp_path, text), Plan)
    with pytest.raises(PlanInvalid) as caught:
        await importer.run(plan, source)
    [fault] = caught.value.faults
    assert (fault.line, fault.field) == (_line_of(text, "form: BK_TINHH"), "rules[0].form")
    assert "BK_TINHH" in fault.detail.en
    assert (await importer.c.registry.movements(code=plan.movement.code)).items == []
    assert await importer.c.scoring.frameworks(code="QN_DTI_XA") == []


async def test_an_unknown_unit_names_its_line(importer: Importer, tmp_path: Path) -> None:
    text = QUANG_NINH.replace("  issuer: Tỉnh Quảng Ninh", "  issuer: Tỉnh Quảng Ninh / Sở Không Có")
    plan, source = load(_file(tmp_path, text), Plan)
    with pytest.raises(PlanInvalid) as caught:
        await importer.run(plan, source)
    assert [(f.line, f.field) for f in caught.value.faults] == [(_line_of(text, "Sở Không Có"), "movement.issuer")]


async def test_re_import_updates_instead_of_duplicating(importer: Importer, tmp_path: Path) -> None:
    plan, source = load(PLANS / "quang-ninh.yaml", Plan)
    dry = await importer.run(plan, source, dry_run=True)
    assert {s.action for s in dry} == {"create"}
    assert (await importer.c.registry.movements(code=plan.movement.code)).items == []  # a dry run writes nothing

    first = await importer.run(plan, source)
    assert [(s.action, s.what) for s in first] == [
        ("create", "movement"),
        ("create", "framework"),
        ("create", "period"),
        ("create", "rule"),
    ]
    again = await importer.run(plan, source)
    assert {s.action for s in again} == {"unchanged"}

    text = (
        QUANG_NINH.replace("    - {lower_bound: 85, label_vi: Tốt", "    - {lower_bound: 80, label_vi: Tốt")
        .replace("title: Phong trào thi đua thực hiện chuyển đổi số", "title: Phong trào thi đua chuyển đổi số")
        .replace("  phases:\n", "  pilot_units: [Tỉnh Quảng Ninh / Thành phố Hạ Long]\n  phases:\n", 1)
    )
    changed, changed_source = load(_file(tmp_path, text), Plan)
    steps = [(s.what, s.action) for s in await importer.run(changed, changed_source)]
    assert steps.count(("movement", "update")) == 1
    assert ("movement", "unchanged") not in steps
    assert ("framework", "create") in steps  # the published version stays; the change is version 2
    assert ("pilot", "create") in steps
    movements = (await importer.c.registry.movements(code=plan.movement.code)).items
    assert [m.title for m in movements] == ["Phong trào thi đua chuyển đổi số tỉnh Quảng Ninh giai đoạn 2022-2025"]
    assert sorted(f.version for f in await importer.c.scoring.frameworks(code="QN_DTI_XA")) == [1, 2]
    assert len(await importer.c.awards.rules(movement_id=movements[0].id)) == 1
    [pilot] = await importer.c.registry.registrations(movements[0].id)
    assert pilot.is_pilot  # chỉ đạo điểm: registered and marked by the import
    assert ("pilot", "unchanged") in {(s.what, s.action) for s in await importer.run(changed, changed_source)}
