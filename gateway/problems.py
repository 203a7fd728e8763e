"""Expected failures as typed GraphQL results, and how every other error leaves the gateway.

A root field returns a union (`Unit | NotFound | Forbidden …`) carrying the service's problem details. Nested fields
raise; the error then carries an `extensions.code` a client can switch on. A service that does not answer is
`SERVICE_UNAVAILABLE` (its field is null, the rest of the data stays); anything unexpected is masked behind a
correlation id that is logged with the real error.
"""

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON

from kit.client import ServiceUnreachable, UpstreamProblem
from kit.problems import FieldError

log = logging.getLogger("thidua.gateway")

T = TypeVar("T")
R = TypeVar("R")


@strawberry.type(description="Both languages of a message")
class Messages:
    vi: str
    en: str


@strawberry.type(description="One fault in the input: a JSON pointer into the body sent to the service, or a parameter")
class FieldProblem:
    pointer: str | None
    parameter: str | None
    detail: str
    messages: Messages


@strawberry.interface(description="RFC 9457 problem details of the service that refused the request")
class Problem:
    type: str
    status_code: int = strawberry.field(description="the HTTP status the service answered (404, 409, 422 …)")
    detail: str
    messages: Messages
    errors: list[FieldProblem]
    extensions: JSON | None = strawberry.field(description="the other members of the problem document")


@strawberry.type(description="Nothing with this id (or not visible to you)")
class NotFound(Problem):
    pass


@strawberry.type(description="The input breaks a rule; `errors` point at the fields")
class ValidationProblem(Problem):
    pass


@strawberry.type(description="The resource changed or is in another state: read it again (409/412)")
class Conflict(Problem):
    pass


@strawberry.type(description="You may not do this (403), or you must sign in (401)")
class Forbidden(Problem):
    pass


_BY_STATUS: dict[int, type[NotFound | Forbidden | ValidationProblem | Conflict]] = {
    401: Forbidden,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: Conflict,
}
CODES = {
    400: "BAD_USER_INPUT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    412: "CONFLICT",
    413: "BAD_USER_INPUT",
    422: "BAD_USER_INPUT",
    428: "BAD_USER_INPUT",
}


def as_result(problem: UpstreamProblem) -> "Problems":
    """The typed result of a 4xx problem (anything else is not a caller's expected failure)."""
    cls = _BY_STATUS.get(problem.code, ValidationProblem)
    extra = dict(problem.extensions)
    extra.pop("request_id", None)
    return cls(
        type=problem.type,
        status_code=problem.code,
        detail=problem.detail.en,
        messages=Messages(vi=problem.detail.vi, en=problem.detail.en),
        errors=[_fault(f) for f in problem.errors],
        extensions=JSON(extra) if extra else None,
    )


def _fault(error: FieldError) -> FieldProblem:
    return FieldProblem(
        pointer=error.pointer,
        parameter=error.parameter,
        detail=error.detail.en,
        messages=Messages(vi=error.detail.vi, en=error.detail.en),
    )


Problems = NotFound | Forbidden | ValidationProblem | Conflict


async def attempt(call: Awaitable[T], convert: Callable[[T], R]) -> R | Problems:
    """Run one upstream call for a root field: its converted value, or the problem as a typed result."""
    try:
        value = await call
    except UpstreamProblem as problem:
        if problem.code >= 500:
            raise
        return as_result(problem)
    return convert(value)


def format_error(error: GraphQLError) -> dict[str, Any]:
    """The response entry of an error: upstream problems keep their code; the unexpected is masked."""
    original = error.original_error
    out: dict[str, Any] = dict(error.formatted)
    if original is None or isinstance(original, GraphQLError):
        return out  # syntax, validation, guards: already meant for the caller
    extensions: dict[str, Any]
    if isinstance(original, ServiceUnreachable):
        extensions = {"code": "SERVICE_UNAVAILABLE", "service": original.extensions.get("service")}
        out["message"] = "A service this field needs is unavailable / Dịch vụ cung cấp trường này không phản hồi"
    elif isinstance(original, httpx.InvalidURL) or (
        isinstance(original, UnicodeEncodeError) and original.encoding == "ascii"
    ):
        # the caller's value cannot travel in a service's URL or header (a control or non-ASCII character)
        extensions = {"code": "BAD_USER_INPUT"}
        out["message"] = (
            "A value cannot be passed on: it holds control or non-ASCII characters / "
            "Có giá trị không chuyển tiếp được: chứa ký tự điều khiển hoặc ngoài ASCII"
        )
    elif isinstance(original, UpstreamProblem) and original.code < 500:
        problem = as_result(original)
        extensions = {
            "code": CODES.get(original.code, "BAD_USER_INPUT"),
            "status": original.code,
            "type": original.type,
            "messages": {"vi": problem.messages.vi, "en": problem.messages.en},
        }
        if problem.errors:
            extensions["errors"] = [
                {"pointer": f.pointer, "parameter": f.parameter, "detail": f.detail} for f in problem.errors
            ]
        out["message"] = problem.detail
    else:
        correlation_id = uuid.uuid4().hex
        log.error("unexpected error in a resolver", exc_info=original, extra={"correlation_id": correlation_id})
        extensions = {"code": "INTERNAL_SERVER_ERROR", "correlation_id": correlation_id}
        out["message"] = "Unexpected error; quote the correlation id / Lỗi không mong muốn; hãy báo mã tương quan"
    out["extensions"] = extensions
    return out
