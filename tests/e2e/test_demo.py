"""After the run command's demo load, the five movements, their rankings and their decisions are open data: an
anonymous caller reads them through the gateway (the services on loopback, as `make run` serves them). Loading the
demo again (each `thidua up`) leaves what an office corrected as it was."""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from services.awards.demo import DATA
from thidua import demo as whole_demo
from thidua.plans import demo

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


async def test_a_correction_survives_loading_the_demo_again(
    live_database: tuple[str, Path], live_awards: tuple[str, str]
) -> None:
    url, _ = live_database
    base, admin = live_awards
    shipped = json.loads((DATA / "TDKT-2022.json").read_text(encoding="utf-8"))
    corrected = json.loads(json.dumps(shipped))
    form = next(f for f in corrected["forms"] if f["code"] == "HCLD_3")
    form["copies"] = form["copies"] + 2  # the office files more sets of the dossier than the shipped catalogue says

    def copies(regime: dict[str, object]) -> int:
        forms = regime["forms"]
        assert isinstance(forms, list)
        return int(next(f["copies"] for f in forms if f["code"] == "HCLD_3"))

    async with httpx.AsyncClient(base_url=base, headers={"Authorization": admin}) as awards:
        assert (await awards.put("/regimes/TDKT-2022", json=corrected)).status_code == 200
        try:
            assert await whole_demo.loaded(url)  # a later `thidua up` skips the demo
            told: list[tuple[str, int, int]] = []
            await whole_demo.load(url, lambda *step: told.append(step))  # `thidua demo` creates only what is missing
            assert [done for _, done, _ in told] == list(range(1, len(told) + 1))
            assert told[-1][1] == told[-1][2] == 3 + len(demo.scenarios())
            assert sum("(already there)" in label for label, _, _ in told) == len(demo.scenarios())
            after = (await awards.get("/regimes/TDKT-2022")).json()
            assert copies(after) == form["copies"]
            assert {r["code"] for r in (await awards.get("/regimes")).json()["items"]} >= {"TDKT-2017", "TDKT-2022"}
        finally:
            assert (await awards.put("/regimes/TDKT-2022", json=shipped)).status_code == 200


async def test_a_database_without_the_demo_is_not_loaded(database_url: str) -> None:
    assert not await whole_demo.loaded(database_url)  # the test database holds the demo units, no plan


async def test_the_demo_can_be_loaded_through_the_running_services(
    live_database: tuple[str, Path],
    live_registry: tuple[str, str],
    live_scoring: tuple[str, str],
    live_awards: tuple[str, str],
    live_gateway: tuple[str, str],
) -> None:
    running = {"registry": live_registry[0], "scoring": live_scoring[0], "awards": live_awards[0]}
    told: list[tuple[str, int, int]] = []
    await whole_demo.load(
        live_database[0], lambda *step: told.append(step), services=running | {"gateway": live_gateway[0]}
    )
    assert told[-1][1] == told[-1][2]
    assert sum("(already there)" in label for label, _, _ in told) == len(demo.scenarios())
