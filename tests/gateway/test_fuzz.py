"""Schemathesis over the gateway: its REST surface (open data, health, the GraphQL routes) by its OpenAPI, and its
GraphQL schema by the committed SDL, with every check and the stateful phase; no server error, no undocumented
status or media type, no GraphQL error that is the server's fault. The gateway runs on loopback in front of the
three live services (with the demo data)."""

from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from gateway.app import create_app
from gateway.graphql import SCHEMA_FILE
from gateway.settings import GatewaySettings
from tests.fuzz import CONFIG, EXAMPLES, call_and_check, openapi_of, run_scenarios

schema = openapi_of(create_app(GatewaySettings()))

# The gateway's own scalars beyond those schemathesis knows (Date, DateTime, UUID).
schemathesis.graphql.scalar("Decimal", st.decimals(-(10**6), 10**6, places=2).map(str).map(nodes.String))
schemathesis.graphql.scalar("JSON", st.just(nodes.Object([])))
graphql = schemathesis.graphql.from_file(SCHEMA_FILE.read_text(), config=CONFIG)


@schema.parametrize()
@EXAMPLES
def test_rest_operations_answer_as_documented(case: schemathesis.Case[Any], live_gateway: tuple[str, str]) -> None:
    call_and_check(case, *live_gateway)


def test_rest_scenarios_answer_as_documented(live_gateway: tuple[str, str]) -> None:
    run_scenarios(schema, *live_gateway)


@graphql.parametrize()
@EXAMPLES
def test_graphql_fields_answer_without_server_errors(
    case: schemathesis.Case[Any], live_gateway: tuple[str, str]
) -> None:
    base, admin = live_gateway
    call_and_check(case, base + "/graphql", admin)
