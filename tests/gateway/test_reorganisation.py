"""A merger inside a published period, as integrators see it through the gateway: which rows are derived and from
whom, where the merged units went, and the period's choice with the lineage event in its history."""

import csv
import io
from typing import Any

from tests.conftest import Stack
from tests.gateway.conftest import Gateway
from tests.scoring.mergers import PEER, World, founded, merged_then_locked

RANKING = """query($p: UUID!, $key: String!) { ranking(periodId: $p, groupKind: PEER, key: $key) {
    ... on RankingList { rows { rank name derived derivedFrom { unitId name weight } mergedInto { name } } } } }"""
PERIOD = """query($p: UUID!) { period(id: $p) { ... on Period {
    reorganisation derivationRule
    history { toStatus reorganisation lineageEvents { eventId kind effectiveDate legalAct { number } } } } } }"""


async def _published(stack: Stack, token_for: Any) -> World:
    world = await founded(stack.scoring, stack.registry, token_for("tdkt.snv"), token_for("admin"))
    await merged_then_locked(world)
    await world.move("published")
    return world


class TestGateway:
    async def test_anonymous_ranking_says_which_rows_are_derived_and_from_whom(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        world = await _published(stack, token_for)
        rows = (await gateway.query(RANKING, p=world.period["id"], key=PEER["key"]))["data"]["ranking"]["rows"]
        assert [(r["rank"], r["name"], r["derived"]) for r in rows] == [
            (1, "Xã Quảng Tân", False),
            (2, "Xã Đông Hải Mới", True),
        ]
        assert sorted((d["name"], d["weight"]) for d in rows[1]["derivedFrom"]) == [
            ("Xã Đông Hải", "1"),
            ("Xã Đông Ngũ", "1"),
        ]

    async def test_the_period_shows_its_choice_and_the_merger_it_followed(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        world = await _published(stack, token_for)
        period = (await gateway.query(PERIOD, p=world.period["id"]))["data"]["period"]
        assert (period["reorganisation"], period["derivationRule"]) == ("END", "MEAN_INDEX")
        locked = next(h for h in period["history"] if h["toStatus"] == "LOCKED")
        assert locked["reorganisation"] == "END"
        assert [(e["eventId"], e["kind"], e["effectiveDate"]) for e in locked["lineageEvents"]] == [
            (world.ids["merge"], "merge", "2026-07-01")
        ]

    async def test_open_data_lists_the_merged_units_and_the_derived_one(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        world = await _published(stack, token_for)
        response = await gateway.client.get(f"/open-data/rankings/{world.period['id']}?format=csv")
        assert response.status_code == 200
        rows = {r["unit_name"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
        c, a = rows["Xã Đông Hải Mới"], rows["Xã Đông Ngũ"]
        assert (c["derived"], c["derived_from"], c["peer_rank"]) == ("true", "Xã Đông Hải (1); Xã Đông Ngũ (1)", "2")
        assert (a["derived"], a["merged_into"], a["ranked"], a["peer_rank"], a["total"]) == (
            "false",
            "Xã Đông Hải Mới",
            "false",
            "",
            "90.0000",
        )
