"""A merge of communes A, B and part of C into X, effective 1/7/2025, read on both sides of the date."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from services.registry.demo.data import demo_id
from tests.problems import assert_problem

Auth = Callable[[str], dict[str, str]]
DISTRICT = str(demo_id("qn/tienyen"))  # ends on 30/6/2025
PROVINCE = str(demo_id("qn"))
ACT = {"number": "1679/NQ-UBTVQH15", "date": "2025-06-16", "issuer": "Ủy ban Thường vụ Quốc hội"}


@pytest.fixture
async def merged(registry: httpx.AsyncClient, token_for: Auth) -> dict[str, str]:
    admin = token_for("admin")
    ids = {}
    for key, name in (("A", "Xã Đông Ngũ"), ("B", "Xã Đông Hải"), ("C", "Xã Hải Lạng")):
        unit = await registry.post(
            "/units",
            headers=admin,
            json={
                "kind": "commune",
                "level": "commune",
                "name": name,
                "parent_id": DISTRICT,
                "valid_from": "2020-01-01",
            },
        )
        assert unit.status_code == 201, unit.text
        ids[key] = unit.json()["id"]
    event = await registry.post(
        "/lineage-events",
        headers=admin,
        json={
            "kind": "merge",
            "effective_date": "2025-07-01",
            "legal_act": ACT,
            "predecessors": [{"unit_id": ids["A"]}, {"unit_id": ids["B"]}, {"unit_id": ids["C"], "share": 0.3}],
            "successors": [
                {"new": {"kind": "commune", "level": "commune", "name": "Xã Đông Ngũ Mới", "parent_id": PROVINCE}}
            ],
        },
    )
    assert event.status_code == 201, event.text
    ids["X"] = event.json()["links"][0]["successor_id"]
    ids["event"] = event.json()["id"]
    return ids


def _names(tree: list[dict[str, object]]) -> set[str]:
    out: set[str] = set()
    for node in tree:
        out.add(str(node["name"]))
        out |= _names(node["children"])  # type: ignore[arg-type]
    return out


class TestMerge:
    async def test_tree_before_shows_a_b_c(self, registry: httpx.AsyncClient, merged: dict[str, str]) -> None:
        names = _names((await registry.get("/units/tree", params={"as_of": "2025-06-30"})).json())
        assert {"Xã Đông Ngũ", "Xã Đông Hải", "Xã Hải Lạng"} <= names
        assert "Xã Đông Ngũ Mới" not in names

    async def test_tree_after_shows_x_and_the_rest_of_c(
        self, registry: httpx.AsyncClient, merged: dict[str, str]
    ) -> None:
        names = _names((await registry.get("/units/tree", params={"as_of": "2025-07-01"})).json())
        assert {"Xã Đông Ngũ Mới", "Xã Hải Lạng"} <= names
        assert not {"Xã Đông Ngũ", "Xã Đông Hải"} & names

    async def test_x_predecessors_are_a_b_and_part_of_c(
        self, registry: httpx.AsyncClient, merged: dict[str, str]
    ) -> None:
        preds = (await registry.get(f"/units/{merged['X']}/predecessors")).json()["items"]
        by_id = {p["unit"]["id"]: p for p in preds}
        assert set(by_id) == {merged["A"], merged["B"], merged["C"]}
        assert by_id[merged["C"]]["partial"] is True
        assert by_id[merged["C"]]["share"] == "0.3000"
        assert by_id[merged["A"]]["partial"] is False
        assert by_id[merged["A"]]["legal_act_number"] == "1679/NQ-UBTVQH15"

    async def test_a_successor_is_x(self, registry: httpx.AsyncClient, merged: dict[str, str]) -> None:
        succ = (await registry.get(f"/units/{merged['A']}/successors")).json()["items"]
        assert [s["unit"]["id"] for s in succ] == [merged["X"]]
        a = (await registry.get(f"/units/{merged['A']}")).json()
        assert a["valid_to"] == "2025-06-30"

    async def test_event_cites_its_act_and_lists_in_unit_history(
        self, registry: httpx.AsyncClient, merged: dict[str, str]
    ) -> None:
        events = (await registry.get(f"/units/{merged['C']}/lineage")).json()["items"]
        assert [e["id"] for e in events] == [merged["event"]]
        assert events[0]["legal_act"] == ACT

    async def test_successors_are_transitive(
        self, registry: httpx.AsyncClient, token_for: Auth, merged: dict[str, str]
    ) -> None:
        rename = await registry.post(
            "/lineage-events",
            headers=token_for("admin"),
            json={
                "kind": "merge",
                "effective_date": "2026-01-01",
                "legal_act": ACT | {"date": "2025-12-01"},
                "predecessors": [{"unit_id": merged["X"]}, {"unit_id": merged["C"]}],
                "successors": [
                    {"new": {"kind": "ward", "level": "commune", "name": "Phường Hải Hà", "parent_id": PROVINCE}}
                ],
            },
        )
        assert rename.status_code == 201, rename.text
        succ = (await registry.get(f"/units/{merged['A']}/successors")).json()["items"]
        assert [(s["unit"]["name"], s["depth"]) for s in succ] == [("Xã Đông Ngũ Mới", 1), ("Phường Hải Hà", 2)]


class TestOtherEvents:
    async def test_rename_keeps_the_old_name_on_earlier_dates(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        unit = str(demo_id("qn/2025/hatu"))
        response = await registry.post(
            "/lineage-events",
            headers=token_for("admin"),
            json={
                "kind": "rename",
                "effective_date": "2026-03-01",
                "legal_act": ACT,
                "unit_id": unit,
                "new_name": "Phường Hà Tu Mới",
            },
        )
        assert response.status_code == 201, response.text
        assert (await registry.get(f"/units/{unit}", params={"as_of": "2026-02-28"})).json()["name"] == "Phường Hà Tu"
        assert (await registry.get(f"/units/{unit}", params={"as_of": "2026-03-01"})).json()[
            "name"
        ] == "Phường Hà Tu Mới"

    async def test_merge_with_one_predecessor_is_422(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await registry.post(
            "/lineage-events",
            headers=token_for("admin"),
            json={
                "kind": "merge",
                "effective_date": "2026-01-01",
                "legal_act": ACT,
                "predecessors": [{"unit_id": str(demo_id("qn/2025/hatu"))}],
                "successors": [{"unit_id": str(demo_id("qn/2025/halong"))}],
            },
        )
        assert_problem(response, 422, "invalid-input", pointer="/predecessors")
        assert response.json()["errors"][0]["pointer"] == "/predecessors"

    async def test_reporter_cannot_record_events(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await registry.post(
            "/lineage-events",
            headers=token_for("baocao.honggai"),
            json={
                "kind": "dissolve",
                "effective_date": "2026-01-01",
                "legal_act": ACT,
                "unit_id": str(demo_id("qn/2025/honggai")),
            },
        )
        assert_problem(response, 403, "forbidden")


class TestEventsBetween:
    async def test_events_effective_in_a_range_page_oldest_first(
        self, registry: httpx.AsyncClient, merged: dict[str, str]
    ) -> None:
        seen: list[dict[str, Any]] = []
        cursor = None
        while True:
            params = {"effective_from": "2025-07-01", "effective_to": "2025-07-01", "limit": "4"}
            page = await registry.get("/lineage-events", params=params | ({"cursor": cursor} if cursor else {}))
            assert page.status_code == 200, page.text
            seen += page.json()["items"]
            if not (cursor := page.json()["next_cursor"]):
                break
        # The demo's six mergers of Quảng Ninh and this one, each once, with their links.
        assert len(seen) == len({e["id"] for e in seen}) == 7
        ours = next(e for e in seen if e["id"] == merged["event"])
        assert {link["predecessor_id"] for link in ours["links"]} == {merged["A"], merged["B"], merged["C"]}
        none = await registry.get(
            "/lineage-events", params={"effective_from": "2025-07-02", "effective_to": "2026-12-31"}
        )
        assert none.json()["items"] == []

    async def test_a_range_ending_before_it_starts_is_422(self, registry: httpx.AsyncClient) -> None:
        response = await registry.get(
            "/lineage-events", params={"effective_from": "2025-07-02", "effective_to": "2025-07-01"}
        )
        assert (response.status_code, response.json()["type"]) == (
            422,
            "https://thidua.vn/problems/date-range-reversed",
        )
        assert response.json()["errors"][0]["parameter"] == "effective_to"


class TestOneUnitChanges:
    async def test_dissolve_ends_the_unit_the_day_before(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        unit = str(demo_id("qn/2025/hatu"))
        event = await registry.post(
            "/lineage-events",
            headers=token_for("admin"),
            json={"kind": "dissolve", "effective_date": "2026-01-01", "legal_act": ACT, "unit_id": unit},
        )
        assert event.status_code == 201, event.text
        assert event.json()["details"] == {"unit_id": unit}
        assert (await registry.get(f"/units/{unit}", params={"as_of": "2025-12-31"})).json()["valid_to"] == "2025-12-31"
        names = _names((await registry.get("/units/tree", params={"as_of": "2026-01-01"})).json())
        assert "Phường Hà Tu" not in names

    async def test_reclassify_records_the_kind_it_had(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        unit = str(demo_id("qn/2025/hatu"))
        event = await registry.post(
            "/lineage-events",
            headers=token_for("admin"),
            json={
                "kind": "reclassify",
                "effective_date": "2026-01-01",
                "legal_act": ACT,
                "unit_id": unit,
                "new_kind": "commune",
            },
        )
        assert event.status_code == 201, event.text
        assert event.json()["details"] == {"unit_id": unit, "from_kind": "ward", "to_kind": "commune"}
        assert (await registry.get(f"/units/{unit}")).json()["kind"] == "commune"

    async def test_parent_change_moves_the_unit_from_the_effective_date(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        unit, new_parent = str(demo_id("qn/2025/hatu")), str(demo_id("qn/2025/halong"))
        event = await registry.post(
            "/lineage-events",
            headers=token_for("admin"),
            json={
                "kind": "parent_change",
                "effective_date": "2026-01-01",
                "legal_act": ACT,
                "unit_id": unit,
                "new_parent_id": new_parent,
            },
        )
        assert event.status_code == 201, event.text
        assert event.json()["details"] == {"unit_id": unit, "old_parent_id": PROVINCE, "new_parent_id": new_parent}
        before = await registry.get(f"/units/{unit}", params={"as_of": "2025-12-31"})
        after = await registry.get(f"/units/{unit}", params={"as_of": "2026-01-01"})
        assert (before.json()["parent_id"], after.json()["parent_id"]) == (PROVINCE, new_parent)

    async def test_a_new_successor_with_an_unknown_parent_is_pointed_at_by_its_place(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        response = await registry.post(
            "/lineage-events",
            headers=token_for("admin"),
            json={
                "kind": "split",
                "effective_date": "2026-01-01",
                "legal_act": ACT,
                "predecessors": [{"unit_id": str(demo_id("qn/2025/hatu"))}],
                "successors": [
                    {"unit_id": str(demo_id("qn/2025/halong"))},
                    {"new": {"kind": "ward", "level": "commune", "name": "Phường Mới", "parent_id": DISTRICT}},
                ],
            },
        )
        problem = response.json()
        assert (response.status_code, problem["type"]) == (422, "https://thidua.vn/problems/invalid-input")
        assert [e["pointer"] for e in problem["errors"]] == ["/successors/1/new/parent_id"]
