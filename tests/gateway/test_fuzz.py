"""Schemathesis over the gateway: its REST surface (open data, health) by its OpenAPI, and its GraphQL schema by the
committed SDL, with every check: no server error, no undocumented status or media type, no GraphQL error that is
the server's fault. The stateful phase runs over the REST surface (open-data links); GraphQL has none to run, as
schemathesis needs mutations returning objects with an `id` and ours return typed unions. The gateway runs on
loopback in front of the three live services (with the demo data)."""

from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from gateway.app import create_app
from gateway.graphql import SCHEMA_FILE
from gateway.settings import GatewaySettings
from tests.fuzz import CONFIG, EXAMPLES, call_and_check, call_and_check_graphql, openapi_of, run_scenarios

# /graphql answers a GraphQL error in a 200 body (GraphQL over HTTP with application/json), so it is fuzzed by its
# GraphQL schema below rather than as a REST operation.
schema = openapi_of(create_app(GatewaySettings())).exclude(path="/graphql")

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
    call_and_check_graphql(case, base + "/graphql", admin)
