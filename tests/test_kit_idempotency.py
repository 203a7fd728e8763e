"""Idempotency-Key: a claim whose request never settled is free again after its lease, a retry right after a
delivered answer replays it (the response is stored before it is sent), and the revision adding the lease keeps
the keys."""

import asyncio
from collections.abc import Callable
from datetime import timedelta

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from kit import embedded, migrations
from kit.db import async_url
from services.registry.demo.data import demo_id
from tests.problems import assert_problem

PROBLEM = "https://thidua.vn/problems/"
PROVINCE = str(demo_id("qn"))
Auth = Callable[[str], dict[str, str]]


def _unit(name: str) -> dict[str, str]:
    return {"kind": "commune", "level": "commune", "name": name, "parent_id": PROVINCE}


async def _unsettle(connection: AsyncConnection, key: str, lease_left: timedelta) -> None:
    """Turn the stored answer of `key` back into a claim whose request never settled (as when its process died
    or the database was away), its lease ending `lease_left` from now."""
    await connection.execute(
        sa.text(
            "update registry.idempotency_keys set status_code = null, headers = null, body = null, "
            "locked_until = now() + :left where key = :key"
        ),
        {"key": key, "left": lease_left},
    )


class TestLease:
    async def test_a_claim_within_its_lease_is_in_progress(
        self, registry: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth
    ) -> None:
        headers = token_for("admin") | {"Idempotency-Key": "lease-1"}
        assert (await registry.post("/units", json=_unit("Xã Giữ Chỗ"), headers=headers)).status_code == 201
        await _unsettle(connection, "lease-1", timedelta(minutes=1))
        retry = await registry.post("/units", json=_unit("Xã Giữ Chỗ"), headers=headers)
        assert retry.status_code == 409
        assert retry.json()["type"] == PROBLEM + "conflict"
        assert retry.headers["Retry-After"].isdigit()

    async def test_a_claim_past_its_lease_is_taken_by_a_retry_that_then_replays(
        self, registry: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth
    ) -> None:
        headers = token_for("admin") | {"Idempotency-Key": "lease-2"}
        assert (await registry.post("/units", json=_unit("Xã Hết Hạn"), headers=headers)).status_code == 201
        await _unsettle(connection, "lease-2", timedelta(seconds=-1))
        retry = await registry.post("/units", json=_unit("Xã Hết Hạn"), headers=headers)
        assert retry.status_code == 201, retry.text
        assert "Idempotent-Replayed" not in retry.headers
        again = await registry.post("/units", json=_unit("Xã Hết Hạn"), headers=headers)
        assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
        assert again.json()["id"] == retry.json()["id"]

    async def test_another_body_cannot_take_a_claim_past_its_lease(
        self, registry: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth
    ) -> None:
        headers = token_for("admin") | {"Idempotency-Key": "lease-3"}
        assert (await registry.post("/units", json=_unit("Xã Ba"), headers=headers)).status_code == 201
        await _unsettle(connection, "lease-3", timedelta(seconds=-1))
        other = await registry.post("/units", json=_unit("Xã Khác Hẳn"), headers=headers)
        assert_problem(other, 422, "invalid-input", parameter="Idempotency-Key")
        assert other.json()["errors"][0]["parameter"] == "Idempotency-Key"


async def test_a_retry_right_after_a_delivered_answer_is_its_replay(live_registry: tuple[str, str]) -> None:
    base, admin = live_registry
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": admin}) as client:

        async def create_then_retry(i: int) -> tuple[httpx.Response, httpx.Response]:
            headers = {"Idempotency-Key": f"ngay-sau-{i}"}
            body = {"kind": "province", "level": "province", "name": f"Tỉnh Gửi Ngay {i}"}  # a root: no parent
            first = await client.post("/units", json=body, headers=headers)
            return first, await client.post("/units", json=body, headers=headers)

        pairs = await asyncio.gather(*(create_then_retry(i) for i in range(20)))
    for first, retry in pairs:
        assert first.status_code == 201, first.text
        assert (retry.status_code, retry.headers.get("Idempotent-Replayed")) == (201, "true"), retry.text
        assert retry.json()["id"] == first.json()["id"]


async def test_the_lease_revision_keeps_the_keys_and_leases_the_claims_in_progress(server_url: str) -> None:
    url = await embedded.ensure_database(server_url, "thidua_faults_lease", fresh=True)
    await migrations.upgrade(url, "registry", "20261121_0001")
    engine = create_async_engine(async_url(url))
    rows = sa.text("select key, status_code, locked_until - created_at from registry.idempotency_keys order by key")
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "insert into registry.idempotency_keys (principal, key, fingerprint, status_code, created_at) "
                    "values ('a', 'done', 'f', 201, now() - interval '1 hour'), "
                    "('a', 'running', 'f', null, now() - interval '1 hour')"
                )
            )
        await migrations.upgrade(url, "registry")
        async with engine.connect() as conn:
            assert (await conn.execute(rows)).all() == [
                ("done", 201, None),
                ("running", None, timedelta(minutes=2)),  # long over: a retry may take it
            ]
        await migrations.downgrade(url, "registry", "20261121_0001")
        async with engine.connect() as conn:
            keys = await conn.execute(sa.text("select key, status_code from registry.idempotency_keys order by key"))
            assert keys.all() == [("done", 201), ("running", None)]
    finally:
        await engine.dispose()
