"""Real concurrency against a live registry: no lost updates, no double creates."""

import asyncio

import httpx

# A province of its own: the live database is shared with the tests that load the demo (Quảng Ninh among them).
PROVINCE_NAME = "Tỉnh Thử Đồng Thời"
PARENT_QUERY = {"q": "thu dong thoi", "kind": "province"}


async def _province(client: httpx.AsyncClient) -> str:
    items = (await client.get("/units", params=PARENT_QUERY)).json()["items"]
    if items:
        return str(items[0]["id"])
    created = await client.post("/units", json={"kind": "province", "level": "province", "name": PROVINCE_NAME})
    return str(created.json()["id"])


async def test_concurrent_updates_with_one_etag_let_exactly_one_through(live_registry: tuple[str, str]) -> None:
    base, admin = live_registry
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": admin}) as client:
        parent = await _province(client)
        unit = await client.post(
            "/units", json={"kind": "commune", "level": "commune", "name": "Xã Đua Sửa", "parent_id": parent}
        )
        etag = unit.headers["ETag"]
        kinds = ["ward", "township", "special_zone", "commune"] * 5
        answers = await asyncio.gather(
            *(client.patch(f"/units/{unit.json()['id']}", json={"kind": k}, headers={"If-Match": etag}) for k in kinds)
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200] + [412] * (len(kinds) - 1)
        final = (await client.get(f"/units/{unit.json()['id']}")).json()
        assert final["version"] == 2


async def test_concurrent_retries_with_one_idempotency_key_create_one_unit(live_registry: tuple[str, str]) -> None:
    base, admin = live_registry
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": admin}) as client:
        parent = await _province(client)
        body = {"kind": "commune", "level": "commune", "name": "Xã Gửi Lại", "parent_id": parent}
        answers = await asyncio.gather(
            *(client.post("/units", json=body, headers={"Idempotency-Key": "gui-lai-1"}) for _ in range(10))
        )
        created = {a.json()["id"] for a in answers if a.status_code == 201}
        assert len(created) == 1
        assert all(a.status_code in (201, 409) for a in answers)
        found = (await client.get("/units", params={"q": "xa gui lai"})).json()["items"]
        assert len(found) == 1
