"""The gateway: GraphQL over the three services and the open-data surface. It keeps no data of its own."""

import asyncio

from fastapi import FastAPI

import kit.app
from gateway import graphql
from gateway.opendata.endpoints import router as opendata_router
from gateway.settings import GatewaySettings
from kit.problems import ServiceUnavailable, Text


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    async def ready(app: FastAPI) -> None:
        """Ready when the three services answer their own readiness check."""
        urls = [settings.registry_url, settings.scoring_url, settings.awards_url]
        answers = await asyncio.gather(
            *(app.state.http.get(url.rstrip("/") + "/readyz") for url in urls), return_exceptions=True
        )
        down = [u for u, a in zip(urls, answers, strict=True) if isinstance(a, BaseException) or a.status_code != 200]
        if down:
            raise ServiceUnavailable(
                Text("Có dịch vụ không sẵn sàng", "A service behind the gateway is not ready"), services=down
            )

    endpoint = graphql.GraphQL(settings)
    app = kit.app.create_app(
        settings,
        title="thidua gateway",
        description=(
            "One GraphQL API over the registry, scoring and awards services (`/graphql`, GraphiQL in a browser), "
            "and anonymous open data (`/open-data`): published rankings, published decisions and the unit directory "
            "in JSON or CSV."
        ),
        routers=[endpoint.router(), opendata_router],
        readiness=ready,
    )
    app.state.graphql = endpoint
    return app
