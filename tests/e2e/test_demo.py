"""After the run command's demo load, the five movements, their rankings and their decisions are open data: an
anonymous caller reads them through the gateway (the services on loopback, as `make run` serves them)."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from services.plans import demo

CODES = {"QN-CDS-2022", "BQLVHL-CDS-2022", "HG-CDS-2022", "RG-CDS-2022", "LS-BS-CDS-2023"}


@pytest.fixture
async def anonymous(
    live_database: tuple[str, Path],
    live_registry: tuple[str, str],
    live_scoring: tuple[str, str],
    live_awards: tuple[str, str],
) -> AsyncIterator[httpx.AsyncClient]:
    settings = GatewaySettings.model_validate(
        {
            "data_dir": live_database[1],
            "registry_url": live_registry[0],
            "scoring_url": live_scoring[0],
            "awards_url": live_awards[0],
        }
    )
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield client


async def test_the_five_plans_are_open_data_after_the_demo_load(anonymous: httpx.AsyncClient) -> None:
    assert len(demo.scenarios()) == 5
    query = {"query": "{ movements(first: 100) { items { id code } } }"}
    movements = (await anonymous.post("/graphql", json=query)).json()["data"]["movements"]["items"]
    ids = {m["id"] for m in movements if m["code"] in CODES}
    assert len(ids) == 5
    one = {"query": '{ movements(code: "HG-CDS-2022") { items { code } } }'}
    found = (await anonymous.post("/graphql", json=one)).json()["data"]["movements"]["items"]
    assert found == [{"code": "HG-CDS-2022"}]
    rankings = (await anonymous.get("/open-data/rankings")).json()["items"]
    assert {r["movement_id"] for r in rankings} >= ids  # every plan's published period is a ranking dataset
    decisions = (await anonymous.get("/open-data/decisions", params={"limit": 500})).json()["items"]
    issuers = {r["issuer_name"] for r in decisions}
    assert {
        "Ủy ban nhân dân tỉnh Quảng Ninh",
        "Ban Quản lý vịnh Hạ Long",
        "Ủy ban nhân dân tỉnh Hà Giang",
        "Ủy ban nhân dân thành phố Rạch Giá",
        "Ủy ban nhân dân huyện Bắc Sơn",
    } <= issuers
