"""The scoring service's FastAPI app."""

from fastapi import FastAPI

from kit.service_app import create_service_app
from services.scoring.figures import figures
from services.scoring.frameworks.endpoints import router as frameworks_router
from services.scoring.models import idempotency_keys
from services.scoring.periods.endpoints import router as periods_router
from services.scoring.scores import refresh
from services.scoring.scores.endpoints import router as scores_router
from services.scoring.settings import ScoringSettings
from services.scoring.submissions.endpoints import router as submissions_router

DESCRIPTION = """Indicator frameworks (Bộ chỉ số) as data, targets per year and level, periods with a snapshot of
their participants, values submitted with evidence, appraisal, and scores computed in PostgreSQL: points per
indicator, index and pillar, score over 100, class and ranks. Published results are open data."""


def create_app(settings: ScoringSettings | None = None) -> FastAPI:
    return create_service_app(
        settings or ScoringSettings(),
        title="thidua scoring",
        description=DESCRIPTION,
        routers=[frameworks_router, periods_router, submissions_router, scores_router],
        idempotency_keys=idempotency_keys,
        figures=[figures],
        on_startup=[refresh.start],
        on_shutdown=[refresh.stop],
    )
