"""The API docs work on a network with no way out (kit.apidocs): Swagger UI, ReDoc and GraphiQL are fetched from each
app as a browser would, with every stylesheet, script, image and document they name, and nothing they load may come
from another host. No database: the pages, files and OpenAPI documents are served in-process."""

import re
from collections.abc import AsyncIterator, Callable
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app as gateway_app
from gateway.settings import GatewaySettings
from kit.apidocs import PAGE_POLICY
from services.awards.app import create_app as awards_app
from services.awards.settings import AwardsSettings
from services.registry.app import create_app as registry_app
from services.registry.settings import RegistrySettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.problems import assert_problem

UNUSED = "postgresql://unused/unused"
APPS: dict[str, Callable[[], FastAPI]] = {
    "registry": lambda: registry_app(RegistrySettings(database_url=UNUSED)),
    "scoring": lambda: scoring_app(ScoringSettings(database_url=UNUSED)),
    "awards": lambda: awards_app(AwardsSettings(database_url=UNUSED)),
    "gateway": lambda: gateway_app(GatewaySettings()),
}
ORIGIN = "http://thidua.intranet"
HTML = {"Accept": "text/html"}
TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".json": "application/json"}

ANY_HOST = re.compile(r"\b(?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
# What a page names: its files, its favicon, the OpenAPI document (Swagger UI's `url:`, ReDoc's `spec-url`).
PAGE_REFS = re.compile(r"""\b(?:src|href|spec-url)\s*=\s*["']([^"']+)|\burl:\s*'([^']+)'""")
CSS_REFS = re.compile(r"""url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""")
# What a script loads by itself as it renders (its many links and licence URLs are only followed on a click).
JS_LOADS = re.compile(
    r"""(?:\bsrc\s*[:=]\s*|\bimport\s*\(\s*|\bimportScripts\s*\(\s*|\bfetch\s*\(\s*|url\(\s*)["'`](?:https?:)?//([^/"'`]+)"""
)
# ReDoc's "API docs by Redocly" footer loads its logo from its vendor's CDN, with no option to turn it off: the pages'
# Content-Security-Policy (asserted below) keeps the browser from asking, and the footer hides the image that fails.
BLOCKED_BY_POLICY = {"cdn.redoc.ly"}


@pytest.fixture(scope="module", params=list(APPS))
async def client(request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    app = APPS[request.param]()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN) as client:
        yield client


async def _load(client: httpx.AsyncClient, page: str, headers: dict[str, str] | None = None) -> dict[str, str]:
    """Fetch `page` and everything it loads, as a browser would; the media type of each URL fetched."""
    response = await client.get(page, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == PAGE_POLICY
    assert ANY_HOST.findall(response.text) == [], f"{page} names another host"
    loaded = {page: "text/html"}
    pending = [urljoin(page, a or b) for a, b in PAGE_REFS.findall(response.text)]
    while pending:
        url = pending.pop()
        if url in loaded:
            continue
        assert _same_origin(url), f"{page} loads {url}"
        answer = await client.get(url)
        assert answer.status_code == 200, f"{url}: {answer.status_code}"
        loaded[url] = answer.headers["content-type"].split(";")[0]
        if loaded[url] == "text/css":
            for a, b in CSS_REFS.findall(answer.text):
                if not (a or b).startswith("data:"):
                    pending.append(urljoin(url, a or b))
        elif loaded[url] == "text/javascript":
            assert set(JS_LOADS.findall(answer.text)) <= BLOCKED_BY_POLICY, f"{url} loads from another host"
    return loaded


def _same_origin(url: str) -> bool:
    parts = urlsplit(urljoin(ORIGIN + "/", url))
    return f"{parts.scheme}://{parts.netloc}" == ORIGIN


def _expected_type(url: str) -> str:
    path = urlsplit(url).path
    return next(media for ext, media in TYPES.items() if path.endswith(ext))


class TestDocsPagesLoadNothingFromAnotherHost:
    async def test_swagger_ui_loads_its_files_and_the_openapi_from_the_app(self, client: httpx.AsyncClient) -> None:
        loaded = await _load(client, "/docs")
        assert "/openapi.json" in loaded
        assert any(url.endswith("/swagger-ui-bundle.js") for url in loaded)
        for url, media in loaded.items():
            assert url == "/docs" or media == _expected_type(url), url

    async def test_redoc_loads_its_files_and_the_openapi_from_the_app(self, client: httpx.AsyncClient) -> None:
        loaded = await _load(client, "/redoc")
        assert "/openapi.json" in loaded
        assert any(url.endswith("/redoc.standalone.js") for url in loaded)
        for url, media in loaded.items():
            assert url == "/redoc" or media == _expected_type(url), url

    async def test_swagger_ui_asks_no_public_validator(self, client: httpx.AsyncClient) -> None:
        page = (await client.get("/docs")).text
        assert '"validatorUrl": null' in page


@pytest.fixture(scope="module")
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=APPS["gateway"]())
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
        yield client


class TestGraphiql:
    async def test_graphiql_loads_graphiql_and_react_from_the_gateway(self, gateway: httpx.AsyncClient) -> None:
        loaded = await _load(gateway, "/graphql", HTML)
        names = {url.rsplit("/", 1)[-1] for url in loaded}
        assert {"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js"} <= names
        for url, media in loaded.items():
            assert url == "/graphql" or media == _expected_type(url), url

    async def test_graphiql_queries_the_endpoint_it_is_served_from(self, gateway: httpx.AsyncClient) -> None:
        page = (await gateway.get("/graphql", headers=HTML)).text
        assert "GraphiQL.createFetcher({ url })" in page
        assert "isHeadersEditorEnabled: true" in page  # where a caller puts the bearer token


class TestPolicyAndCaching:
    def test_page_policy_names_no_other_host(self) -> None:
        sources = {word for directive in PAGE_POLICY.split(";") for word in directive.split()[1:]}
        assert sources <= {"'self'", "'unsafe-inline'", "'unsafe-eval'", "data:", "blob:"}

    async def test_files_are_kept_a_year_and_pages_are_revalidated(self, client: httpx.AsyncClient) -> None:
        loaded = await _load(client, "/docs")
        script = next(url for url in loaded if url.endswith(".js"))
        answer = await client.get(script, headers={"Accept-Encoding": "gzip"})
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert answer.headers["content-encoding"] == "gzip"
        assert (await client.get("/docs")).headers["cache-control"] == "no-cache"

    async def test_an_unknown_file_is_a_problem_404(self, client: httpx.AsyncClient) -> None:
        answer = await client.get("/assets/graphiql-0.0.0/graphiql.min.js")
        assert_problem(answer, 404, "not-found")
        assert answer.headers["content-type"] == "application/problem+json"

    async def test_docs_and_files_are_not_operations_of_the_api(self, client: httpx.AsyncClient) -> None:
        paths = (await client.get("/openapi.json")).json()["paths"]
        assert not [p for p in paths if p.split("/")[1] in {"docs", "redoc", "assets"}]
