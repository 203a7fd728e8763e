from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class ScoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="THIDUA_SCORING_", env_file=".env", extra="ignore")

    service_name: str = "scoring"
    db_schema: str = "scoring"
    port: int = 8002
    registry_url: str = Field(default="http://127.0.0.1:8001", description="the registry service")
    max_body_bytes: int = 64 * 1024 * 1024  # a 10,000-row batch with references fits comfortably
    max_batch_rows: int = 10_000
    max_evidence_bytes: int = Field(default=20 * 1024 * 1024, description="largest evidence file")
    evidence_types: list[str] = Field(
        default=[
            "application/pdf",
            "image/jpeg",
            "image/png",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ],
        description="content types accepted as evidence files",
    )
