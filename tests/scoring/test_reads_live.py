"""Over real HTTP, scoring served on loopback with its own pool: a read right after a write sees it, and a
recompute under way blocks no writer."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from kit.db import Database
from services.scoring.periods import repository as periods_repo
from services.scoring.scores import service as scores
from tests.scoring.factories import BANDS, group, indicator

# A province of its own: the live database is shared with the tests that load the demo.
PROVINCE = {"kind": "province", "level": "province", "name": "Tỉnh Thử Đọc Ghi", "valid_from": "2020-01-01"}
COMMUNES = ["Xã Đọc Một", "Xã Đọc Hai", "Xã Đọc Ba"]


@pytest.fixture
async def world(live_registry: tuple[str, str], live_scoring: tuple[str, str]) -> AsyncIterator[dict[str, Any]]:
    """An open period of three communes, and a client of scoring as the administrator."""
    (registry_base, admin), (scoring_base, _) = live_registry, live_scoring
    auth = {"Authorization": admin}
    async with (
        httpx.AsyncClient(base_url=registry_base, headers=auth, timeout=60) as registry,
        httpx.AsyncClient(base_url=scoring_base, headers=auth, timeout=60) as scoring,
    ):
        found = (await registry.get("/units", params={"q": "thu doc ghi", "kind": "province"})).json()["items"]
        if found:
            province = found[0]["id"]
            units = [u["id"] for u in (await registry.get("/units", params={"parent_id": province})).json()["items"]]
        else:
            province = (await registry.post("/units", json=PROVINCE)).json()["id"]
            units = [
                (
                    await registry.post(
                        "/units",
                        json=PROVINCE | {"kind": "commune", "level": "commune", "name": name, "parent_id": province},
                    )
                ).json()["id"]
                for name in COMMUNES
            ]
        fw = await scoring.post(
            "/frameworks",
            json={
                "code": f"READS-LIVE-{uuid.uuid4().hex[:8]}",
                "title": "Đọc sau khi ghi",
                "max_points": 100,
                "bands": BANDS,
                "unit_kinds": ["commune"],
                "unit_levels": ["commune"],
                "nodes": [group("G", "pillar", 100, [indicator("X", 100, "percent", "ratio")])],
            },
        )
        assert fw.status_code == 201, fw.text
        assert (await scoring.post(f"/frameworks/{fw.json()['id']}/publish")).status_code == 200
        period = await scoring.post(
            "/periods",
            json={
                "framework_id": fw.json()["id"],
                "title": "Năm 2025",
                "kind": "year",
                "year": 2025,
                "starts_on": "2025-01-01",
                "ends_on": "2025-12-31",
                "scope_unit_id": province,
            },
        )
        assert period.status_code == 201, period.text
        assert period.json()["participants"] == len(COMMUNES)
        yield {"scoring": scoring, "period": period.json()["id"], "units": units}


async def _write(scoring: httpx.AsyncClient, period_id: str, unit: str, value: int) -> httpx.Response:
    return await scoring.post(
        f"/periods/{period_id}/values", json={"items": [{"unit_id": unit, "indicator_code": "X", "value": value}]}
    )


async def _score100(scoring: httpx.AsyncClient, period_id: str, unit: str) -> tuple[str, bool]:
    score = await scoring.get(f"/periods/{period_id}/scores/{unit}")
    assert score.status_code == 200, score.text
    return score.json()["score100"], score.json()["stale"]


async def test_a_read_right_after_a_write_sees_it(world: dict[str, Any]) -> None:
    scoring, period_id, unit = world["scoring"], world["period"], world["units"][0]
    for value in (40, 75, 90):
        assert (await _write(scoring, period_id, unit, value)).status_code == 200
        assert await _score100(scoring, period_id, unit) == (f"{value}.00", False)


async def test_reads_after_concurrent_writes_see_them_all(world: dict[str, Any]) -> None:
    scoring, period_id, units = world["scoring"], world["period"], world["units"]
    written = await asyncio.gather(*(_write(scoring, period_id, u, 50 + i) for i, u in enumerate(units)))
    assert [w.status_code for w in written] == [200] * len(units)
    assert [await _score100(scoring, period_id, u) for u in units] == [
        (f"{50 + i}.00", False) for i in range(len(units))
    ]


async def test_a_recompute_under_way_blocks_no_writer(world: dict[str, Any], live_database: tuple[str, Any]) -> None:
    scoring, period_id, unit = world["scoring"], world["period"], world["units"][1]
    database = Database.connect(live_database[0], pool_size=1)
    try:
        async with database.sessionmaker() as session, session.begin():
            # A recompute of the period, ended but not committed: it holds what a recompute holds to its end.
            await periods_repo.mark_stale(session, uuid.UUID(period_id))
            await scores.ensure_fresh(session, uuid.UUID(period_id))
            write = asyncio.create_task(_write(scoring, period_id, unit, 66))
            done, _ = await asyncio.wait({write}, timeout=30)  # generous: it waits for nothing
            if not done:
                write.cancel()
            assert write in done, "the write waited for the recompute"
            assert write.result().status_code == 200, write.result().text
            # Committed: the writer's own recompute, waiting for this one, now runs.
        deadline = time.monotonic() + 30
        while await _score100(scoring, period_id, unit) != ("66.00", False):
            assert time.monotonic() < deadline, "the write was never recomputed"
            await asyncio.sleep(0.1)
    finally:
        await database.dispose()
