"""What a GraphQL request must be before the schema sees it, checked in the route before anything is parsed.

Strawberry coerces variables before any resolver runs, so before any service can refuse the caller: 100,000 list
items took seconds of the one event loop. So the variables are measured first, by a walk that stops at the limit,
and the query text by its bytes. A request that is not a well-formed GraphQL-over-HTTP request (a query or
operation name that is not a string, variables that are not an object, a mutation by GET) is a 4xx problem, never a
GraphQL error from deep inside, and never an internal one.
"""

from typing import Any

import orjson

from gateway.settings import GatewaySettings
from kit.http import MAX_KEY_LENGTH
from kit.problems import FieldError, PayloadTooLarge, Problem, Text


class BadRequest(Problem):
    status = 400
    slug = "bad-graphql-request"
    title = Text("Yêu cầu GraphQL không hợp lệ", "Not a well-formed GraphQL request")

    @classmethod
    def at(cls, pointer: str, detail: Text) -> "BadRequest":
        return cls(detail, errors=[FieldError(detail, pointer=pointer)])


class MutationByGet(Problem):
    status = 405
    slug = "mutation-by-get"
    title = Text("Phải gửi mutation bằng POST", "Mutations must be sent by POST")

    def __init__(self) -> None:
        super().__init__(
            Text(
                "GET chỉ chạy được truy vấn (query); hãy gửi mutation bằng POST",
                "GET runs queries only; send a mutation by POST",
            ),
            headers={"Allow": "POST"},
        )


BYTES, VALUES = Text("byte", "bytes"), Text("giá trị", "values")


def _too_large(what: Text, limit: int, unit: Text, anonymous: bool) -> PayloadTooLarge:
    hint = Text(" (người dùng đã đăng nhập có giới hạn cao hơn)", " (signed-in callers have a higher limit)")
    detail = Text(
        f"{what.vi} vượt quá giới hạn {limit} {unit.vi}" + (hint.vi if anonymous else ""),
        f"{what.en} exceeds the limit of {limit} {unit.en}" + (hint.en if anonymous else ""),
    )
    return PayloadTooLarge(detail, limit=limit)


def check_request(data: dict[str, Any], settings: GatewaySettings, *, anonymous: bool) -> None:
    """Refuse, with a problem, a request whose fields have the wrong types or are over the caller's limits."""
    query, name, variables = data.get("query"), data.get("operationName"), data.get("variables")
    if query is not None and not isinstance(query, str):
        raise BadRequest.at("/query", Text("`query` phải là một chuỗi", "`query` must be a string"))
    if name is not None and not isinstance(name, str):
        detail = Text("`operationName` phải là một chuỗi", "`operationName` must be a string")
        raise BadRequest.at("/operationName", detail)
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest.at("/variables", Text("`variables` phải là một đối tượng", "`variables` must be an object"))
    limit = settings.document_bytes(anonymous=anonymous)
    if query is not None and len(query) > limit // 4 and len(query.encode()) > limit:  # cheap test first
        raise _too_large(Text("Truy vấn", "The query"), limit, BYTES, anonymous)
    if variables:
        check_variables(variables, settings, anonymous=anonymous)


def check_variables(variables: dict[str, Any], settings: GatewaySettings, *, anonymous: bool) -> None:
    """Count the JSON values of `variables` and their nesting, stopping at the limit, then their bytes."""
    most = settings.anonymous_max_variable_values if anonymous else settings.max_variable_values
    deepest = settings.max_variables_depth
    count = 1
    stack: list[tuple[Any, int]] = [(variables, 1)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > deepest:
            raise BadRequest.at(
                "/variables",
                Text(f"`variables` lồng sâu quá {deepest} mức", f"`variables` nest deeper than {deepest} levels"),
            )
        count += len(value)  # counted before walking into them, so a long list is refused at once
        if count > most:
            raise _too_large(Text("`variables`", "`variables`"), most, VALUES, anonymous)
        stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    limit = settings.anonymous_max_variables_bytes if anonymous else settings.max_variables_bytes
    if len(orjson.dumps(variables)) > limit:
        raise _too_large(Text("`variables`", "`variables`"), limit, BYTES, anonymous)


def idempotency_key_fault(key: str) -> Text | None:
    """Why an Idempotency-Key cannot be passed on in a header (it must be visible ASCII), or None."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        return Text(
            f"Idempotency-Key phải gồm 1 đến {MAX_KEY_LENGTH} ký tự ASCII in được",
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters",
        )
    return None
