"""One shape for every list: a GET that answers a collection answers a page (`items`, `next_cursor`) and takes
`limit` and `cursor`; the few answers that are documents, not lists, are named here with the reason. No database:
the OpenAPI documents are read in-process."""

from typing import Any

import pytest

from tests.test_kit_openapi import APPS

# (app, path) → why its answer is one document read whole, not a list to page through.
DOCUMENTS: dict[tuple[str, str], str] = {
    ("registry", "/units/tree"): "the hierarchy as nested nodes: one tree, not rows",
    ("registry", "/units/{unit_id}/ancestors"): "one unit's path to the root: a few levels, meaningful only whole",
    ("registry", "/unit-kinds"): "the vocabulary of unit kinds, fixed in code",
    ("registry", "/auth/demo-users"): "the handful of seeded demo accounts of the embedded issuer",
    ("scoring", "/periods/{period_id}/rankings/{group_kind}"): "one ranking with its ties: a result read whole",
    ("scoring", "/periods/{period_id}/targets"): "one unit's report against the year's targets, a row per target",
    ("scoring", "/periods/{period_id}/values/{unit_id}/{indicator_code}/history"): (
        "the audit trail of one value, read whole like the history inside a period or a nomination"
    ),
    ("awards", "/holidays/{year}"): "the calendar of one year: a document keyed by the year",
    ("awards", "/awards"): "a batch read by unit_ids, one page like every batch read: the ids bound it",
    ("gateway", "/graphql"): "a GraphQL answer, shaped by its query; its lists page by first and after",
}


# A hand-built answer (the gateway's open data) declares JSON without a schema: it must page like a list.
UNDECLARED = {"items", "next_cursor"}


def _page_fields(document: dict[str, Any], operation: dict[str, Any]) -> set[str] | None:
    """The properties of the 200 answer if it is a list or a page (None: something else)."""
    content = operation["responses"].get("200", {}).get("content", {})
    if "application/json" not in content:
        return None
    schema = content["application/json"].get("schema", {})
    if not schema:
        return UNDECLARED
    if schema.get("type") == "array":
        return set()
    if ref := schema.get("$ref"):
        properties = document["components"]["schemas"][ref.rsplit("/", 1)[-1]].get("properties", {})
        if set(properties) >= {"items", "next_cursor"}:  # a document may hold `items` (a council's agenda)
            return set(properties)
    return None


def _lists(name: str) -> list[tuple[str, set[str], set[str]]]:
    """Every GET of the app answering a list or a page: its path, answer properties and query parameters."""
    document: dict[str, Any] = APPS[name]().openapi()
    out = []
    for path, operations in document["paths"].items():
        if (get := operations.get("get")) and (fields := _page_fields(document, get)) is not None:
            query = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
            out.append((path, fields, query))
    return out


@pytest.mark.parametrize("name", sorted(APPS))
def test_every_list_is_a_page_with_limit_and_cursor(name: str) -> None:
    wrong = [
        (path, sorted(fields), sorted(query & {"limit", "cursor"}))
        for path, fields, query in _lists(name)
        if (name, path) not in DOCUMENTS and not (fields >= {"items", "next_cursor"} and query >= {"limit", "cursor"})
    ]
    assert wrong == []


def test_every_named_document_exists_and_is_not_paged() -> None:
    found = {(name, path): query for name in sorted(APPS) for path, _, query in _lists(name)}
    for key in DOCUMENTS:
        assert "cursor" not in found[key], key  # KeyError: a renamed or removed path left a stale exception
