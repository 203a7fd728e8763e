"""Schemathesis over an app served on loopback: every check, anonymous and as an administrator, then the stateful
phase (sequences of calls along the links between operations, which schemathesis infers from the OpenAPI).

A finding is a server error, a status or media type the OpenAPI does not document, a response that does not match
its schema, or a documented header missing. Examples are bounded so each app's run stays well under a minute."""

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import BaseSchema
from schemathesis.generation.stateful.state_machine import APIStateMachine

EXAMPLES = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SCENARIOS = settings(
    max_examples=15, stateful_step_count=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
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


def call_and_check(case: schemathesis.Case[Any], base: str, admin: str) -> None:
    """Send `case` anonymously and as an administrator; every check applies to both answers."""
    case.call_and_validate(base_url=base)
    case.call_and_validate(base_url=base, headers={"Authorization": admin})


def run_scenarios(schema: BaseSchema, base: str, admin: str) -> None:
    """The stateful phase: an administrator's sequences of calls, each answer checked like the single calls."""
    machine: type[APIStateMachine] = schema.as_state_machine()

    class Scenarios(machine):  # type: ignore[valid-type, misc]
        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            return {"base_url": base, "headers": {"Authorization": admin}}

    Scenarios.run(settings=SCENARIOS)
