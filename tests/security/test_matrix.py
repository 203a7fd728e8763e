"""The authorization matrix: every operation of registry, scoring, awards and the gateway (from their OpenAPI) and every
GraphQL root field (from the gateway's schema), called by an anonymous caller and by a caller of each role inside and
outside the world's scope, against the table in tests/security/table.py.

What each cell must answer:
- anonymous on a protected operation: 401 (GraphQL: a typed problem with status 401);
- a role the operation does not admit: 403, before anything about the data is looked at;
- an admitted role outside the scope: 403 or 404 (never 409/412/422 that would tell the record's state, never 2xx);
  on a list, 2xx without the in-scope record;
- an admitted role in scope, or anyone on a public operation: neither 401 nor 403 (a 404/409/412/422 of a minimal
  body is fine: versioned operations get a stale If-Match on purpose, so nothing changes).
Every write runs in a savepoint rolled back after it, so cells cannot change each other's world.
"""

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLObjectType
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.app import create_app as gateway_app
from gateway.graphql import build_schema
from gateway.settings import GatewaySettings
from services.registry.vocabulary import Role
from tests.awards.factories import HONG_GAI
from tests.conftest import make_registry_app, open_stack
from tests.gateway.conftest import URLS, open_gateway
from tests.problems import assert_problem
from tests.security.table import FILTERED, GRAPHQL, REST, ROLE_ONLY, SCOPED, Row
from tests.security.world import CALLERS, Who, World, build

STALE = {"If-Match": '"999999"'}


def _service_apps(keys_dir: Path) -> dict[str, Any]:
    from services.awards.app import create_app as awards_app
    from services.awards.settings import AwardsSettings
    from services.scoring.app import create_app as scoring_app
    from services.scoring.settings import ScoringSettings

    unused = "postgresql://unused/unused"
    return {
        "registry": make_registry_app(keys_dir),
        "scoring": scoring_app(ScoringSettings(data_dir=keys_dir, database_url=unused)),
        "awards": awards_app(AwardsSettings(data_dir=keys_dir, database_url=unused)),
        "gateway": gateway_app(GatewaySettings.model_validate({"data_dir": keys_dir, **URLS})),
    }


def _rest_operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(app, "METHOD /path", OpenAPI operation) of every operation the services and the gateway publish."""
    apps = _service_apps(Path("/nonexistent/thidua-matrix"))  # building an app reads no file and opens nothing
    return [
        (service, f"{method.upper()} {path}", operation)
        for service, app in apps.items()
        for path, methods in app.openapi()["paths"].items()
        for method, operation in methods.items()
    ]


def _graphql_fields() -> list[str]:
    schema = build_schema(GatewaySettings.model_validate({"data_dir": "/nonexistent/thidua-matrix", **URLS}))
    roots = [schema._schema.query_type, schema._schema.mutation_type]
    return [f"{root.name}.{name}" for root in roots if isinstance(root, GraphQLObjectType) for name in root.fields]


REST_OPERATIONS = _rest_operations()
GRAPHQL_FIELDS = _graphql_fields()


@pytest.fixture(scope="module")
async def world(engine: AsyncEngine, keys_dir: Path) -> AsyncIterator[World]:
    """The world on one connection whose transaction is rolled back after the module."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        registry_app = make_registry_app(keys_dir)
        async with open_stack(registry_app, connection, keys_dir) as stack, open_gateway(stack, keys_dir) as gateway:
            yield await build(stack, gateway, registry_app, connection)
        await transaction.rollback()


@asynccontextmanager
async def rolled_back(world: World, write: bool = True) -> AsyncIterator[None]:
    """A write runs in a savepoint rolled back after it, so that cells cannot change each other's world (reads need
    none: GETs never write, and GraphQL queries only read)."""
    if not write:
        yield
        return
    savepoint = await world.connection.begin_nested()
    try:
        yield
    finally:
        await savepoint.rollback()


def _path(world: World, template: str, row: Row) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(world.ids[row.path.get(m.group(1), m.group(1))]), template)


async def _call(
    world: World, service: str, operation: str, row: Row, who: Who, extra: dict[str, str] | None = None
) -> httpx.Response:
    method, template = operation.split(" ", 1)
    headers = world.headers(who) | (STALE if row.versioned else {}) | (extra or {})
    kwargs: dict[str, Any] = {"headers": headers}
    if row.body is not None:
        kwargs["json"] = row.body(world)
    if row.params is not None:
        kwargs["params"] = row.params(world)
    if row.form is not None:
        kwargs["data"] = row.form(world)
    if row.files is not None:
        kwargs["files"] = row.files(world)
    async with rolled_back(world, write=method != "GET"):
        return await world.client(service).request(method, _path(world, template, row), **kwargs)


def judge(row: Row, who: Who, status: int, body: str, world: World) -> str | None:
    """What is wrong with this cell's answer (None: as the table says)."""
    if status >= 500:
        return f"server error {status}"
    if row.roles is None:
        return f"public operation refused with {status}" if status in (401, 403) else None
    if who.role is None:
        return None if status == 401 else f"anonymous got {status}, not 401"
    if who.role not in row.roles:
        return None if status == 403 else f"a role it does not admit got {status}, not 403"
    if who.inside or row.scope == ROLE_ONLY:
        return f"an admitted caller was refused with {status}" if status in (401, 403) else None
    if row.scope == SCOPED:
        return None if status in (403, 404) else f"outside the scope got {status}, not 403/404"
    assert row.scope == FILTERED
    assert row.hides
    if not 200 <= status < 300:
        return f"a filtered list answered an outsider {status}"
    return f"an outsider's list shows {row.hides}" if str(world.ids[row.hides]) in body else None


def _describe(who: Who, status: int, fault: str, body: str) -> str:
    return f"{who.name:>24}: {fault} ({status}) {body[:200]}"


@pytest.mark.parametrize(
    ("service", "operation"),
    [(s, o) for s, o, _ in REST_OPERATIONS],
    ids=[f"{s} {o}" for s, o, _ in REST_OPERATIONS],
)
async def test_rest_operation(world: World, service: str, operation: str) -> None:
    row = REST.get(operation)
    assert row is not None, f"{operation} ({service}) has no row in tests/security/table.py: classify it"
    faults = []
    for who in CALLERS:
        response = await _call(world, service, operation, row, who)
        if fault := judge(row, who, response.status_code, response.text, world):
            faults.append(_describe(who, response.status_code, fault, response.text))
    assert not faults, f"{service} {operation}\n" + "\n".join(faults)


def graphql_status(answer: dict[str, Any]) -> int:
    """The HTTP status a GraphQL answer stands for: a typed problem's, an error's, else 200."""
    result = (answer.get("data") or {}).get("f")
    if isinstance(result, dict) and "statusCode" in result:
        return int(result["statusCode"])
    for error in answer.get("errors") or []:
        extensions = error.get("extensions") or {}
        if "status" in extensions:
            return int(extensions["status"])
        codes = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404, "INTERNAL_SERVER_ERROR": 500}
        return codes.get(str(extensions.get("code")), 400)
    return 200


@pytest.mark.parametrize("field", GRAPHQL_FIELDS)
async def test_graphql_field(world: World, field: str) -> None:
    spec = GRAPHQL.get(field)
    assert spec is not None, f"GraphQL {field} has no row in tests/security/table.py: classify it"
    row = REST[spec.operation]
    faults = []
    for who in CALLERS:
        async with rolled_back(world, write=field.startswith("Mutation.")):
            response = await world.gateway.client.post(
                "/graphql",
                json={"query": spec.document, "variables": spec.variables(world)},
                headers=world.headers(who),
            )
        assert response.status_code == 200, response.text
        status = graphql_status(response.json())
        if fault := judge(row, who, status, response.text, world):
            faults.append(_describe(who, status, fault, response.text))
    assert not faults, f"{field} (as {spec.operation})\n" + "\n".join(faults)


class TestTheTableIsComplete:
    def test_every_row_names_an_operation_that_exists(self) -> None:
        published = {o for _, o, _ in REST_OPERATIONS}
        assert set(REST) - published == set(), "rows of operations that no longer exist"
        assert set(GRAPHQL) - set(GRAPHQL_FIELDS) == set(), "rows of GraphQL fields that no longer exist"
        assert {spec.operation for spec in GRAPHQL.values()} <= published

    def test_declared_roles_are_the_tables(self) -> None:
        """The roles an operation's signature declares (x-roles) are the roles its row admits."""
        wrong = [
            f"{service} {operation}: x-roles {sorted(declared)} but the table says {sorted(row.roles or [])}"
            for service, operation, spec in REST_OPERATIONS
            if (row := REST.get(operation)) is not None
            and (declared := set(spec.get("x-roles", []))) != set(row.roles or [])
        ]
        assert not wrong, "\n".join(wrong)

    def test_every_role_is_a_column(self) -> None:
        assert {who.role for who in CALLERS} == {None, *Role}


# The leaks of issue 13, each a named check on the world.
IN, OUT = True, False


def _as(world: World, role: Role, inside: bool) -> dict[str, str]:
    return world.headers(Who(role, inside))


async def _version(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> dict[str, str]:
    """If-Match with the resource's current ETag (read as `headers`)."""
    response = await client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return {"If-Match": response.headers["ETag"]}


async def leak_memberships_by_council_roles(w: World) -> None:
    """Council members, secretaries and signers of the province may not add memberships to its people."""
    path = f"/people/{w.ids['person_id']}"
    current = await _version(w.stack.registry, path, w.demo("admin"))
    body = {"unit_id": HONG_GAI, "valid_from": "2030-01-01"}
    for role in (Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY, Role.DECISION_SIGNER):
        refused = await w.stack.registry.post(path + "/memberships", json=body, headers=_as(w, role, IN) | current)
        assert_problem(refused, 403, "forbidden")
    household = body | {"unit_id": w.ids["household"]}  # (she is in Hồng Gai already, at any date)
    added = await w.stack.registry.post(
        path + "/memberships", json=household, headers=_as(w, Role.UNIT_HEAD, IN) | current
    )
    assert added.status_code == 201, added.text


async def leak_award_records_of_another_province(w: World) -> None:
    """An emulation office of another province neither writes nor reads Hồng Gai's records (discipline included)."""
    other, own = _as(w, Role.EMULATION_OFFICE, OUT), _as(w, Role.EMULATION_OFFICE, IN)
    body = {"items": [{"subject_id": HONG_GAI, "kind": "discipline", "year": 2025, "value": "Cảnh cáo"}]}
    assert_problem(await w.stack.awards.post("/records", json=body, headers=other), 404, "subject-not-found")
    assert_problem(
        await w.stack.awards.get("/records", params={"subject_id": HONG_GAI}, headers=other), 404, "subject-not-found"
    )
    assert (await w.stack.awards.post("/records", json=body, headers=own)).status_code == 201
    kept = await w.stack.awards.get("/records", params={"subject_id": HONG_GAI}, headers=own)
    assert {r["kind"] for r in kept.json()["items"]} == {"rating", "discipline"}


async def leak_person_award_history_of_another_province(w: World) -> None:
    """A person's award history is their own province office's; the registry says where they belong."""
    path = f"/people/{w.ids['person_id']}/awards"
    assert_problem(await w.stack.awards.get(path, headers=_as(w, Role.EMULATION_OFFICE, OUT)), 404, "subject-not-found")
    assert (await w.stack.awards.get(path, headers=_as(w, Role.EMULATION_OFFICE, IN))).status_code == 200


async def leak_unknown_ids_look_like_outside_ones(w: World) -> None:
    """Unknown ids and ids outside the scope get the same answer: outsiders cannot probe which exist."""
    other, nobody = _as(w, Role.EMULATION_OFFICE, OUT), str(uuid.uuid4())
    answers = [
        await w.stack.awards.get(f"/people/{subject}/awards", headers=other) for subject in (w.ids["person_id"], nobody)
    ]
    answers += [
        await w.stack.awards.get("/records", params={"subject_id": subject}, headers=other)
        for subject in (HONG_GAI, nobody)
    ]
    answers += [await w.stack.registry.get(f"/people/{p}", headers=other) for p in (w.ids["person_id"], nobody)]
    answers += [await w.stack.awards.get(f"/nominations/{n}", headers=other) for n in (w.ids["nomination_id"], nobody)]
    assert [a.status_code for a in answers] == [404] * len(answers)
    assert len({(a.json()["type"], a.json()["title"]) for a in answers[0:4]}) == 1
    for pair in (answers[4:6], answers[6:8]):
        assert pair[0].json()["type"] == pair[1].json()["type"]


async def leak_version_before_scope(w: World) -> None:
    """A stale If-Match from outside the scope is refused for the scope (403/404), never answered 412."""
    stale = {"If-Match": '"999999"'}
    calls = [
        ("registry", "PATCH", f"/movements/{w.ids['movement_id']}", Role.EMULATION_OFFICE, {}),
        ("registry", "PATCH", f"/units/{HONG_GAI}", Role.UNIT_REPORTER, {}),
        (
            "registry",
            "POST",
            f"/registrations/{w.ids['registration_id']}/transitions",
            Role.UNIT_HEAD,
            {"to": "submitted"},
        ),
        ("registry", "POST", f"/people/{w.ids['person_id']}/memberships", Role.UNIT_HEAD, {"unit_id": HONG_GAI}),
        ("scoring", "POST", f"/periods/{w.ids['period_id']}/transitions", Role.EMULATION_OFFICE, {"to": "locked"}),
        ("awards", "POST", f"/nominations/{w.ids['nomination_id']}/transitions", Role.UNIT_HEAD, {"to": "submitted"}),
        ("awards", "PUT", f"/rules/{w.ids['rule_id']}", Role.EMULATION_OFFICE, w.ids["rule"]),
        ("awards", "POST", f"/councils/{w.ids['council_id']}/close", Role.COUNCIL_SECRETARY, None),
        ("awards", "POST", f"/decisions/{w.ids['decision_id']}/publish", Role.DECISION_SIGNER, None),
    ]
    for service, method, path, role, body in calls:
        answer = await w.client(service).request(method, path, json=body, headers=_as(w, role, OUT) | stale)
        assert answer.status_code in (403, 404), f"{method} {path}: {answer.status_code} {answer.text}"


async def leak_state_before_scope(w: World) -> None:
    """Closed councils, locked periods and published decisions say so (409) only to those in scope."""
    office, secretary = w.demo("tdkt.snv"), w.demo("hoidong.thuky")
    council = f"/councils/{w.ids['council_id']}"
    ok = await w.stack.awards.post(
        council + "/close", headers=secretary | await _version(w.stack.awards, council, secretary)
    )
    assert ok.status_code == 200, ok.text
    ballot = {"votes": [{"nominee_id": w.ids["council_nominee"], "choice": "no"}]}
    closed = council + "/close"
    current = await _version(w.stack.awards, council, secretary)
    assert_problem(
        await w.stack.awards.post(closed, headers=_as(w, Role.COUNCIL_SECRETARY, OUT) | current),
        404,
        "council-not-found",
    )
    assert_problem(
        await w.stack.awards.post(council + "/votes", json=ballot, headers=_as(w, Role.COUNCIL_MEMBER, OUT)),
        404,
        "council-not-found",
    )
    stranger = {"Authorization": w.headers(Who(Role.COUNCIL_MEMBER, IN))["Authorization"]}
    not_member = await w.stack.awards.post(council + "/votes", json=ballot, headers=w.demo("hoidong.uyvien") | {})
    assert_problem(not_member, 409, "council-closed")  # a member learns it is closed
    assert_problem(await w.stack.awards.post(council + "/votes", json=ballot, headers=stranger), 409, "council-closed")
    outsider_member = await w.stack.awards.post(
        council + "/votes", json=ballot, headers=w.headers(Who(Role.COUNCIL_MEMBER, OUT))
    )
    assert_problem(outsider_member, 404, "council-not-found")

    period = f"/periods/{w.ids['period_id']}"
    locked = await w.stack.scoring.post(
        period + "/transitions", json={"to": "locked"}, headers=office | await _version(w.stack.scoring, period, office)
    )
    assert locked.status_code == 200, locked.text
    items = {"items": [{"unit_id": HONG_GAI, "indicator_code": "X", "value": 70}]}
    reporter_out, reporter_in = _as(w, Role.UNIT_REPORTER, OUT), _as(w, Role.UNIT_REPORTER, IN)
    values_out = await w.stack.scoring.post(period + "/values", json=items, headers=reporter_out)
    assert_problem(values_out, 403, "participants-out-of-scope")
    submit_out = await w.stack.scoring.post(period + f"/units/{HONG_GAI}/submit", headers=reporter_out)
    assert_problem(submit_out, 403, "participant-out-of-scope")
    assert_problem(
        await w.stack.scoring.post(period + "/values", json=items, headers=reporter_in), 409, "period-locked"
    )

    decision = f"/decisions/{w.ids['decision_id']}"
    signer = w.demo("chutich.ubnd")
    published = await w.stack.awards.post(
        decision + "/publish", headers=signer | await _version(w.stack.awards, decision, signer)
    )
    assert published.status_code == 200, published.text
    again = _as(w, Role.DECISION_SIGNER, OUT) | await _version(w.stack.awards, decision, signer)
    assert_problem(await w.stack.awards.post(decision + "/publish", headers=again), 403, "outside-unit-scope")


async def leak_ballot_tally_while_open(w: World) -> None:
    """While a secret ballot is open, no count is shown (each member's vote would follow by differencing)."""
    council = await w.stack.awards.get(f"/councils/{w.ids['council_id']}", headers=w.demo("hoidong.thuky"))
    assert council.status_code == 200, council.text
    for item in council.json()["items"]:
        assert item["ballot"] == "secret"
        assert all(item.get(count) is None for count in ("yes", "no", "abstain", "written_yes")), item


async def _published_decision(w: World) -> str:
    decision, signer = f"/decisions/{w.ids['decision_id']}", w.demo("chutich.ubnd")
    published = await w.stack.awards.post(
        decision + "/publish", headers=signer | await _version(w.stack.awards, decision, signer)
    )
    assert published.status_code == 200, published.text
    return decision


async def leak_person_ids_on_decisions(w: World) -> None:
    """Anonymous callers read published decisions without the awardees' person ids."""
    decision = await _published_decision(w)
    for answer in (await w.stack.awards.get("/decisions"), await w.stack.awards.get(decision)):
        assert answer.status_code == 200, answer.text
        assert w.ids["person_id"] not in answer.text


async def leak_person_ids_on_decisions_graphql(w: World) -> None:
    await _published_decision(w)
    query = (
        "query($id: UUID!) { decisions { items { awards { personId } } } "
        "decision(id: $id) { ... on AwardDecision { awards { personId } } } }"
    )
    answer = await w.gateway.client.post("/graphql", json={"query": query, "variables": {"id": w.ids["decision_id"]}})
    assert w.ids["person_id"] not in answer.text


async def leak_person_registrations_listed(w: World) -> None:
    """Another province's signed-in user does not get the registrations of this province's people, REST or GraphQL."""
    outsider = _as(w, Role.UNIT_REPORTER, OUT)
    listed = await w.stack.registry.get(f"/movements/{w.ids['movement_id']}/registrations", headers=outsider)
    assert listed.status_code in (200, 403, 404), listed.text
    assert w.ids["person_id"] not in listed.text
    assert w.ids["person_registration"] not in listed.text
    query = "query($id: UUID!) { registrations(movementId: $id) { id personId } }"
    answer = await w.gateway.client.post(
        "/graphql", json={"query": query, "variables": {"id": w.ids["movement_id"]}}, headers=outsider
    )
    assert w.ids["person_id"] not in answer.text


async def leak_households_to_every_signed_in_caller(w: World) -> None:
    """A household is shown only within its unit's scope."""
    outsider = _as(w, Role.UNIT_REPORTER, OUT)
    assert_problem(await w.stack.registry.get(f"/units/{w.ids['household']}", headers=outsider), 404, "unit-not-found")
    for path, params in (("/units", {"kind": "household"}), (f"/units/{HONG_GAI}/children", {})):
        listed = await w.stack.registry.get(path, params=params, headers=outsider)
        assert w.ids["household"] not in listed.text
    own = await w.stack.registry.get(f"/units/{w.ids['household']}", headers=_as(w, Role.UNIT_REPORTER, IN))
    assert own.status_code == 200


LEAKS = [
    pytest.param(leak_memberships_by_council_roles, id="leak_memberships_by_council_roles"),
    pytest.param(leak_award_records_of_another_province, id="leak_award_records_of_another_province"),
    pytest.param(leak_person_award_history_of_another_province, id="leak_person_award_history_of_another_province"),
    pytest.param(leak_unknown_ids_look_like_outside_ones, id="leak_unknown_ids_look_like_outside_ones"),
    pytest.param(leak_version_before_scope, id="leak_version_before_scope"),
    pytest.param(leak_state_before_scope, id="leak_state_before_scope"),
    pytest.param(leak_ballot_tally_while_open, id="leak_ballot_tally_while_open"),
    pytest.param(leak_person_ids_on_decisions, id="leak_person_ids_on_decisions"),
    pytest.param(leak_person_ids_on_decisions_graphql, id="leak_person_ids_on_decisions_graphql"),
    pytest.param(leak_person_registrations_listed, id="leak_person_registrations_listed"),
    pytest.param(leak_households_to_every_signed_in_caller, id="leak_households_to_every_signed_in_caller"),
]


@pytest.mark.parametrize("leak", LEAKS)
async def test_leak_is_closed(world: World, leak: Callable[[World], Awaitable[None]]) -> None:
    async with rolled_back(world):
        await leak(world)
