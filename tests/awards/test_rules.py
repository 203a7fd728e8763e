"""Movement award rules as data: the ranked candidates of a phase, each condition with its actual value."""

from typing import Any

import pytest

from tests.awards.factories import (
    BAI_CHAY,
    HA_LONG,
    HONG_GAI,
    PROVINCE,
    form_id,
    movement,
    ok,
    published_period,
    unit,
)
from tests.conftest import Stack
from tests.problems import assert_problem

DISTRICTS = {"Huyện Vị Xuyên": 85, "Huyện Bắc Quang": 80, "Huyện Quản Bạ": "79.99", "Huyện Yên Minh": 72}
COMMUNES = {"Xã Thanh Thủy": 65, "Xã Tùng Bá": 60, "Xã Phương Tiến": 55}


def selection(key: str, label: str, level: str, at_least: int, cap: dict[str, int] | None = None) -> dict[str, Any]:
    """Units of a level with at least `at_least` % of work files handled online and signed (indicator X)."""
    return {
        "key": key,
        "label": label,
        "levels": [level],
        "conditions": [{"kind": "indicator", "code": "X", "op": ">=", "value": at_least}],
        "order": {"measure": "indicator", "code": "X"},
        **({"cap": cap} if cap else {}),
    }


@pytest.fixture
async def ha_giang(stack: Stack, token_for: Any) -> dict[str, Any]:
    """Hà Giang's districts and communes with their share of work files handled online, scored and published."""
    admin = token_for("admin")
    province = await unit(stack, admin, "Tỉnh Hà Giang", "province", "province")
    ids: dict[str, str] = {}
    for name in DISTRICTS:
        ids[name] = await unit(stack, admin, name, "district", "district", province)
    for name in COMMUNES:
        ids[name] = await unit(stack, admin, name, "commune", "commune", ids["Huyện Vị Xuyên"])
    values = {ids[n]: v for n, v in (DISTRICTS | COMMUNES).items()}
    period = await published_period(stack, admin, province, values, code="HG-HSCV", bands=False)
    mv = await movement(stack, admin, province, "HG-CDS", ["TONG-KET"])
    return {"province": province, "period": period, "movement": mv, "ids": ids}


async def rule(stack: Stack, admin: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    created = ok(await stack.awards.post("/rules", json=body, headers=admin), 201)
    result: dict[str, Any] = ok(await stack.awards.get(f"/rules/{created['id']}/candidates", headers=admin))
    return result


def names(group: dict[str, Any], field: str) -> list[str]:
    return [c["name"] for c in group["candidates"] if c[field]]


class TestHaGiangFinalReview:
    async def test_prime_minister_and_province_candidates_follow_the_thresholds_and_caps(
        self, stack: Stack, token_for: Any, ha_giang: dict[str, Any]
    ) -> None:
        admin = token_for("admin")
        common = {
            "movement_id": ha_giang["movement"]["id"],
            "phase_code": "TONG-KET",
            "year": 2025,
            "period_id": ha_giang["period"]["id"],
        }
        pm = await rule(
            stack,
            admin,
            common
            | {
                "form_id": await form_id(stack, "BK_TTG"),
                "title": "Bằng khen của Thủ tướng Chính phủ: tổng kết giai đoạn",
                "groups": [
                    selection("huyen", "Cấp huyện", "district", 80, {"min": 1, "max": 2}),
                    selection("xa", "Cấp xã", "commune", 60, {"min": 2, "max": 3}),
                ],
            },
        )
        districts, communes = pm["groups"]
        assert names(districts, "selected") == ["Huyện Vị Xuyên", "Huyện Bắc Quang"]
        assert names(communes, "selected") == ["Xã Thanh Thủy", "Xã Tùng Bá"]
        assert (districts["limit"], communes["limit"]) == (2, 3)
        quan_ba = next(c for c in districts["candidates"] if c["name"] == "Huyện Quản Bạ")
        assert (quan_ba["eligible"], quan_ba["checks"][0]["actual"], quan_ba["checks"][0]["expected"]) == (
            False,
            "79.99",
            ">= 80",
        )
        assert "79.99" in quan_ba["reason_vi"]
        assert "Chỉ số X >= 80" in quan_ba["reason_vi"]
        assert [c["rank"] for c in districts["candidates"]] == [1, 2, None, None]

        province = await rule(
            stack,
            admin,
            common
            | {
                "form_id": await form_id(stack, "BK_TINH"),
                "title": "Bằng khen của Chủ tịch UBND tỉnh: tổng kết giai đoạn",
                "groups": [selection("huyen", "Cấp huyện", "district", 70), selection("xa", "Cấp xã", "commune", 50)],
            },
        )
        districts, communes = province["groups"]
        assert names(districts, "eligible") == list(DISTRICTS)
        assert names(communes, "eligible") == list(COMMUNES)

    async def test_the_cap_keeps_the_best_and_says_why_the_others_are_left_out(
        self, stack: Stack, token_for: Any, ha_giang: dict[str, Any]
    ) -> None:
        admin = token_for("admin")
        body = {
            "movement_id": ha_giang["movement"]["id"],
            "phase_code": "TONG-KET",
            "year": 2025,
            "period_id": ha_giang["period"]["id"],
            "form_id": await form_id(stack, "BK_TTG"),
            "title": "Bằng khen của Thủ tướng Chính phủ",
            "groups": [selection("huyen", "Cấp huyện", "district", 70, {"min": 1, "max": 2})],
        }
        (districts,) = (await rule(stack, admin, body))["groups"]
        assert (districts["eligible"], districts["selected"]) == (4, 2)
        third = districts["candidates"][2]
        assert (third["name"], third["eligible"], third["selected"], third["rank"]) == ("Huyện Quản Bạ", True, False, 3)
        assert "ngoài giới hạn 2" in third["reason_vi"]

    async def test_a_typo_in_a_condition_or_an_unknown_indicator_is_422(
        self, stack: Stack, token_for: Any, ha_giang: dict[str, Any]
    ) -> None:
        admin = token_for("admin")
        body = {
            "movement_id": ha_giang["movement"]["id"],
            "phase_code": "TONG-KET",
            "year": 2025,
            "period_id": ha_giang["period"]["id"],
            "form_id": await form_id(stack, "BK_TTG"),
            "title": "Sai",
            "groups": [selection("huyen", "Cấp huyện", "district", 80)],
        }
        typo = body | {"groups": [{**body["groups"][0], "condtions": []}]}
        assert_problem(
            await stack.awards.post("/rules", json=typo, headers=admin),
            422,
            "invalid-input",
            pointer="/groups/0/condtions",
        )
        unknown = body | {
            "groups": [
                selection("huyen", "Cấp huyện", "district", 80) | {"order": {"measure": "indicator", "code": "Y"}}
            ]
        }
        response = await stack.awards.post("/rules", json=unknown, headers=admin)
        assert_problem(response, 422, "invalid-input", pointer="/groups/0/order/code")
        assert response.json()["errors"][0]["pointer"] == "/groups/0/order/code"
        wrong_phase = await stack.awards.post("/rules", json=body | {"phase_code": "SO-KET"}, headers=admin)
        assert wrong_phase.json()["errors"][0]["pointer"] == "/phase_code"


class TestQuangNinh:
    async def test_tot_with_tasks_completed_is_eligible_and_84_99_is_not(self, stack: Stack, token_for: Any) -> None:
        office = token_for("tdkt.snv")
        period = await published_period(
            stack, office, PROVINCE, {HONG_GAI: 85, BAI_CHAY: "84.99", HA_LONG: 92}, code="QN-DTI", unit_kinds=["ward"]
        )
        mv = await movement(stack, token_for("admin"), PROVINCE, "QN-CDS", ["P2"])
        done = "Hoàn thành tốt nhiệm vụ"
        ok(
            await stack.awards.post(
                "/records",
                json={
                    "items": [
                        {"subject_id": u, "kind": "rating", "year": 2025, "value": done} for u in (HONG_GAI, BAI_CHAY)
                    ]
                },
                headers=office,
            ),
            201,
        )
        evaluation = await rule(
            stack,
            office,
            {
                "movement_id": mv["id"],
                "phase_code": "P2",
                "year": 2025,
                "period_id": period["id"],
                "form_id": await form_id(stack, "BK_TINH"),
                "title": "Bằng khen của Chủ tịch UBND tỉnh: đơn vị xếp loại Tốt, hoàn thành nhiệm vụ",
                "conditions": [
                    {"kind": "band", "labels": ["Tốt"]},
                    {
                        "kind": "consecutive",
                        "record": "rating",
                        "values": [done, "Hoàn thành xuất sắc nhiệm vụ"],
                        "years": 1,
                    },
                ],
                "groups": [{"key": "phuong", "label": "Phường", "unit_kinds": ["ward"]}],
            },
        )
        by_name = {c["name"]: c for c in evaluation["groups"][0]["candidates"]}
        assert by_name["Phường Hồng Gai"]["eligible"] is True
        bai_chay = by_name["Phường Bãi Cháy"]
        assert bai_chay["eligible"] is False
        assert [(c["kind"], c["actual"], c["passed"]) for c in bai_chay["checks"]] == [
            ("band", "Khá", False),
            ("consecutive", "1", True),
        ]
        assert "Xếp loại thuộc: Tốt (thực tế: Khá)" in bai_chay["reason_vi"]
        ha_long = by_name["Phường Hạ Long"]
        assert (ha_long["eligible"], ha_long["checks"][1]["actual"]) == (False, "0")

    async def test_rules_are_for_the_office_in_scope(self, stack: Stack, token_for: Any) -> None:
        response = await stack.awards.get("/rules", headers=token_for("baocao.honggai"))
        assert_problem(response, 403, "forbidden")


class TestIndividuals:
    async def test_two_consecutive_grassroots_titles_and_no_discipline(self, stack: Stack, token_for: Any) -> None:
        from tests.awards.factories import HONG_GAI, nomination

        office, admin = token_for("tdkt.snv"), token_for("admin")
        mv = await movement(stack, admin, PROVINCE, "QN-CDS-CN", ["P2"])
        lan, minh = [  # records are kept about people of the registry, in the office's scope
            ok(
                await stack.registry.post(
                    "/people", json={"full_name": name, "membership": {"unit_id": HONG_GAI}}, headers=admin
                ),
                201,
            )["id"]
            for name in ("Nguyễn Thị Lan", "Phạm Văn Minh")
        ]
        form = await form_id(stack, "BK_TINH")
        people = [
            {"subject_type": "individual", "person_id": lan, "name": "Bà Nguyễn Thị Lan", "detail": "Công chức"},
            {"subject_type": "individual", "person_id": minh, "name": "Ông Phạm Văn Minh", "detail": "Công chức"},
        ]
        await nomination(stack, token_for("lanhdao.honggai"), form, people, movement_id=mv["id"], phase_code="P2")
        facts = [(lan, "title", 2024, "CSTD_CS"), (lan, "title", 2025, "CSTD_CS")]
        facts += [(minh, "title", 2025, "CSTD_CS"), (minh, "discipline", 2025, "Khiển trách")]
        items = [{"subject_id": s, "kind": k, "year": y, "value": v} for s, k, y, v in facts]
        ok(await stack.awards.post("/records", json={"items": items}, headers=office), 201)
        evaluation = await rule(
            stack,
            office,
            {
                "movement_id": mv["id"],
                "phase_code": "P2",
                "year": 2025,
                "form_id": form,
                "title": "Bằng khen của Chủ tịch UBND tỉnh cho cá nhân",
                "groups": [
                    {
                        "key": "ca-nhan",
                        "label": "Cá nhân",
                        "source": "nominees",
                        "conditions": [
                            {"kind": "consecutive", "record": "title", "values": ["CSTD_CS"], "years": 2},
                            {"kind": "no_discipline"},
                        ],
                    }
                ],
            },
        )
        by_name = {c["name"]: c for c in evaluation["groups"][0]["candidates"]}
        assert by_name["Bà Nguyễn Thị Lan"]["eligible"] is True
        minh_checks = [(c["kind"], c["actual"], c["passed"]) for c in by_name["Ông Phạm Văn Minh"]["checks"]]
        assert minh_checks == [("consecutive", "1", False), ("no_discipline", "Khiển trách", False)]

    async def test_nominee_groups_by_subject_type_and_unit_kind_with_the_standards_judged(
        self, stack: Stack, token_for: Any
    ) -> None:
        """One form, one phase: the ward's line goes to the communes' group, the person to the individuals', and
        each group lists the plan's worded standards for the council."""
        from tests.awards.factories import HONG_GAI, collective, nomination, person

        admin, office = token_for("admin"), token_for("tdkt.snv")
        mv = await movement(stack, admin, PROVINCE, "QN-CDS-NHOM", ["P3"])
        form = await form_id(stack, "BK_TINH")
        lines = [collective(HONG_GAI, "Phường Hồng Gai"), person("Bà Nguyễn Thị Lan", "Công chức phường Hồng Gai")]
        await nomination(stack, token_for("lanhdao.honggai"), form, lines, movement_id=mv["id"], phase_code="P3")
        standard = "Có sáng kiến, giải pháp hữu ích được công nhận"
        groups = [
            {"key": "xa", "label": "Xã, phường", "source": "nominees", "unit_kinds": ["ward", "commune"]},
            {"key": "so", "label": "Sở, ngành", "source": "nominees", "unit_kinds": ["department"]},
            {
                "key": "cn",
                "label": "Cá nhân",
                "source": "nominees",
                "subject_types": ["individual"],
                "criteria": [standard],
            },
        ]
        body = {"movement_id": mv["id"], "phase_code": "P3", "year": 2025, "form_id": form, "title": "Theo đối tượng"}
        evaluation = await rule(stack, office, body | {"groups": groups})
        found = {g["key"]: ([c["name"] for c in g["candidates"]], g["criteria"]) for g in evaluation["groups"]}
        assert found == {"xa": (["Phường Hồng Gai"], []), "so": ([], []), "cn": (["Bà Nguyễn Thị Lan"], [standard])}
        misplaced = await stack.awards.post(
            "/rules",
            json=body | {"groups": [{"key": "x", "label": "X", "subject_types": ["individual"]}]},
            headers=office,
        )
        assert_problem(
            misplaced, 422, "invalid-input", pointer="/groups/0"
        )  # subject types sort nominees, not the period's units
