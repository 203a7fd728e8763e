"""A merger inside a scoring period, through the API with real registry lineage: a small world the scoring and
gateway tests share.

Xã Đông Ngũ (A, 90) and Xã Đông Hải (B, 70) merge into Xã Đông Hải Mới (C) on 1/7/2026, inside the year 2026;
Xã Quảng Tân (X, 85) is untouched.
"""

from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.scoring.factories import BANDS, PROVINCE, framework, group, indicator, values

ACT = {"number": "1234/NQ-UBTVQH15", "date": "2026-06-10", "issuer": "Ủy ban Thường vụ Quốc hội"}
PEER = {"key": "commune|commune"}
WORK_FILES: dict[str, Any] = {
    "code": "HS-REORG",
    "title": "Hồ sơ công việc xử lý trên môi trường mạng (xã)",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["commune"],
    "unit_levels": ["commune"],
    "nodes": [group("CQS", "pillar", 100, [indicator("HSCV", 100, "percent", "ratio")])],
}


@dataclass
class World:
    scoring: httpx.AsyncClient
    registry: httpx.AsyncClient
    office: dict[str, str]
    admin: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)
    period: dict[str, Any] = field(default_factory=dict)

    async def commune(self, key: str, name: str) -> str:
        created = await self.registry.post(
            "/units",
            headers=self.admin,
            json={
                "kind": "commune",
                "level": "commune",
                "name": name,
                "parent_id": PROVINCE,
                "valid_from": "2020-01-01",
            },
        )
        assert created.status_code == 201, created.text
        self.ids[key] = created.json()["id"]
        return self.ids[key]

    async def open(self, **choice: str) -> dict[str, Any]:
        fw = await framework(self.scoring, self.office, WORK_FILES)
        created = await self.scoring.post(
            "/periods",
            headers=self.office,
            json={
                "framework_id": fw["id"],
                "title": "Đánh giá năm 2026",
                "kind": "year",
                "year": 2026,
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "scope_unit_id": PROVINCE,
                **choice,
            },
        )
        assert created.status_code == 201, created.text
        self.period = created.json()
        return self.period

    async def send(self, **by_key: float) -> None:
        items = [{"unit_id": self.ids[k], "indicator_code": "HSCV", "value": v} for k, v in by_key.items()]
        sent = await values(self.scoring, self.office, self.period["id"], items)
        assert sent.status_code == 200, sent.text

    async def event(self, body: dict[str, Any]) -> dict[str, Any]:
        recorded = await self.registry.post("/lineage-events", headers=self.admin, json={"legal_act": ACT} | body)
        assert recorded.status_code == 201, recorded.text
        out: dict[str, Any] = recorded.json()
        return out

    async def merge(self) -> dict[str, Any]:
        """A and B into a new C on 1/7/2026 (recorded after the period opened, as it happens)."""
        event = await self.event(
            {
                "kind": "merge",
                "effective_date": "2026-07-01",
                "predecessors": [{"unit_id": self.ids["A"]}, {"unit_id": self.ids["B"]}],
                "successors": [
                    {"new": {"kind": "commune", "level": "commune", "name": "Xã Đông Hải Mới", "parent_id": PROVINCE}}
                ],
            }
        )
        self.ids["C"] = event["links"][0]["successor_id"]
        self.ids["merge"] = event["id"]
        return event

    async def move(self, to: str, reason: str | None = None) -> dict[str, Any]:
        current = await self.scoring.get(f"/periods/{self.period['id']}", headers=self.office)
        moved = await self.scoring.post(
            f"/periods/{self.period['id']}/transitions",
            json={"to": to, "reason": reason},
            headers=self.office | {"If-Match": current.headers["ETag"]},
        )
        assert moved.status_code == 200, moved.text
        self.period = moved.json()
        return self.period

    async def get(self, path: str, **params: str) -> Any:
        response = await self.scoring.get(f"/periods/{self.period['id']}{path}", params=params, headers=self.office)
        assert response.status_code == 200, response.text
        return response.json()

    async def ranking(self, *keys: str) -> list[tuple[int, str, str, bool, list[str]]]:
        """The communes' ranking (of the units with these keys, or all), as (rank, name, score, derived, from)."""
        rows = await self.get("/rankings/peer", **PEER)
        ids = {self.ids[k] for k in keys}
        return [
            (r["rank"], r["name"], r["score100"], r["derived"], sorted(d["name"] for d in r["derived_from"]))
            for r in rows
            if not ids or r["unit_id"] in ids
        ]


async def merged_then_locked(world: World, **choice: str) -> World:
    await world.open(**choice)
    await world.send(A=90, B=70, X=85)
    await world.merge()
    await world.move("locked")
    return world


async def founded(
    scoring: httpx.AsyncClient, registry: httpx.AsyncClient, office: dict[str, str], admin: dict[str, str]
) -> World:
    """The world before anything happens: A, B and X in the registry."""
    world = World(scoring, registry, office, admin)
    for key, name in (("A", "Xã Đông Ngũ"), ("B", "Xã Đông Hải"), ("X", "Xã Quảng Tân")):
        await world.commune(key, name)
    return world
