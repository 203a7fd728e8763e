"""HTTP caching as a client and a CDN see it (kit/caching.py): a strong ETag on every 200 GET, 304 to If-None-Match,
Cache-Control by the operation's declared policy and the caller, problems never kept, and answers a handler chose to
remember served from the process without running the handler again. No database: a kit app in-process."""

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request, Response

from kit.app import create_app
from kit.caching import (
    OPEN_DATA,
    OPEN_DATA_AND_PERSONAL,
    PERSONAL,
    Answer,
    Answers,
    cache,
    forget,
    none_match,
    remember,
    strong_etag,
)
from kit.problems import NotFound, Text
from kit.settings import ServiceSettings
from kit.spreadsheets import XLSX

SIGNED_IN = {"Authorization": "Bearer anything"}  # the policy reads only whether a token is sent
PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"


def _app(data_dir: Path) -> tuple[FastAPI, dict[str, int]]:
    router = APIRouter()
    runs = {"kept": 0}
    state = {"word": "một"}

    @router.get("/open")
    @cache(OPEN_DATA)
    async def open_data() -> dict[str, str]:
        return {"word": state["word"]}

    @router.get("/mixed")
    @cache(OPEN_DATA_AND_PERSONAL)
    async def mixed() -> dict[str, str]:
        return {"word": "hai"}

    @router.get("/personal")
    @cache(PERSONAL)
    async def personal() -> dict[str, str]:
        return {"name": "Nguyễn Văn A"}

    @router.get("/versioned")
    @cache(OPEN_DATA)
    async def versioned(response: Response) -> dict[str, str]:
        response.headers["ETag"] = '"7"'
        return {"version": "7"}

    @router.get("/missing")
    @cache(OPEN_DATA)
    async def missing() -> dict[str, str]:
        raise NotFound(Text("Không có", "Not there"))

    @router.get("/undeclared")
    async def undeclared() -> dict[str, str]:
        return {"word": "ba"}

    @router.get("/kept")
    @cache(OPEN_DATA)
    async def kept(request: Request) -> dict[str, int]:
        remember(request, "tag")
        runs["kept"] += 1
        return {"runs": runs["kept"]}

    @router.post("/change")
    async def change(request: Request) -> dict[str, str]:
        state["word"] = "bốn"
        await forget(request, "tag")
        return {}

    settings = ServiceSettings(data_dir=data_dir)
    return create_app(settings, title="t", description="t", routers=[router]), runs


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app, _ = _app(tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


class TestETags:
    async def test_a_get_carries_a_strong_etag_of_its_body(self, client: httpx.AsyncClient) -> None:
        answer = await client.get("/open")
        assert answer.headers["etag"] == strong_etag(answer.content)
        assert not answer.headers["etag"].startswith("W/")
        assert (await client.get("/open")).headers["etag"] == answer.headers["etag"]

    async def test_if_none_match_answers_304_with_the_validators_and_no_body(self, client: httpx.AsyncClient) -> None:
        etag = (await client.get("/open")).headers["etag"]
        again = await client.get("/open", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == PUBLIC
        assert again.headers["vary"] == "Authorization"
        assert "content-type" not in again.headers

    @pytest.mark.parametrize("sent", ['"x", {etag}', "W/{etag}", "*", ' "a" ,  {etag} '])
    async def test_lists_weak_tags_and_star_match(self, client: httpx.AsyncClient, sent: str) -> None:
        etag = (await client.get("/open")).headers["etag"]
        assert (await client.get("/open", headers={"If-None-Match": sent.format(etag=etag)})).status_code == 304

    async def test_another_tag_gets_the_whole_answer(self, client: httpx.AsyncClient) -> None:
        answer = await client.get("/open", headers={"If-None-Match": '"not-it"'})
        assert answer.status_code == 200
        assert answer.json() == {"word": "một"}

    async def test_a_version_etag_is_kept_and_matched(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/versioned")).headers["etag"] == '"7"'
        assert (await client.get("/versioned", headers={"If-None-Match": 'W/"7"'})).status_code == 304

    async def test_a_problem_is_never_kept(self, client: httpx.AsyncClient) -> None:
        answer = await client.get("/missing", headers={"If-None-Match": "*"})
        assert answer.status_code == 404
        assert answer.headers["cache-control"] == "no-store"
        assert "etag" not in answer.headers

    def test_weak_comparison(self) -> None:
        assert none_match('W/"a"', '"a"')
        assert none_match('"a"', 'W/"a"')
        assert not none_match('"ab"', '"a"')


class TestPolicies:
    async def test_open_data_is_public_to_anonymous_callers_and_private_to_signed_in_ones(
        self, client: httpx.AsyncClient
    ) -> None:
        assert (await client.get("/open")).headers["cache-control"] == PUBLIC
        assert (await client.get("/open", headers=SIGNED_IN)).headers["cache-control"] == "private, no-cache"

    async def test_a_signed_in_answer_that_may_be_personal_is_not_stored(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/mixed")).headers["cache-control"] == PUBLIC
        assert (await client.get("/mixed", headers=SIGNED_IN)).headers["cache-control"] == "private, no-store"

    async def test_personal_data_is_never_stored(self, client: httpx.AsyncClient) -> None:
        for headers in ({}, SIGNED_IN):
            answer = await client.get("/personal", headers=headers)
            assert answer.headers["cache-control"] == "private, no-store"
            assert "etag" in answer.headers  # a client may still revalidate what it holds in memory

    async def test_an_operation_without_a_policy_is_not_stored(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/undeclared")).headers["cache-control"] == "no-store"

    async def test_health_is_never_kept(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/livez")).headers["cache-control"] == "no-store"

    async def test_the_policy_is_in_the_openapi(self, tmp_path: Path) -> None:
        app, _ = _app(tmp_path)
        operation = app.openapi()["paths"]["/mixed"]["get"]
        assert operation["x-cache"]["policy"] == "open-data-and-personal"
        assert operation["x-cache"]["anonymous"] == PUBLIC
        assert operation["x-cache"]["signed_in"] == "private, no-store"
        assert "304" in operation["responses"]


class TestRemembered:
    async def test_an_anonymous_repeat_is_answered_from_memory(self, tmp_path: Path) -> None:
        app, runs = _app(tmp_path)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            first = await client.get("/kept")
            again = await client.get("/kept")
            assert again.json() == first.json() == {"runs": 1}
            assert again.headers["etag"] == first.headers["etag"]
            assert (again.headers["age"], "age" in first.headers) == ("0", False)
            assert (await client.get("/kept", headers={"If-None-Match": first.headers["etag"]})).status_code == 304
            assert (await client.get("/kept?other=1")).json() == {"runs": 2}  # another URL
            assert (await client.get("/kept", headers=SIGNED_IN)).json() == {"runs": 3}  # never for a token
            assert runs["kept"] == 3
            await client.post("/change")
            assert (await client.get("/kept")).json() == {"runs": 4}  # forgotten at once in this process

    def test_an_answer_read_before_a_forget_is_not_kept_after_it(self) -> None:
        answers = Answers(ttl=60, max_bytes=1 << 20)
        stamp = answers.stamp(["period"])  # the handler remembered, then read the data …
        answers.forget("period")  # … while a write changed it and forgot
        answers.put("/x", Answer([], b"old", '"e"', (), time.monotonic(), stamp))
        assert answers.get("/x", []) is None
        answers.put("/x", Answer([], b"new", '"f"', (), time.monotonic(), answers.stamp(["period"])))
        found = answers.get("/x", [])
        assert found is not None
        assert found.body == b"new"

    def test_an_answer_expires_after_the_shared_max_age(self) -> None:
        answers = Answers(ttl=60, max_bytes=1 << 20)
        answers.put("/x", Answer([], b"old", '"e"', (), time.monotonic() - 61, ()))
        assert answers.get("/x", []) is None

    def test_an_answer_is_kept_per_value_of_what_it_varies_by(self) -> None:
        answers = Answers(ttl=60, max_bytes=1 << 20)
        vary = ((b"accept", b"application/json"),)
        answers.put("/x", Answer([], b"json", '"e"', vary, time.monotonic(), ()))
        assert answers.get("/x", [(b"accept", b"application/json")]) is not None
        assert answers.get("/x", [(b"accept", XLSX.encode())]) is None
        assert answers.get("/x", []) is None
