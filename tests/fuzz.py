"""Schemathesis over an app served on loopback: every check, anonymous and as an administrator, then the stateful
phase (sequences of calls along the links between operations, which schemathesis infers from the OpenAPI).

A finding is a server error, a status or media type the OpenAPI does not document, a response that does not match
its schema, or a documented header missing. Examples are bounded so each app's run stays well under a minute."""

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import BaseSchema, CheckContext, Response, checks
from schemathesis.generation.stateful.state_machine import APIStateMachine

SERVER_ERROR = "INTERNAL_SERVER_ERROR"  # the gateway's code for a masked unexpected failure (gateway/problems.py)
EXAMPLES = settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SCENARIOS = settings(
    max_examples=10, stateful_step_count=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


# Every check runs with its defaults but two, whose premise does not hold for a domain API:
# - schema-valid data may still break a rule no schema states (a page cursor that is not ours, a date range the
#   wrong way round, a write to a stale version, an upload that is no spreadsheet): 412, 415 and 422 answer it;
# - an If-Match that names no version is refused with 412, which a schema cannot state;
# - a missing If-Match is answered 428 Precondition Required (RFC 6585), the status made for it.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "412", "415", "422"]},
            "negative_data_rejection": {
                "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "412", "415", "422", "428"]
            },
            "missing_required_header": {"expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]},
        }
    }
)


def openapi_of(app: FastAPI) -> BaseSchema:
    """The app's own OpenAPI document as schemathesis loads it."""
    return schemathesis.openapi.from_dict(app.openapi(), config=CONFIG)


def graphql_server_error(ctx: CheckContext, response: Response, case: schemathesis.Case[Any]) -> bool | None:
    """A GraphQL answer is the server's fault when its status is 5xx or an error is INTERNAL_SERVER_ERROR.

    Replaces `not_a_server_error` for GraphQL, which takes every labelled error it does not know (NOT_FOUND,
    FORBIDDEN, CONFLICT, UNAUTHENTICATED, SERVICE_UNAVAILABLE: the gateway's codes for a service's 4xx and for an
    upstream outage) for a server error."""
    body = response.json() if response.status_code < 500 else None
    errors = body.get("errors") or [] if isinstance(body, dict) else []
    masked = [e for e in errors if isinstance(e, dict) and (e.get("extensions") or {}).get("code") == SERVER_ERROR]
    if response.status_code >= 500 or masked:
        raise AssertionError(f"GraphQL server error ({response.status_code}): {masked or response.text[:500]}")
    return None


# For GraphQL: the checks that judge errors in a 200 body are replaced by the one above. Positive data (typed by
# the GraphQL schema) still meets the services' rules (`first` at least 1, a year from 2000, cursors), answered as
# BAD_USER_INPUT errors, which `positive_data_acceptance` would count as refusals of valid input.
GRAPHQL_EXCLUDED = [checks.not_a_server_error, checks.positive_data_acceptance]


def call_and_check(case: schemathesis.Case[Any], base: str, admin: str) -> None:
    """Send `case` as an administrator, and anonymously too if it is a public read (no security requirement: an
    operation that has one answers an anonymous call 401 before reading anything, which `ignored_auth` checks);
    every check applies to each answer."""
    if not case.operation.definition.raw.get("security"):
        case.call_and_validate(base_url=base)
    case.call_and_validate(base_url=base, headers={"Authorization": admin})


def call_and_check_graphql(case: schemathesis.Case[Any], endpoint: str, admin: str) -> None:
    """`call_and_check` for a GraphQL `case` sent to `endpoint`."""
    for headers in ({}, {"Authorization": admin}):  # GraphQL has no security requirement to tell public fields
        case.call_and_validate(
            base_url=endpoint,
            headers=headers,
            excluded_checks=GRAPHQL_EXCLUDED,
            additional_checks=[graphql_server_error],
        )


def run_scenarios(schema: BaseSchema, base: str, admin: str) -> None:
    """The stateful phase: an administrator's sequences of calls, each answer checked like the single calls."""
    machine: type[APIStateMachine] = schema.as_state_machine()

    class Scenarios(machine):  # type: ignore[valid-type, misc]
        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            return {"base_url": base, "headers": {"Authorization": admin}}

    Scenarios.run(settings=SCENARIOS)
