"""Frameworks are data: validated whole, immutable once published, changed through new versions."""

from typing import Any

import httpx

from tests.problems import assert_problem
from tests.scoring.factories import BANDS, PROVINCE, Auth, framework, group, indicator

BASE: dict[str, Any] = {
    "code": "QN_DTI",
    "title": "Bộ chỉ số đánh giá chuyển đổi số cấp xã",
    "max_points": 30,
    "bands": BANDS,
    "nodes": [
        group(
            "CQS",
            "pillar",
            30,
            [
                indicator(
                    "A", 20, "count", "step", params={"steps": [{"min": 4, "points": 20}, {"min": 1, "points": 5}]}
                ),
                indicator("B", 10, "boolean", "boolean"),
            ],
        )
    ],
    "targets": [{"indicator_code": "A", "year": 2025, "level": "commune", "target": 4}],
}


class TestValidation:
    async def test_every_fault_of_the_tree_is_reported_at_once(
        self, scoring: httpx.AsyncClient, token_for: Auth
    ) -> None:
        body = BASE | {
            "max_points": 50,
            "nodes": [
                group(
                    "CQS",
                    "pillar",
                    30,
                    [
                        indicator("A", 20, "boolean", "step", params={}),
                        indicator("A", 10, "percent", "formula", params={"expr": "__import__('os')"}),
                    ],
                )
            ],
            "targets": [{"indicator_code": "Z", "year": 2025, "level": "commune", "target": 1}],
        }
        response = await scoring.post("/frameworks", json=body, headers=token_for("tdkt.snv"))
        assert_problem(response, 422, "invalid-input")
        pointers = {e["pointer"] for e in response.json()["errors"]}
        assert pointers == {
            "/nodes/0/children/0/method",
            "/nodes/0/children/0/params/steps",
            "/nodes/0/children/1/code",
            "/nodes/0/children/1/params/expr",
            "/max_points",
            "/targets/0/indicator_code",
        }

    async def test_formula_may_only_use_other_indicators(self, scoring: httpx.AsyncClient, token_for: Auth) -> None:
        body = BASE | {
            "max_points": 40,
            "nodes": [
                group(
                    "CQS",
                    "pillar",
                    40,
                    [
                        *BASE["nodes"][0]["children"],
                        indicator("F", 10, "percent", "formula", params={"expr": "[A] + [NOPE]"}),
                    ],
                )
            ],
        }
        response = await scoring.post("/frameworks", json=body, headers=token_for("tdkt.snv"))
        assert_problem(response, 422, "invalid-input", pointer="/nodes/0/children/2/params/expr")
        assert "[NOPE]" in response.json()["errors"][0]["detail"]


class TestVersions:
    async def test_published_is_immutable_and_a_new_version_is_a_draft(
        self, scoring: httpx.AsyncClient, token_for: Auth
    ) -> None:
        office = token_for("tdkt.snv")
        published = await framework(scoring, office, BASE)
        assert (published["version"], published["status"]) == (1, "published")
        changed = await scoring.put(f"/frameworks/{published['id']}", json=BASE | {"title": "Khác"}, headers=office)
        assert_problem(changed, 409, "framework-published")
        draft = await scoring.post(f"/frameworks/{published['id']}/versions", headers=office)
        assert draft.status_code == 201
        assert (draft.json()["version"], draft.json()["status"]) == (2, "draft")
        edited = await scoring.put(
            f"/frameworks/{draft.json()['id']}", json=BASE | {"title": "Phiên bản 2"}, headers=office
        )
        assert edited.json()["title"] == "Phiên bản 2"
        assert (await scoring.get(f"/frameworks/{published['id']}")).json()["title"] == BASE["title"]

    async def test_periods_need_a_published_framework(self, scoring: httpx.AsyncClient, token_for: Auth) -> None:
        office = token_for("tdkt.snv")
        draft = await framework(scoring, office, BASE, publish=False)
        response = await scoring.post(
            "/periods",
            headers=office,
            json={
                "framework_id": draft["id"],
                "title": "Năm 2025",
                "kind": "year",
                "year": 2025,
                "starts_on": "2025-01-01",
                "ends_on": "2025-12-31",
                "scope_unit_id": PROVINCE,
            },
        )
        assert_problem(response, 409, "framework-not-published")

    async def test_reporters_cannot_define_frameworks(self, scoring: httpx.AsyncClient, token_for: Auth) -> None:
        assert_problem(
            await scoring.post("/frameworks", json=BASE, headers=token_for("baocao.honggai")), 403, "forbidden"
        )
