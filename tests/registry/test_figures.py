"""What an office's dashboard reads from the registry's /metrics: the units that exist today, by kind and level."""

import httpx
import pytest

from tests.scoring.factories import Auth
from tests.scrape import fresh_figures, scrape  # noqa: F401 (fresh_figures: a fixture used by name)

pytestmark = pytest.mark.usefixtures("fresh_figures")  # before the app fixtures build their apps

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
