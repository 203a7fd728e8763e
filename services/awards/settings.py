from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, offset_port
from services.registry.settings import RegistrySettings
from services.scoring.settings import ScoringSettings


class AwardsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="THIDUA_AWARDS_", env_file=".env", extra="ignore")

    service_name: str = "awards"
    db_schema: str = "awards"
    port: int = offset_port(3)
    registry_url: str = Field(default_factory=lambda: RegistrySettings().url, description="the registry service")
    scoring_url: str = Field(default_factory=lambda: ScoringSettings().url, description="the scoring service")
