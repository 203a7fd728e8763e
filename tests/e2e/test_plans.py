"""The five seed plans, each run from registration to its published decision through the gateway, checked against
the plan's own rules: its thresholds and caps, award forms, deadlines, dossier documents and copies."""

from decimal import Decimal

from tests.e2e import checks
from tests.e2e.conftest import PlanRun, RunPlan

D = Decimal
REGISTER = """mutation($m: UUID!, $u: UUID!) { register(movementId: $m, input: {unitId: $u}) {
  __typename ... on Registration { id version } ... on Problem { statusCode } } }"""
SUBMIT = """mutation($id: UUID!, $v: Int!) { transitionRegistration(id: $id, input: {to: SUBMITTED}, version: $v) {
  __typename ... on Problem { statusCode type detail } } }"""
MOVEMENT = """query($id: UUID!) { movement(id: $id) { __typename ... on Movement { kind startDate endDate
  phases { code endDate } milestones { kind dueDate } } } }"""


async def _published_everywhere(run: PlanRun, names: set[str]) -> None:
    """Rankings and every awardee are open data: listed anonymously by the gateway."""
    assert run.outcome.period_id is not None
    assert str(run.outcome.period_id) in {r["id"] for r in await checks.open_rankings(run)}
    rows = await checks.open_decisions(run)
    mine = {str(d) for d in run.outcome.decisions}
    assert {r["name"] for r in rows if r["decision_id"] in mine} == names


async def test_quang_ninh_awards_the_province_bang_khen_from_85_points(run_plan: RunPlan) -> None:
    run = await run_plan("quang-ninh")
    scores = await checks.scores(run)
    assert scores["Phường Hồng Gai"] == (D("97.93"), "Tốt")
    assert scores["Phường Hạ Long"] == (D("94.48"), "Tốt")  # CQS.1 appraised at 94, not the 96 reported
    assert scores["Phường Bãi Cháy"] == (D("84.71"), "Khá")  # just under "Tốt (từ 85 điểm)"
    group = (await checks.candidates(run, "GD2", "BK_TINH"))["xa"]
    assert group.considered == 6
    assert group.selected == {"Phường Hồng Gai", "Phường Hạ Long", "Đặc khu Vân Đồn"}
    [decision] = await checks.decisions(run)
    assert decision["status"] == "PUBLISHED"
    assert decision["reference"].endswith("/QĐ-UBND")
    assert {a["name"] for a in decision["awards"]} == group.selected
    [nomination] = await checks.nominations(run)
    assert nomination["formCode"] == "BK_TINH"
    assert nomination["missingDocuments"] == []
    await _published_everywhere(run, group.selected)

    # Reports are due before 15/12 every year; registration closed with 2022.
    movement = (await run.query(MOVEMENT, id=str(run.outcome.movement_id)))["movement"]
    reports = sorted(m["dueDate"] for m in movement["milestones"] if m["kind"] == "YEARLY_REPORT")
    assert reports == ["2022-12-15", "2023-12-15", "2024-12-15", "2025-12-15"]
    late_unit = await run.runner.importer.units.resolve(
        "Tỉnh Quảng Ninh / Sở Khoa học và Công nghệ", run.demo.scenario.as_of
    )
    reporter = run.token("baocao.skhcn", late_unit, "unit_reporter")
    draft = (await run.query(REGISTER, reporter, m=str(run.outcome.movement_id), u=str(late_unit)))["register"]
    refused = await run.runner.gateway.post(
        "/graphql",
        json={"query": SUBMIT, "variables": {"id": draft["id"], "v": draft["version"]}},
        headers={"Authorization": f"Bearer {reporter}"},
    )
    answer = refused.json()["data"]["transitionRegistration"]
    assert answer["statusCode"] == 409
    assert "31/12/2022" in answer["detail"]


async def test_bqlvhl_gives_its_giay_khen_and_proposes_the_province_bang_khen(run_plan: RunPlan) -> None:
    run = await run_plan("bqlvhl")
    scores = await checks.scores(run)
    assert scores["Văn phòng Ban Quản lý vịnh Hạ Long"] == (D("98.50"), "Tốt")
    assert scores["Phòng Kế hoạch - Tài chính"][0] == D("84.75")  # 88.75 as reported; the appraisal cut it under 85
    for form in ("GIAY_KHEN", "BK_TINH"):
        [group] = (await checks.candidates(run, "GD2", form)).values()
        assert group.eligible == group.selected == {"Văn phòng Ban Quản lý vịnh Hạ Long"}
    giay_khen, bang_khen = await checks.decisions(run)
    assert "QĐ-BQLVHL" in giay_khen["reference"]  # conferred by the Board's head …
    assert bang_khen["issuerName"] == "Ủy ban nhân dân tỉnh Quảng Ninh"  # … and by the province at the review
    await _published_everywhere(run, {"Văn phòng Ban Quản lý vịnh Hạ Long"})


async def test_ha_giang_selects_by_its_work_file_thresholds_and_caps_the_prime_minister_bang_khen(
    run_plan: RunPlan,
) -> None:
    run = await run_plan("ha-giang")
    scores = await checks.scores(run)
    assert len(scores) == 6
    bang_khen = (await checks.candidates(run, "GD1", "BK_TINH"))["huyen"]
    assert bang_khen.selected == {"Thành phố Hà Giang", "Huyện Bắc Quang", "Huyện Vị Xuyên", "Huyện Quản Bạ"}
    assert "Huyện Hoàng Su Phì" not in bang_khen.eligible  # H.1 appraised at 66.5 (< 70 %), reported 72
    prime_minister = (await checks.candidates(run, "GD1", "BK_TTG"))["huyen"]
    assert len(prime_minister.eligible) == 3  # ≥ 80 % of work files online and signed
    assert prime_minister.limit == 2  # "1-2 huyện"
    assert len(prime_minister.selected) == 2
    [decision] = await checks.decisions(run)
    assert {a["name"] for a in decision["awards"]} == bang_khen.selected
    await _published_everywhere(run, bang_khen.selected)
    # Chỉ đạo điểm: the pilot district and commune are registered as pilots.
    pilots = await run.query(
        "query($m: UUID!) { registrations(movementId: $m) { isPilot unit { name } } }", m=str(run.outcome.movement_id)
    )
    assert {r["unit"]["name"] for r in pilots["registrations"] if r["isPilot"]} == {"Huyện Bắc Quang", "Xã Quyết Tiến"}


async def test_rach_gia_asks_dossier_copies_per_form(run_plan: RunPlan) -> None:
    run = await run_plan("rach-gia")
    groups = await checks.candidates(run, "GD1", "GIAY_KHEN")
    group = groups["phuong_xa"]
    # Standards by subject type (IV.3.2.2): each kind of nominee in its group with the standards the council judges;
    # the wards' own lines are not counted among the departments', enterprises' or people's.
    assert {key: len(g.criteria) for key, g in groups.items()} == {
        "phuong_xa": 2,
        "phong_ban": 6,
        "doanh_nghiep": 3,
        "y_te_giao_duc": 3,
        "ca_nhan": 3,
    }
    assert all(g.considered == 0 for key, g in groups.items() if key != "phuong_xa")
    assert group.selected == {"Phường Vĩnh Thanh Vân", "Phường Vĩnh Thanh", "Phường Vĩnh Lạc"}
    assert "Phường An Hòa" not in group.eligible  # the appraised electronic health records miss the standard
    [nomination] = await checks.nominations(run)
    assert (nomination["formCode"], nomination["copies"]) == ("GIAY_KHEN", 1)
    # V.1: the proposing level's letter with its list, its council's minutes, one achievement report per nominee.
    documents = sorted(d["code"] for d in nomination["documents"])
    assert documents == ["bao_cao_thanh_tich"] * 3 + ["bien_ban_hoi_dong", "to_trinh"]
    assert nomination["missingDocuments"] == []
    rules = (
        await run.query(
            "query($m: UUID!) { awardRules(movementId: $m) { ... on RuleList { items { phaseCode definition } } } }",
            run.token("tdkt.test", None, "admin"),
            m=str(run.outcome.movement_id),
        )
    )["awardRules"]["items"]
    copies = sorted({r["definition"].get("copies") for r in rules})
    assert copies == [1, 3, 5]  # Giấy khen 01 bộ, Bằng khen tỉnh 03 bộ, Bằng khen Thủ tướng and Huân chương 05 bộ
    [decision] = await checks.decisions(run)
    assert {a["name"] for a in decision["awards"]} == group.selected
    await _published_everywhere(run, group.selected)


async def test_bac_son_quiz_ends_on_30_july_2023_with_the_district_chairman_giay_khen(run_plan: RunPlan) -> None:
    run = await run_plan("bac-son")
    movement = (await run.query(MOVEMENT, id=str(run.outcome.movement_id)))["movement"]
    assert (movement["kind"], movement["endDate"]) == ("SHORT", "2023-07-30")
    scores = await checks.scores(run)
    assert scores["Xã Chiến Thắng"][0] == D("71.80")  # no quiz rules posted, after appraisal
    groups = await checks.candidates(run, "GD1", "GIAY_KHEN")
    assert groups["tapthe"].selected == {"Thị trấn Bắc Sơn", "Xã Vũ Lăng", "Xã Bắc Quỳnh", "Xã Hưng Vũ"}
    assert len(groups["canhan"].selected) == 3  # individuals only: the collectives' lines are not counted
    collectives, individuals = await checks.decisions(run)
    assert collectives["issuerName"] == "Ủy ban nhân dân huyện Bắc Sơn"
    assert D(collectives["baseSalary"]) == D("1800000")  # in force on the day of signing (8/2023)
    assert {a["subjectType"] for a in individuals["awards"]} == {"INDIVIDUAL"}
    await _published_everywhere(run, groups["tapthe"].selected | {a["name"] for a in individuals["awards"]})
