"""The anonymous surface, walked whole: after the run command's demo load (the five plans, each to its published
decision; the services on loopback), plus what the demo lacks — a household, a person registered for a movement
with their household, a published decision awarding a person known to the registry, a secret-ballot council still
open with votes cast, a period scored but not published — every anonymous GET of every service's OpenAPI (paths
filled with those ids, lists with their default parameters and followed page by page), the gateway's open data in
JSON and CSV, and one GraphQL query per Query field (every scalar to a bounded depth) are read, and no answer may
hold a person id, a household, a ballot choice, a score of an unpublished period or an official's account name."""

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import build_client_schema, build_schema, get_introspection_query

from gateway.app import create_app
from gateway.settings import GatewaySettings
from kit.auth import Caller, TokenIssuer
from services.registry.demo.load import demo_users
from services.registry.identity.demo import demo_caller
from tests.awards.factories import (
    BAI_CHAY,
    HONG_GAI,
    PROVINCE,
    council,
    decided,
    decision_body,
    form_id,
    movement,
    nomination,
    ok,
    person,
    secret_ballot_form,
    to_council,
    unit,
)
from tests.conftest import Stack
from tests.scoring.factories import framework, group, indicator, period, values
from tests.security.walk import Secrets, body_of, combos, queries

ROOT = Path(__file__).resolve().parents[2]
Headers = dict[str, str]
HOUSEHOLD = "Hộ ông Đặng Văn Riêng Tư"
PERSON = "Bà Vũ Thị Bảo Mật"
MAX_PAGES = 40
# Extra values for optional query parameters, each tried once per operation (a curious caller's first guesses).
PROBES: dict[str, Callable[["Planted"], str]] = {
    "ids": lambda p: p.household,
    "unit_ids": lambda p: f"{p.household},{HONG_GAI}",
    "kind": lambda _: "household",
    "q": lambda _: "Riêng Tư",
    "root": lambda _: HONG_GAI,
    "parent_id": lambda _: HONG_GAI,
    "unit_id": lambda _: HONG_GAI,
    "subject_id": lambda p: p.person,
}


@dataclass
class Planted:
    person: str
    household: str
    registrations: list[str]  # the person's, the household's, Hồng Gai's
    movement: str
    period: str  # scored, not published
    decision: str  # published, awarding the person
    council: str  # secret ballot, open, two votes cast
    nominations: list[str]


@dataclass
class Live:
    stack: Stack  # the services on loopback (anonymous clients)
    gateway: httpx.AsyncClient
    token_for: Callable[[str], Headers]
    token_as: Callable[..., Headers]


@pytest.fixture
async def live(
    live_database: tuple[str, Path],
    live_registry: tuple[str, str],
    live_scoring: tuple[str, str],
    live_awards: tuple[str, str],
) -> AsyncIterator[Live]:
    data_dir = live_database[1]
    issuer = TokenIssuer(data_dir / "keys", issuer="thidua", audience="thidua")
    users = demo_users()

    def token_for(username: str) -> Headers:
        caller = demo_caller(users, username)
        assert caller is not None
        return {"Authorization": "Bearer " + issuer.issue(caller)}

    def token_as(subject: str, *roles: str, unit_id: str | None = None) -> Headers:
        caller = Caller(subject, frozenset(roles), uuid.UUID(unit_id) if unit_id else None, subject)
        return {"Authorization": "Bearer " + issuer.issue(caller)}

    settings = GatewaySettings.model_validate(
        {
            "data_dir": data_dir,
            "registry_url": live_registry[0],
            "scoring_url": live_scoring[0],
            "awards_url": live_awards[0],
        }
    )
    app = create_app(settings)
    async with (
        httpx.AsyncClient(base_url=live_registry[0], timeout=60) as registry,
        httpx.AsyncClient(base_url=live_scoring[0], timeout=60) as scoring,
        httpx.AsyncClient(base_url=live_awards[0], timeout=60) as awards,
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway", timeout=60) as gateway,
    ):
        yield Live(Stack(registry, scoring, awards, {}), gateway, token_for, token_as)


async def plant(live: Live) -> Planted:
    """What the demo lacks, entered by the people who would enter it."""
    stack, admin, office = live.stack, live.token_for("admin"), live.token_for("tdkt.snv")
    body = {"full_name": PERSON, "membership": {"unit_id": HONG_GAI, "title": "Chuyên viên"}}
    who: str = ok(await stack.registry.post("/people", json=body, headers=admin), 201)["id"]
    household = await unit(stack, admin, HOUSEHOLD, "household", "grassroots", HONG_GAI)
    m = await movement(stack, admin, PROVINCE, "QN-PRIV-WALK", ["GD1"])
    registrations = []
    for key, subject in (("person_id", who), ("unit_id", household), ("unit_id", HONG_GAI)):
        made = await stack.registry.post(
            f"/movements/{m['id']}/registrations",
            json={key: subject, "commitments": ["Giao ước riêng của " + PERSON]},
            headers=admin,
        )
        registrations.append(ok(made, 201)["id"])

    nodes = [group("P", "pillar", 100, [indicator("X", 100, "percent", "ratio")])]
    fw = await framework(
        stack.scoring, office, {"code": "PRIV-WALK", "title": "Bộ chỉ số riêng", "max_points": 100, "nodes": nodes}
    )
    unpublished = await period(stack.scoring, office, fw["id"], title="Kỳ chưa công bố")
    items = [{"unit_id": u, "indicator_code": "X", "value": v} for u, v in ((HONG_GAI, 91.5), (BAI_CHAY, 47.25))]
    ok(await values(stack.scoring, office, unpublished["id"], items))

    awardee = [person(PERSON, "Chuyên viên UBND phường Hồng Gai") | {"person_id": who}]
    decided_file = await decided(stack, live.token_for, await form_id(stack, "BK_TINH"), awardee)
    signer = live.token_for("chutich.ubnd")
    made = await stack.awards.post(
        "/decisions", json=decision_body([decided_file["nominees"][0]["id"]]), headers=signer
    )
    decision = ok(made, 201)
    ok(await stack.awards.post(f"/decisions/{decision['id']}/publish", headers=signer | {"If-Match": '"1"'}))

    secret = secret_ballot_form("WALK_KIN")
    regime = {"title": "Quy chế bỏ phiếu kín (thử)", "valid_from": "2024-01-01", "forms": [secret]}
    [form] = ok(await stack.awards.put("/regimes/TEST-WALK", json=regime, headers=admin))["forms"]
    proposer = live.token_for("lanhdao.honggai")
    secret_file = await nomination(stack, proposer, form["id"], awardee, documents=[])
    secret_file = await to_council(stack, proposer, office, secret_file)
    members = ["walk.tv1", "walk.tv2", "walk.tv3"]
    sitting = await council(stack, live.token_for("hoidong.thuky"), [secret_file], members)
    for member, choice in zip(members, ("yes", "no"), strict=False):
        ballot = {"votes": [{"nominee_id": secret_file["nominees"][0]["id"], "choice": choice}]}
        headers = live.token_as(member, "council_member", unit_id=PROVINCE)
        ok(await stack.awards.post(f"/councils/{sitting['id']}/votes", json=ballot, headers=headers))
    return Planted(
        who,
        household,
        registrations,
        m["id"],
        unpublished["id"],
        decision["id"],
        sitting["id"],
        [secret_file["id"], decided_file["id"]],
    )


async def every_page(client: httpx.AsyncClient, path: str, headers: Headers, **params: Any) -> list[Any]:
    items: list[Any] = []
    cursor = None
    for _ in range(MAX_PAGES):
        page = ok(await client.get(path, params=params | ({"cursor": cursor} if cursor else {}), headers=headers))
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return items


@dataclass
class Known:
    """What the walk fills paths with, and what it must never find (both collected as an administrator)."""

    secrets: Secrets
    pools: dict[str, list[str]]
    codes: dict[str, list[str]] = field(default_factory=dict)  # indicator codes by period
    groups: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # (group kind, key) by period


async def collect(live: Live, planted: Planted) -> Known:
    stack, admin = live.stack, live.token_for("admin")
    secrets = Secrets()
    secrets.person_ids = {p["id"] for p in await every_page(stack.registry, "/people", admin, limit=500)}
    every_unit = await every_page(stack.registry, "/units", admin, include_inactive="true", limit=500)
    households = [u for u in every_unit if u["kind"] == "household"]
    published_names = {u["name"] for u in every_unit if u["kind"] != "household"}
    secrets.household_ids = {u["id"] for u in households}
    # A name is looked for only where it tells a household apart (not also a published unit's, nor too short).
    secrets.household_names = {u["name"] for u in households if u["name"] and len(u["name"]) >= 8} - published_names
    periods = await every_page(stack.scoring, "/periods", admin, limit=500)
    secrets.unpublished_periods = {p["id"] for p in periods if p["status"] != "published"}

    nominations = await every_page(stack.awards, "/nominations", admin, limit=500)
    councils = {planted.council}
    for n in [*planted.nominations, *(n["id"] for n in nominations[:30])]:
        for event in ok(await stack.awards.get(f"/nominations/{n}", headers=admin))["timeline"]:
            reason = event.get("reason") or ""
            if reason.startswith("council "):
                councils.add(reason.split()[1])
    for c in councils:
        sitting = ok(await stack.awards.get(f"/councils/{c}", headers=admin))
        secrets.members |= {m["username"] for m in sitting["members"]}

    ordered = sorted(periods, key=lambda p: p["status"] == "published")  # unpublished first
    codes: dict[str, list[str]] = {}
    groups: dict[str, list[tuple[str, str]]] = {}
    for p in ordered[:8]:
        tree = ok(await stack.scoring.get(f"/frameworks/{p['framework_id']}", headers=admin))["nodes"]
        codes[p["id"]] = [tree[0]["code"], *(c["code"] for c in tree[0].get("children", [])[:1])] if tree else []
        found = ok(await stack.scoring.get(f"/periods/{p['id']}/rankings", headers=admin))["items"]
        groups[p["id"]] = [(g["group_kind"], g["group_key"]) for g in found[:2]]
    decisions = await every_page(stack.awards, "/decisions", admin, limit=100)
    lineage = await every_page(stack.registry, f"/units/{HONG_GAI}/lineage", admin, limit=500)
    pools = {
        "unit_id": [planted.household, HONG_GAI, PROVINCE, BAI_CHAY],
        "root": [HONG_GAI],
        "person_id": [planted.person],
        "subject_id": [planted.person, planted.household],
        "movement_id": [planted.movement, *(m["id"] for m in await every_page(stack.registry, "/movements", admin))],
        "registration_id": planted.registrations,
        "period_id": [p["id"] for p in ordered[:8]],
        "framework_id": list(dict.fromkeys(p["framework_id"] for p in ordered[:8])),
        "decision_id": [planted.decision, *(d["id"] for d in decisions if d["id"] != planted.decision)][:6],
        "council_id": sorted(councils, key=lambda c: c != planted.council)[:4],
        "nomination_id": [*planted.nominations, *(n["id"] for n in nominations)][:4],
        "rule_id": [r["id"] for r in await every_page(stack.awards, "/rules", admin, limit=500)][:4],
        "bloc_id": [b["id"] for b in ok(await stack.registry.get("/blocs", headers=admin))["items"]][:3]
        or [str(uuid.uuid4())],
        "event_id": [e["id"] for e in lineage][:2] or [str(uuid.uuid4())],
        "form_id": [f["id"] for f in ok(await stack.awards.get("/forms"))["items"]][:3],
        "regime_code": [r["code"] for r in ok(await stack.awards.get("/regimes"))["items"]][:3],
        "year": ["2025"],
        "effective_from": ["2025-01-01"],
        "effective_to": ["2025-12-31"],
        "file_id": [str(uuid.uuid4())],
    }
    return Known(secrets, pools, codes, groups)


def fillings(known: Known, path: str, names: list[str]) -> list[dict[str, str]]:
    """Values for the parameters `names` of one operation: independent ones from the pools, then the indicator
    code and ranking group of the period chosen."""
    pools = known.pools
    independent = [n for n in names if n not in ("code", "indicator_code", "group_kind", "key")]
    missing = [n for n in independent if n not in pools]
    assert not missing, f"{path}: no values for {missing}: add them to the walk's pools"
    filled = [dict(zip(independent, c, strict=True)) for c in combos([pools[n] for n in independent], 12)]
    out: list[dict[str, str]] = []
    for bound in filled:
        options: list[dict[str, str]] = [bound]
        if "code" in names or "indicator_code" in names:
            key = "code" if "code" in names else "indicator_code"
            values = known.codes.get(bound.get("period_id", ""), []) if "period_id" in bound else pools["regime_code"]
            options = [o | {key: v} for o in options for v in values]
        if "group_kind" in names:
            pairs = known.groups.get(bound["period_id"], [])
            options = [o | {"group_kind": k, "key": v} for o in options for k, v in pairs]
        out += options
    return out[:40]


@dataclass
class Walk:
    secrets: Secrets
    leaks: list[str] = field(default_factory=list)
    answered: int = 0  # 2xx answers read

    def read(
        self, request: str, response: httpx.Response, sealed: frozenset[str] = frozenset(), field: str | None = None
    ) -> Any:
        """Read one answer for leaks; `field`: the GraphQL Query field asked (its typed problem is a refusal)."""
        body = body_of(response.headers.get("content-type", ""), response.content)
        self.answered += response.is_success
        refused = not response.is_success
        if field is not None and isinstance(body, dict):
            answer = (body.get("data") or {}).get(field)
            refused = answer is None or (isinstance(answer, dict) and "statusCode" in answer)
        found = self.secrets.leaks(request, body, refused=refused, sealed=sealed)
        self.leaks += [f"{request}: {leak}" for leak in found]
        return body

    async def get(self, client: httpx.AsyncClient, path: str, params: dict[str, str]) -> None:
        """One anonymous GET, and the next pages of a list."""
        for _ in range(MAX_PAGES):
            response = await client.get(path, params=params)
            body = self.read(f"GET {client.base_url}{path}?{httpx.QueryParams(params)}", response)
            cursor = body.get("next_cursor") if isinstance(body, dict) else None
            if not cursor:
                return
            params = params | {"cursor": cursor}


async def walk_openapi(walk: Walk, known: Known, planted: Planted, client: httpx.AsyncClient) -> int:
    """Every anonymous GET of one app's OpenAPI; the number of operations walked."""
    spec = ok(await client.get("/openapi.json"))
    walked = 0
    for template, operations in spec["paths"].items():
        op = operations.get("get")
        if op is None or template == "/graphql":
            continue
        walked += 1
        parameters = op.get("parameters", [])
        names = [p["name"] for p in parameters if p["in"] == "path" or p.get("required")]
        optional = {p["name"]: p for p in parameters if p["in"] == "query" and not p.get("required")}
        for filled in fillings(known, template, names):
            path = template.format(**{k: v for k, v in filled.items() if "{" + k + "}" in template})
            query = {k: v for k, v in filled.items() if "{" + k + "}" not in template}
            if "limit" in optional:
                query["limit"] = "500" if "cursor" in optional else query.get("limit", "500")
            formats = optional.get("format", {}).get("schema", {}).get("enum") or [None]
            for fmt in formats:
                await walk.get(client, path, query | ({"format": fmt} if fmt else {}))
            for name, probe in PROBES.items():
                if name in optional:
                    await walk.get(client, path, query | {name: probe(planted)})
    return walked


async def graphql_schema(gateway: httpx.AsyncClient) -> Any:
    """The schema as an anonymous caller introspects it (the committed SDL if introspection is refused)."""
    answer = (await gateway.post("/graphql", json={"query": get_introspection_query()})).json()
    if answer.get("data"):
        return build_client_schema(answer["data"])
    return build_schema((ROOT / "gateway" / "schema.graphql").read_text())


async def walk_graphql(walk: Walk, known: Known, gateway: httpx.AsyncClient) -> set[str]:
    """One query per Query field and id, every scalar to depth 3 (smaller pages, then shallower, when refused as too
    costly); the fields that answered with data."""
    pools = known.pools
    by_id = {
        "unit": "unit_id",
        "bloc": "bloc_id",
        "movement": "movement_id",
        "registration": "registration_id",
        "framework": "framework_id",
        "period": "period_id",
        "awardRule": "rule_id",
        "nomination": "nomination_id",
        "council": "council_id",
        "decision": "decision_id",
    }
    roots: dict[str, list[dict[str, str]]] = {name: [{"id": v} for v in pools[pool]] for name, pool in by_id.items()}
    roots["registrations"] = [{"movementId": v} for v in pools["movement_id"]]
    roots["candidates"] = [{"ruleId": v} for v in pools["rule_id"]]
    roots["ranking"] = [
        {"periodId": p, "groupKind": kind.upper(), "key": key}
        for p, pairs in known.groups.items()
        for kind, key in pairs
    ]
    # Nested arguments name the unpublished period: a unit's score and explanation there must stay null.
    nested = {"periodId": next(iter(sorted(known.secrets.unpublished_periods)))}
    sealed = frozenset({"score", "explain"})
    schema = await graphql_schema(gateway)
    answered: set[str] = set()
    for depth, first in ((3, None), (3, 10), (2, 5), (1, 5), (0, 1)):  # the cost limits may refuse the larger ones
        asked = queries(schema, roots, nested, depth, first)
        pending = [(name, args, q) for name, args, q in asked if name not in answered]
        if not pending:
            break
        for name, args, query in pending:
            response = await gateway.post("/graphql", json={"query": query})
            body = walk.read(f"POST /graphql {name} {dict(args)}", response, sealed, field=name)
            if isinstance(body, dict) and body.get("data"):
                answered.add(name)
    return answered


async def test_no_anonymous_answer_holds_personal_or_sealed_data(live: Live) -> None:
    planted = await plant(live)
    known = await collect(live, planted)
    secrets = known.secrets
    assert planted.person in secrets.person_ids
    assert planted.household in secrets.household_ids
    assert HOUSEHOLD in secrets.household_names
    assert planted.period in secrets.unpublished_periods
    assert {"walk.tv1", "walk.tv2"} <= secrets.members

    walk = Walk(secrets)
    walked = 0
    for client in (live.stack.registry, live.stack.scoring, live.stack.awards, live.gateway):
        walked += await walk_openapi(walk, known, planted, client)
    answered = await walk_graphql(walk, known, live.gateway)

    assert not walk.leaks, "\n".join(sorted(set(walk.leaks))[:60])
    assert walked >= 60  # every service's GET operations and the open data were walked …
    assert walk.answered >= 200  # … and answered: the walk read real data, not only refusals
    schema = await graphql_schema(live.gateway)
    assert schema.query_type is not None
    assert answered == set(schema.query_type.fields)  # every Query field gave data (or its typed refusal)
