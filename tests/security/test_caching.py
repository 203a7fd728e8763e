"""Who may keep an answer: every GET operation of the three services and the gateway declares its cache policy
(`x-cache` in its OpenAPI, kit/caching.py), and what anonymous and signed-in callers get agrees with the
authorization table: only what an anonymous caller may read is ever `public`, and a signed-in caller's answer never
is (a CDN keys by URL, not by token)."""

from pathlib import Path
from typing import Any

import pytest

from tests.awards.factories import HONG_GAI, PROVINCE, movement
from tests.conftest import Stack
from tests.gateway.conftest import open_gateway
from tests.security.table import REST
from tests.security.test_matrix import REST_OPERATIONS, _call, world
from tests.security.world import ANONYMOUS, World

__all__ = ["world"]  # the matrix's world fixture, built once for this module too

GETS = [(service, operation, doc) for service, operation, doc in REST_OPERATIONS if operation.startswith("GET ")]
HEALTH = {"GET /livez", "GET /readyz"}


def test_every_get_operation_declares_a_cache_policy() -> None:
    undeclared = [f"{service} {operation}" for service, operation, doc in GETS if "x-cache" not in doc]
    assert undeclared == [], "GET operations without @cache(...):\n" + "\n".join(undeclared)
    assert len(GETS) > 70


@pytest.mark.parametrize(("service", "operation", "doc"), GETS, ids=[f"{s} {o}" for s, o, _ in GETS])
def test_only_anonymous_readable_operations_are_public(service: str, operation: str, doc: dict[str, Any]) -> None:
    policy = doc["x-cache"]
    assert not policy["signed_in"].startswith("public"), "a signed-in caller's answer is never public"
    anonymous_reads = REST[operation].roles is None and operation not in HEALTH
    assert policy["anonymous"].startswith("public") == anonymous_reads, (operation, policy)


ADMIN = "admin"
PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"
# (service, path, params, anonymous Cache-Control (None: refused), signed-in Cache-Control)
CASES: list[tuple[str, str, dict[str, str], str | None, str]] = [
    ("registry", "/unit-kinds", {}, PUBLIC, "private, no-cache"),
    ("registry", f"/units/{HONG_GAI}", {}, PUBLIC, "private, no-store"),  # a household in scope is personal
    ("registry", "/units", {"limit": "5"}, PUBLIC, "private, no-store"),
    ("registry", "/people", {"unit_id": HONG_GAI}, None, "private, no-store"),
    ("registry", "/scope", {"ids": HONG_GAI}, None, "private, no-cache"),
    ("scoring", "/frameworks", {}, PUBLIC, "private, no-cache"),
    ("awards", "/forms", {}, PUBLIC, "private, no-cache"),
    ("awards", "/decisions", {}, PUBLIC, "private, no-store"),
    ("awards", "/nominations", {}, None, "private, no-store"),
    ("awards", "/rules", {}, None, "private, no-cache"),
    ("gateway", "/open-data/units", {}, PUBLIC, "private, no-cache"),
    ("gateway", "/livez", {}, "no-store", "no-store"),
]


async def test_anonymous_and_signed_in_callers_get_their_own_cache_control(
    stack: Stack, keys_dir: Path, token_for: Any
) -> None:
    async with open_gateway(stack, keys_dir) as gateway:
        clients = {"registry": stack.registry, "scoring": stack.scoring, "awards": stack.awards}
        clients["gateway"] = gateway.client
        faults = []
        for service, path, params, anonymous, signed_in in CASES:
            for headers, expected in (({}, anonymous), (token_for(ADMIN), signed_in)):
                who = "signed-in" if headers else "anonymous"
                answer = await clients[service].get(path, params=params, headers=headers)
                if expected is None:  # refused: a problem is never kept
                    if (answer.status_code, answer.headers.get("cache-control")) != (401, "no-store"):
                        faults.append(f"{who} {path}: {answer.status_code} {answer.headers.get('cache-control')}")
                    continue
                got = (
                    answer.status_code,
                    answer.headers.get("cache-control"),
                    "Authorization" in answer.headers["vary"],
                )
                if got != (200, expected, True):
                    faults.append(f"{who} {path}: {got}, not {expected}")
                    continue
                again = await clients[service].get(
                    path, params=params, headers=headers | {"If-None-Match": answer.headers["etag"]}
                )
                if (again.status_code, again.content, again.headers.get("cache-control")) != (304, b"", expected):
                    faults.append(f"{who} {path} revalidated: {again.status_code} {again.headers}")
        assert faults == [], "\n".join(faults)


async def test_a_changed_answer_gets_a_new_etag(stack: Stack, token_for: Any) -> None:
    before = await stack.registry.get("/movements")
    await movement(stack, token_for(ADMIN), PROVINCE, "QN-ETAG", ["P1"])
    after = await stack.registry.get("/movements", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]


async def test_a_repeated_get_of_any_open_list_answers_304(stack: Stack) -> None:
    """Bodies are stable: the same data gives the same bytes, hence the same ETag."""
    for client, path in ((stack.registry, "/units/tree"), (stack.awards, "/regimes"), (stack.scoring, "/periods")):
        first = await client.get(path)
        assert first.status_code == 200, first.text
        again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, path


async def test_every_open_get_answers_304_to_its_own_etag(world: World) -> None:
    """Any GET an anonymous caller may read, called twice: the second time with the first answer's ETag, which
    holds when nothing changed (bodies are stable: no time of rendering, no request id inside)."""
    faults, checked = [], 0
    for service, operation, _ in GETS:
        row = REST[operation]
        if row.roles is not None:
            continue
        first = await _call(world, service, operation, row, ANONYMOUS)
        if first.status_code != 200:  # the world's unpublished records are not found by anonymous callers
            continue
        checked += 1
        again = await _call(world, service, operation, row, ANONYMOUS, {"If-None-Match": first.headers["etag"]})
        if again.status_code != 304:
            faults.append(f"{service} {operation}: {again.status_code} to its own ETag")
    assert faults == [], "\n".join(faults)
    assert checked > 40
