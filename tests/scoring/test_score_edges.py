"""Edges an office signs: a missing, returned or negative value earns nothing, whatever the method; a target that
is not set cannot be reached; a formula with a missing input or a zero divisor scores 0."""

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from kit.db import Database
from services.registry.demo.data import demo_id
from services.scoring.frameworks import service as frameworks
from services.scoring.periods import service as periods
from services.scoring.scores import compute
from tests.scoring.factories import BAI_CHAY, BANDS, HA_TU, HONG_GAI, Auth, framework, group, indicator, period, values

EDGES: dict[str, Any] = {
    "code": "QN-DTI-EDGES",
    "title": "Bộ chỉ số kiểm tra biên",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["ward"],
    "nodes": [
        group(
            "P1",
            "pillar",
            60,
            [
                indicator("T", 10, "percent", "target"),
                indicator("R", 10, "percent", "ratio"),
                indicator("S", 10, "count", "step", params={"steps": [{"min": 1, "points": 10}]}),
                indicator("C", 10, "category", "category", params={"map": {"Có": 1, "Không": 0}}),
                indicator("B", 10, "boolean", "boolean"),
                indicator("V", 10, "percent", "relative"),
            ],
        ),
        group(
            "P2",
            "pillar",
            40,
            [
                indicator("TN", 10, "percent", "target"),  # a target for districts only: none for wards
                indicator("F1", 10, "percent", "formula", params={"expr": "max([T], 5)"}),
                indicator("F2", 10, "percent", "formula", params={"expr": "min([R] / [S], 4)"}),
                indicator("F3", 10, "percent", "formula", params={"expr": "[B] / 2"}),
            ],
        ),
    ],
    "targets": [
        {"indicator_code": "T", "year": 2025, "level": "commune", "target": 80},
        {"indicator_code": "TN", "year": 2025, "level": "district", "target": 80},
    ],
}


@pytest.fixture
async def edges(scoring: httpx.AsyncClient, token_for: Auth) -> dict[str, Any]:
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, EDGES)
    return await period(scoring, office, fw["id"])


async def _explain(scoring: httpx.AsyncClient, auth: dict[str, str], period_id: str, unit: str) -> dict[str, Any]:
    response = await scoring.get(f"/periods/{period_id}/scores/{unit}/explain", headers=auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _points(explained: dict[str, Any]) -> dict[str, Decimal]:
    return {r["code"]: Decimal(r["points"]) for r in explained["indicators"]}


async def _recompute(connection: AsyncConnection, period_id: str) -> None:
    """Scores recomputed now, for inputs written straight to the tables (figures the API would refuse)."""
    async with Database.bound_to(connection).sessionmaker() as session, session.begin():
        row = await periods.get_row(session, uuid.UUID(period_id))
        fw = await frameworks.read(session, row["framework_id"])
        await compute.recompute(session, row, fw.max_points)


async def _insert_values(connection: AsyncConnection, period_id: str, rows: list[dict[str, Any]]) -> None:
    await connection.execute(
        sa.text(
            "insert into scoring.unit_values (period_id, unit_id, indicator_code, value, status, updated_by) "
            "values (:period, :unit, :code, :value, 'submitted', 'test')"
        ),
        [{"period": period_id} | r for r in rows],
    )


class TestMissingValues:
    async def test_a_unit_that_sent_nothing_scores_0_and_its_explanation_shows_every_value_missing(
        self, scoring: httpx.AsyncClient, token_for: Auth, edges: dict[str, Any]
    ) -> None:
        # Before: target and ratio gave full marks (least(null, 1) is 1), max([T], 5) gave 5, min([R] / [S], 4) 4.
        office = token_for("tdkt.snv")
        await values(scoring, office, edges["id"], [{"unit_id": HONG_GAI, "indicator_code": "R", "value": 50}])
        explained = await _explain(scoring, office, edges["id"], HA_TU)
        assert Decimal(explained["total"]) == 0
        assert set(_points(explained).values()) == {0}
        assert {r["code"]: r["value"] for r in explained["indicators"] if r["value"] is not None} == {}
        assert {r["code"]: Decimal(r["points"]) for r in explained["groups"]} == {"P1": 0, "P2": 0}

    async def test_a_value_returned_to_the_unit_scores_0_until_it_is_sent_again(
        self, scoring: httpx.AsyncClient, token_for: Auth, edges: dict[str, Any]
    ) -> None:
        reporter, office = token_for("baocao.honggai"), token_for("tdkt.snv")
        rows = [{"unit_id": HONG_GAI, "indicator_code": code, "value": 60} for code in ("T", "R")]
        sent = await values(scoring, reporter, edges["id"], rows, submit="true")
        assert sent.status_code == 200, sent.text
        for code in ("T", "R"):
            returned = await scoring.post(
                f"/periods/{edges['id']}/values/{HONG_GAI}/{code}/review",
                json={"action": "return", "reason": "Thiếu minh chứng"},
                headers=office | {"If-Match": '"1"'},
            )
            assert returned.status_code == 200, returned.text
        explained = await _explain(scoring, office, edges["id"], HONG_GAI)
        rows_by_code = {r["code"]: r for r in explained["indicators"]}
        assert [(rows_by_code[c]["value"], rows_by_code[c]["points"]) for c in ("T", "R", "F1")] == [
            (None, "0.0000"),
            (None, "0.0000"),
            (None, "0.0000"),
        ]
        assert Decimal(explained["total"]) == 0


class TestTargets:
    async def test_no_target_for_the_units_level_scores_0_and_the_explanation_shows_it_missing(
        self, scoring: httpx.AsyncClient, token_for: Auth, edges: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        sent = await values(scoring, office, edges["id"], [{"unit_id": BAI_CHAY, "indicator_code": "TN", "value": 90}])
        assert sent.status_code == 200, sent.text
        explained = await _explain(scoring, office, edges["id"], BAI_CHAY)
        tn = next(r for r in explained["indicators"] if r["code"] == "TN")
        assert (tn["value"], tn["target"], tn["points"]) == ("90.0000", None, "0.0000")

    async def test_a_target_of_zero_scores_0(
        self, scoring: httpx.AsyncClient, token_for: Auth, connection: AsyncConnection, edges: dict[str, Any]
    ) -> None:
        # The API refuses a target of 0; one loaded another way must not mean "reached".
        await connection.execute(
            sa.text(
                "insert into scoring.targets (framework_id, indicator_code, year, level, target) "
                "values (:fw, 'TN', 2025, 'commune', 0)"
            ),
            {"fw": edges["framework_id"]},
        )
        await _insert_values(connection, edges["id"], [{"unit": BAI_CHAY, "code": "TN", "value": 90}])
        await _recompute(connection, edges["id"])
        points = _points(await _explain(scoring, token_for("tdkt.snv"), edges["id"], BAI_CHAY))
        assert points["TN"] == 0


class TestNegativeFigures:
    async def test_relative_scores_0_when_every_peer_is_negative(
        self, scoring: httpx.AsyncClient, token_for: Auth, connection: AsyncConnection, edges: dict[str, Any]
    ) -> None:
        # Before: -5 ÷ best -2 = 2.5 × 10, capped at 10: full marks for the worst figure.
        rows = [{"unit": HONG_GAI, "code": "V", "value": -5}, {"unit": BAI_CHAY, "code": "V", "value": -2}]
        rows += [{"unit": HONG_GAI, "code": code, "value": -5} for code in ("T", "R", "S")]
        await _insert_values(connection, edges["id"], rows)
        await _recompute(connection, edges["id"])
        office = token_for("tdkt.snv")
        hong_gai = await _explain(scoring, office, edges["id"], HONG_GAI)
        assert _points(hong_gai) == dict.fromkeys(_points(hong_gai), Decimal(0))
        assert next(r for r in hong_gai["indicators"] if r["code"] == "V")["value"] == "-5.0000"
        assert _points(await _explain(scoring, office, edges["id"], BAI_CHAY))["V"] == 0


class TestFormulas:
    async def test_a_formula_whose_input_is_missing_scores_0(
        self, scoring: httpx.AsyncClient, token_for: Auth, edges: dict[str, Any]
    ) -> None:
        # max([T], 5) gave 5 points to a unit that sent no T; with T it gives at least 5.
        office = token_for("tdkt.snv")
        rows = [{"unit_id": BAI_CHAY, "indicator_code": "B", "flag": True}]
        rows += [{"unit_id": HONG_GAI, "indicator_code": "T", "value": 8}]
        assert (await values(scoring, office, edges["id"], rows)).status_code == 200
        bai_chay = _points(await _explain(scoring, office, edges["id"], BAI_CHAY))
        assert (bai_chay["F1"], bai_chay["F3"]) == (Decimal(0), Decimal(5))
        hong_gai = _points(await _explain(scoring, office, edges["id"], HONG_GAI))
        assert (hong_gai["T"], hong_gai["F1"]) == (Decimal(1), Decimal(5))

    async def test_a_formula_dividing_by_zero_scores_0(
        self, scoring: httpx.AsyncClient, token_for: Auth, edges: dict[str, Any]
    ) -> None:
        # min([R] / [S], 4) with S at 0 points: least(null, 4) gave 4.
        office = token_for("tdkt.snv")
        rows = [
            {"unit_id": HONG_GAI, "indicator_code": "R", "value": 50},
            {"unit_id": HONG_GAI, "indicator_code": "S", "value": 0},
            {"unit_id": BAI_CHAY, "indicator_code": "R", "value": 50},
            {"unit_id": BAI_CHAY, "indicator_code": "S", "value": 2},
        ]
        assert (await values(scoring, office, edges["id"], rows)).status_code == 200
        hong_gai = _points(await _explain(scoring, office, edges["id"], HONG_GAI))
        assert [hong_gai[c] for c in ("R", "S", "F2")] == [5, 0, 0]
        bai_chay = _points(await _explain(scoring, office, edges["id"], BAI_CHAY))
        assert bai_chay["F2"] == Decimal("0.5")

    @pytest.mark.parametrize("expr", ["min()", "[R] * 1e400", "10"])
    async def test_a_formula_that_cannot_be_computed_is_refused(
        self, scoring: httpx.AsyncClient, token_for: Auth, expr: str
    ) -> None:
        # Before: accepted, then every recompute of a period on the framework failed with a 500.
        body = EDGES | {"code": "QN-DTI-BAD"}
        body["nodes"] = [body["nodes"][0], group("P2", "pillar", 40, [indicator("F", 40, "percent", "formula")])]
        body["nodes"][1]["children"][0]["params"] = {"expr": expr}
        body["targets"] = EDGES["targets"][:1]
        response = await scoring.post("/frameworks", json=body, headers=token_for("tdkt.snv"))
        assert response.status_code == 422, response.text
        assert response.json()["type"] == "https://thidua.vn/problems/invalid-input"
        assert [e["pointer"] for e in response.json()["errors"]] == ["/nodes/1/children/0/params/expr"]


class TestDerivedScores:
    async def test_a_merged_ward_gets_the_mean_of_its_predecessors_totals_not_of_their_rounded_indices(
        self, scoring: httpx.AsyncClient, token_for: Auth
    ) -> None:
        office = token_for("tdkt.snv")
        body = {
            "code": "HS-2024-EXACT",
            "title": "Hồ sơ công việc xử lý trên môi trường mạng",
            "max_points": 100,
            "unit_levels": ["commune"],
            "nodes": [group("CQS", "pillar", 100, [indicator("HSCV", 100, "percent", "target")])],
            "targets": [{"indicator_code": "HSCV", "year": 2024, "level": "commune", "target": 80}],
        }
        fw = await framework(scoring, office, body)
        p = await period(scoring, office, fw["id"], year=2024, starts_on="2024-01-01", ends_on="2024-12-31")
        # Phường Hồng Gai (2025) came from Hồng Gai, Bạch Đằng, Trần Hưng Đạo and part of Yết Kiêu.
        old = ["qn/halong/honggai", "qn/halong/bachdang", "qn/halong/tranhungdao", "qn/halong/yetkieu"]
        rows = [
            {"unit_id": str(demo_id(key)), "indicator_code": "HSCV", "value": v}
            for key, v in zip(old, (90, "70.01", 85, 60), strict=True)
        ]
        assert (await values(scoring, office, p["id"], rows)).status_code == 200
        derived = await scoring.post(f"/periods/{p['id']}/derived", json={"unit_id": HONG_GAI}, headers=office)
        assert derived.status_code == 200, derived.text
        # Totals 100, 87.5125, 100, 75: their mean is 90.628125. The rounded indices (1, 0.8751, 1, 0.75) gave 90.6275.
        assert (derived.json()["total"], derived.json()["index_value"]) == ("90.6281", "0.9063")
