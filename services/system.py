"""The services that make up the system: what `thidua up` starts and migrates, in dependency order."""

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import MetaData

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
class ServiceSpec:
    name: str  # also its PostgreSQL schema and its migrations folder
    settings: Callable[[], ServiceSettings]
    create_app: Callable[..., FastAPI]
    metadata: MetaData


SERVICES: list[ServiceSpec] = [
    ServiceSpec("registry", RegistrySettings, registry_app, RegistryBase.metadata),
    ServiceSpec("scoring", ScoringSettings, scoring_app, ScoringBase.metadata),
    ServiceSpec("awards", AwardsSettings, awards_app, AwardsBase.metadata),
]
