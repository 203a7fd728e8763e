"""A published period's rankings are stored as served when it is published, read in one statement, and a repeated
anonymous read is answered by the process without the database; reopening the period takes all of that back."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.problems import assert_problem
from tests.scoring.factories import BAI_CHAY, BANDS, HA_LONG, HA_TU, HONG_GAI, Auth, framework, group, indicator
from tests.scoring.factories import period as open_period
from tests.scoring.factories import values as send

FRAMEWORK: dict[str, Any] = {
    "code": "PUBLISHED",
    "title": "Một chỉ số",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["ward"],
    "unit_levels": ["commune"],
    "nodes": [group("G", "pillar", 100, [indicator("X", 100, "percent", "ratio", evidence_required=False)])],
}
PEER = {"key": "ward|commune"}


@contextmanager
def statements(connection: AsyncConnection) -> Iterator[list[str]]:
    """The SQL statements sent on the test's connection (every session of the apps runs on it) while inside."""
    sent: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(connection.sync_connection, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", seen)


async def _move(scoring: httpx.AsyncClient, office: dict[str, str], period_id: str, to: str, **body: Any) -> None:
    current = await scoring.get(f"/periods/{period_id}", headers=office)
    moved = await scoring.post(
        f"/periods/{period_id}/transitions",
        json={"to": to, **body},
        headers=office | {"If-Match": current.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text


@pytest.fixture
async def published(scoring: httpx.AsyncClient, token_for: Auth) -> str:
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, FRAMEWORK)
    p = await open_period(scoring, office, fw["id"])
    items = [
        {"unit_id": unit, "indicator_code": "X", "value": value}
        for unit, value in ((HONG_GAI, 90), (BAI_CHAY, 80), (HA_LONG, 80), (HA_TU, 60))
    ]
    assert (await send(scoring, office, p["id"], items)).status_code == 200
    for to in ("locked", "published"):
        await _move(scoring, office, p["id"], to)
    period_id: str = p["id"]
    return period_id


async def _stored(connection: AsyncConnection, period_id: str) -> dict[tuple[str, str], bytes]:
    rows = await connection.execute(
        sa.text("select group_kind, group_key, body from scoring.published_rankings where period_id = :p"),
        {"p": period_id},
    )
    return {(r.group_kind, r.group_key): bytes(r.body) for r in rows}


class TestStoredRankings:
    async def test_publishing_stores_each_ranking_as_it_was_served(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth, published: str
    ) -> None:
        stored = await _stored(connection, published)
        groups = (await scoring.get(f"/periods/{published}/rankings")).json()["items"]
        assert set(stored) == {(g["group_kind"], g["group_key"]) for g in groups}
        office = token_for("tdkt.snv")
        await _move(scoring, office, published, "open", reason="Sửa số liệu")
        assert await _stored(connection, published) == {}  # reopened: read live again
        await _move(scoring, office, published, "locked")
        live = (await scoring.get(f"/periods/{published}/rankings/peer", params=PEER, headers=office)).json()
        await _move(scoring, office, published, "published")
        again = await _stored(connection, published)
        assert httpx.Response(200, content=again[("peer", "ward|commune")]).json() == live
        assert [r["rank"] for r in live] == [1, 2, 2, 4]  # ties share a rank
        assert live[0]["unit_id"] == HONG_GAI

    async def test_a_published_ranking_is_read_in_one_statement(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, token_for: Auth, published: str
    ) -> None:
        url = f"/periods/{published}/rankings/peer"
        with statements(connection) as sent:
            answer = await scoring.get(url, params=PEER, headers=token_for("tdkt.snv"))  # signed-in: not remembered
        assert answer.status_code == 200
        assert answer.content == (await _stored(connection, published))[("peer", "ward|commune")]
        reads = [s for s in sent if "published_rankings" in s or "scoring." in s]
        assert len(reads) == 1, sent
        assert answer.headers["cache-control"] == "private, no-store"


class TestAnonymousRepeats:
    async def test_a_repeated_anonymous_read_answers_304_without_the_database(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, published: str
    ) -> None:
        url = f"/periods/{published}/rankings/peer"
        first = await scoring.get(url, params=PEER)
        assert first.status_code == 200
        assert first.headers["cache-control"].startswith("public, max-age=")
        with statements(connection) as sent:
            again = await scoring.get(url, params=PEER, headers={"If-None-Match": first.headers["etag"]})
            plain = await scoring.get(url, params=PEER)
        assert again.status_code == 304
        assert again.headers["etag"] == first.headers["etag"]
        assert (plain.status_code, plain.content) == (200, first.content)
        assert sent == []
        print(f"statements for two anonymous repeats of a published ranking: {len(sent)}")

    async def test_the_published_scores_list_is_remembered_too(
        self, scoring: httpx.AsyncClient, connection: AsyncConnection, published: str
    ) -> None:
        url = f"/periods/{published}/scores"
        first = await scoring.get(url)
        assert first.status_code == 200
        with statements(connection) as sent:
            again = await scoring.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert (again.status_code, sent) == (304, [])

    async def test_reopening_forgets_at_once_in_this_process(
        self, scoring: httpx.AsyncClient, token_for: Auth, published: str
    ) -> None:
        url = f"/periods/{published}/rankings/peer"
        assert (await scoring.get(url, params=PEER)).status_code == 200
        await _move(scoring, token_for("tdkt.snv"), published, "open", reason="Sửa số liệu")
        assert_problem(await scoring.get(url, params=PEER), 401, "unauthenticated")  # not open data any more
