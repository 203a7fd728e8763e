from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    """The gateway keeps no data: it needs the three services' URLs, its guards and the open-data licence."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_GATEWAY_", env_file=".env", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000
    registry_url: str = Field(default="http://127.0.0.1:8001", description="the registry service")
    scoring_url: str = Field(default="http://127.0.0.1:8002", description="the scoring service")
    awards_url: str = Field(default="http://127.0.0.1:8003", description="the awards service")
    max_depth: int = Field(default=12, description="deepest selection a query may nest")
    max_aliases: int = Field(default=30, description="most aliases in one document")
    max_tokens: int = Field(default=3000, description="most lexical tokens in one document")
    persisted_only_anonymous: bool = Field(
        default=False, description="anonymous callers may run only queries already persisted (APQ hash)"
    )
    persisted_cache_size: int = Field(default=5000, description="automatic persisted queries kept in memory")
    graphiql: bool = Field(default=True, description="serve GraphiQL on GET /graphql")
    licence_name: str = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    publisher: str = Field(default="thidua", description="who publishes the open data (e.g. Sở Nội vụ tỉnh …)")
    public_url: str = Field(default="http://127.0.0.1:8000", description="base URL of the gateway as others see it")
