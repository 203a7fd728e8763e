"""Abusive GraphQL requests are refused before anything runs, in bounded time, and the gateway keeps answering;
bad input is a 4xx or a clear GraphQL error, never an internal one."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
import pytest

from gateway.persisted import sha256
from tests.awards.factories import PROVINCE
from tests.gateway.conftest import Gateway, GatewayFactory
from tests.gateway.test_cost import fan_out
from tests.problems import assert_problem

PROBLEM_BASE = "https://thidua.vn/problems/"
SECONDS = 2  # generous: a refusal takes milliseconds; walking the paths of a fan-out took minutes
BODY_SECONDS = 5  # a 2 MB body: reading and decoding its JSON takes most of the 0.2 s such a refusal takes
ZERO = "00000000-0000-0000-0000-000000000000"
JSON = {"Content-Type": "application/json"}


async def timed(
    gateway: Gateway, payload: dict[str, Any], headers: dict[str, str] | None = None, seconds: float = SECONDS
) -> httpx.Response:
    """POST one request; it must be answered within `seconds` and without a call to any service."""
    body = orjson.dumps(payload)  # encoded before the clock: the client's time is not the gateway's
    started = time.perf_counter()
    response = await gateway.client.post("/graphql", content=body, headers=JSON | (headers or {}))
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, elapsed
    assert not gateway.calls, "refused before execution: no service was called"
    return response


async def still_answering(gateway: Gateway) -> None:
    body = (await gateway.client.post("/graphql", json={"query": "{ movements(first: 1) { nextCursor } }"})).json()
    assert body == {"data": {"movements": {"nextCursor": None}}} or "errors" not in body


def refused(response: httpx.Response, code: str) -> dict[str, Any]:
    """The GraphQL error refusing the request; its extensions."""
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == code, error
    extensions: dict[str, Any] = error["extensions"]
    return extensions


class TestTheFanOut:
    async def test_nine_fragments_each_spreading_the_next_ten_times_are_refused_at_once(self, gateway: Gateway) -> None:
        query = "{ ...F1 }\n" + fan_out()
        assert ":" not in query  # no alias
        extensions = refused(await timed(gateway, {"query": query}), "QUERY_TOO_COMPLEX")
        assert extensions["measure"] == "selections"
        assert extensions["value"] > 10**8
        assert extensions["limit"] == 400
        assert extensions["anonymous"] is True
        await still_answering(gateway)

    async def test_the_fan_out_through_unit_parents_is_refused_at_once(self, gateway: Gateway) -> None:
        query = f'{{ unit(id: "{PROVINCE}") {{ ... on Unit {{ ...F1 }} }} }}\n' + fan_out(on="Unit", field="parent")
        refused(await timed(gateway, {"query": query}), "QUERY_TOO_COMPLEX")
        await still_answering(gateway)

    async def test_a_refusal_is_an_answer_not_a_logged_fault(
        self, gateway: Gateway, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.WARNING):
            refused(await timed(gateway, {"query": "{ ...F1 }\n" + fan_out()}), "QUERY_TOO_COMPLEX")
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []

    async def test_a_signed_in_caller_is_refused_too(self, gateway: Gateway, token_for: Any) -> None:
        response = await timed(gateway, {"query": "{ ...F1 }\n" + fan_out()}, token_for("tdkt.snv"))
        assert refused(response, "QUERY_TOO_COMPLEX")["anonymous"] is False


def _variables(items: int) -> dict[str, Any]:
    query = "mutation($p: UUID!, $items: [ValueInput!]!) { submitValues(periodId: $p, items: $items) { __typename } }"
    return {"query": query, "variables": {"p": ZERO, "items": [{"indicatorCode": "x"}] * items}}


def _nested_variables(depth: int) -> dict[str, Any]:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return {"query": "query($q: [String!]) { movements { nextCursor } }", "variables": {"q": value}}


def _comment_padded(size: int) -> dict[str, Any]:
    return {"query": "# " + "x" * size + "\n{ movements { nextCursor } }"}


def _aliases(n: int) -> dict[str, Any]:
    return {"query": "{ " + " ".join(f"a{i}: movements {{ nextCursor }}" for i in range(n)) + " }"}


def _aliases_in_fragments() -> dict[str, Any]:
    """Five aliases in a fragment spread under six aliased fields: 36 aliases, eleven written."""
    spreads = " ".join(f'f{i}: unit(id: "{ZERO}") {{ ... on Unit {{ ...A }} }}' for i in range(6))
    return {"query": f"{{ {spreads} }} fragment A on Unit {{ a: id b: name c: kind d: level e: version }}"}


def _deep(levels: int) -> dict[str, Any]:
    nested = "id"
    for _ in range(levels):
        nested = f"parent {{ {nested} }}"
    return {"query": f'{{ unit(id: "{PROVINCE}") {{ ... on Unit {{ {nested} }} }} }}'}


def _chain(n: int) -> dict[str, Any]:
    chain = "".join(f" fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(n))
    return {"query": "{ ...F0 }" + chain + f" fragment F{n} on Query {{ __typename }}"}


# name, request, and what refuses it: a GraphQL error's code, or a problem's status and type
ABUSIVE: list[tuple[str, Callable[[], dict[str, Any]], str | tuple[int, str]]] = [
    ("fragment cycle", lambda: {"query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"}, ""),
    ("fragment chain 300 long", lambda: _chain(300), "QUERY_TOO_DEEP"),
    ("twenty levels deep", lambda: _deep(20), "QUERY_TOO_DEEP"),
    ("250 levels deep", lambda: _deep(250), ""),  # the parser's own nesting limit: a syntax error
    ("alias flood", lambda: _aliases(100), "QUERY_TOO_COMPLEX"),
    ("aliases multiplied by fragments", _aliases_in_fragments, "QUERY_TOO_COMPLEX"),
    ("one field 200 times", lambda: {"query": "{" + " movements { nextCursor }" * 200 + " }"}, "QUERY_TOO_COMPLEX"),
    ("wide fan-out", lambda: {"query": "{ ...F1 }\n" + fan_out(4, 10)}, "QUERY_TOO_COMPLEX"),
    (
        "pages within pages",
        lambda: {"query": "{ units(first: 100) { items { children { children { children { id } } } } } }"},
        "QUERY_TOO_COMPLEX",
    ),
    ("4,000 tokens", lambda: {"query": "{" + " a" * 4000 + " }"}, ""),
    ("comment-padded 50 kB", lambda: _comment_padded(50_000), (413, "payload-too-large")),
    ("comment-padded 8 MB", lambda: _comment_padded(8 * 1024 * 1024), (413, "payload-too-large")),
    ("100,000 variables", lambda: _variables(100_000), (413, "payload-too-large")),
    ("variables nested 200 deep", lambda: _nested_variables(200), (400, "bad-graphql-request")),
    (
        "a 100 kB variable",
        lambda: {"query": "{ __typename }", "variables": {"q": "x" * 100_000}},
        (413, "payload-too-large"),
    ),
]


class TestAbusiveDocuments:
    @pytest.mark.parametrize(("name", "request_", "refusal"), ABUSIVE, ids=[a[0] for a in ABUSIVE])
    async def test_each_is_refused_in_bounded_time_before_any_call(
        self,
        gateway: Gateway,
        name: str,
        request_: Callable[[], dict[str, Any]],
        refusal: str | tuple[int, str],
    ) -> None:
        response = await timed(gateway, request_(), seconds=BODY_SECONDS if "variables" in name else SECONDS)
        if isinstance(refusal, tuple):
            assert_problem(response, *refusal)
        elif refusal:
            refused(response, refusal)
        else:  # refused by the parser or the spec's rules: an error without data
            body = response.json()
            assert response.status_code == 200
            assert body["data"] is None
            assert body["errors"]
        await still_answering(gateway)

    async def test_100000_items_in_a_mutation_are_refused_before_coercion_even_signed_in(
        self, gateway: Gateway, token_for: Any
    ) -> None:
        anonymous = assert_problem(
            await timed(gateway, _variables(100_000), seconds=BODY_SECONDS), 413, "payload-too-large"
        )
        assert anonymous["limit"] == 1000
        signed_in = await timed(gateway, _variables(100_000), token_for("baocao.honggai"), seconds=BODY_SECONDS)
        assert assert_problem(signed_in, 413, "payload-too-large")["limit"] == 100_000

    async def test_a_query_over_the_anonymous_size_is_not_registered_as_persisted(self, gateway: Gateway) -> None:
        query = _comment_padded(30_000)["query"]
        ext = {"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}}
        assert_problem(await timed(gateway, {"query": query, "extensions": ext}), 413, "payload-too-large")
        assert len(gateway.app.state.graphql.persisted.registered) == 0


class TestCallers:
    async def test_a_signed_in_caller_may_go_deeper_than_an_anonymous_one(
        self, gateway: Gateway, token_for: Any
    ) -> None:
        query = _deep(9)  # unit, nine parents, id: eleven levels
        extensions = refused(await timed(gateway, query), "QUERY_TOO_DEEP")
        assert (extensions["value"], extensions["limit"], extensions["anonymous"]) == (11, 10, True)
        body = (await gateway.client.post("/graphql", json=query, headers=token_for("tdkt.snv"))).json()
        assert "errors" not in body
        assert body["data"]["unit"]["parent"] is None  # the province is the root


class TestBadInput:
    async def test_a_non_ascii_idempotency_key_is_a_422_naming_the_header(
        self, gateway: Gateway, token_for: Any
    ) -> None:
        headers = [(k.encode(), v.encode()) for k, v in token_for("lanhdao.honggai").items()]
        headers.append((b"idempotency-key", "khóa-1".encode()))
        response = await gateway.client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
        body = assert_problem(response, 422, "invalid-input")
        assert body["errors"][0]["parameter"] == "Idempotency-Key"
        assert not gateway.calls

    async def test_a_non_ascii_idempotency_argument_is_a_user_error(self, gateway: Gateway, token_for: Any) -> None:
        mutation = f"""mutation {{ register(movementId: "{ZERO}", input: {{unitId: "{ZERO}"}}, idempotencyKey: "khóa")
            {{ __typename }} }}"""
        body = (await gateway.client.post("/graphql", json={"query": mutation}, headers=token_for("tdkt.snv"))).json()
        [error] = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "idempotencyKey"}
        assert not gateway.calls

    async def test_control_characters_in_ids_and_codes_are_never_internal_errors(
        self, gateway: Gateway, token_for: Any
    ) -> None:
        review = f"""mutation($code: String!) {{ reviewValue(periodId: "{ZERO}", unitId: "{ZERO}",
            indicatorCode: $code, input: {{action: ACCEPT}}, version: 1) {{ __typename }} }}"""
        office = token_for("tdkt.snv")
        for code in ("a\nb\x00", "../../../movements", "chỉ-số\x7f"):
            body = (
                await gateway.client.post(
                    "/graphql", json={"query": review, "variables": {"code": code}}, headers=office
                )
            ).json()
            assert body["data"]["reviewValue"]["__typename"] in {"NotFound", "ValidationProblem"}, body
        unit = "query($id: UUID!) { unit(id: $id) { __typename } }"
        body = (
            await gateway.client.post("/graphql", json={"query": unit, "variables": {"id": ZERO[:-1] + "\x00"}})
        ).json()
        assert body["data"] is None
        assert "UUID" in body["errors"][0]["message"]
        assert "INTERNAL_SERVER_ERROR" not in str(body)

    @pytest.mark.parametrize(
        ("payload", "pointer"),
        [
            ({"query": "{ __typename }", "operationName": 5}, "/operationName"),
            ({"query": "{ __typename }", "operationName": ["a"]}, "/operationName"),
            ({"query": 5}, "/query"),
            ({"query": "{ __typename }", "variables": [1]}, "/variables"),
        ],
    )
    async def test_a_malformed_request_is_a_400(self, gateway: Gateway, payload: dict[str, Any], pointer: str) -> None:
        body = assert_problem(await gateway.client.post("/graphql", json=payload), 400, "bad-graphql-request")
        assert body["errors"][0]["pointer"] == pointer

    async def test_a_mutation_by_get_is_a_405(self, gateway: Gateway) -> None:
        mutation = f'mutation {{ closeCouncil(id: "{ZERO}", version: 1) {{ __typename }} }}'
        response = await gateway.client.get("/graphql", params={"query": mutation})
        assert_problem(response, 405, "mutation-by-get")
        assert response.headers["allow"] == "POST"
        assert not gateway.calls

    async def test_an_unknown_operation_name_is_a_graphql_error(self, gateway: Gateway) -> None:
        payload = {"query": "query A { __typename }", "operationName": "C"}
        refused(await timed(gateway, payload), "OPERATION_RESOLUTION_FAILURE")


@asynccontextmanager
async def silent_service() -> AsyncIterator[str]:
    """A service that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for writer in held:
            writer.close()
        server.close()


class TestTimeBudget:
    async def test_a_request_over_its_time_budget_gets_a_clear_error(self, gateway_for: GatewayFactory) -> None:
        async with silent_service() as url, gateway_for(registry_url=url, anonymous_execution_seconds=0.5) as gw:
            started = time.perf_counter()
            response = await gw.client.post("/graphql", json={"query": "{ movements { nextCursor } }"})
            assert time.perf_counter() - started < 0.5 + SECONDS
        extensions = refused(response, "QUERY_TIMEOUT")
        assert extensions["limit"] == 0.5
