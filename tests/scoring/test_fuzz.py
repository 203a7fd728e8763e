"""Schemathesis over scoring's OpenAPI with every check and the stateful phase: no server error, no status or media
type the OpenAPI does not document. Scoring runs for real on loopback and calls the live services it depends on."""

from typing import Any

import schemathesis

from services.scoring.app import create_app
from services.scoring.settings import ScoringSettings
from tests.fuzz import EXAMPLES, call_and_check, openapi_of, run_scenarios

schema = openapi_of(create_app(ScoringSettings(database_url="postgresql://x/x")))


@schema.parametrize()
@EXAMPLES
def test_operations_answer_as_documented(case: schemathesis.Case[Any], live_scoring: tuple[str, str]) -> None:
    call_and_check(case, *live_scoring)


def test_scenarios_answer_as_documented(live_scoring: tuple[str, str]) -> None:
    run_scenarios(schema, *live_scoring)
