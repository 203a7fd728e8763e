from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class AwardsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="THIDUA_AWARDS_", env_file=".env", extra="ignore")

    service_name: str = "awards"
    db_schema: str = "awards"
    port: int = 8003
    registry_url: str = Field(default="http://127.0.0.1:8001", description="the registry service")
    scoring_url: str = Field(default="http://127.0.0.1:8002", description="the scoring service")
