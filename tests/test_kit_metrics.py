"""GET /metrics as an operator's Prometheus reads it: requests by route template and status, latency, the pool, the
gateway's calls to the services; open by default, behind a token when one is set, and quiet in the access log."""

import logging
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.awards.factories import collective, form_id, nomination
from tests.conftest import Stack, running
from tests.gateway.conftest import STOPPED, open_gateway
from tests.problems import assert_problem
from tests.scoring.factories import HONG_GAI
from tests.scrape import scrape
from tests.test_kit_errors import NO_SERVER, PROBLEM

REQUESTS = "thidua_http_requests_total"
LATENCY = "thidua_http_request_duration_seconds"
UNIT = "/units/{unit_id}"


class TestRequests:
    async def test_requests_are_counted_by_route_template_and_status(self, registry: httpx.AsyncClient) -> None:
        before = await scrape(registry)
        assert (await registry.get(f"/units/{HONG_GAI}")).status_code == 200
        assert_problem(await registry.get(f"/units/{uuid.uuid4()}"), 404, "unit-not-found")
        assert_problem(await registry.get("/khong-co-duong-dan-nay"), 404, "not-found")
        assert_problem(await registry.request("BREW", f"/units/{HONG_GAI}"), 405, "method-not-allowed")
        after = await scrape(registry)

        def delta(**labels: str) -> float:
            return after.value(REQUESTS, **labels) - before.value(REQUESTS, **labels)

        assert delta(method="GET", route=UNIT, status="200") == 1
        assert delta(method="GET", route=UNIT, status="404") == 1
        assert delta(method="GET", route="unmatched", status="404") == 1
        assert delta(method="other", route=UNIT, status="405") == 1  # nor any method a client makes up
        assert delta(method="GET", route="/metrics", status="200") == 1  # the first scrape
        routes = after.label_values(REQUESTS, "route")
        assert not any(HONG_GAI in r or "khong-co" in r for r in routes), routes  # never a raw path

    async def test_latency_is_a_histogram_by_route_template(self, registry: httpx.AsyncClient) -> None:
        for _ in range(3):
            assert (await registry.get(f"/units/{HONG_GAI}")).status_code == 200
        scraped = await scrape(registry)
        assert scraped.families[LATENCY] == "histogram"
        assert scraped.value(f"{LATENCY}_count", method="GET", route=UNIT) == 3
        assert scraped.value(f"{LATENCY}_bucket", method="GET", route=UNIT, le="+Inf") == 3
        buckets = scraped.label_values(f"{LATENCY}_bucket", "le")
        assert {"0.001", "10.0", "+Inf"} <= buckets, buckets
        print("latency of GET /units/{unit_id}, 3 requests, seconds:", scraped.value(f"{LATENCY}_sum", route=UNIT))

    async def test_the_scrape_itself_is_the_request_in_flight(self, registry: httpx.AsyncClient) -> None:
        assert (await scrape(registry)).value("thidua_http_requests_in_flight") == 1

    async def test_the_database_pool_is_reported(self, registry: httpx.AsyncClient) -> None:
        scraped = await scrape(registry)
        assert scraped.value("thidua_db_pool_size") >= 1
        assert scraped.value("thidua_db_pool_checked_out") >= 1  # the test's own connection
        assert scraped.families["thidua_db_pool_overflow"] == "gauge"
        assert scraped.value("thidua_build_info", service="registry") == 1


class TestFigures:
    async def test_scrapes_within_the_max_age_share_one_reading(
        self, registry: httpx.AsyncClient, token_for: Any
    ) -> None:
        units = {"name": "thidua_registry_units", "kind": "commune", "level": "commune"}
        first = await scrape(registry)  # the default: read at most every 30 s
        body = {"kind": "commune", "level": "commune", "name": "Xã Chưa Đếm"}
        assert (await registry.post("/units", json=body, headers=token_for("admin"))).status_code == 201
        second = await scrape(registry)
        assert second.value(**units) == first.value(**units)
        assert second.value("thidua_figures_read_seconds") == first.value("thidua_figures_read_seconds") > 0
        print("registry figures read in", first.value("thidua_figures_read_seconds"), "s")


class TestSurface:
    async def test_metrics_are_not_in_the_openapi(self, registry: httpx.AsyncClient) -> None:
        paths = (await registry.get("/openapi.json")).json()["paths"]
        assert "/metrics" not in paths
        assert "/livez" in paths

    async def test_scrapes_stay_out_of_the_access_log(
        self, registry: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.INFO, logger="thidua.access"):
            await registry.get("/livez")
            await registry.get("/metrics")
        logged = [getattr(r, "path", None) for r in caplog.records if r.name == "thidua.access"]
        assert logged == ["/livez"]

    async def test_a_metrics_token_when_set_is_required(self, keys_dir: Path, connection: AsyncConnection) -> None:
        from services.registry.app import create_app
        from services.registry.settings import RegistrySettings

        settings = RegistrySettings(data_dir=keys_dir, database_url="postgresql://unused/unused", metrics_token="s3")
        async for client in running(create_app(settings), connection):
            for sent in ({}, {"Authorization": "Bearer s4"}, {"Authorization": "s3"}):
                refused = await client.get("/metrics", headers=sent)
                assert refused.status_code == 401, sent
                assert refused.json()["type"] == PROBLEM + "unauthenticated"
            assert (await scrape(client, {"Authorization": "Bearer s3"})).value("thidua_figures_up") == 1

    async def test_a_scrape_during_a_database_outage_still_shows_the_traffic(self, tmp_path: Path) -> None:
        from services.registry.app import create_app
        from services.registry.settings import RegistrySettings

        app = create_app(RegistrySettings(data_dir=tmp_path, database_url=NO_SERVER))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
        ):
            assert (await client.get("/units")).status_code == 503
            scraped = await scrape(client)
        assert scraped.value("thidua_figures_up") == 0
        assert scraped.value(REQUESTS, method="GET", route="/units", status="503") == 1
        assert scraped.value("thidua_registry_units", kind="ward", level="commune") == 0  # not read: no figure at all


class TestGateway:
    async def test_a_graphql_request_counts_its_calls_to_the_services(self, stack: Stack, keys_dir: Path) -> None:
        query = "query($id: UUID!) { unit(id: $id) { ... on Unit { name } } }"
        async with open_gateway(stack, keys_dir) as gateway:
            body = await gateway.query(query, id=HONG_GAI)
            assert body["data"]["unit"]["name"] == "Phường Hồng Gai"
            scraped = await scrape(gateway.client)
        assert scraped.value("thidua_upstream_requests_total", service="registry", status="200") >= 1
        assert scraped.value("thidua_upstream_request_duration_seconds_count", service="registry") >= 1
        assert scraped.value(REQUESTS, method="POST", route="/graphql", status="200") == 1
        assert scraped.value("thidua_build_info", service="gateway") == 1
        assert "thidua_db_pool_size" not in scraped.families  # the gateway has no database
        assert "thidua_figures_up" not in scraped.families  # nor figures of its own

    async def test_a_service_that_does_not_answer_is_counted_as_unanswered(self, stack: Stack, keys_dir: Path) -> None:
        query = "query($id: UUID!) { unit(id: $id) { ... on Unit { name awards { formCode } } } }"
        async with open_gateway(stack, keys_dir, awards_url=STOPPED) as gateway:
            body = await gateway.query(query, id=HONG_GAI)
            assert body["data"]["unit"] == {"name": "Phường Hồng Gai", "awards": None}  # partial data
            scraped = await scrape(gateway.client)
        assert scraped.value("thidua_upstream_requests_total", service="awards", status="unanswered") == 1
        assert scraped.value("thidua_upstream_requests_total", service="registry", status="200") >= 1

    async def test_each_app_counts_only_its_own_requests(self, stack: Stack) -> None:
        await stack.registry.get(f"/units/{HONG_GAI}")
        scoring = await scrape(stack.scoring)
        assert scoring.value(REQUESTS, method="GET", route=UNIT) == 0
        apps: dict[str, FastAPI] = stack.apps
        assert len({id(app.state.metrics.registry) for app in apps.values()}) == 3

    async def test_a_service_counts_its_calls_to_another_by_its_setting(self, stack: Stack, token_for: Any) -> None:
        proposer = token_for("lanhdao.honggai")
        form = await form_id(stack, "BK_TINH")
        await nomination(stack, proposer, form, [collective(HONG_GAI, "Phường Hồng Gai")])  # awards asks the registry
        scraped = await scrape(stack.awards)
        assert scraped.value("thidua_upstream_requests_total", service="registry", status="200") >= 1
        assert scraped.label_values("thidua_upstream_requests_total", "service") <= {"registry", "scoring", "other"}
