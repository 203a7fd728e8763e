"""A unit name planted by a unit editor cannot run as a formula in the anonymous open-data CSV."""

import csv
import io
from typing import Any

from tests.awards.factories import HONG_GAI
from tests.conftest import Stack
from tests.gateway.conftest import Gateway

PLANTED = '=HYPERLINK("http://x","y")'


async def test_a_planted_formula_in_a_unit_name_is_inert_in_the_csv(
    stack: Stack, gateway: Gateway, token_for: Any
) -> None:
    created = await stack.registry.post(
        "/units",
        json={"kind": "village", "level": "grassroots", "name": PLANTED, "parent_id": HONG_GAI},
        headers=token_for("baocao.honggai"),  # a unit reporter edits the units of their own ward
    )
    assert created.status_code == 201, created.text
    unit_id = created.json()["id"]
    url: str | None = "/open-data/units?format=csv&limit=500"
    rows: list[dict[str, str]] = []
    while url:
        response = await gateway.client.get(url)  # anonymous
        assert response.status_code == 200, response.text
        rows += csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
        link = response.headers.get("link")
        url = link[1 : link.index(">")].removeprefix("http://gateway") if link else None
    planted = next(r for r in rows if r["id"] == unit_id)
    assert planted["name"] == "'" + PLANTED
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row.values())
