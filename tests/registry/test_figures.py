"""What an office's dashboard reads from the registry's /metrics: the units that exist today, by kind and level."""

import httpx

from tests.scoring.factories import Auth
from tests.scrape import scrape

UNITS = "thidua_registry_units"


async def test_a_new_commune_is_counted_with_its_kind_and_level(registry: httpx.AsyncClient, token_for: Auth) -> None:
    before = await scrape(registry)
    assert before.value(UNITS, kind="ward", level="commune") >= 1  # the demo's wards of Quảng Ninh
    body = {"kind": "commune", "level": "commune", "name": "Xã Thử Số Liệu"}
    created = await registry.post("/units", json=body, headers=token_for("admin"))
    assert created.status_code == 201, created.text
    after = await scrape(registry)
    assert (
        after.value(UNITS, kind="commune", level="commune") == before.value(UNITS, kind="commune", level="commune") + 1
    )
