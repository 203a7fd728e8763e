"""A cap is a cap: never more selected than the cap or the quota; candidates equal across the limit are left to
the council, unless the rule's tie-breakers settle it (Hà Giang: "01 đến 02 huyện" for the Prime Minister)."""

from decimal import Decimal
from itertools import count
from typing import Any

import pytest

from tests.awards.factories import (
    BAI_CHAY,
    HA_LONG,
    HONG_GAI,
    PROVINCE,
    at_signer,
    collective,
    form_id,
    move,
    movement,
    ok,
    person,
    published_period,
    unit,
)
from tests.conftest import Stack
from tests.problems import assert_problem
from tests.scoring.factories import group, indicator

DISTRICTS = ["Huyện Vị Xuyên", "Huyện Bắc Quang", "Huyện Quản Bạ", "Huyện Yên Minh"]
TIE_AT_THE_CAP_VI = "Đồng hạng tại giới hạn: Hội đồng quyết định"
TIE_AT_THE_CAP_EN = "tie at the cap: the council decides"
_codes = count()


@pytest.fixture
async def ha_giang(stack: Stack, token_for: Any) -> dict[str, Any]:
    admin = token_for("admin")
    province = await unit(stack, admin, "Tỉnh Hà Giang", "province", "province")
    ids = {name: await unit(stack, admin, name, "district", "district", province) for name in DISTRICTS}
    mv = await movement(stack, admin, province, "HG-CDS", ["TONG-KET"])
    return {"admin": admin, "province": province, "ids": ids, "movement": mv}


def body(ha_giang: dict[str, Any], period_id: str | None, form: str, **group_fields: Any) -> dict[str, Any]:
    return {
        "movement_id": ha_giang["movement"]["id"],
        "phase_code": "TONG-KET",
        "year": 2025,
        "period_id": period_id,
        "form_id": form,
        "title": "Bằng khen của Thủ tướng Chính phủ: tổng kết giai đoạn",
        "groups": [
            {
                "key": "huyen",
                "label": "Cấp huyện",
                "levels": ["district"],
                "conditions": [{"kind": "indicator", "code": "X", "op": ">=", "value": 60}],
                "order": {"measure": "indicator", "code": "X"},
                **group_fields,
            }
        ],
    }


async def period(
    stack: Stack, ha_giang: dict[str, Any], x: dict[str, Any], y: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Indicator X (work files handled online, %) orders the districts; Y (a second indicator) can break ties."""
    ids = ha_giang["ids"]
    return await published_period(
        stack,
        ha_giang["admin"],
        ha_giang["province"],
        {ids[n]: v for n, v in x.items()},
        code=f"HG-CAP-{next(_codes)}",
        bands=False,
        nodes=[
            group("P", "pillar", 100, [indicator("X", 50, "percent", "ratio"), indicator("Y", 50, "percent", "ratio")])
        ],
        more={"Y": {ids[n]: v for n, v in (y or {}).items()}},
    )


async def candidates(stack: Stack, ha_giang: dict[str, Any], x: dict[str, Any], **rule: Any) -> dict[str, Any]:
    """The one group of a BK_TTG rule over a period scored on X (and Y)."""
    y, form = rule.pop("y", None), rule.pop("form", "BK_TTG")
    scored = await period(stack, ha_giang, x, y)
    admin = ha_giang["admin"]
    created = ok(
        await stack.awards.post(
            "/rules", json=body(ha_giang, scored["id"], await form_id(stack, form), **rule), headers=admin
        ),
        201,
    )
    evaluation = ok(await stack.awards.get(f"/rules/{created['id']}/candidates", headers=admin))
    result: dict[str, Any] = evaluation["groups"][0]
    return result


def eligible(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in result["candidates"] if c["eligible"]]


def standing(result: dict[str, Any]) -> list[tuple[str, int | None, str, bool]]:
    return [(c["name"], c["rank"], c["status"], c["selected"]) for c in eligible(result)]


def counts(result: dict[str, Any]) -> tuple[int | None, int, int, int]:
    return result["limit"], result["selected"], result["tied"], result["open_places"]


SCORES = {"Huyện Vị Xuyên": 95, "Huyện Bắc Quang": 85, "Huyện Quản Bạ": 85}


class TestCap:
    async def test_a_cap_of_two_over_95_85_85_selects_one_and_leaves_the_tie_to_the_council(
        self, stack: Stack, ha_giang: dict[str, Any]
    ) -> None:
        result = await candidates(stack, ha_giang, SCORES, cap={"min": 1, "max": 2})
        assert [c["name"] for c in result["candidates"] if c["selected"]] == ["Huyện Vị Xuyên"]  # never 3 of 2
        assert standing(result) == [
            ("Huyện Vị Xuyên", 1, "selected", True),
            ("Huyện Bắc Quang", 2, "tied", False),
            ("Huyện Quản Bạ", 2, "tied", False),
        ]
        assert counts(result) == (2, 1, 2, 1)  # one place left for the council, among two tied
        for tied in eligible(result)[1:]:
            assert tied["reason_vi"].startswith(TIE_AT_THE_CAP_VI)
            assert TIE_AT_THE_CAP_EN in tied["reason_en"].lower()
            assert "1 suất còn lại trong giới hạn 2" in tied["reason_vi"]
            assert tied["tie_breaks"] == []

    async def test_a_tie_within_the_cap_is_selected_whole(self, stack: Stack, ha_giang: dict[str, Any]) -> None:
        result = await candidates(stack, ha_giang, SCORES, cap={"max": 3})
        assert [c["status"] for c in eligible(result)] == ["selected"] * 3
        assert counts(result) == (3, 3, 0, 0)

    async def test_a_clear_cut_keeps_the_best(self, stack: Stack, ha_giang: dict[str, Any]) -> None:
        x = {"Huyện Vị Xuyên": 95, "Huyện Bắc Quang": 85, "Huyện Quản Bạ": 80}
        result = await candidates(stack, ha_giang, x, cap={"max": 2})
        assert [c["status"] for c in eligible(result)] == ["selected", "selected", "beyond"]
        assert "ngoài giới hạn 2" in result["candidates"][2]["reason_vi"]
        assert counts(result) == (2, 2, 0, 0)


class TestTieBreakers:
    async def test_a_tie_breaker_settles_the_tie_and_shows_the_values_it_compared(
        self, stack: Stack, ha_giang: dict[str, Any]
    ) -> None:
        y = {"Huyện Vị Xuyên": 50, "Huyện Bắc Quang": 60, "Huyện Quản Bạ": 70}
        result = await candidates(
            stack, ha_giang, SCORES, y=y, cap={"max": 2}, tie_breakers=[{"measure": "indicator", "code": "Y"}]
        )
        assert standing(result) == [
            ("Huyện Vị Xuyên", 1, "selected", True),
            ("Huyện Quản Bạ", 2, "selected", True),
            ("Huyện Bắc Quang", 3, "beyond", False),
        ]
        assert counts(result) == (2, 2, 0, 0)
        quan_ba, bac_quang = eligible(result)[1:]
        assert [(t["code"], Decimal(t["value"])) for t in bac_quang["tie_breaks"]] == [("Y", Decimal(60))]
        assert "phân định theo: Chỉ số Y = 70" in quan_ba["reason_vi"]
        assert "settled by: Indicator Y = 60" in bac_quang["reason_en"]

    async def test_lower_is_better_when_the_rule_says_so(self, stack: Stack, ha_giang: dict[str, Any]) -> None:
        y = {"Huyện Vị Xuyên": 50, "Huyện Bắc Quang": 60, "Huyện Quản Bạ": 70}
        breaker = {"measure": "indicator", "code": "Y", "better": "lower"}
        result = await candidates(stack, ha_giang, SCORES, y=y, cap={"max": 2}, tie_breakers=[breaker])
        assert [c["name"] for c in result["candidates"] if c["selected"]] == ["Huyện Vị Xuyên", "Huyện Bắc Quang"]

    async def test_equal_tie_breakers_leave_the_tie_to_the_council(
        self, stack: Stack, ha_giang: dict[str, Any]
    ) -> None:
        y = {"Huyện Vị Xuyên": 50, "Huyện Bắc Quang": 70, "Huyện Quản Bạ": 70}
        breakers = [{"measure": "indicator", "code": "Y"}, {"measure": "score100"}]
        result = await candidates(stack, ha_giang, SCORES, y=y, cap={"max": 2}, tie_breakers=breakers)
        assert [c["status"] for c in eligible(result)] == ["selected", "tied", "tied"]
        assert counts(result) == (2, 1, 2, 1)
        tied = result["candidates"][1]
        assert tied["reason_vi"].startswith(TIE_AT_THE_CAP_VI)
        assert "các tiêu chí phân định bằng nhau: Chỉ số Y = 70" in tied["reason_vi"]
        assert [t["measure"] for t in tied["tie_breaks"]] == ["indicator", "score100"]

    async def test_a_missing_tie_breaker_value_comes_last_and_says_so(
        self, stack: Stack, ha_giang: dict[str, Any]
    ) -> None:
        y = {"Huyện Vị Xuyên": 50, "Huyện Quản Bạ": 10}  # Bắc Quang sent no Y
        result = await candidates(
            stack, ha_giang, SCORES, y=y, cap={"max": 2}, tie_breakers=[{"measure": "indicator", "code": "Y"}]
        )
        assert [c["name"] for c in result["candidates"] if c["selected"]] == ["Huyện Vị Xuyên", "Huyện Quản Bạ"]
        bac_quang = result["candidates"][2]
        assert (bac_quang["status"], bac_quang["tie_breaks"][0]["value"]) == ("beyond", None)
        assert "Chỉ số Y: không có (xếp sau)" in bac_quang["reason_vi"]


class TestQuota:
    async def test_a_quota_never_selects_more_than_its_share_and_lists_the_tie(
        self, stack: Stack, ha_giang: dict[str, Any]
    ) -> None:
        x = SCORES | {"Huyện Yên Minh": 70}
        result = await candidates(stack, ha_giang, x, quota={"share": "0.5"})  # 4 districts considered: 2 places
        assert [c["status"] for c in eligible(result)] == ["selected", "tied", "tied", "beyond"]
        assert counts(result) == (2, 1, 2, 1)

    async def test_the_lower_of_cap_and_quota_is_the_limit(self, stack: Stack, ha_giang: dict[str, Any]) -> None:
        x = SCORES | {"Huyện Yên Minh": 70}
        result = await candidates(stack, ha_giang, x, cap={"max": 3}, quota={"share": "0.75"})
        assert counts(result) == (3, 3, 0, 0)
        assert [c["status"] for c in eligible(result)] == ["selected", "selected", "selected", "beyond"]
        result = await candidates(stack, ha_giang, x, quota={"share": "0.25"}, cap={"max": 3}, form="BK_TINH")
        assert counts(result) == (1, 1, 0, 0)  # floor(0.25 × 4) = 1: the clear best


class TestValidation:
    @pytest.mark.parametrize(
        ("breakers", "at"),
        [
            ([{"measure": "indicator", "code": "Z"}], "/groups/0/tie_breakers/0/code"),
            ([{"measure": "score100"}, {"measure": "indicator", "code": "Q"}], "/groups/0/tie_breakers/1/code"),
            ([{"measure": "indicator"}], "/groups/0/tie_breakers/0"),
            ([{"measure": "indicator", "code": "X"}], "/groups/0"),  # repeats the order
            ([{"measure": "score100"}, {"measure": "score100"}], "/groups/0"),
            ([{"measure": "rank"}], "/groups/0/tie_breakers/0/measure"),
        ],
    )
    async def test_bad_tie_breakers_are_422_naming_the_field(
        self, stack: Stack, ha_giang: dict[str, Any], breakers: list[dict[str, Any]], at: str
    ) -> None:
        scored = await period(stack, ha_giang, SCORES)
        sent = body(ha_giang, scored["id"], await form_id(stack, "BK_TTG"), tie_breakers=breakers)
        response = await stack.awards.post("/rules", json=sent, headers=ha_giang["admin"])
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"].endswith("/invalid-input")
        assert any(e["pointer"].startswith(at) for e in problem["errors"]), problem["errors"]

    async def test_tie_breakers_need_a_period(self, stack: Stack, ha_giang: dict[str, Any]) -> None:
        sent = body(ha_giang, None, await form_id(stack, "BK_TTG"), tie_breakers=[{"measure": "score100"}])
        sent["groups"][0] |= {"order": {"measure": "score100"}, "conditions": []}
        sent["groups"][0]["tie_breakers"] = [{"measure": "total"}]
        response = await stack.awards.post("/rules", json=sent, headers=ha_giang["admin"])
        assert response.status_code == 422, response.text
        assert response.json()["type"].endswith("/invalid-input")
        assert [e["pointer"] for e in response.json()["errors"]] == ["/groups/0/tie_breakers/0"]


class TestApprovals:
    """The signer's approvals are held to the rule of the movement's phase for the form: filing more nominees than
    the cap is allowed (the council chooses among them), approving more is not."""

    async def rule_of_two(self, stack: Stack, token_for: Any, code: str, group: dict[str, Any]) -> dict[str, Any]:
        office = token_for("tdkt.snv")
        mv = await movement(stack, token_for("admin"), PROVINCE, code, ["P2"])
        body = {
            "movement_id": mv["id"],
            "phase_code": "P2",
            "year": 2025,
            "form_id": await form_id(stack, "BK_TINH"),
            "title": "Bằng khen của Chủ tịch UBND tỉnh: sơ kết",
            "groups": [group],
        }
        ok(await stack.awards.post("/rules", json=body | group.pop("rule", {}), headers=office), 201)
        return {"movement_id": mv["id"], "phase_code": "P2"}

    async def test_approving_more_than_the_cap_is_refused_naming_the_group(self, stack: Stack, token_for: Any) -> None:
        group = {"key": "ca-nhan", "label": "Cá nhân", "source": "nominees", "cap": {"max": 2}}
        phase = await self.rule_of_two(stack, token_for, "QN-CAP-1", group)
        people = [person(f"Ông Trần Văn {n}", "Công chức phường Hồng Gai") for n in ("An", "Bình", "Cường")]
        n = await at_signer(stack, token_for, await form_id(stack, "BK_TINH"), people, **phase)
        signer = token_for("chutich.ubnd")
        every = [{"nominee_id": line["id"], "outcome": "approved"} for line in n["nominees"]]
        response = await stack.awards.post(
            f"/nominations/{n['id']}/transitions",
            json={"to": "decided", "outcomes": every},
            headers=signer | {"If-Match": f'"{n["version"]}"'},
        )
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["type"].endswith("/award-cap-exceeded")
        assert problem["groups"] == [{"key": "ca-nhan", "limit": 2, "approved": 3}]
        assert "Cá nhân: giới hạn 2, được duyệt 3" in problem["messages"]["vi"]
        refused = {"outcome": "refused", "reason": "Hội đồng chọn hai người có thành tích tiêu biểu nhất"}
        two = [*every[:2], every[2] | refused]
        decided = await move(stack, signer, n, "decided", outcomes=two)
        assert decided["status"] == "decided"

        # a later dossier of the same phase and form counts against the same cap
        late = await at_signer(
            stack, token_for, await form_id(stack, "BK_TINH"), [person("Bà Lê Thị Dung", "Công chức")], **phase
        )
        (line,) = late["nominees"]
        response = await stack.awards.post(
            f"/nominations/{late['id']}/transitions",
            json={"to": "decided", "outcomes": [{"nominee_id": line["id"], "outcome": "approved"}]},
            headers=signer | {"If-Match": f'"{late["version"]}"'},
        )
        assert_problem(response, 409, "award-cap-exceeded")
        assert response.json()["groups"] == [{"key": "ca-nhan", "limit": 2, "approved": 3}]

    async def test_a_cap_over_the_period_s_units_counts_the_approved_collectives(
        self, stack: Stack, token_for: Any
    ) -> None:
        office = token_for("tdkt.snv")
        scored = await published_period(
            stack, office, PROVINCE, {HONG_GAI: 90, BAI_CHAY: 90, HA_LONG: 80}, code="QN-CAP", unit_kinds=["ward"]
        )
        group = {
            "key": "phuong",
            "label": "Phường",
            "unit_kinds": ["ward"],
            "cap": {"max": 1},
            "rule": {"period_id": scored["id"]},
        }
        phase = await self.rule_of_two(stack, token_for, "QN-CAP-2", group)
        lines = [collective(HONG_GAI, "Phường Hồng Gai"), collective(BAI_CHAY, "Phường Bãi Cháy")]
        n = await at_signer(stack, token_for, await form_id(stack, "BK_TINH"), lines, **phase)
        every = [{"nominee_id": line["id"], "outcome": "approved"} for line in n["nominees"]]
        response = await stack.awards.post(
            f"/nominations/{n['id']}/transitions",
            json={"to": "decided", "outcomes": every},
            headers=token_for("chutich.ubnd") | {"If-Match": f'"{n["version"]}"'},
        )
        assert_problem(response, 409, "award-cap-exceeded")
        assert response.json()["groups"] == [{"key": "phuong", "limit": 1, "approved": 2}]
