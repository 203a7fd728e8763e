"""PostgreSQL restarted under a small load on a live service: the outage is a few 503s and heals by itself.

Writers create units with an Idempotency-Key each and retry a 503 with the same key; readers list and read units.
The server is a PostgreSQL of this test's own (stopped and started without disturbing the rest of the suite).
Every request must get a status, only 2xx or 503 with Retry-After; afterwards no key is left in progress, a retry
of every key replays its answer, and every acknowledged unit is there.
"""

import asyncio
import itertools
import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from kit import embedded, migrations
from kit.auth import TokenIssuer
from kit.db import async_url
from services.registry.app import create_app
from services.registry.demo.load import demo_users
from services.registry.identity.demo import demo_caller
from services.registry.settings import RegistrySettings
from tests.conftest import ROOT
from tests.loopback import serving

WRITERS = 3
READERS = 2
RUNNING = 1.0  # seconds of load before the restart, and after it
DOWN = 2.0  # seconds the server stays stopped
DEADLINE = 20.0  # for a writer to get its last key through after the restart


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    without_status: list[str] = field(default_factory=list)
    without_retry_after: int = 0
    acknowledged: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)  # key → (body, unit id)
    unexpected: list[str] = field(default_factory=list)  # bodies of answers other than 2xx and 503
    attempted: set[str] = field(default_factory=set)

    async def send(self, call: Any) -> httpx.Response | None:
        try:
            response: httpx.Response = await call
        except httpx.TransportError as exc:
            self.without_status.append(repr(exc))
            return None
        self.statuses[response.status_code] += 1
        if not response.is_success and response.status_code != 503:
            self.unexpected.append(response.text)
        if response.status_code == 503 and not response.headers.get("Retry-After", "").isdigit():
            self.without_retry_after += 1
        return response


async def _writer(client: httpx.AsyncClient, tally: Tally, n: int, stop: asyncio.Event) -> None:
    for i in itertools.count():
        if stop.is_set():
            return
        key = f"w{n}-{i}"
        body = {"kind": "province", "level": "province", "name": f"Tỉnh Khởi Động Lại {n}-{i}"}
        tally.attempted.add(key)
        deadline = asyncio.get_running_loop().time() + DEADLINE
        while asyncio.get_running_loop().time() < deadline:
            response = await tally.send(client.post("/units", json=body, headers={"Idempotency-Key": key}))
            if response is not None and response.is_success:
                tally.acknowledged[key] = (body, response.json()["id"])
                break
            await asyncio.sleep(0.1)  # a client retrying a 503 (sooner than Retry-After asks, to keep this short)


async def _reader(client: httpx.AsyncClient, tally: Tally, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await tally.send(client.get("/units", params={"limit": 5}))
        if tally.acknowledged:
            _, unit_id = random.choice(list(tally.acknowledged.values()))
            await tally.send(client.get(f"/units/{unit_id}"))
        await asyncio.sleep(0.02)


@pytest.fixture
def own_server() -> Iterator[tuple[str, Path]]:
    """(admin URL, data folder) of a PostgreSQL started for this test alone; stopped and removed after it.

    Under .data like the suite's own server, not pytest's temporary folder: as root the server runs as its own
    user, who must be able to reach the folder, and pytest keeps its folder closed to other users."""
    (ROOT / ".data").mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="outage-", dir=ROOT / ".data"))
    try:
        yield embedded.start(data_dir), data_dir
    finally:
        embedded.stop(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


async def test_a_postgresql_restart_under_load_is_503s_then_heals(own_server: tuple[str, Path]) -> None:
    admin_url, data_dir = own_server
    url = await embedded.ensure_database(admin_url, "thidua", fresh=True)
    await migrations.upgrade(url, "registry")
    settings = RegistrySettings(
        database_url=url, data_dir=data_dir, log_json=False, retry_after_seconds=1, idempotency_lease_seconds=5
    )
    issuer = TokenIssuer(data_dir / "keys", issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    admin = demo_caller(demo_users(), "admin")
    assert admin is not None
    tally = Tally()
    with serving(create_app(settings)) as base:
        headers = {"Authorization": "Bearer " + issuer.issue(admin)}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=15) as client:
            stop = asyncio.Event()
            load = [asyncio.create_task(_writer(client, tally, n, stop)) for n in range(WRITERS)]
            load += [asyncio.create_task(_reader(client, tally, stop)) for _ in range(READERS)]
            await asyncio.sleep(RUNNING)
            await asyncio.to_thread(embedded.stop, data_dir)
            await asyncio.sleep(DOWN)
            await asyncio.to_thread(embedded.start, data_dir)
            await asyncio.sleep(RUNNING)
            stop.set()
            await asyncio.gather(*load)

            assert tally.without_status == []
            assert set(tally.statuses) <= {200, 201, 503}, (tally.statuses, tally.unexpected)
            assert tally.statuses[503] > 0, "the restart was not seen"  # the test exercised an outage
            assert tally.without_retry_after == 0
            assert tally.attempted == set(tally.acknowledged), "a writer could not complete its key"

            for key, (body, unit_id) in tally.acknowledged.items():
                retry = await client.post("/units", json=body, headers={"Idempotency-Key": key})
                assert (retry.status_code, retry.headers.get("Idempotent-Replayed")) == (201, "true"), retry.text
                assert retry.json()["id"] == unit_id
                read = await client.get(f"/units/{unit_id}")
                assert (read.status_code, read.json()["name"]) == (200, body["name"])

    engine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as conn:
            in_progress = await conn.execute(
                sa.text("select key from registry.idempotency_keys where status_code is null")
            )
            assert in_progress.scalars().all() == []
    finally:
        await engine.dispose()
