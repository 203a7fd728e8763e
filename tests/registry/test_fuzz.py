"""Schemathesis over the registry's OpenAPI with every check and the stateful phase: no server error, no status
or media type the OpenAPI does not document. The registry runs for real (uvicorn on loopback) on its own database."""

from typing import Any

import schemathesis

from services.registry.app import create_app
from services.registry.settings import RegistrySettings
from tests.fuzz import EXAMPLES, call_and_check, openapi_of, run_scenarios

schema = openapi_of(create_app(RegistrySettings(database_url="postgresql://x/x")))


@schema.parametrize()
@EXAMPLES
def test_operations_answer_as_documented(case: schemathesis.Case[Any], live_registry: tuple[str, str]) -> None:
    call_and_check(case, *live_registry)


def test_scenarios_answer_as_documented(live_registry: tuple[str, str]) -> None:
    run_scenarios(schema, *live_registry)
