"""Periods snapshot their participants; targets progress; a merged unit's score derived from its predecessors."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.registry.demo.data import demo_id
from tests.scoring.factories import BAI_CHAY, BANDS, HONG_GAI, PROVINCE, Auth, framework, group, indicator, values

WORK_FILES: dict[str, Any] = {
    "code": "HS-ONLINE",
    "title": "Hồ sơ công việc xử lý trên môi trường mạng",
    "max_points": 100,
    "bands": BANDS,
    "unit_levels": ["commune"],
    "nodes": [group("CQS", "pillar", 100, [indicator("HSCV", 100, "percent", "target")])],
    "targets": [{"indicator_code": "HSCV", "year": 2024, "level": "commune", "target": 80}],
}
HALONG_OLD = ["qn/halong/honggai", "qn/halong/bachdang", "qn/halong/tranhungdao", "qn/halong/yetkieu"]


async def _period(scoring: httpx.AsyncClient, auth: dict[str, str], fw: str, year: int, ends: str) -> dict[str, Any]:
    response = await scoring.post(
        "/periods",
        headers=auth,
        json={
            "framework_id": fw,
            "title": f"Năm {year}",
            "kind": "year",
            "year": year,
            "starts_on": f"{year}-01-01",
            "ends_on": ends,
            "scope_unit_id": PROVINCE,
        },
    )
    assert response.status_code == 201, response.text
    out: dict[str, Any] = response.json()
    return out


@pytest.fixture
async def year_2024(scoring: httpx.AsyncClient, token_for: Auth) -> dict[str, Any]:
    """2024, on the old tree: the wards of Hạ Long under their city."""
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, WORK_FILES)
    p = await _period(scoring, office, fw["id"], 2024, "2024-12-31")
    sent = await values(
        scoring,
        office,
        p["id"],
        [
            {"unit_id": str(demo_id(key)), "indicator_code": "HSCV", "value": v}
            for key, v in zip(HALONG_OLD, (90, 70, 85, 60), strict=True)
        ],
    )
    assert sent.status_code == 200, sent.text
    return p


class TestSnapshot:
    async def test_the_2024_period_is_read_on_the_old_tree(
        self, scoring: httpx.AsyncClient, token_for: Auth, year_2024: dict[str, Any]
    ) -> None:
        people = (
            await scoring.get(
                f"/periods/{year_2024['id']}/participants", params={"limit": 500}, headers=token_for("tdkt.snv")
            )
        ).json()["items"]
        names = {p["name"] for p in people}
        assert {"Phường Bạch Đằng", "Xã Hạ Long"} <= names
        assert "Đặc khu Vân Đồn" not in names
        bach_dang = next(p for p in people if p["name"] == "Phường Bạch Đằng")
        assert bach_dang["path"] == [PROVINCE, str(demo_id("qn/halong"))]

    async def test_lists_of_periods_and_frameworks(self, scoring: httpx.AsyncClient, year_2024: dict[str, Any]) -> None:
        periods = (await scoring.get("/periods", params={"framework_id": year_2024["framework_id"]})).json()["items"]
        assert [(p["id"], p["participants"], [h["to_status"] for h in p["history"]]) for p in periods] == [
            (year_2024["id"], year_2024["participants"], ["open"])
        ]
        frameworks = (await scoring.get("/frameworks", params={"code": "HS-ONLINE"})).json()["items"]
        assert [(f["version"], f["nodes"][0]["children"][0]["code"], len(f["targets"])) for f in frameworks] == [
            (1, "HSCV", 1)
        ]

    async def test_periods_page_by_cursor_newest_first(
        self, scoring: httpx.AsyncClient, token_for: Auth, year_2024: dict[str, Any]
    ) -> None:
        year_2025 = await _period(scoring, token_for("tdkt.snv"), year_2024["framework_id"], 2025, "2025-12-31")
        only = {"framework_id": year_2024["framework_id"], "limit": 1}
        first = (await scoring.get("/periods", params=only)).json()
        assert [p["id"] for p in first["items"]] == [year_2025["id"]]
        second = (await scoring.get("/periods", params=only | {"cursor": first["next_cursor"]})).json()
        assert ([p["id"] for p in second["items"]], second["next_cursor"]) == ([year_2024["id"]], None)

    async def test_participants_page_by_cursor_to_the_whole_snapshot(
        self, scoring: httpx.AsyncClient, token_for: Auth, year_2024: dict[str, Any]
    ) -> None:
        path, office = f"/periods/{year_2024['id']}/participants", token_for("tdkt.snv")
        whole = (await scoring.get(path, params={"limit": 500}, headers=office)).json()
        paged: list[str] = []
        cursor = None
        while True:
            page = (await scoring.get(path, params={"limit": 7, "cursor": cursor or ""}, headers=office)).json()
            paged += [p["unit_id"] for p in page["items"]]
            if not (cursor := page["next_cursor"]):
                break
        assert len(whole["items"]) > 7
        assert paged == [p["unit_id"] for p in whole["items"]]
        assert whole["next_cursor"] is None

    async def test_anonymous_sees_no_participants_before_publication(
        self, scoring: httpx.AsyncClient, year_2024: dict[str, Any]
    ) -> None:
        assert (await scoring.get(f"/periods/{year_2024['id']}/participants")).json() == {
            "items": [],
            "next_cursor": None,
        }


class TestTargets:
    async def test_how_many_wards_of_ha_long_reach_80_percent(
        self, scoring: httpx.AsyncClient, token_for: Auth, year_2024: dict[str, Any]
    ) -> None:
        progress = (
            await scoring.get(
                f"/periods/{year_2024['id']}/targets",
                params={"unit_id": str(demo_id("qn/halong"))},
                headers=token_for("tdkt.snv"),
            )
        ).json()
        assert [(p["indicator_code"], p["level"], p["target"], p["units"], p["reached"]) for p in progress] == [
            ("HSCV", "commune", "80.0000", 11, 2)
        ]


class TestMergers:
    async def test_a_merged_ward_gets_the_mean_of_its_predecessors(
        self, scoring: httpx.AsyncClient, token_for: Auth, year_2024: dict[str, Any]
    ) -> None:
        # Phường Hồng Gai (2025) came from Hồng Gai 100, Bạch Đằng 87.5, Trần Hưng Đạo 100 and part of Yết Kiêu 75.
        derived = await scoring.post(
            f"/periods/{year_2024['id']}/derived", json={"unit_id": HONG_GAI}, headers=token_for("tdkt.snv")
        )
        assert derived.status_code == 200, derived.text
        body = derived.json()
        assert body["index_value"] == "0.9063"  # (1 + 0.875 + 1 + 0.75) / 4 = 0.90625
        assert body["derivation"]["rule"] == "mean_index"
        assert len(body["derivation"]["sources"]) == 4

    async def test_share_weighted_rule(
        self, scoring: httpx.AsyncClient, token_for: Auth, year_2024: dict[str, Any]
    ) -> None:
        derived = await scoring.post(
            f"/periods/{year_2024['id']}/derived",
            json={"unit_id": HONG_GAI, "rule": "share_weighted"},
            headers=token_for("tdkt.snv"),
        )
        # Yết Kiêu brought 0.4 of itself: (1 + 0.875 + 1 + 0.4 × 0.75) / (1 + 1 + 1 + 0.4) = 3.175 / 3.4
        assert derived.json()["index_value"] == "0.9338"


class TestLockSnapshot:
    async def test_locking_takes_the_snapshot_again(
        self, scoring: httpx.AsyncClient, registry_app: FastAPI, token_for: Auth
    ) -> None:
        office = token_for("tdkt.snv")
        fw = await framework(scoring, office, WORK_FILES | {"code": "HS-2026"})
        p = await _period(scoring, office, fw["id"], 2026, "2026-12-31")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=registry_app), base_url="http://r") as reg:
            new = await reg.post(
                "/units",
                headers=token_for("admin"),
                json={"kind": "commune", "level": "commune", "name": "Xã Mới Lập", "parent_id": PROVINCE},
            )
            assert new.status_code == 201
        locked = await scoring.post(
            f"/periods/{p['id']}/transitions", json={"to": "locked"}, headers=office | {"If-Match": '"1"'}
        )
        assert locked.json()["participants"] == p["participants"] + 1
        assert BAI_CHAY in {
            x["unit_id"]
            for x in (
                await scoring.get(f"/periods/{p['id']}/participants", params={"limit": 500}, headers=office)
            ).json()["items"]
        }
