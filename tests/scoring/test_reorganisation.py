"""A merger, split or partial transfer inside a period loses no one: the office chooses the tree it ranks on.

Xã Đông Ngũ (A, 90) and Xã Đông Hải (B, 70) merge into Xã Đông Hải Mới (C) on 1/7/2026, inside the year 2026;
Xã Quảng Tân (X, 85) is untouched. On the last day's tree (`end`, the default) C is ranked with the mean of A and B
(80) and A and B are shown as merged into it; on the first day's tree (`start`) A and B are ranked and C is not.
"""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.scoring.factories import PROVINCE, Auth
from tests.scoring.mergers import ACT, PEER, World, founded, merged_then_locked


@pytest.fixture
async def world(scoring: httpx.AsyncClient, registry_app: FastAPI, token_for: Auth) -> Any:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=registry_app), base_url="http://r") as registry:
        yield await founded(scoring, registry, token_for("tdkt.snv"), token_for("admin"))


class TestEndTree:
    async def test_the_successor_is_ranked_with_the_mean_of_its_predecessors(self, world: World) -> None:
        await merged_then_locked(world)
        assert world.period["reorganisation"] == "end"
        assert await world.ranking() == [
            (1, "Xã Quảng Tân", "85.00", False, []),
            (2, "Xã Đông Hải Mới", "80.00", True, ["Xã Đông Hải", "Xã Đông Ngũ"]),
        ]
        c = await world.get(f"/scores/{world.ids['C']}")
        assert (c["ranked"], c["index_value"], c["derivation"]["rule"]) == (True, "0.8000", "mean_index")
        assert {(d["unit_id"], d["weight"]) for d in c["derived_from"]} == {
            (world.ids["A"], "1"),
            (world.ids["B"], "1"),
        }
        assert [r["group_size"] for r in c["ranks"]] == [2]

    async def test_the_merged_units_keep_their_scores_and_explanations_after_the_lock(self, world: World) -> None:
        await merged_then_locked(world)
        a = await world.get(f"/scores/{world.ids['A']}")
        assert (a["total"], a["ranked"], a["ranks"], a["derived"]) == ("90.0000", False, [], False)
        assert [(m["unit_id"], m["name"], m["event_id"]) for m in a["merged_into"]] == [
            (world.ids["C"], "Xã Đông Hải Mới", world.ids["merge"])
        ]
        explained = await world.get(f"/scores/{world.ids['B']}/explain")
        assert [(i["code"], i["value"], i["points"]) for i in explained["indicators"]] == [
            ("HSCV", "70.0000", "70.0000")
        ]
        assert explained["merged_into"][0]["unit_id"] == world.ids["C"]
        values = await world.get("/values", unit_id=world.ids["A"])
        assert [v["value"] for v in values["items"]] == ["90.0000"]
        people = {p["unit_id"]: p for p in (await world.get("/participants", limit="500"))["items"]}
        assert {k: (people[world.ids[k]]["in_ranking"], people[world.ids[k]]["on_end"]) for k in "ABCX"} == {
            "A": (False, False),
            "B": (False, False),
            "C": (True, True),
            "X": (True, True),
        }
        assert people[world.ids["A"]]["merged_into"][0]["name"] == "Xã Đông Hải Mới"

    async def test_deriving_on_a_published_period_is_refused_its_results_are_fixed(self, world: World) -> None:
        await merged_then_locked(world)
        await world.move("published")
        refused = await world.scoring.post(
            f"/periods/{world.period['id']}/derived", json={"unit_id": world.ids["C"]}, headers=world.office
        )
        assert (refused.status_code, refused.json()["type"]) == (409, "https://thidua.vn/problems/period-locked")

    async def test_deriving_by_hand_after_the_lock_is_not_refused_and_the_result_is_ranked(self, world: World) -> None:
        await merged_then_locked(world)
        derived = await world.scoring.post(
            f"/periods/{world.period['id']}/derived",
            json={"unit_id": world.ids["C"], "rule": "mean_index"},
            headers=world.office,
        )
        assert derived.status_code == 200, derived.text
        body = derived.json()
        assert (body["index_value"], body["ranked"]) == ("0.8000", True)
        assert [(r["group_kind"], r["group_key"], r["rank"], r["group_size"]) for r in body["ranks"]] == [
            ("peer", "commune|commune", 2, 2)
        ]

    async def test_the_derived_score_follows_every_recompute(self, world: World) -> None:
        await world.open()
        await world.send(A=90, B=70, X=85)
        await world.merge()
        await world.move("locked")
        await world.move("open", reason="Xã Đông Hải sửa số liệu")
        await world.send(B=50)
        await world.move("locked")
        c = await world.get(f"/scores/{world.ids['C']}")
        assert (c["score100"], c["derived"]) == ("70.00", True)

    async def test_the_successor_explains_where_its_score_comes_from(self, world: World) -> None:
        await merged_then_locked(world)
        explained = await world.get(f"/scores/{world.ids['C']}/explain")
        assert (explained["derived"], explained["indicators"], explained["total"]) == (True, [], "80.0000")
        assert sorted(d["name"] for d in explained["derived_from"]) == ["Xã Đông Hải", "Xã Đông Ngũ"]


class TestStartTree:
    async def test_the_predecessors_are_ranked_and_the_successor_is_not(self, world: World) -> None:
        await merged_then_locked(world, reorganisation="start")
        assert await world.ranking() == [
            (1, "Xã Đông Ngũ", "90.00", False, []),
            (2, "Xã Quảng Tân", "85.00", False, []),
            (3, "Xã Đông Hải", "70.00", False, []),
        ]
        a = await world.get(f"/scores/{world.ids['A']}")
        assert (a["ranked"], a["merged_into"][0]["unit_id"]) == (True, world.ids["C"])
        people = {p["unit_id"]: p for p in (await world.get("/participants", limit="500"))["items"]}
        assert (people[world.ids["C"]]["in_ranking"], people[world.ids["C"]]["on_start"]) == (False, False)

    async def test_deriving_after_the_lock_shows_the_successor_unranked(self, world: World) -> None:
        await merged_then_locked(world, reorganisation="start")
        derived = await world.scoring.post(
            f"/periods/{world.period['id']}/derived", json={"unit_id": world.ids["C"]}, headers=world.office
        )
        assert derived.status_code == 200, derived.text
        body = derived.json()
        assert (body["index_value"], body["ranked"], body["ranks"], body["derived"]) == ("0.8000", False, [], True)
        assert sorted(d["name"] for d in body["derived_from"]) == ["Xã Đông Hải", "Xã Đông Ngũ"]
        assert [r[1] for r in await world.ranking()] == ["Xã Đông Ngũ", "Xã Quảng Tân", "Xã Đông Hải"]


class TestChoice:
    async def test_the_choice_and_the_lineage_event_are_in_the_history(self, world: World) -> None:
        await merged_then_locked(world, reorganisation="start", derivation_rule="share_weighted")
        opened, locked = world.period["history"]
        assert (opened["to_status"], opened["reorganisation"], opened["lineage_events"]) == ("open", "start", [])
        assert (locked["to_status"], locked["reorganisation"], locked["derivation_rule"]) == (
            "locked",
            "start",
            "share_weighted",
        )
        [event] = locked["lineage_events"]
        assert (event["event_id"], event["kind"], event["effective_date"], event["legal_act"]) == (
            world.ids["merge"],
            "merge",
            "2026-07-01",
            ACT,
        )
        assert {(link["predecessor_name"], link["successor_name"]) for link in event["links"]} == {
            ("Xã Đông Ngũ", "Xã Đông Hải Mới"),
            ("Xã Đông Hải", "Xã Đông Hải Mới"),
        }

    async def test_the_office_changes_the_choice_while_the_period_is_open(self, world: World) -> None:
        await world.open()
        await world.send(A=90, B=70, X=85)
        await world.merge()
        url = f"/periods/{world.period['id']}"
        stale = await world.scoring.patch(
            url, json={"reorganisation": "start"}, headers=world.office | {"If-Match": '"99"'}
        )
        assert (stale.status_code, stale.json()["type"]) == (412, "https://thidua.vn/problems/stale-version")
        missing = await world.scoring.patch(url, json={"reorganisation": "start"}, headers=world.office)
        assert (missing.status_code, missing.json()["type"]) == (428, "https://thidua.vn/problems/if-match-required")
        changed = await world.scoring.patch(
            url,
            json={"reorganisation": "start", "reason": "Xếp hạng theo địa giới đầu năm"},
            headers=world.office | {"If-Match": f'"{world.period["version"]}"'},
        )
        assert changed.status_code == 200, changed.text
        assert changed.headers["ETag"] == f'"{world.period["version"] + 1}"'
        entry = changed.json()["history"][-1]
        assert (entry["from_status"], entry["to_status"], entry["reorganisation"], entry["reason"]) == (
            "open",
            "open",
            "start",
            "Xếp hạng theo địa giới đầu năm",
        )
        assert entry["lineage_events"][0]["event_id"] == world.ids["merge"]
        world.period = changed.json()
        assert [r[1] for r in await world.ranking()] == ["Xã Đông Ngũ", "Xã Quảng Tân", "Xã Đông Hải"]

    async def test_the_choice_is_fixed_once_the_period_is_locked(self, world: World, token_for: Auth) -> None:
        await world.open()
        locked = await world.move("locked")
        url = f"/periods/{world.period['id']}"
        refused = await world.scoring.patch(
            url, json={"reorganisation": "start"}, headers=world.office | {"If-Match": f'"{locked["version"]}"'}
        )
        assert (refused.status_code, refused.json()["type"]) == (409, "https://thidua.vn/problems/period-locked")
        reporter = await world.scoring.patch(
            url, json={"reorganisation": "start"}, headers=token_for("baocao.honggai") | {"If-Match": '"1"'}
        )
        assert (reporter.status_code, reporter.json()["type"]) == (403, "https://thidua.vn/problems/forbidden")
        null = await world.scoring.patch(
            url, json={"reorganisation": None}, headers=world.office | {"If-Match": f'"{locked["version"]}"'}
        )
        assert (null.status_code, null.json()["type"]) == (422, "https://thidua.vn/problems/invalid-input")

    @pytest.mark.parametrize("choice", ["start", "end"])
    async def test_lock_and_publish_work_either_way_and_the_public_sees_who_is_derived(
        self, world: World, scoring: httpx.AsyncClient, choice: str
    ) -> None:
        await merged_then_locked(world, reorganisation=choice)
        await world.move("published")
        public = await scoring.get(f"/periods/{world.period['id']}/rankings/peer", params=PEER)
        assert public.status_code == 200
        derived = [(r["name"], r["derived"]) for r in public.json() if r["derived"]]
        assert derived == ([("Xã Đông Hải Mới", True)] if choice == "end" else [])
        scores = (await scoring.get(f"/periods/{world.period['id']}/scores")).json()["items"]
        assert {s["name"] for s in scores} >= {"Xã Đông Ngũ", "Xã Đông Hải", "Xã Quảng Tân"}


class TestSplitAndTransfer:
    """Xã Vạn Yên (S, 60) splits into Xã Vạn Yên Bắc (S1, 0.6) and Xã Vạn Yên Nam (S2, 0.4) on 1/4/2026, when Xã
    Đoàn Kết (T, 100) hands half of its area to S2 and goes on."""

    async def _split(self, world: World, **choice: str) -> None:
        await world.commune("S", "Xã Vạn Yên")
        await world.commune("T", "Xã Đoàn Kết")
        await world.open(**choice)
        await world.send(S=60, T=100, A=10, B=10, X=10)
        new = {"kind": "commune", "level": "commune", "parent_id": PROVINCE}
        split = await world.event(
            {
                "kind": "split",
                "effective_date": "2026-04-01",
                "predecessors": [{"unit_id": world.ids["S"]}],
                "successors": [
                    {"new": new | {"name": "Xã Vạn Yên Bắc"}, "share": 0.6},
                    {"new": new | {"name": "Xã Vạn Yên Nam"}, "share": 0.4},
                ],
            }
        )
        by_share = {link["share"]: link["successor_id"] for link in split["links"]}
        world.ids |= {"S1": by_share["0.6000"], "S2": by_share["0.4000"]}
        await world.event(
            {
                "kind": "partial_transfer",
                "effective_date": "2026-04-01",
                "predecessors": [{"unit_id": world.ids["T"], "share": 0.5}],
                "successors": [{"unit_id": world.ids["S2"]}],
            }
        )
        await world.move("locked")

    async def test_with_end_each_successor_is_derived_by_shares(self, world: World) -> None:
        await self._split(world, derivation_rule="share_weighted")
        # Nam: (0.4 × 0.6 + 0.5 × 1) / (0.4 + 0.5) = 0.8222; Bắc: S alone = 0.6; Đoàn Kết goes on with its own 100.
        assert await world.ranking("S", "S1", "S2", "T") == [
            (1, "Xã Đoàn Kết", "100.00", False, []),
            (2, "Xã Vạn Yên Nam", "82.22", True, ["Xã Vạn Yên", "Xã Đoàn Kết"]),
            (3, "Xã Vạn Yên Bắc", "60.00", True, ["Xã Vạn Yên"]),
        ]
        nam = await world.get(f"/scores/{world.ids['S2']}")
        assert {(d["name"], d["weight"], d["share"]) for d in nam["derived_from"]} == {
            ("Xã Vạn Yên", "0.4000", "0.4000"),
            ("Xã Đoàn Kết", "0.5000", "0.5000"),
        }
        s = await world.get(f"/scores/{world.ids['S']}")
        assert (s["total"], s["ranked"]) == ("60.0000", False)
        assert {(m["name"], m["share"]) for m in s["merged_into"]} == {
            ("Xã Vạn Yên Bắc", "0.6000"),
            ("Xã Vạn Yên Nam", "0.4000"),
        }
        t = await world.get(f"/scores/{world.ids['T']}")
        assert (t["ranked"], t["merged_into"]) == (True, [])

    async def test_with_end_and_the_mean_rule_shares_do_not_weigh(self, world: World) -> None:
        await self._split(world)
        nam = await world.get(f"/scores/{world.ids['S2']}")
        assert nam["score100"] == "80.00"  # (0.6 + 1) / 2

    async def test_with_start_the_original_is_ranked(self, world: World) -> None:
        await self._split(world, reorganisation="start")
        assert [r[:3] for r in await world.ranking("S", "S1", "S2", "T")] == [
            (1, "Xã Đoàn Kết", "100.00"),
            (2, "Xã Vạn Yên", "60.00"),
        ]
        people = {p["name"]: p["in_ranking"] for p in (await world.get("/participants", limit="500"))["items"]}
        assert (people["Xã Vạn Yên Bắc"], people["Xã Vạn Yên Nam"]) == (False, False)
