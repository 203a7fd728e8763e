"""Bad input never answers 500, a 500 carries its request id everywhere, and a lost database is a 503."""

import base64
import http.client
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from kit.app import create_app
from kit.logs import JsonFormatter
from kit.settings import ServiceSettings
from tests.conftest import demo_token, running
from tests.loopback import serving
from tests.problems import assert_problem

PROBLEM = "https://thidua.vn/problems/"
# A server that is not there: its socket folder does not exist (what a stopped embedded PostgreSQL looks like).
NO_SERVER = "postgresql://postgres@/thidua?host=/nonexistent/thidua-faults"


def _deep(depth: int, leaf: str) -> bytes:
    return ("[" * depth + leaf + "]" * depth).encode()


@pytest.fixture
async def small_registry(keys_dir: Path, connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    """The registry with a 2 KB body limit."""
    from services.registry.app import create_app
    from services.registry.settings import RegistrySettings

    app = create_app(
        RegistrySettings(data_dir=keys_dir, database_url="postgresql://unused/unused", max_body_bytes=2048)
    )
    async for client in running(app, connection):
        yield client


class TestBadInput:
    async def test_a_chunked_body_over_the_limit_is_413(self, small_registry: httpx.AsyncClient) -> None:
        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(10):
                yield b" " * 1000

        for kind in ("application/json", "text/plain"):
            response = await small_registry.post("/units", content=chunks(), headers={"Content-Type": kind})
            assert response.status_code == 413, (kind, response.text)
            assert response.json()["type"] == PROBLEM + "payload-too-large"
            assert response.headers["content-type"] == "application/problem+json"

    @pytest.mark.parametrize("leaf", ['"\\u00e9"', "1"], ids=["escaped", "ascii"])
    async def test_deeply_nested_json_is_refused_as_input(self, registry: httpx.AsyncClient, leaf: str) -> None:
        response = await registry.post(
            "/units", content=_deep(100_000, leaf), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422, response.text
        assert response.json()["type"] == PROBLEM + "invalid-input"
        assert response.json()["messages"]["vi"] == "JSON lồng nhau quá sâu"


def _failing_app(data_dir: Path) -> FastAPI:
    """An app whose one route fails the way a bug does."""
    router = APIRouter()

    @router.get("/bug")
    async def bug() -> None:
        raise RuntimeError("secret detail of a bug")

    async def always_ready(app: FastAPI) -> None:
        return None

    settings = ServiceSettings(data_dir=data_dir)
    return create_app(settings, title="t", description="t", routers=[router], readiness=always_ready)


def _registry_without_database(data_dir: Path) -> FastAPI:
    from services.registry.app import create_app
    from services.registry.settings import RegistrySettings

    return create_app(RegistrySettings(data_dir=data_dir, database_url=NO_SERVER, retry_after_seconds=3))


def _on_one_connection(base: str, requests: list[tuple[str, str, dict[str, str], bytes]]) -> list[int]:
    """Send the requests one after another on a single kept-alive connection; their statuses."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "", url.port)
    statuses = []
    try:
        conn.connect()
        first = conn.sock
        for method, path, headers, body in requests:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
            assert response.getheader("connection") != "close"
            assert conn.sock is first, "the server closed the connection"
    finally:
        conn.close()
    return statuses


class TestServerErrors:
    async def test_a_500_carries_its_request_id_in_body_header_and_log(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        app = _failing_app(tmp_path)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
        ):
            with caplog.at_level(logging.ERROR, logger="thidua"):
                response = await client.get("/bug")
        assert response.status_code == 500
        rid = response.headers["X-Request-ID"]
        problem = response.json()
        assert (problem["type"], problem["request_id"]) == (PROBLEM + "internal-error", rid)
        assert "secret detail" not in response.text
        [record] = [r for r in caplog.records if r.getMessage() == "unhandled error"]
        line = json.loads(JsonFormatter().format(record))
        assert line["request_id"] == rid
        assert "secret detail of a bug" in line["exc"]

    async def test_a_request_id_sent_by_the_client_is_kept_unless_it_is_not_a_token(self, tmp_path: Path) -> None:
        app = _failing_app(tmp_path)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
        ):
            kept = await client.get("/bug", headers={"X-Request-ID": "trace-42.a"})
            replaced = await client.get("/bug", headers={"X-Request-ID": "a b\tc"})
        assert (kept.headers["X-Request-ID"], kept.json()["request_id"]) == ("trace-42.a", "trace-42.a")
        assert replaced.headers["X-Request-ID"] != "a b\tc"
        assert replaced.json()["request_id"] == replaced.headers["X-Request-ID"]

    def test_the_connection_stays_open_after_a_500(self, tmp_path: Path) -> None:
        with serving(_failing_app(tmp_path)) as base:
            statuses = _on_one_connection(base, [("GET", "/bug", {}, b""), ("GET", "/livez", {}, b"")] * 2)
        assert statuses == [500, 200, 500, 200]


class TestLostDatabase:
    async def test_reads_writes_idempotent_writes_and_readiness_answer_503_with_retry_after(
        self, tmp_path: Path
    ) -> None:
        app = _registry_without_database(tmp_path)
        unit = {"kind": "commune", "level": "commune", "name": "Xã Mất Điện"}
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
        ):
            admin = {"Authorization": "Bearer " + demo_token(app, "admin")}
            answers = [
                await client.get("/units"),
                await client.post("/units", json=unit, headers=admin),
                await client.post("/units", json=unit, headers=admin | {"Idempotency-Key": "mat-dien-1"}),
                await client.get("/readyz"),
            ]
        for response in answers:
            assert response.status_code == 503, response.text
            assert response.json()["type"] == PROBLEM + "service-unavailable"
            assert response.headers["Retry-After"] == "3"
            assert response.json()["request_id"] == response.headers["X-Request-ID"]

    def test_the_connection_stays_open_through_503s(self, tmp_path: Path) -> None:
        body = json.dumps({"kind": "commune", "level": "commune", "name": "Xã"}).encode()
        json_kind = {"Content-Type": "application/json", "Idempotency-Key": "k-1"}
        with serving(_registry_without_database(tmp_path)) as base:
            statuses = _on_one_connection(
                base, [("GET", "/units", {}, b""), ("POST", "/units", json_kind, body), ("GET", "/livez", {}, b"")]
            )
        assert statuses == [503, 503, 200]


async def test_a_cursor_nested_deep_is_refused_as_input(registry: httpx.AsyncClient) -> None:
    cursor = base64.urlsafe_b64encode(b"[" * 5000).decode()
    response = await registry.get("/units", params={"cursor": cursor})
    assert_problem(response, 422, "invalid-input", parameter="cursor")
    assert response.json()["errors"][0]["parameter"] == "cursor"


class TestOutageUpstream:
    async def test_a_503_from_a_service_reaches_its_caller_with_retry_after(self, tmp_path: Path) -> None:
        from kit.client import UpstreamProblem
        from services.registry.client import RegistryClient

        app = _registry_without_database(tmp_path)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http,
        ):
            with pytest.raises(UpstreamProblem) as raised:
                await RegistryClient(http, "http://registry").search()
        assert (raised.value.code, raised.value.headers["Retry-After"]) == (503, "3")
        assert raised.value.type == PROBLEM + "service-unavailable"

    async def test_a_service_that_does_not_answer_is_503_with_retry_after(self) -> None:
        from kit.client import ServiceUnreachable
        from services.registry.client import RegistryClient

        async with httpx.AsyncClient() as http:
            with pytest.raises(ServiceUnreachable) as raised:
                await RegistryClient(http, "http://127.0.0.1:9").search()  # nothing listens there
        assert (raised.value.code, raised.value.headers["Retry-After"]) == (503, "2")
