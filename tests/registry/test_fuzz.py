"""Schemathesis over the registry's OpenAPI: generated requests, anonymous and as an administrator, never get a
server error. The registry runs for real (uvicorn on loopback) against its own database."""

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from services.registry.app import create_app
from services.registry.settings import RegistrySettings

schema = schemathesis.openapi.from_dict(create_app(RegistrySettings(database_url="postgresql://x/x")).openapi())


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: schemathesis.Case[Any], live_registry: tuple[str, str]) -> None:
    base, admin = live_registry
    case.call_and_validate(base_url=base, checks=[not_a_server_error])
    case.call_and_validate(base_url=base, headers={"Authorization": admin}, checks=[not_a_server_error])
