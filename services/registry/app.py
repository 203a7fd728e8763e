"""The registry's FastAPI app."""

from fastapi import FastAPI

from kit.auth import TokenIssuer, TokenVerifier
from kit.service_app import create_service_app
from services.registry.blocs.endpoints import router as blocs_router
from services.registry.demo.load import demo_users
from services.registry.figures import figures
from services.registry.identity.endpoints import router as identity_router
from services.registry.imports.endpoints import router as imports_router
from services.registry.lineage.endpoints import router as lineage_router
from services.registry.models import idempotency_keys
from services.registry.movements.endpoints import router as movements_router
from services.registry.people.endpoints import router as people_router
from services.registry.registrations.endpoints import router as registrations_router
from services.registry.scope.endpoints import router as scope_router
from services.registry.settings import RegistrySettings
from services.registry.units.endpoints import router as units_router

DESCRIPTION = """Units taking part in emulation movements (sở/ban/ngành, UBND tỉnh/xã, agencies, schools, enterprises,
households …) in a hierarchy dated through the 2025 reorganisation; their lineage, people, blocs (Cụm/Khối thi
đua), movements with phases and milestones, and registrations. Errors are RFC 9457 problem+json."""


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    settings = settings or RegistrySettings()

    async def embedded_issuer(app: FastAPI) -> None:
        app.state.demo_users = demo_users()
        if settings.issue_tokens:
            issuer = TokenIssuer(settings.data_dir / "keys", issuer=settings.jwt_issuer, audience=settings.jwt_audience)
            app.state.issuer = issuer
            if not settings.jwks_url and getattr(app.state, "verifier", None) is None:
                app.state.verifier = TokenVerifier(
                    issuer=settings.jwt_issuer, audience=settings.jwt_audience, public_keys=[issuer.public_key]
                )

    return create_service_app(
        settings,
        title="thidua registry",
        description=DESCRIPTION,
        routers=[
            imports_router,
            units_router,
            lineage_router,
            people_router,
            blocs_router,
            movements_router,
            registrations_router,
            scope_router,
            identity_router,
        ],
        idempotency_keys=idempotency_keys,
        figures=[figures],
        on_startup=[embedded_issuer],
    )
