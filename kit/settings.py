"""Settings every service shares, read from the environment (and an optional `.env`)."""

from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Base settings; each service subclasses it and sets its `service_name`, schema and default port.

    A service reads `THIDUA_<SERVICE>_<FIELD>` first, then the shared `THIDUA_<FIELD>` (e.g. THIDUA_DATA_DIR for all,
    THIDUA_REGISTRY_PORT for one); `DATABASE_URL` is read as is.

    Where the apps run follows from one setting: each app's port is THIDUA_BASE_PORT (8000) plus the offset its
    settings declare (`offset_port`), and the URLs by which they reach each other follow from the others' settings,
    unless a port, host or URL is set one by one.
    """

    model_config = SettingsConfigDict(env_prefix="THIDUA_", env_file=".env", extra="ignore")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        shared = EnvSettingsSource(settings_cls, env_prefix="THIDUA_")
        return init_settings, env_settings, shared, dotenv_settings, file_secret_settings

    service_name: str = "service"
    db_schema: str = "public"
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "THIDUA_DATABASE_URL"),
        description="PostgreSQL URL; unset means the embedded server under data_dir",
    )
    data_dir: Path = Field(default=Path(".data"), description="embedded PostgreSQL data, signing keys")
    host: str = Field(default="127.0.0.1", description="listen address (THIDUA_HOST for every app)")
    base_port: int = Field(default=8000, description="the gateway's port; each service's is this plus its offset")
    port: int = Field(default_factory=lambda data: data["base_port"], description="THIDUA_BASE_PORT + offset")
    db_pool_size: int = 10
    db_connect_timeout_seconds: float = Field(default=5.0, description="a database that does not answer → 503")
    db_pool_timeout_seconds: float = Field(default=10.0, description="wait for a pooled connection, then 503")
    db_command_timeout_seconds: float = Field(default=120.0, description="a statement that hangs longer → 503")
    retry_after_seconds: int = Field(default=2, description="Retry-After of a 503 while the database is away")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, description="requests above this answer 413")
    default_page_size: int = 50
    max_page_size: int = Field(default=500, description="largest `limit` a list endpoint accepts")
    idempotency_ttl_hours: int = 24
    idempotency_lease_seconds: int = Field(
        default=120, description="a claimed key whose request never finished is free again after this"
    )
    # HTTP caching (kit.caching): the ages of open data answered to anonymous callers.
    cache_max_age_seconds: int = Field(default=60, description="max-age of open data to anonymous callers (browsers)")
    cache_shared_max_age_seconds: int = Field(
        default=300, description="s-maxage of open data (CDNs), and how long a process keeps a remembered answer"
    )
    cache_stale_while_revalidate_seconds: int = Field(
        default=60, description="stale-while-revalidate of open data: served stale while a cache refetches it"
    )
    cache_memory_bytes: int = Field(
        default=32 * 1024 * 1024, description="bound of the answers a process keeps in memory (published rankings)"
    )
    # Identity: tokens are verified against a JWKS URL (any OIDC provider) or local public keys.
    jwks_url: str | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "thidua"
    jwt_audience: str = "thidua"
    metrics_token: str | None = Field(
        default=None, description="when set, GET /metrics answers only `Authorization: Bearer <this token>`"
    )
    metrics_figures_seconds: float = Field(
        default=30.0, description="GET /metrics re-reads the domain figures from the database at most this often"
    )
    log_json: bool = True
    log_level: str = Field(default="INFO", description="least level logged (DEBUG, INFO, WARNING, ERROR)")
    log_file: str | None = Field(
        default=None,
        description="where JSON logs go: a file, or `-` for the console; unset: the console, but "
        "`<data_dir>/logs/thidua.log` under `thidua up` (its console shows the banner and problems only)",
    )

    @property
    def url(self) -> str:
        """Where this app answers, as seen from this machine."""
        return reach(self.host, self.port)

    def resolved_public_key_file(self) -> Path:
        """Public key of the embedded issuer, used when neither a JWKS URL nor a key file is configured."""
        return self.jwt_public_key_file or self.data_dir / "keys" / "signing-public.pem"


def offset_port(offset: int) -> Any:
    """The default of an app's `port`: THIDUA_BASE_PORT plus `offset`."""
    return Field(
        default_factory=lambda data: data["base_port"] + offset,
        description=f"THIDUA_BASE_PORT + {offset} unless set",
    )


def reach(host: str, port: int) -> str:
    """The URL of an app listening on `host`:`port`, as seen from this machine (a wildcard address on loopback)."""
    host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
