"""A framework with every scoring method scores units exactly as a hand calculation; bands, ties and explain."""

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.problems import assert_problem
from tests.scoring.factories import (
    BAI_CHAY,
    BANDS,
    HA_LONG,
    HA_TU,
    HONG_GAI,
    Auth,
    framework,
    group,
    indicator,
    period,
    values,
)

ALL_METHODS: dict[str, Any] = {
    "code": "TEST-DTI",
    "title": "Bộ chỉ số thử nghiệm",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["ward"],
    "unit_levels": ["commune"],
    "decision": {"number": "311/QĐ-UBND", "date": "2023-02-08", "issuer": "UBND tỉnh Quảng Ninh"},
    "nodes": [
        group(
            "CQS",
            "pillar",
            60,
            [
                group(
                    "CQS.1",
                    "index",
                    40,
                    [
                        indicator(
                            "I1",
                            20,
                            "count",
                            "step",
                            params={
                                "steps": [
                                    {"min": 4, "points": 20},
                                    {"min": 3, "points": 15},
                                    {"min": 2, "points": 10},
                                    {"min": 1, "points": 5},
                                ]
                            },
                        ),
                        indicator("I2", 10, "ratio", "ratio"),
                        indicator("I3", 10, "percent", "target"),
                    ],
                ),
                group(
                    "CQS.2",
                    "index",
                    20,
                    [
                        indicator("I4", 5, "boolean", "boolean"),
                        indicator(
                            "I5", 5, "category", "category", params={"map": {"Đầy đủ": 1, "Một phần": 0.5, "Không": 0}}
                        ),
                        indicator("I6", 10, "percent", "formula", params={"expr": "([I1] + [I2]) / 3"}),
                    ],
                ),
            ],
        ),
        group("KTS", "pillar", 40, [group("KTS.1", "index", 40, [indicator("I7", 40, "percent", "relative")])]),
    ],
    "targets": [{"indicator_code": "I3", "year": 2025, "level": "commune", "target": 80}],
}


def _row(unit: str, code: str, **value: Any) -> dict[str, Any]:
    return {"unit_id": unit, "indicator_code": code, **value}


@pytest.fixture
async def scored(scoring: httpx.AsyncClient, token_for: Auth) -> dict[str, Any]:
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, ALL_METHODS)
    p = await period(scoring, office, fw["id"])
    response = await values(
        scoring,
        office,
        p["id"],
        [
            _row(HONG_GAI, "I1", value=3),
            _row(HONG_GAI, "I2", numerator=45, denominator=50),
            _row(HONG_GAI, "I3", value=60),
            _row(HONG_GAI, "I4", flag=True),
            _row(HONG_GAI, "I5", category="Một phần"),
            _row(HONG_GAI, "I7", value=70),
            _row(BAI_CHAY, "I1", value=4),
            _row(BAI_CHAY, "I2", numerator=50, denominator=50),
            _row(BAI_CHAY, "I3", value=90),
            _row(BAI_CHAY, "I4", flag=False),
            _row(BAI_CHAY, "I5", category="Đầy đủ"),
            _row(BAI_CHAY, "I7", value=80),
        ],
    )
    assert response.status_code == 200, response.text
    return {"framework": fw, "period": p}


class TestEveryMethod:
    async def test_hong_gai_scores_as_the_hand_calculation(
        self, scoring: httpx.AsyncClient, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        # I1 step 3 → 15; I2 45/50 × 10 = 9; I3 60/80 × 10 = 7.5; I4 yes → 5; I5 half → 2.5;
        # I6 (15 + 9) / 3 = 8; I7 70 / best 80 × 40 = 35. Total 82 → Khá.
        score = (
            await scoring.get(f"/periods/{scored['period']['id']}/scores/{HONG_GAI}", headers=token_for("tdkt.snv"))
        ).json()
        assert Decimal(score["total"]) == Decimal("82")
        assert score["score100"] == "82.00"
        assert score["index_value"] == "0.8200"
        assert score["band_vi"] == "Khá"

    async def test_explain_rows_give_each_method_and_sum_to_the_total(
        self, scoring: httpx.AsyncClient, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        explained = (
            await scoring.get(
                f"/periods/{scored['period']['id']}/scores/{HONG_GAI}/explain", headers=token_for("tdkt.snv")
            )
        ).json()
        points = {r["code"]: Decimal(r["points"]) for r in explained["indicators"]}
        assert points == {"I1": 15, "I2": 9, "I3": Decimal("7.5"), "I4": 5, "I5": Decimal("2.5"), "I6": 8, "I7": 35}
        assert sum(points.values()) == Decimal(explained["total"])
        i3 = next(r for r in explained["indicators"] if r["code"] == "I3")
        assert i3["method"] == "target"
        assert [Decimal(i3[k]) for k in ("value", "target", "max_points")] == [60, 80, 10]
        groups = {r["code"]: Decimal(r["points"]) for r in explained["groups"]}
        assert groups == {
            "CQS": Decimal("47"),
            "CQS.1": Decimal("31.5"),
            "CQS.2": Decimal("15.5"),
            "KTS": 35,
            "KTS.1": 35,
        }

    async def test_bai_chay_caps_and_ranks_first(
        self, scoring: httpx.AsyncClient, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        # I1 20; I2 10; I3 90/80 capped → 10; I4 0; I5 5; I6 (20 + 10) / 3 = 10; I7 40. Total 95 → Tốt.
        score = (
            await scoring.get(f"/periods/{scored['period']['id']}/scores/{BAI_CHAY}", headers=token_for("tdkt.snv"))
        ).json()
        assert (Decimal(score["total"]), score["band_vi"]) == (Decimal(95), "Tốt")
        peer = next(r for r in score["ranks"] if r["group_kind"] == "peer")
        assert (peer["group_key"], peer["rank"], peer["group_size"]) == ("ward|commune", 1, 4)


ONE_INDICATOR: dict[str, Any] = {
    "code": "QN-DTI-MINI",
    "title": "Bộ chỉ số rút gọn",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["ward"],
    "nodes": [group("P", "pillar", 100, [indicator("X", 100, "percent", "ratio")])],
}


@pytest.fixture
async def tie(scoring: httpx.AsyncClient, token_for: Auth) -> dict[str, Any]:
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, ONE_INDICATOR)
    p = await period(scoring, office, fw["id"])
    rows = [(HONG_GAI, 90), (BAI_CHAY, 90), (HA_LONG, 85), (HA_TU, "84.99")]
    response = await values(
        scoring, office, p["id"], [{"unit_id": u, "indicator_code": "X", "value": v} for u, v in rows]
    )
    assert response.status_code == 200, response.text
    return p


class TestBandsAndRanks:
    async def test_85_is_tot_and_84_99_is_the_band_below(
        self, scoring: httpx.AsyncClient, token_for: Auth, tie: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        ha_long = (await scoring.get(f"/periods/{tie['id']}/scores/{HA_LONG}", headers=office)).json()
        ha_tu = (await scoring.get(f"/periods/{tie['id']}/scores/{HA_TU}", headers=office)).json()
        assert (ha_long["score100"], ha_long["band_vi"]) == ("85.00", "Tốt")
        assert (ha_tu["score100"], ha_tu["band_vi"]) == ("84.99", "Khá")

    async def test_a_tie_gives_1_1_3(self, scoring: httpx.AsyncClient, token_for: Auth, tie: dict[str, Any]) -> None:
        ranking = (
            await scoring.get(
                f"/periods/{tie['id']}/rankings/peer", params={"key": "ward|commune"}, headers=token_for("tdkt.snv")
            )
        ).json()
        assert [(r["name"], r["rank"]) for r in ranking] == [
            ("Phường Bãi Cháy", 1),
            ("Phường Hồng Gai", 1),
            ("Phường Hạ Long", 3),
            ("Phường Hà Tu", 4),
        ]

    async def test_assessed_not_ranked_gets_a_score_and_no_rank(
        self, scoring: httpx.AsyncClient, token_for: Auth, tie: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        flagged = await scoring.patch(
            f"/periods/{tie['id']}/participants/{BAI_CHAY}", json={"ranked": False}, headers=office
        )
        assert flagged.status_code == 200, flagged.text
        score = (await scoring.get(f"/periods/{tie['id']}/scores/{BAI_CHAY}", headers=office)).json()
        assert (score["score100"], score["ranks"], score["ranked"]) == ("90.00", [], False)
        ranking = (
            await scoring.get(f"/periods/{tie['id']}/rankings/peer", params={"key": "ward|commune"}, headers=office)
        ).json()
        assert [(r["name"], r["rank"]) for r in ranking] == [
            ("Phường Hồng Gai", 1),
            ("Phường Hạ Long", 2),
            ("Phường Hà Tu", 3),
        ]

    @pytest.mark.parametrize("body", [{}, {"ranked": False}], ids=["no-change", "a-change"])
    async def test_a_unit_that_does_not_take_part_is_not_found(
        self, scoring: httpx.AsyncClient, token_for: Auth, tie: dict[str, Any], body: dict[str, Any]
    ) -> None:
        outsider = uuid.uuid4()
        response = await scoring.patch(
            f"/periods/{tie['id']}/participants/{outsider}", json=body, headers=token_for("tdkt.snv")
        )
        assert response.status_code == 404, response.text
        assert response.json()["type"] == "https://thidua.vn/problems/participant-not-found"

    async def test_ranked_cannot_be_null(
        self, scoring: httpx.AsyncClient, token_for: Auth, tie: dict[str, Any]
    ) -> None:
        response = await scoring.patch(
            f"/periods/{tie['id']}/participants/{BAI_CHAY}", json={"ranked": None}, headers=token_for("tdkt.snv")
        )
        assert_problem(response, 422, "invalid-input", pointer="")

    async def test_scores_follow_a_corrected_value(
        self, scoring: httpx.AsyncClient, token_for: Auth, tie: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        await values(scoring, office, tie["id"], [{"unit_id": HA_TU, "indicator_code": "X", "value": 95}])
        score = (await scoring.get(f"/periods/{tie['id']}/scores/{HA_TU}", headers=office)).json()
        assert (score["score100"], score["ranks"][0]["rank"]) == ("95.00", 1)


class TestOpenData:
    async def test_anonymous_sees_only_published_scores(
        self, scoring: httpx.AsyncClient, token_for: Auth, tie: dict[str, Any]
    ) -> None:
        assert_problem(await scoring.get(f"/periods/{tie['id']}/scores"), 401, "unauthenticated")
        office = token_for("tdkt.snv")
        for to, version in (("locked", '"1"'), ("published", '"2"')):
            moved = await scoring.post(
                f"/periods/{tie['id']}/transitions", json={"to": to}, headers=office | {"If-Match": version}
            )
            assert moved.status_code == 200, moved.text
        public = await scoring.get(f"/periods/{tie['id']}/scores")
        assert public.status_code == 200
        assert [i["score100"] for i in public.json()["items"]] == ["90.00", "90.00", "85.00", "84.99"]

    async def test_a_unit_sees_its_own_unpublished_score_only(
        self, scoring: httpx.AsyncClient, token_for: Auth, tie: dict[str, Any]
    ) -> None:
        reporter = token_for("baocao.honggai")
        own = await scoring.get(f"/periods/{tie['id']}/scores/{HONG_GAI}", headers=reporter)
        other = await scoring.get(f"/periods/{tie['id']}/scores/{BAI_CHAY}", headers=reporter)
        assert (own.status_code, other.status_code) == (200, 403)
        listed = (await scoring.get(f"/periods/{tie['id']}/scores", headers=reporter)).json()["items"]
        assert [i["unit_id"] for i in listed] == [HONG_GAI]
