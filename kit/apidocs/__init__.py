"""API docs that work with no way out to the internet: Swagger UI (`/docs`), ReDoc (`/redoc`) and the GraphiQL page,
from files each app serves itself under `/assets/<bundle>/`.

Swagger UI and ReDoc come from the `fastapi-offline` wheel (kept current with swagger-ui-dist 5 and redoc 2);
GraphiQL and React are vendored under `vendor/` (its README names versions, sources, licences and checksums).
A bundle's URL carries its version, so browsers keep its files a year without asking again; the pages themselves
are revalidated on every load so an upgrade shows at once. The pages' Content-Security-Policy lets a browser fetch
nothing from another host: ReDoc's footer would load its vendor's logo, and a page must not hang on a closed
network (or tell a vendor who reads the docs)."""

import html
import os
from importlib import metadata, resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.routing import Mount, Router
from starlette.staticfiles import PathLike
from starlette.types import Scope

ASSETS = "/assets"
OFFLINE = f"fastapi-offline-{metadata.version('fastapi-offline')}"  # its static/ holds Swagger UI, ReDoc, a favicon
_HERE = Path(__file__).parent
BUNDLES: dict[str, Path] = {
    OFFLINE: Path(str(resources.files("fastapi_offline") / "static")),
    **{bundle.name: bundle for bundle in sorted((_HERE / "vendor").iterdir()) if bundle.is_dir()},
}
# 'unsafe-inline': the pages' own boot scripts and the UIs' inline styles; blob: ReDoc's search worker;
# 'unsafe-eval': the JSON-schema validator in ReDoc's bundle (ajv) compiles code with `new Function`.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
PAGE_HEADERS = {"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-cache"}
_GRAPHIQL = (_HERE / "graphiql.html").read_text(encoding="utf-8")


class _VersionedFiles(StaticFiles):
    """Files whose URL changes with their content: cached for a year, never revalidated."""

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def install(app: FastAPI) -> None:
    """Serve `/docs`, `/redoc` and `/assets/…`: public, and not operations of the API (absent from its OpenAPI).

    The app must be built with `docs_url=None, redoc_url=None` (FastAPI's own pages load their files from CDNs)."""
    # gzip level 6: GraphiQL's 3.5 MB script leaves as 0.73 MB, as at level 9, in half the time.
    bundles = [
        Mount(f"/{name}", app=GZipMiddleware(_VersionedFiles(directory=path), compresslevel=6))
        for name, path in BUNDLES.items()
    ]
    app.mount(ASSETS, Router(bundles), name="assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root(request)
        page = get_swagger_ui_html(
            openapi_url=root + str(app.openapi_url),
            title=f"{app.title} — Swagger UI",
            swagger_js_url=f"{root}{ASSETS}/{OFFLINE}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/{OFFLINE}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/{OFFLINE}/favicon.png",
            # validatorUrl: Swagger UI would otherwise show a badge fetched from its public validator.
            swagger_ui_parameters={"validatorUrl": None, **(app.swagger_ui_parameters or {})},
        )
        page.headers.update(PAGE_HEADERS)
        return page

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = _root(request)
        page = get_redoc_html(
            openapi_url=root + str(app.openapi_url),
            title=f"{app.title} — ReDoc",
            redoc_js_url=f"{root}{ASSETS}/{OFFLINE}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS}/{OFFLINE}/favicon.png",
            with_google_fonts=False,  # the system's fonts, which also carry Vietnamese
        )
        page.headers.update(PAGE_HEADERS)
        return page


def graphiql_page(request: Request, title: str) -> HTMLResponse:
    """GraphiQL for the GraphQL endpoint at the request's own URL (strawberry's page loads it from a CDN)."""
    page = _GRAPHIQL.replace("__ASSETS__", _root(request) + ASSETS).replace("__OFFLINE__", OFFLINE)
    return HTMLResponse(page.replace("__TITLE__", html.escape(title)), headers=PAGE_HEADERS)


def _root(request: Request) -> str:
    """The path prefix a proxy serves the app under (`--root-path`), so the pages' links work behind it."""
    scope: Scope = request.scope
    return str(scope.get("root_path", "")).rstrip("/")
