"""The gateway as integrators use it: one query for units with scores, ranks and awards (batched upstream),
partial data when a service is down, guards, anonymous access, persisted queries, typed errors and open data."""

import csv
import io
from typing import Any

from gateway.graphql import SCHEMA_FILE, sdl
from gateway.persisted import sha256
from tests.awards.factories import (
    HONG_GAI,
    PROVINCE,
    collective,
    decided,
    decision_body,
    form_id,
    move,
    ok,
    published_period,
    split_vote,
    unit,
)
from tests.conftest import Stack
from tests.gateway.conftest import STOPPED, Gateway, GatewayFactory
from tests.problems import assert_problem

PAGE = """
query Page($parent: UUID!, $period: UUID!) {
  units(parentId: $parent, first: 100) {
    nextCursor
    items {
      id name
      score(periodId: $period) { score100 bandVi ranks { groupKind rank groupSize } }
      awards { formCode decisionReference }
    }
  }
}"""


async def _world(stack: Stack, token_for: Any) -> dict[str, Any]:
    """100 communes under a new district of Quảng Ninh (plus Hồng Gai elsewhere), a published period scoring them,
    and a published Bằng khen for Hồng Gai."""
    admin, office = token_for("admin"), token_for("tdkt.snv")
    district = await unit(stack, admin, "Huyện Thử Nghiệm", "district", "district", PROVINCE)
    communes = [await unit(stack, admin, f"Xã Thử {i:03d}", "commune", "commune", district) for i in range(100)]
    rows = {c: 50 + (i % 50) for i, c in enumerate(communes)} | {HONG_GAI: 92}
    period = await published_period(stack, office, PROVINCE, rows, code="GW-DTI")
    n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")])
    signer = token_for("chutich.ubnd")
    made = ok(await stack.awards.post("/decisions", json=decision_body([n["nominees"][0]["id"]]), headers=signer), 201)
    ok(await stack.awards.post(f"/decisions/{made['id']}/publish", headers=signer | {"If-Match": '"1"'}))
    return {"district": district, "communes": communes, "period": period["id"], "decision": made}


class TestBatching:
    async def test_a_page_of_100_units_with_scores_and_awards_costs_one_call_per_service(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        world = await _world(stack, token_for)
        gateway.calls.clear()
        body = await gateway.query(PAGE, parent=world["district"], period=world["period"])
        assert "errors" not in body, body
        items = body["data"]["units"]["items"]
        assert len(items) == 100
        assert all(i["score"] is not None and i["score"]["ranks"] for i in items)
        assert dict(gateway.calls) == {"registry": 1, "scoring": 1, "awards": 1}

    async def test_awards_arrive_batched_with_their_decision(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        world = await _world(stack, token_for)
        query = """query($ids: [UUID!]!, $period: UUID!) { units(ids: $ids) { items {
          name score(periodId: $period) { score100 bandVi } awards { formCode decisionReference } } } }"""
        body = await gateway.query(query, ids=[HONG_GAI, world["communes"][0]], period=world["period"])
        by_name = {i["name"]: i for i in body["data"]["units"]["items"]}
        assert by_name["Phường Hồng Gai"]["awards"] == [{"formCode": "BK_TINH", "decisionReference": "01/QĐ-UBND"}]
        assert by_name["Phường Hồng Gai"]["score"] == {"score100": "92.00", "bandVi": "Tốt"}
        assert by_name["Xã Thử 000"]["awards"] == []


class TestPartialData:
    async def test_awards_down_gives_units_and_scores_and_an_unavailable_error(
        self, stack: Stack, gateway_for: GatewayFactory, token_for: Any
    ) -> None:
        world = await _world(stack, token_for)
        async with gateway_for(awards_url=STOPPED) as gw:
            response = await gw.client.post(
                "/graphql", json={"query": PAGE, "variables": {"parent": world["district"], "period": world["period"]}}
            )
        assert response.status_code == 200
        body = response.json()
        items = body["data"]["units"]["items"]
        assert len(items) == 100
        assert all(i["score"]["score100"] for i in items)
        assert all(i["awards"] is None for i in items)
        codes = {e["extensions"]["code"] for e in body["errors"]}
        assert codes == {"SERVICE_UNAVAILABLE"}
        assert all(e["path"][-1] == "awards" for e in body["errors"])


class TestGuards:
    async def test_twenty_levels_deep_is_refused_before_any_call(self, gateway: Gateway) -> None:
        nested = "id"
        for _ in range(20):
            nested = f"parent {{ {nested} }}"
        body = await gateway.query(f'{{ unit(id: "{PROVINCE}") {{ ... on Unit {{ {nested} }} }} }}')
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
        assert not gateway.calls

    async def test_a_hundred_aliases_are_refused_before_any_call(self, gateway: Gateway) -> None:
        fields = " ".join(f"a{i}: movements {{ nextCursor }}" for i in range(100))
        body = await gateway.query(f"{{ {fields} }}")
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["measure"] == "aliases"
        assert not gateway.calls

    async def test_the_validation_cache_hits_on_a_repeated_query(self, gateway: Gateway) -> None:
        query = "{ movements(first: 1) { nextCursor } }"
        await gateway.query(query)
        cache = gateway.app.state.graphql.guard.cache
        before = cache.hits
        await gateway.query(query)
        assert cache.hits == before + 1


class TestAccess:
    async def test_anonymous_reads_published_rankings_not_drafts_nor_dossiers(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        world = await _world(stack, token_for)
        ranking = """query($p: UUID!) { ranking(periodId: $p, groupKind: PEER, key: "commune|commune") {
            __typename ... on RankingList { rows { rank name score100 } } ... on Problem { statusCode } } }"""
        rows = (await gateway.query(ranking, p=world["period"]))["data"]["ranking"]["rows"]
        assert len(rows) == 100
        assert rows[0]["rank"] == 1
        office = token_for("tdkt.snv")
        draft = ok(
            await stack.scoring.post(
                "/periods",
                json={
                    "framework_id": (await stack.scoring.get(f"/periods/{world['period']}")).json()["framework_id"],
                    "title": "Giữa kỳ (chưa công bố)",
                    "kind": "half",
                    "year": 2026,
                    "number": 1,
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-06-30",
                    "scope_unit_id": PROVINCE,
                },
                headers=office,
            ),
            201,
        )
        body = await gateway.query(PAGE, parent=world["district"], period=draft["id"])
        assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}
        nominations = await gateway.query("{ nominations { __typename ... on Problem { statusCode } } }")
        assert nominations["data"]["nominations"] == {"__typename": "Forbidden", "statusCode": 401}
        signed_in = await gateway.query(
            "{ nominations { __typename ... on NominationPage { items { id } } } }", headers=office
        )
        assert signed_in["data"]["nominations"]["__typename"] == "NominationPage"

    async def test_a_bad_token_is_a_401_not_an_anonymous_request(self, gateway: Gateway) -> None:
        response = await gateway.client.post(
            "/graphql", json={"query": "{ movements { nextCursor } }"}, headers={"Authorization": "Bearer nope"}
        )
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["content-type"].startswith("application/problem+json")


class TestPersistedQueries:
    async def test_apq_registers_once_then_runs_by_hash(self, gateway: Gateway) -> None:
        query = "{ movements(first: 2) { nextCursor } }"
        ext = {"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}}
        first = (await gateway.client.post("/graphql", json={"extensions": ext})).json()
        assert first["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        assert "errors" not in (await gateway.client.post("/graphql", json={"query": query, "extensions": ext})).json()
        by_hash = (await gateway.client.post("/graphql", json={"extensions": ext})).json()
        assert by_hash == {"data": {"movements": {"nextCursor": None}}} or "errors" not in by_hash

    async def test_persisted_only_refuses_an_adhoc_anonymous_query(
        self, gateway_for: GatewayFactory, token_for: Any
    ) -> None:
        shipped = (SCHEMA_FILE.parent / "persisted" / "ranking.graphql").read_text(encoding="utf-8")
        async with gateway_for(persisted_only_anonymous=True) as gw:
            adhoc = (await gw.client.post("/graphql", json={"query": "{ movements { nextCursor } }"})).json()
            assert adhoc["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
            ext = {"persistedQuery": {"version": 1, "sha256Hash": sha256(shipped)}}
            variables = {"periodId": "00000000-0000-0000-0000-000000000000", "groupKind": "PEER", "key": "x|y"}
            known = (await gw.client.post("/graphql", json={"extensions": ext, "variables": variables})).json()
            assert known["data"]["ranking"]["__typename"] == "NotFound"
            signed_in = await gw.client.post(
                "/graphql", json={"query": "{ movements { nextCursor } }"}, headers=token_for("tdkt.snv")
            )
            assert "errors" not in signed_in.json()


class TestMutations:
    async def test_typed_errors_and_idempotent_retries(self, stack: Stack, gateway: Gateway, token_for: Any) -> None:
        admin = token_for("admin")
        movement = ok(
            await stack.registry.post(
                "/movements",
                json={
                    "code": "GW-TEST",
                    "title": "Phong trào thử qua cổng GraphQL",
                    "issuer_unit_id": PROVINCE,
                    "kind": "thematic",
                    "legal_basis": {"number": "1/KH-UBND", "date": "2025-01-02"},
                    "start_date": "2025-01-01",
                },
                headers=admin,
            ),
            201,
        )
        register = """mutation($m: UUID!, $unit: UUID!) {
          register(movementId: $m, input: {unitId: $unit, commitments: ["Hoàn thành 100% hồ sơ trực tuyến"]}) {
            __typename ... on Registration { id status } ... on Problem { statusCode errors { pointer } }
          }
        }"""
        reporter = token_for("lanhdao.honggai") | {"Idempotency-Key": "gw-register-1"}
        first = (await gateway.query(register, reporter, m=movement["id"], unit=HONG_GAI))["data"]["register"]
        again = (await gateway.query(register, reporter, m=movement["id"], unit=HONG_GAI))["data"]["register"]
        assert first["__typename"] == "Registration"
        assert again["id"] == first["id"]
        other = token_for("lanhdao.honggai") | {"Idempotency-Key": "gw-register-2"}
        duplicate = (await gateway.query(register, other, m=movement["id"], unit=HONG_GAI))["data"]["register"]
        assert duplicate["__typename"] == "Conflict"
        assert duplicate["statusCode"] == 409
        stale = """mutation($id: UUID!) { transitionRegistration(id: $id, input: {to: SUBMITTED}, version: 7) {
            __typename ... on Problem { statusCode } } }"""
        body = await gateway.query(stale, token_for("lanhdao.honggai"), id=first["id"])
        assert body["data"]["transitionRegistration"] == {"__typename": "Conflict", "statusCode": 412}

    async def test_an_upstream_field_error_keeps_its_pointer(self, gateway: Gateway, token_for: Any) -> None:
        """The service's 422 names the field at fault; the gateway passes that on, in both languages."""
        bad = """mutation { nominate(input: {formId: "00000000-0000-0000-0000-000000000000",
            proposerUnitId: "00000000-0000-0000-0000-000000000000",
            authorityUnitId: "00000000-0000-0000-0000-000000000000", title: "Thử", nominees: []}) {
            __typename ... on Problem { statusCode errors { pointer messages { vi en } } } } }"""
        answer = (await gateway.query(bad, token_for("lanhdao.honggai")))["data"]["nominate"]
        assert answer["statusCode"] == 422
        [fault] = answer["errors"]
        assert fault["pointer"] == "/nominees"
        assert fault["messages"]["vi"] == "Danh sách quá ngắn"


class TestOpenData:
    async def test_ranking_csv_has_a_bom_vietnamese_and_pages_by_cursor(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        world = await _world(stack, token_for)
        url: str | None = f"/open-data/rankings/{world['period']}?format=csv&limit=40"
        seen: list[dict[str, str]] = []
        while url:
            response = await gateway.client.get(url)
            assert response.status_code == 200
            assert response.content.startswith(b"\xef\xbb\xbf")
            seen += list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
            link = response.headers.get("link")
            url = link[1 : link.index(">")].removeprefix("http://gateway") if link else None
        scores = ok(await stack.scoring.get(f"/periods/{world['period']}/scores", params={"limit": 500}))["items"]
        assert len(seen) == len({r["unit_id"] for r in seen}) == len(scores) > 100  # three pages, none twice
        hong_gai = next(r for r in seen if r["unit_id"] == HONG_GAI)
        assert (hong_gai["unit_name"], hong_gai["band_vi"]) == ("Phường Hồng Gai", "Tốt")

    async def test_catalogue_decisions_and_directory(self, stack: Stack, gateway: Gateway, token_for: Any) -> None:
        world = await _world(stack, token_for)
        catalogue = await gateway.client.get("/open-data")
        assert catalogue.headers["content-type"] == "application/ld+json"
        datasets = {d["dct:identifier"] for d in catalogue.json()["dcat:dataset"]}
        assert datasets == {"rankings", "decisions", "units"}
        decisions = (await gateway.client.get("/open-data/decisions")).json()
        assert decisions["licence"]["url"].startswith("https://creativecommons.org/")
        row = next(r for r in decisions["items"] if r["decision_id"] == world["decision"]["id"])
        assert row["name"] == "Phường Hồng Gai"
        assert "person_id" not in row
        later = await gateway.client.get("/open-data/decisions", params={"modified_since": "2100-01-01T00:00:00Z"})
        assert later.json()["items"] == []
        changed = await gateway.client.get(
            "/open-data/units", params={"modified_since": "2000-01-01T00:00:00Z", "limit": 5}
        )
        assert len(changed.json()["items"]) == 5
        assert changed.headers["link"].endswith('rel="next"')
        periods = (await gateway.client.get("/open-data/rankings")).json()["items"]
        assert world["period"] in {p["id"] for p in periods}
        walked: list[str] = []
        cursor = None
        while True:  # one period a page, to the same list
            params: dict[str, Any] = {"limit": 1} | ({"cursor": cursor} if cursor else {})
            page = (await gateway.client.get("/open-data/rankings", params=params)).json()
            assert len(page["items"]) <= 1
            walked += [p["id"] for p in page["items"]]
            if not (cursor := page["next_cursor"]):
                break
        assert walked == [p["id"] for p in periods]


def test_the_exported_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), "run `.venv/bin/thidua schema` and commit the file"


async def test_the_office_reads_a_decision_against_the_council_through_the_gateway(
    stack: Stack, gateway: Gateway, token_for: Any
) -> None:
    n = await split_vote(stack, token_for)
    one, two = (x["id"] for x in n["nominees"])
    signer = token_for("chutich.ubnd")
    outcomes = [
        {"nominee_id": one, "outcome": "approved", "reason": "Thành tích được xác nhận sau phiên họp"},
        {"nominee_id": two, "outcome": "refused", "reason": "Đang bị xem xét kỷ luật"},
    ]
    await move(stack, signer, n, "decided", outcomes=outcomes)
    made = ok(await stack.awards.post("/decisions", json=decision_body([one]), headers=signer), 201)
    query = """
    query Against($n: UUID!, $d: UUID!) {
      nomination(id: $n) { ... on Nomination { nominees { councilResult outcome againstCouncil deviationReason } } }
      decision(id: $d) {
        ... on AwardDecision {
          awards { councilResult deviationReason }
          againstCouncil { name councilResult yes no outcome reason }
        }
      }
    }"""
    data = (await gateway.query(query, token_for("tdkt.snv"), n=n["id"], d=made["id"]))["data"]
    assert data["nomination"]["nominees"] == [
        {
            "councilResult": "failed",
            "outcome": "APPROVED",
            "againstCouncil": True,
            "deviationReason": outcomes[0]["reason"],
        },
        {
            "councilResult": "passed",
            "outcome": "REFUSED",
            "againstCouncil": True,
            "deviationReason": outcomes[1]["reason"],
        },
    ]
    assert data["decision"]["awards"] == [{"councilResult": "failed", "deviationReason": outcomes[0]["reason"]}]
    assert [
        (d["name"], d["councilResult"], d["yes"], d["no"], d["outcome"]) for d in data["decision"]["againstCouncil"]
    ] == [
        ("Ông Trần Văn Một", "failed", 1, 1, "APPROVED"),
        ("Bà Lê Thị Hai", "passed", 2, 0, "REFUSED"),
    ]
