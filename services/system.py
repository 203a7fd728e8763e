"""The services that make up the system (what `thidua up` migrates, in dependency order) and the apps it serves."""

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import MetaData

from gateway.app import create_app as gateway_app
from gateway.settings import GatewaySettings
from kit.settings import ServiceSettings
from services.awards.app import create_app as awards_app
from services.awards.models import Base as AwardsBase
from services.awards.settings import AwardsSettings
from services.registry.app import create_app as registry_app
from services.registry.models import Base as RegistryBase
from services.registry.settings import RegistrySettings
from services.scoring.app import create_app as scoring_app
from services.scoring.models import Base as ScoringBase
from services.scoring.settings import ScoringSettings


@dataclass(frozen=True)
class AppSpec:
    name: str
    settings: Callable[[], ServiceSettings]
    create_app: Callable[..., FastAPI]


@dataclass(frozen=True)
class ServiceSpec(AppSpec):
    metadata: MetaData  # its PostgreSQL schema and migrations folder are named like the service


SERVICES: list[ServiceSpec] = [
    ServiceSpec("registry", RegistrySettings, registry_app, RegistryBase.metadata),
    ServiceSpec("scoring", ScoringSettings, scoring_app, ScoringBase.metadata),
    ServiceSpec("awards", AwardsSettings, awards_app, AwardsBase.metadata),
]

# What `thidua up` serves: the services, then the gateway in front of them (it has no database).
APPS: list[AppSpec] = [*SERVICES, AppSpec("gateway", GatewaySettings, gateway_app)]
