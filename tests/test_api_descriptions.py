"""The OpenAPI page is the manual (style.md §5): every property of every schema and every parameter of every
operation says what it is. FastAPI's generated schemas need no exception: its form bodies (`Body_…`) take their
descriptions from `Form()`/`File()`, and its validation-error schemas are replaced by `Problem` (kit.openapi). No
database: the documents are built in-process."""

from collections.abc import Iterator
from typing import Any

import pytest

from gateway.app import create_app as gateway_app
from gateway.settings import GatewaySettings
from services.awards.app import create_app as awards_app
from services.awards.settings import AwardsSettings
from services.registry.app import create_app as registry_app
from services.registry.settings import RegistrySettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings

UNUSED = "postgresql://unused/unused"
APPS = {
    "registry": lambda: registry_app(RegistrySettings(database_url=UNUSED)),
    "scoring": lambda: scoring_app(ScoringSettings(database_url=UNUSED)),
    "awards": lambda: awards_app(AwardsSettings(database_url=UNUSED)),
    "gateway": lambda: gateway_app(GatewaySettings()),  # its REST routes: open data, health
}


def _document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = APPS[name]().openapi()
    return document


def _properties(where: str, node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of a schema, nested ones (inline objects, anyOf branches, list items) included."""
    if isinstance(node, list):
        for item in node:
            yield from _properties(where, item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "properties":
                yield from _properties(where, value)
                continue
            for name, prop in value.items():
                yield f"{where}.{name}", prop
                yield from _properties(f"{where}.{name}", prop)


def _undescribed(node: dict[str, Any]) -> bool:
    return not str(node.get("description", "")).strip()


@pytest.mark.parametrize("name", sorted(APPS))
def test_every_schema_property_has_a_description(name: str) -> None:
    schemas = _document(name)["components"]["schemas"]
    missing = [
        where for schema, body in schemas.items() for where, node in _properties(schema, body) if _undescribed(node)
    ]
    assert missing == [], "properties without a description:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", sorted(APPS))
def test_every_parameter_has_a_description(name: str) -> None:
    document = _document(name)
    missing = [
        f"{method.upper()} {path} {parameter['in']}:{parameter['name']}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if _undescribed(parameter)
    ]
    assert missing == [], "parameters without a description:\n" + "\n".join(missing)


def test_the_walk_finds_properties_nested_in_a_schema() -> None:
    """The check would pass vacuously if the walk missed properties: it reaches into anyOf and list items."""
    schema = {
        "properties": {
            "a": {"description": "top", "type": "string"},
            "b": {"anyOf": [{"type": "object", "properties": {"c": {"type": "integer"}}}, {"type": "null"}]},
            "d": {"type": "array", "items": {"type": "object", "properties": {"e": {"type": "string"}}}},
        }
    }
    assert [where for where, node in _properties("S", schema) if _undescribed(node)] == ["S.b", "S.b.c", "S.d", "S.d.e"]
