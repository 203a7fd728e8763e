from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, offset_port
from services.registry.settings import RegistrySettings


class ScoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="THIDUA_SCORING_", env_file=".env", extra="ignore")

    service_name: str = "scoring"
    db_schema: str = "scoring"
    port: int = offset_port(2)
    registry_url: str = Field(default_factory=lambda: RegistrySettings().url, description="the registry service")
    max_body_bytes: int = 64 * 1024 * 1024  # a 10,000-row batch with references fits comfortably
    max_batch_rows: int = 10_000
    scores_wait_seconds: float = Field(
        default=1.0,
        description="a write waits this long at most for its period's recompute; a period whose recompute takes "
        "longer is recomputed in the background (its scores say stale until then)",
    )
    scores_sweep_seconds: float = Field(
        default=60.0, description="how often a process looks for periods left stale by one that stopped mid-recompute"
    )
    scores_shutdown_grace_seconds: float = Field(
        default=10.0, description="on shutdown, a recompute under way may end within this, or the next start redoes it"
    )
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
