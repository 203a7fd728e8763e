from typing import TYPE_CHECKING

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, reach
from services.awards.settings import AwardsSettings
from services.registry.settings import RegistrySettings
from services.scoring.settings import ScoringSettings

if TYPE_CHECKING:
    from gateway.cost import Limits

MiB = 1024 * 1024


class GatewaySettings(ServiceSettings):
    """The gateway keeps no data: it needs the three services' URLs, its guards and the open-data licence.

    A GraphQL request is refused before anything runs when it is over a limit; anonymous callers have the
    `anonymous_*` limits, signed-in callers the others.
    """

    model_config = SettingsConfigDict(env_prefix="THIDUA_GATEWAY_", env_file=".env", extra="ignore")

    service_name: str = "gateway"
    registry_url: str = Field(default_factory=lambda: RegistrySettings().url, description="the registry service")
    scoring_url: str = Field(default_factory=lambda: ScoringSettings().url, description="the scoring service")
    awards_url: str = Field(default_factory=lambda: AwardsSettings().url, description="the awards service")
    max_body_bytes: int = Field(default=4 * MiB, description="requests above this answer 413")
    max_depth: int = Field(default=12, description="deepest nesting of fields in a query")
    max_aliases: int = Field(default=30, description="most aliased fields, a fragment counted wherever spread")
    max_selections: int = Field(default=1500, description="most fields and fragments, counted wherever spread")
    max_repeats: int = Field(default=12, description="most times one field of the response may be selected")
    max_cost: int = Field(default=300_000, description="most fields resolved, lists counted by their page size")
    max_document_bytes: int = Field(default=100_000, description="longest query text, in UTF-8 bytes")
    max_variable_values: int = Field(default=100_000, description="most JSON values in `variables`")
    max_variables_bytes: int = Field(default=2 * MiB, description="largest `variables`, in compact JSON bytes")
    anonymous_max_depth: int = 10
    anonymous_max_aliases: int = 10
    anonymous_max_selections: int = 400
    anonymous_max_repeats: int = 8
    anonymous_max_cost: int = 100_000
    anonymous_max_document_bytes: int = 20_000
    anonymous_max_variable_values: int = 1_000
    anonymous_max_variables_bytes: int = 16 * 1024
    max_variables_depth: int = Field(default=16, description="deepest nesting of lists and objects in `variables`")
    max_tokens: int = Field(default=3000, description="most lexical tokens (comments included) in one document")
    list_size: int = Field(default=10, description="items a list without a page size counts for in the cost")
    execution_seconds: float = Field(default=20.0, description="time budget of one GraphQL request's execution")
    anonymous_execution_seconds: float = 10.0
    document_cache_bytes: int = Field(default=64 * MiB, description="parsed and checked queries kept, in bytes")
    document_cache_size: int = Field(default=2000, description="parsed and checked queries kept, in entries")
    persisted_only_anonymous: bool = Field(
        default=False, description="anonymous callers may run only queries already persisted (APQ hash)"
    )
    persisted_cache_size: int = Field(default=5000, description="automatic persisted queries kept in memory")
    persisted_cache_bytes: int = Field(default=16 * MiB, description="automatic persisted queries kept, in bytes")
    graphiql: bool = Field(default=True, description="serve GraphiQL on GET /graphql")
    licence_name: str = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    publisher: str = Field(default="thidua", description="who publishes the open data (e.g. Sở Nội vụ tỉnh …)")
    public_url: str = Field(
        default_factory=lambda data: reach(data["host"], data["port"]),
        description="base URL of the gateway as others see it (default: where it listens)",
    )

    def limits(self, *, anonymous: bool) -> "Limits":
        from gateway.cost import Limits  # graphql-core: not for a process that only reads where things run

        if anonymous:
            return Limits(
                max_depth=self.anonymous_max_depth,
                max_aliases=self.anonymous_max_aliases,
                max_selections=self.anonymous_max_selections,
                max_repeats=self.anonymous_max_repeats,
                max_cost=self.anonymous_max_cost,
            )
        return Limits(
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_selections=self.max_selections,
            max_repeats=self.max_repeats,
            max_cost=self.max_cost,
        )

    def document_bytes(self, *, anonymous: bool) -> int:
        return self.anonymous_max_document_bytes if anonymous else self.max_document_bytes
