"""Reads do not write: every GET of scoring is a read-only transaction and never recomputes; scores are recomputed
when a write changes their inputs, and a published period's results are fixed rows."""

import re
import typing
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncConnection

from kit.app import api_routes
from kit.db import Database, ReadSession, WriteSession
from services.scoring.app import create_app
from services.scoring.periods import repository as periods_repo
from services.scoring.scores.refresh import ScoreRefresher
from services.scoring.settings import ScoringSettings
from tests.scoring.factories import BAI_CHAY, BANDS, HA_LONG, HA_TU, HONG_GAI, Auth, framework, group, indicator
from tests.scoring.factories import period as open_period
from tests.scoring.factories import values as send

ONE_INDICATOR: dict[str, Any] = {
    "code": "READS",
    "title": "Một chỉ số",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["ward"],
    "unit_levels": ["commune"],
    "nodes": [group("G", "pillar", 100, [indicator("X", 100, "percent", "ratio", evidence_required=False)])],
}
PDF = b"%PDF-1.4 evidence"
PEER = {"key": "ward|commune"}
HEALTH = ("/livez", "/readyz")  # they read no data


def _x(unit: str, value: float) -> dict[str, Any]:
    return {"unit_id": unit, "indicator_code": "X", "value": value}


@pytest.fixture
async def scored(scoring: httpx.AsyncClient, token_for: Auth) -> dict[str, Any]:
    """An open period of four wards with a value each (and an evidence file)."""
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, ONE_INDICATOR)
    p = await open_period(scoring, office, fw["id"])
    sent = await send(scoring, office, p["id"], [_x(HONG_GAI, 90), _x(BAI_CHAY, 80), _x(HA_LONG, 70), _x(HA_TU, 60)])
    assert sent.status_code == 200, sent.text
    evidence = await scoring.post(
        f"/periods/{p['id']}/evidence",
        data={"unit_id": HONG_GAI},
        files={"file": ("bien-ban.pdf", PDF, "application/pdf")},
        headers=office,
    )
    assert evidence.status_code == 201, evidence.text
    return {"framework": fw, "period": p, "file": evidence.json()}


async def _score(scoring: httpx.AsyncClient, auth: dict[str, str], period_id: str, unit: str) -> dict[str, Any]:
    response = await scoring.get(f"/periods/{period_id}/scores/{unit}", headers=auth)
    assert response.status_code == 200, response.text
    out: dict[str, Any] = response.json()
    return out


async def _results(connection: AsyncConnection, period_id: str) -> list[tuple[Any, ...]]:
    rows = await connection.execute(
        sa.text("select unit_id, total, computed_at from scoring.results where period_id = :p order by unit_id"),
        {"p": period_id},
    )
    return [tuple(r) for r in rows]


async def _marks(connection: AsyncConnection, period_id: str) -> int:
    found = await connection.scalar(
        sa.text("select count(*) from scoring.stale_marks where period_id = :p"), {"p": period_id}
    )
    return int(found or 0)


async def _inputs_change_behind_the_back(connection: AsyncConnection, period_id: str) -> None:
    """A value changes and the period is marked stale, with no recompute after: what a write looks like to a read
    that comes before the recompute has ended."""
    await connection.execute(
        sa.text("update scoring.unit_values set value = 10 where period_id = :p and unit_id = :u"),
        {"p": period_id, "u": HONG_GAI},
    )
    async with Database.bound_to(connection).sessionmaker() as session, session.begin():
        await periods_repo.mark_stale(session, period_id)  # type: ignore[arg-type]


def _refresher(scoring: httpx.AsyncClient) -> ScoreRefresher:
    """The refresher of the scoring app behind the `scoring` fixture's client (its ASGI transport's app)."""
    app = typing.cast(FastAPI, scoring._transport.app)  # type: ignore[attr-defined]
    refresher: ScoreRefresher = app.state.refresher
    return refresher


def _get_routes() -> list[APIRoute]:
    app = create_app(ScoringSettings(database_url="postgresql://unused/unused"))
    # The API's GETs: the docs pages (out of the schema) read no database.
    routes = [r for r in api_routes(app.routes) if "GET" in (r.methods or ()) and r.include_in_schema]
    assert len(routes) >= 15  # frameworks, periods, values, evidence, scores, rankings, targets
    return routes


def _calls(route: APIRoute) -> set[Any]:
    found, pending = set(), [route.dependant]
    while pending:
        dependant = pending.pop()
        found.add(dependant.call)
        pending.extend(dependant.dependencies)
    return found


class TestEveryGetIsReadOnly:
    def test_every_get_takes_a_read_only_session_and_none_a_write_session(self) -> None:
        read, write = (typing.get_args(alias)[1].dependency for alias in (ReadSession, WriteSession))
        routes = [r for r in _get_routes() if r.path not in HEALTH]
        assert [r.path for r in routes if write in _calls(r)] == []
        assert [r.path for r in routes if read not in _calls(r)] == []

    async def test_every_get_leaves_a_stale_period_as_it_is(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        period_id = scored["period"]["id"]
        await _inputs_change_behind_the_back(connection, period_id)
        before = await _results(connection, period_id)
        fill = {
            "framework_id": scored["framework"]["id"],
            "period_id": period_id,
            "unit_id": HONG_GAI,
            "code": "X",
            "indicator_code": "X",
            "file_id": scored["file"]["id"],
            "group_kind": "peer",
        } | PEER
        for route in _get_routes():
            if route.path in HEALTH:
                continue
            path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(fill[m[1]]), route.path)
            query = {p.name: fill[p.name] for p in route.dependant.query_params if p.field_info.is_required()}
            response = await scoring.get(path, params=query, headers=token_for("tdkt.snv"))
            assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
        assert await _results(connection, period_id) == before
        assert await _marks(connection, period_id) == 1
        score = await _score(scoring, token_for("tdkt.snv"), period_id, HONG_GAI)
        assert (score["score100"], score["stale"]) == ("90.00", True)  # not yet the 10 written behind the back

    async def test_a_period_left_stale_is_recomputed_by_the_sweep_and_read_after_it(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        period_id = scored["period"]["id"]
        await _inputs_change_behind_the_back(connection, period_id)  # as if its process stopped mid-recompute
        await scoring.get(f"/periods/{period_id}/scores", headers=token_for("tdkt.snv"))
        refresher = _refresher(scoring)
        await refresher.sweep()
        score = await _score(scoring, token_for("tdkt.snv"), period_id, HONG_GAI)
        assert (score["score100"], score["stale"]) == ("10.00", False)
        assert await _marks(connection, period_id) == 0


class TestRecomputeOnWrite:
    async def test_a_score_read_right_after_a_value_write_reflects_it(
        self, scoring: httpx.AsyncClient, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        office, period_id = token_for("tdkt.snv"), scored["period"]["id"]
        first = await _score(scoring, office, period_id, HA_TU)
        assert (first["score100"], first["stale"], first["ranks"][0]["rank"]) == ("60.00", False, 4)
        assert (await send(scoring, office, period_id, [_x(HA_TU, 95)])).status_code == 200
        after = await _score(scoring, office, period_id, HA_TU)
        assert (after["score100"], after["stale"], after["ranks"][0]["rank"]) == ("95.00", False, 1)
        assert after["computed_at"] > first["computed_at"]
        ranking = (await scoring.get(f"/periods/{period_id}/rankings/peer", params=PEER, headers=office)).json()
        assert (ranking[0]["unit_id"], ranking[0]["rank"], ranking[0]["stale"]) == (HA_TU, 1, False)

    async def test_a_review_is_reflected_at_once(
        self, scoring: httpx.AsyncClient, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        office, period_id = token_for("tdkt.snv"), scored["period"]["id"]
        sent = await scoring.post(f"/periods/{period_id}/units/{HONG_GAI}/submit", headers=office)
        assert sent.status_code == 200, sent.text
        value = (await scoring.get(f"/periods/{period_id}/values", params={"unit_id": HONG_GAI}, headers=office)).json()
        adjusted = await scoring.post(
            f"/periods/{period_id}/values/{HONG_GAI}/X/review",
            json={"action": "adjust", "value": 50, "reason": "Số liệu thống kê chỉ đạt 50 %"},
            headers=office | {"If-Match": f'"{value["items"][0]["version"]}"'},
        )
        assert adjusted.status_code == 200, adjusted.text
        assert (await _score(scoring, office, period_id, HONG_GAI))["score100"] == "50.00"

    async def test_a_new_period_has_every_ranked_participant_scored_at_once(
        self, scoring: httpx.AsyncClient, token_for: Auth
    ) -> None:
        office = token_for("tdkt.snv")
        fw = await framework(scoring, office, ONE_INDICATOR | {"code": "READS-ZERO"})
        p = await open_period(scoring, office, fw["id"])
        listed = (await scoring.get(f"/periods/{p['id']}/scores", headers=office)).json()["items"]
        # Units only on the period's first-day tree that sent nothing have no score (test_reorganisation.py).
        participants = (
            await scoring.get(f"/periods/{p['id']}/participants", params={"limit": 500}, headers=office)
        ).json()["items"]
        assert {i["unit_id"] for i in listed} == {x["unit_id"] for x in participants if x["in_ranking"]}
        assert {i["stale"] for i in listed} == {False}  # (what a missing value scores is not this file's topic)


class TestPublishedResultsAreFixed:
    async def _publish(self, scoring: httpx.AsyncClient, office: dict[str, str], period_id: str) -> None:
        for to, version in (("locked", '"1"'), ("published", '"2"')):
            moved = await scoring.post(
                f"/periods/{period_id}/transitions", json={"to": to}, headers=office | {"If-Match": version}
            )
            assert moved.status_code == 200, moved.text

    async def test_a_published_period_refuses_every_change_of_its_inputs(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        office, period_id = token_for("tdkt.snv"), scored["period"]["id"]
        await self._publish(scoring, office, period_id)
        fixed = await _results(connection, period_id)
        ranking = (await scoring.get(f"/periods/{period_id}/rankings/peer", params=PEER)).json()
        refused = [
            await send(scoring, office, period_id, [_x(HA_TU, 99)]),
            await scoring.patch(
                f"/periods/{period_id}/participants/{HONG_GAI}", json={"ranked": False}, headers=office
            ),
            await scoring.post(f"/periods/{period_id}/units/{HA_TU}/submit", headers=office),
        ]
        assert [r.status_code for r in refused] == [409] * 3
        assert [(r.status_code, r.json()["type"]) for r in refused] == [
            (409, "https://thidua.vn/problems/period-locked")
        ] * 3
        assert await _results(connection, period_id) == fixed
        assert (await scoring.get(f"/periods/{period_id}/rankings/peer", params=PEER)).json() == ranking
        assert {r["stale"] for r in ranking} == {False}

    async def test_a_stale_mark_on_a_published_period_changes_nothing(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        office, period_id = token_for("tdkt.snv"), scored["period"]["id"]
        await self._publish(scoring, office, period_id)
        fixed = await _results(connection, period_id)
        await _inputs_change_behind_the_back(connection, period_id)
        refresher = _refresher(scoring)
        await refresher.refresh(period_id)
        assert await _results(connection, period_id) == fixed
        assert (await _score(scoring, office, period_id, HONG_GAI))["score100"] == "90.00"

    async def test_publishing_recomputes_what_changed_while_locked(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth, scored: dict[str, Any]
    ) -> None:
        office, period_id = token_for("tdkt.snv"), scored["period"]["id"]
        locked = await scoring.post(
            f"/periods/{period_id}/transitions", json={"to": "locked"}, headers=office | {"If-Match": '"1"'}
        )
        assert locked.status_code == 200
        flagged = await scoring.patch(
            f"/periods/{period_id}/participants/{HONG_GAI}", json={"ranked": False}, headers=office
        )
        assert flagged.status_code == 200, flagged.text  # the office may still set who is ranked before publishing
        published = await scoring.post(
            f"/periods/{period_id}/transitions", json={"to": "published"}, headers=office | {"If-Match": '"2"'}
        )
        assert published.status_code == 200
        ranking = (await scoring.get(f"/periods/{period_id}/rankings/peer", params=PEER)).json()
        assert [(r["unit_id"], r["rank"]) for r in ranking] == [(BAI_CHAY, 1), (HA_LONG, 2), (HA_TU, 3)]
        assert await _marks(connection, period_id) == 0
