"""OpenAPI that tells the truth: each operation documents the problems it can answer, read from what it depends on.

FastAPI documents a route's success and its 422 only. The app factory calls `document_operations`, which reads every
route's dependencies and document and adds, as `application/problem+json` with the `Problem` schema:
- 401 where a bearer token is read (a bad token is refused even on a public read), 403 where a caller is read;
- 404 where the path, a query parameter or the body names a resource by id;
- 409 for writes the service checks (state conflicts, an Idempotency-Key still in progress);
- 412 and 428 where If-Match is read (documented as required); 400, 413 and 415 where a body is read;
- 422 where anything is read; 500 everywhere; 503 where the database, another service or the issuer is reached.
Public reads (an optional caller) carry no security requirement; operations that need a caller keep the bearer one.
A route adds a status that cannot be inferred with `responses=problems(...)`, and declares the media types of a
download with `**download(...)`. Two answers are kept in line with the document: a 405 lists every method of its
path, and a path segment documented as a uuid matches only a uuid.
"""

import uuid
from collections.abc import Iterator, Sequence
from typing import Any, cast, get_args

from fastapi import APIRouter, FastAPI, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security.base import SecurityBase
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.auth import AuthenticatedCaller, declared_roles
from kit.problems import PROBLEM_JSON
from kit.versioning import ExpectedVersion

_REF = "#/components/schemas/Problem"
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_REQUIRED_CALLER = get_args(AuthenticatedCaller)[1].dependency
_IF_MATCH = get_args(ExpectedVersion)[1].dependency

DESCRIPTIONS = {
    400: "The body cannot be read: not UTF-8, or not the declared media type (problem+json)",
    401: "No bearer token, or one that is not valid (problem+json; WWW-Authenticate: Bearer)",
    403: "The caller's roles or unit scope do not allow this (problem+json)",
    404: "No such resource, or none the caller may see (problem+json)",
    405: "The method is not allowed here (e.g. a GraphQL mutation by GET): see Allow (problem+json)",
    409: "Conflicts with the resource's current state, or the same Idempotency-Key is still in progress (problem+json)",
    412: "If-Match does not name the current version: reload and retry (problem+json with current_etag)",
    413: "The request body is over the size limit (problem+json)",
    415: "The body is not in a media type this operation reads (problem+json)",
    422: "Invalid input: `errors[]` point at the body member (`pointer`) or the parameter at fault (problem+json)",
    428: "If-Match is required: send the ETag of the version you read (problem+json)",
    500: "An unexpected fault: quote `request_id` to the administrator (problem+json)",
    503: "The database or a service this one depends on is unavailable: retry later (problem+json, Retry-After)",
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details, in Vietnamese or English by Accept-Language (`messages` has both).",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "stable URI of the kind of problem"},
        "title": {"type": "string", "description": "short summary of the kind of problem"},
        "status": {"type": "integer", "description": "the HTTP status"},
        "detail": {"type": "string", "description": "what went wrong in this request"},
        "messages": {
            "type": "object",
            "description": "`detail` in both languages",
            "properties": {
                "vi": {"type": "string", "description": "in Vietnamese"},
                "en": {"type": "string", "description": "in English"},
            },
        },
        "instance": {"type": "string", "description": "the request path"},
        "request_id": {"type": "string", "description": "the X-Request-ID of this request, for the logs"},
        "errors": {
            "type": "array",
            "description": "the faults in the request, each at a body member or a parameter",
            "items": {
                "type": "object",
                "required": ["detail"],
                "properties": {
                    "pointer": {"type": "string", "description": "JSON pointer into the body (`/items/3/value`)"},
                    "parameter": {"type": "string", "description": "name of the parameter or header at fault"},
                    "detail": {"type": "string", "description": "what is wrong there, in the language asked"},
                    "messages": {
                        "type": "object",
                        "description": "`detail` in both languages",
                        "properties": {
                            "vi": {"type": "string", "description": "in Vietnamese"},
                            "en": {"type": "string", "description": "in English"},
                        },
                    },
                },
            },
        },
    },
}

_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": '`Bearer realm="thidua"`', "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "seconds to wait before retrying", "schema": {"type": "string"}}},
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for statuses an operation answers that its dependencies do not show (e.g. a 404 for an id in
    the body); rendered as problem+json like the inferred ones."""
    return {status: {"description": DESCRIPTIONS[status]} for status in statuses}


def download(*media_types: str, description: str = "The file", links: dict[str, Any] | None = None) -> dict[str, Any]:
    """Route arguments (`@router.get(path, **download(DOCX))`) for an operation answering a file in one of
    `media_types` (JSON ones are documented as JSON, others as binary) instead of a JSON body; `links` are OpenAPI
    links from the answer to other operations."""
    content = {
        media: {"schema": {} if media.endswith("json") else {"type": "string", "format": "binary"}}
        for media in media_types
    }
    answer = {"description": description, "content": content} | ({"links": links} if links else {})
    return {"response_class": Response, "responses": {200: answer}}


def document_operations(app: FastAPI) -> None:
    """Complete the app's OpenAPI with each operation's problem responses, security and the `Problem` schema."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
            for route in api_routes(app):
                if route.include_in_schema:
                    for method in route.methods or ():
                        operation = schema["paths"][route.path_format][method.lower()]
                        _document(route, method, operation, schema["components"]["schemas"])
            for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422 shape, replaced by Problem
                schema["components"]["schemas"].pop(unused, None)
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]
    _match_uuids_only(app)
    app.add_middleware(AllowedMethods)


def _match_uuids_only(app: FastAPI) -> None:
    """A path segment documented as a uuid matches only a uuid, so `/units/import` is never `/units/{unit_id}`
    with a bad id (answered 422, or 428 for a PATCH without If-Match) but a path of its own (405 for PATCH);
    a segment that is no uuid is a path that does not exist (404)."""
    for route in _original_routes(app.router.routes):
        uuids = {p.name for p in route.dependant.path_params if p.field_info.annotation is uuid.UUID}
        for name in uuids:
            route.path = route.path.replace("{" + name + "}", "{" + name + ":uuid}")
        if uuids:  # APIRoute compiled the old path; included routes compile theirs when first used
            route.path_regex, route.path_format, route.param_convertors = compile_path(route.path)


def _original_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif isinstance(included := getattr(route, "original_router", None), APIRouter):
            yield from _original_routes(included.routes)


class AllowedMethods:
    """A 405 of routing lists in `Allow` every method its path has: Starlette lists only those of the first route
    that matched the path, which is one method here (each operation is a route of its own). A 405 the operation
    itself answers (a GraphQL mutation sent by GET) keeps the Allow it chose."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_allowed(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                routes = [r for r in api_routes(scope["app"]) if r.path_regex.match(scope["path"])]
                methods = sorted({method for route in routes for method in route.methods or ()})
                if scope["method"] not in methods:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                    message = {**message, "headers": [*headers, (b"allow", ", ".join(methods).encode())]}
            await send(message)

        await self.app(scope, receive, send_allowed)


def api_routes(app: FastAPI) -> Iterator[APIRoute]:
    """The app's operations as routes (FastAPI keeps an included router as one entry of `app.routes`)."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield cast(APIRoute, context)  # proxies the route, with the path and responses it has once included


def _document(route: APIRoute, method: str, operation: dict[str, Any], components: dict[str, Any]) -> None:
    dependencies = list(_walk(route.dependant))
    calls = [d.call for d in dependencies]
    reads_token = any(isinstance(call, SecurityBase) for call in calls)
    needs_caller = any(call is _REQUIRED_CALLER or declared_roles(call) is not None for call in calls)
    reads_if_match = _IF_MATCH in calls
    has_body = "requestBody" in operation
    reads_input = has_body or bool(operation.get("parameters"))
    reaches_state = len(dependencies) > 1 or any(d.request_param_name for d in dependencies)
    statuses = {500}
    statuses |= {401, 403} if reads_token else set()
    names_resource = any(_names_resource(p) for p in operation.get("parameters", []))
    body_schemas = [c.get("schema", {}) for c in operation.get("requestBody", {}).get("content", {}).values()]
    names_resource |= any(_holds_uuid(s, components, set()) for s in body_schemas)
    statuses |= {404} if names_resource else set()
    statuses |= {409} if method in _WRITES and len(dependencies) > 1 else set()  # a write the service checks
    statuses |= {412, 428} if reads_if_match else set()
    statuses |= {400, 413, 415} if has_body else set()
    statuses |= {422} if reads_input or method == "POST" else set()
    statuses |= {503} if reaches_state or reads_token else set()
    statuses |= {int(code) for code in route.responses if str(code).isdigit()} & DESCRIPTIONS.keys()  # problems()
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in sorted(statuses):
        declared = route.responses.get(status) or route.responses.get(str(status)) or {}
        responses[str(status)] = {
            "description": declared.get("description") or DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": _REF}}},
        } | ({"headers": _HEADERS[status]} if status in _HEADERS else {})
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
            parameter["required"] = True  # a write without it is answered 428 (RFC 6585), not performed
    if reads_token and not needs_caller:
        operation.pop("security", None)  # a public read: a token only widens what it shows


def _names_resource(parameter: dict[str, Any]) -> bool:
    """A path parameter, or a query parameter holding an id: an unknown one is a 404."""
    if parameter["in"] == "path":
        return True
    schema = parameter.get("schema", {})
    formats = {schema.get("format")} | {s.get("format") for s in schema.get("anyOf", [])}
    return parameter["in"] == "query" and "uuid" in formats


def _holds_uuid(schema: Any, components: dict[str, Any], seen: set[str]) -> bool:
    """Whether a body schema holds an id anywhere (following $refs once each): an unknown one is a 404."""
    if isinstance(schema, list):
        return any(_holds_uuid(s, components, seen) for s in schema)
    if not isinstance(schema, dict):
        return False
    if ref := schema.get("$ref"):
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return False
        seen.add(name)
        return _holds_uuid(components.get(name, {}), components, seen)
    return schema.get("format") == "uuid" or any(_holds_uuid(v, components, seen) for v in schema.values())


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    pending = [dependant]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(current.dependencies)
