"""The awards service's FastAPI app."""

from fastapi import FastAPI

from kit.service_app import create_service_app
from services.awards.catalogue.endpoints import router as catalogue_router
from services.awards.councils.endpoints import router as councils_router
from services.awards.decisions.endpoints import router as decisions_router
from services.awards.documents.endpoints import router as documents_router
from services.awards.figures import figures
from services.awards.history.endpoints import router as history_router
from services.awards.models import idempotency_keys
from services.awards.nominations.endpoints import router as nominations_router
from services.awards.rules.endpoints import router as rules_router
from services.awards.settings import AwardsSettings

DESCRIPTION = """Award forms and emulation titles by legal regime (effective-dated), movement award rules as data with
explained candidate lists, nominations with their dossier and workflow, council sessions and ballots, numbered
decisions with reward amounts, .docx documents in the Decree 30/2020 layout, and award history across mergers.
Published decisions are open data."""


def create_app(settings: AwardsSettings | None = None) -> FastAPI:
    return create_service_app(
        settings or AwardsSettings(),
        title="thidua awards",
        description=DESCRIPTION,
        routers=[
            catalogue_router,
            rules_router,
            nominations_router,
            councils_router,
            decisions_router,
            documents_router,
            history_router,
        ],
        idempotency_keys=idempotency_keys,
        figures=[figures],
    )
