"""The services that make up the system (what `thidua up` migrates, in dependency order) and the apps it serves.

Apps and models are imported when asked for: a process serving one app (`thidua serve registry`) loads that app only,
which is most of what it costs to start one."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from fastapi import FastAPI
from sqlalchemy import MetaData

from gateway.settings import GatewaySettings
from kit.settings import ServiceSettings
from services.awards.settings import AwardsSettings
from services.registry.settings import RegistrySettings
from services.scoring.settings import ScoringSettings


@dataclass(frozen=True)
class AppSpec:
    name: str
    settings: Callable[[], ServiceSettings]
    package: str  # holds `app.create_app` (and, for a service, `models.Base`)

    def factory(self) -> Callable[..., FastAPI]:
        """The app's `create_app`, imported on first use."""
        return cast(Callable[..., FastAPI], importlib.import_module(f"{self.package}.app").create_app)

    def create_app(self, settings: Any = None) -> FastAPI:
        return self.factory()(settings)


@dataclass(frozen=True)
class ServiceSpec(AppSpec):
    """A service: its PostgreSQL schema and migrations folder are named like it."""

    @property
    def metadata(self) -> MetaData:
        return cast(MetaData, importlib.import_module(f"{self.package}.models").Base.metadata)


SERVICES: list[ServiceSpec] = [
    ServiceSpec("registry", RegistrySettings, "services.registry"),
    ServiceSpec("scoring", ScoringSettings, "services.scoring"),
    ServiceSpec("awards", AwardsSettings, "services.awards"),
]

# What `thidua up` serves: the services, then the gateway in front of them (it has no database).
APPS: list[AppSpec] = [*SERVICES, AppSpec("gateway", GatewaySettings, "gateway")]
