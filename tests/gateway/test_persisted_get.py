"""Persisted queries over GET (Apollo APQ), so a CDN can keep the answers: a known query runs from its hash in the URL,
answers with an ETag and honours If-None-Match; anonymous answers are public, signed-in ones private, no-store;
errors are never kept; mutations stay POST-only."""

import json
from typing import Any

import httpx

from gateway.graphql import SCHEMA_FILE
from gateway.persisted import sha256
from tests.awards.factories import BAI_CHAY, HONG_GAI, PROVINCE, published_period
from tests.conftest import Stack
from tests.gateway.conftest import Gateway
from tests.problems import assert_problem

RANKING = (SCHEMA_FILE.parent / "persisted" / "ranking.graphql").read_text(encoding="utf-8")
ZERO = "00000000-0000-0000-0000-000000000000"


def _params(query: str, variables: dict[str, Any] | None = None, *, text: bool = False) -> dict[str, str]:
    """The URL parameters of an APQ GET: the hash in `extensions`, the variables as JSON (and the text when
    registering)."""
    params = {"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}})}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    if text:
        params["query"] = query
    return params


async def _get(gateway: Gateway, params: dict[str, str], **headers: str) -> httpx.Response:
    return await gateway.client.get("/graphql", params=params, headers=headers)


class TestByGet:
    async def test_a_shipped_query_runs_from_its_hash_and_revalidates(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        scores = {HONG_GAI: 90, BAI_CHAY: 80}
        period = await published_period(stack, token_for("tdkt.snv"), PROVINCE, scores, code="APQ")
        variables = {"periodId": period["id"], "groupKind": "PEER", "key": "ward|commune"}
        params = _params(RANKING, variables) | {"operationName": "Ranking"}
        answer = await _get(gateway, params)
        assert answer.status_code == 200, answer.text
        rows = answer.json()["data"]["ranking"]["rows"]
        assert [r["unitId"] for r in rows][:2] == [HONG_GAI, BAI_CHAY]
        assert answer.headers["cache-control"].startswith("public, max-age=")
        assert "s-maxage=" in answer.headers["cache-control"]
        assert "Authorization" in answer.headers["vary"]
        calls = sum(gateway.calls.values())
        again = await _get(gateway, params, **{"If-None-Match": answer.headers["etag"]})
        assert (again.status_code, again.content) == (304, b"")
        assert again.headers["etag"] == answer.headers["etag"]
        repeated = await _get(gateway, params)
        assert repeated.content == answer.content
        assert sum(gateway.calls.values()) == calls  # answered by the gateway's memory, as a CDN would

        signed_in = await gateway.client.get("/graphql", params=params, headers=token_for("tdkt.snv"))
        assert signed_in.status_code == 200
        assert signed_in.headers["cache-control"] == "private, no-store"

    async def test_apq_registers_by_get_then_runs_by_hash(self, gateway: Gateway) -> None:
        query = "query Kinds { movements(first: 1) { nextCursor } }"
        unknown = await _get(gateway, _params(query))
        assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        assert unknown.headers["cache-control"] == "no-store"  # a CDN must not keep the miss
        registered = await _get(gateway, _params(query, text=True))
        assert "errors" not in registered.json()
        by_hash = await _get(gateway, _params(query))
        assert by_hash.json() == registered.json()
        assert by_hash.headers["etag"] == registered.headers["etag"]

    async def test_a_persisted_mutation_is_refused_by_get(self, gateway: Gateway) -> None:
        mutation = f'mutation Close {{ closeCouncil(id: "{ZERO}", version: 1) {{ __typename }} }}'
        known = {"query": mutation, "extensions": json.loads(_params(mutation)["extensions"])}
        await gateway.client.post("/graphql", json=known)  # registered by POST (it fails: no such council)
        response = await _get(gateway, _params(mutation))
        assert_problem(response, 405, "mutation-by-get")
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["allow"] == "POST"
