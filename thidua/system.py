"""The services that make up the system (what `thidua up` migrates, in dependency order) and the apps it serves.

Apps, models and settings are imported when asked for: a process serving one app (`thidua serve registry`) loads that
app only, which is most of what it costs to start one, and `thidua --help` loads none."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy import MetaData

    from kit.settings import ServiceSettings


@dataclass(frozen=True)
class AppSpec:
    name: str
    package: str  # holds `settings.<settings_class>`, `app.create_app` (and, for a service, `models.Base`)
    settings_class: str

    def settings(self, **values: Any) -> "ServiceSettings":
        """The app's settings, read from the environment (`values` win)."""
        cls = getattr(importlib.import_module(f"{self.package}.settings"), self.settings_class)
        return cast("ServiceSettings", cls(**values))

    def factory(self) -> "Callable[..., FastAPI]":
        """The app's `create_app`, imported on first use."""
        return cast("Callable[..., FastAPI]", importlib.import_module(f"{self.package}.app").create_app)

    def create_app(self, settings: Any = None) -> "FastAPI":
        return self.factory()(settings)


@dataclass(frozen=True)
class ServiceSpec(AppSpec):
    """A service: its PostgreSQL schema and migrations folder are named like it."""

    @property
    def metadata(self) -> "MetaData":
        return cast("MetaData", importlib.import_module(f"{self.package}.models").Base.metadata)


SERVICES: list[ServiceSpec] = [
    ServiceSpec("registry", "services.registry", "RegistrySettings"),
    ServiceSpec("scoring", "services.scoring", "ScoringSettings"),
    ServiceSpec("awards", "services.awards", "AwardsSettings"),
]

# What `thidua up` serves: the services, then the gateway in front of them (it has no database).
APPS: list[AppSpec] = [*SERVICES, AppSpec("gateway", "gateway", "GatewaySettings")]
