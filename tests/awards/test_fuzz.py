"""Schemathesis over awards' OpenAPI: generated requests, anonymous and as an administrator, never get a server
error. Awards runs for real on loopback and calls the live registry and scoring."""

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from services.awards.app import create_app
from services.awards.settings import AwardsSettings

schema = schemathesis.openapi.from_dict(create_app(AwardsSettings(database_url="postgresql://x/x")).openapi())


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: schemathesis.Case[Any], live_awards: tuple[str, str]) -> None:
    base, admin = live_awards
    case.call_and_validate(base_url=base, checks=[not_a_server_error])
    case.call_and_validate(base_url=base, headers={"Authorization": admin}, checks=[not_a_server_error])
