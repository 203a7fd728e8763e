from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, offset_port


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="THIDUA_REGISTRY_", env_file=".env", extra="ignore")

    service_name: str = "registry"
    db_schema: str = "registry"
    port: int = offset_port(1)
    issue_tokens: bool = True  # the embedded issuer (token endpoint, JWKS); off when a province SSO issues tokens
