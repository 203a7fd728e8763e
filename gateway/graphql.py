"""POST/GET /graphql: the request's checks, persisted queries, the caller's token, one schema execution within a
time budget, an orjson response."""

import asyncio
from pathlib import Path
from typing import Any

import orjson
import strawberry
from fastapi import APIRouter, Request
from fastapi.responses import Response
from graphql import GraphQLError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from gateway.admission import BadRequest, MutationByGet, check_request, idempotency_key_fault
from gateway.context import Context
from gateway.guards import QueryGuard
from gateway.persisted import PersistedQueries, PersistedQueryError
from gateway.problems import format_error
from gateway.schema import Mutation, Query
from gateway.settings import GatewaySettings
from kit.apidocs import graphiql_page
from kit.caching import OPEN_DATA_AND_PERSONAL, cache, remember
from kit.openapi import problems
from kit.problems import FieldError, InvalidInput, Text

JSON = "application/json"


class _Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Logs nothing: the caller's errors (syntax, limits, refusals) are answers, not faults, and every
        unexpected one is logged with its correlation id when it is formatted (`format_error`)."""


def build_schema(settings: GatewaySettings, guard: QueryGuard | None = None) -> strawberry.Schema:
    guard = guard or QueryGuard(settings)
    return _Schema(query=Query, mutation=Mutation, extensions=[guard.extension()])


SCHEMA_FILE = Path(__file__).parent / "schema.graphql"


def sdl() -> str:
    """The schema in GraphQL SDL, as exported to gateway/schema.graphql for integrators."""
    return build_schema(GatewaySettings()).as_str() + "\n"


# What the two routes read by hand, for the OpenAPI document (the GraphQL schema itself is gateway/schema.graphql).
_REQUEST = {
    "type": "object",
    "properties": {
        "query": {"type": "string", "description": "the GraphQL document"},
        "operationName": {"type": ["string", "null"]},
        "variables": {"type": ["object", "null"]},
        "extensions": {"type": ["object", "null"], "description": "`persistedQuery` (automatic persisted queries)"},
    },
}
_RESULT = {"description": "`data` and `errors` of the GraphQL execution", "content": {JSON: {"schema": {}}}}
_RESULT_OR_PAGE = _RESULT | {"content": {JSON: {"schema": {}}, "text/html": {"schema": {"type": "string"}}}}
_POST = {"requestBody": {"required": True, "content": {JSON: {"schema": _REQUEST}}}}
_GET = {
    "parameters": [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": what}
        for name, what in (
            ("query", "the GraphQL document (queries only)"),
            ("operationName", "the operation to run"),
            ("variables", "variables as JSON"),
            ("extensions", "extensions as JSON (persisted queries)"),
        )
    ]
}


def _json(payload: dict[str, Any], status: int = 200) -> Response:
    """A GraphQL answer; one with errors (a service down, a persisted query not yet known) is never kept by a cache,
    whatever the operation's policy (kit.caching) would let a CDN keep."""
    headers = {"Cache-Control": "no-store"} if payload.get("errors") else None
    return Response(orjson.dumps(payload), status_code=status, media_type=JSON, headers=headers)


def _error(code: str, message: str, **extensions: Any) -> Response:
    """A request refused before execution, as GraphQL errors (GraphQL-over-HTTP: status 200 with application/json)."""
    return _json({"data": None, "errors": [{"message": message, "extensions": {"code": code, **extensions}}]})


class GraphQL:
    """The endpoint's state: its schema, the guard with its query cache, and the persisted queries."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.guard = QueryGuard(settings)
        self.schema = build_schema(settings, self.guard)
        self.persisted = PersistedQueries(
            settings.persisted_cache_size,
            settings.persisted_cache_bytes,
            anonymous_only_known=settings.persisted_only_anonymous,
        )

    async def run(self, request: Request, data: dict[str, Any], *, allow_mutations: bool) -> Response:
        settings = self.settings
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        if token:
            await request.app.state.verifier.verify(token)  # a bad token is a 401, not an anonymous request
        check_request(data, settings, anonymous=token is None)
        key = request.headers.get("idempotency-key")
        if key is not None and (fault := idempotency_key_fault(key)) is not None:
            raise InvalidInput(fault, errors=[FieldError(fault, parameter="Idempotency-Key")])
        extensions = data.get("extensions")
        try:
            query = self.persisted.resolve(
                data.get("query"), extensions if isinstance(extensions, dict) else None, anonymous=token is None
            )
        except PersistedQueryError as exc:
            return _json({"errors": [{"message": str(exc), "extensions": {"code": exc.code}}]})
        context = Context.build(settings, request.app.state.http, token, key)
        allowed = None if allow_mutations else (OperationType.QUERY,)
        seconds = settings.execution_seconds if token else settings.anonymous_execution_seconds
        try:
            async with asyncio.timeout(seconds):
                result = await self.schema.execute(
                    query,
                    variable_values=data.get("variables"),
                    context_value=context,
                    operation_name=data.get("operationName"),
                    allowed_operation_types=allowed,
                )
        except InvalidOperationTypeError as exc:
            raise MutationByGet() from exc
        except CannotGetOperationTypeError as exc:
            return _error("OPERATION_RESOLUTION_FAILURE", exc.as_http_error_reason())
        except TimeoutError:
            return _error(
                "QUERY_TIMEOUT",
                f"The request ran out of its {seconds:g} s budget; a mutation may have been applied: retry it "
                f"with the same Idempotency-Key / Yêu cầu vượt quá {seconds:g} giây cho phép; mutation có thể đã "
                "được thực hiện: hãy gửi lại với cùng Idempotency-Key",
                limit=seconds,
            )
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [format_error(e) for e in result.errors]
        return _json(payload)

    def router(self) -> APIRouter:
        settings, run = self.settings, self.run
        api = APIRouter(tags=["graphql"])

        @api.post(
            "/graphql",
            summary="GraphQL (queries and mutations; automatic persisted queries)",
            response_class=Response,
            responses={200: _RESULT, **problems(400, 401, 413)},
            openapi_extra=_POST,
        )
        async def post(request: Request) -> Response:
            try:
                data = orjson.loads(await request.body())
            except orjson.JSONDecodeError as exc:
                raise BadRequest.at("", Text("Thân yêu cầu không phải JSON", "The body is not JSON")) from exc
            if not isinstance(data, dict):
                raise BadRequest.at(
                    "", Text("Thân yêu cầu phải là một đối tượng JSON", "The body must be a JSON object")
                )
            return await run(request, data, allow_mutations=True)

        @api.get(
            "/graphql",
            summary="GraphiQL in a browser; queries (not mutations) by URL parameters",
            response_class=Response,
            responses={200: _RESULT_OR_PAGE, **problems(400, 401, 405, 413)},
            openapi_extra=_GET,
        )
        @cache(OPEN_DATA_AND_PERSONAL)
        async def get(request: Request) -> Response:
            params = request.query_params
            if "query" not in params and "extensions" not in params:
                if settings.graphiql and "text/html" in request.headers.get("accept", ""):
                    page = graphiql_page(request, "thidua — GraphiQL")
                    page.headers["Vary"] = "Accept"  # the same URL answers a problem to a client asking for JSON
                    return page
                raise BadRequest.at("/query", Text("Thiếu tham số query", "The query parameter is missing"))
            if "extensions" in params and "authorization" not in request.headers:
                remember(request)  # an anonymous persisted query: the process answers its repeats as a CDN would
            data: dict[str, Any] = {"query": params.get("query"), "operationName": params.get("operationName")}
            for name in ("variables", "extensions"):
                if raw := params.get(name):
                    try:
                        data[name] = orjson.loads(raw)
                    except orjson.JSONDecodeError as exc:
                        raise BadRequest.at("/" + name, Text(f"{name} không phải JSON", f"{name} is not JSON")) from exc
            return await run(request, data, allow_mutations=False)

        return api
