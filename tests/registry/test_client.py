"""The typed client other services use, over real HTTP semantics (ASGI transport)."""

import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from kit.client import UpstreamProblem
from services.registry.client import RegistryClient
from services.registry.demo.data import demo_id
from tests.conftest import running


@pytest.fixture
async def client(registry_app: FastAPI, connection: AsyncConnection) -> AsyncIterator[RegistryClient]:
    async for http in running(registry_app, connection):
        yield RegistryClient(http, "http://test")


async def test_batch_read_of_600_ids_returns_the_known_units_in_the_order_asked(client: RegistryClient) -> None:
    wanted = [demo_id("qn/2025/honggai"), demo_id("qn")] + [uuid.uuid4() for _ in range(598)]
    units = await client.units(wanted)
    assert [u.name for u in units] == ["Phường Hồng Gai", "Tỉnh Quảng Ninh"]


async def test_lineage_through_the_client(client: RegistryClient) -> None:
    preds = await client.predecessors(demo_id("qn/2025/honggai"))
    assert {p.unit.name for p in preds} == {
        "Phường Hồng Gai",
        "Phường Bạch Đằng",
        "Phường Trần Hưng Đạo",
        "Phường Yết Kiêu",
    }
    assert next(p for p in preds if p.unit.name == "Phường Yết Kiêu").partial


async def test_problems_come_back_typed(client: RegistryClient) -> None:
    with pytest.raises(UpstreamProblem) as caught:
        await client.unit(uuid.uuid4())
    assert caught.value.code == 404
    assert caught.value.type.endswith("/unit-not-found")


async def test_subtree_on_a_day(client: RegistryClient) -> None:
    before = await client.subtree(demo_id("qn/halong"), as_of=date(2025, 6, 30))
    assert len(before) == 12
    assert before[0].depth == 0
