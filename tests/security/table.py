"""The authorization table: for every operation of the three services and the gateway, and every GraphQL root field,
who may call it and how the data limits them. Reviewed like code: a new endpoint needs a row here, or test_matrix fails.

A row says:
- `roles`: the roles the operation admits (its signature's `requires(...)`, published as `x-roles`); None for a
  public operation (anonymous callers included; what they see is the service's filter).
- `scope`: SCOPED (a caller of a right role outside the data's scope gets 403, or 404 where the record is unknown to
  outsiders), FILTERED (a list: outsiders get 2xx without the in-scope record named by `hides`), or ROLE_ONLY
  (nothing in the data limits a caller of a right role: frameworks and the award catalogue are shared by every
  office).
- how to call it on the world (tests/security/world.py): path parameters come from the world's ids by their name
  (or `path`), plus a JSON `body`, query `params` or a multipart `form`/`files`. `versioned` operations are sent a
  stale If-Match, so an allowed caller gets 412 and nothing changes, and an outsider must get 403/404 before it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from services.awards.vocabulary import (
    CATALOGUE_EDITORS,
    DELIBERATORS,
    ISSUERS,
    NOMINATION_READERS,
    OFFICE,
    PROPOSERS,
    SECRETARY,
    VOTERS,
)
from services.registry.vocabulary import REGISTRY_OFFICERS, SIGNED_IN, UNIT_EDITORS
from tests.awards.factories import HONG_GAI, PROVINCE, decision_body, dossier
from tests.security.world import PDF, World

SCOPED, FILTERED, ROLE_ONLY = "scoped", "filtered", "role only"
ACT = {"number": "1679/NQ-UBTVQH15", "date": "2025-06-16", "issuer": "Ủy ban Thường vụ Quốc hội"}
Build = Callable[[World], Any]


@dataclass(frozen=True)
class Row:
    roles: frozenset[str] | None
    scope: str = SCOPED
    body: Build | None = None
    params: Build | None = None
    form: Build | None = None
    files: Build | None = None
    path: dict[str, str] = field(default_factory=dict)
    versioned: bool = False
    hides: str | None = None  # FILTERED: the world id an outsider's answer must not contain


def public(**how: Any) -> Row:
    return Row(None, ROLE_ONLY, **how)


def needs(roles: frozenset[str], scope: str = SCOPED, **how: Any) -> Row:
    return Row(frozenset(roles), scope, **how)


def _phase(w: World) -> dict[str, Any]:
    return {"code": "TONG-KET", "title": "Tổng kết", "start_date": "2022-01-01", "end_date": "2025-12-31"}


def _movement(w: World) -> dict[str, Any]:
    return {
        "code": "QN-MATRIX-NEW",
        "title": "Phong trào thi đua của ma trận",
        "issuer_unit_id": PROVINCE,
        "kind": "thematic",
        "legal_basis": {"number": "86/KH-UBND", "date": "2022-03-18"},
        "start_date": "2022-01-01",
        "end_date": "2025-12-31",
        "phases": [_phase(w)],
    }


def _framework(w: World) -> dict[str, Any]:
    indicator = {"code": "X", "kind": "indicator", "title": "Chỉ số X", "max_points": 100}
    return {
        "code": "QN-MATRIX-F",
        "title": "Bộ chỉ số của ma trận",
        "max_points": 100,
        "nodes": [
            {
                "code": "P",
                "kind": "pillar",
                "title": "Nhóm P",
                "max_points": 100,
                "children": [indicator | {"value_type": "percent", "method": "ratio"}],
            }
        ],
    }


def _period(w: World) -> dict[str, Any]:
    return {
        "framework_id": w.ids["framework_id"],
        "title": "Kỳ mới của ma trận",
        "kind": "year",
        "year": 2025,
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "scope_unit_id": PROVINCE,
    }


def _nomination(w: World) -> dict[str, Any]:
    return {
        "form_id": w.ids["form_id"],
        "proposer_unit_id": HONG_GAI,
        "authority_unit_id": PROVINCE,
        "title": "Đề nghị tặng Bằng khen",
        "nominees": [{"subject_type": "collective", "unit_id": HONG_GAI, "name": "Phường Hồng Gai"}],
        "documents": dossier(1),
    }


def _council(w: World) -> dict[str, Any]:
    return {
        "body_unit_id": PROVINCE,
        "body_name": "Hội đồng Thi đua – Khen thưởng tỉnh Quảng Ninh",
        "title": "Phiên họp của ma trận",
        "meets_on": "2025-12-03",
        "place": "Quảng Ninh",
        "members": [{"username": "hoidong.uyvien", "name": "Ủy viên", "position": "Chủ tịch Hội đồng"}],
        "nomination_ids": [w.ids["nomination_id"]],
    }


def _decision(w: World) -> dict[str, Any]:
    return decision_body([w.ids["council_nominee"]])


def _record(w: World) -> dict[str, Any]:
    return {"items": [{"subject_id": HONG_GAI, "kind": "discipline", "year": 2025, "value": "khiển trách"}]}


ANY = SIGNED_IN
# Keys are "METHOD /path" exactly as the services' OpenAPI lists them.
REST: dict[str, Row] = {
    # registry: units (the directory is open data; editors change units in their scope)
    "GET /units": public(),
    "GET /units/tree": public(),
    "GET /unit-kinds": public(),
    "GET /units/{unit_id}": public(),
    "GET /units/{unit_id}/children": public(),
    "GET /units/{unit_id}/ancestors": public(),
    "GET /units/{unit_id}/subtree": public(),
    "GET /units/{unit_id}/lineage": public(),
    "GET /units/{unit_id}/predecessors": public(),
    "GET /units/{unit_id}/successors": public(),
    "GET /units/{unit_id}/blocs": public(),
    "POST /units": needs(
        UNIT_EDITORS, body=lambda w: {"kind": "village", "level": "grassroots", "name": "Khu 9", "parent_id": HONG_GAI}
    ),
    "PATCH /units/{unit_id}": needs(UNIT_EDITORS, body=lambda w: {}, versioned=True),
    "POST /units/{unit_id}/names": needs(
        UNIT_EDITORS, body=lambda w: {"name": "Phường Hồng Gai Mới", "valid_from": "2030-01-01"}, versioned=True
    ),
    "POST /units/{unit_id}/codes": needs(UNIT_EDITORS, body=lambda w: {"organ_code": "000.00.00.H99"}, versioned=True),
    "POST /units/{unit_id}/parents": needs(UNIT_EDITORS, body=lambda w: {"parent_id": PROVINCE}, versioned=True),
    "POST /units/import": needs(
        REGISTRY_OFFICERS,
        params=lambda w: {"dry_run": "true"},
        files=lambda w: {
            "file": ("dv.csv", "name,kind,level,parent_code\nXã Ma Trận,commune,commune,22\n", "text/csv")
        },
    ),
    "POST /lineage-events": needs(
        REGISTRY_OFFICERS,
        body=lambda w: {
            "kind": "rename",
            "effective_date": "2030-01-01",
            "legal_act": ACT,
            "unit_id": HONG_GAI,
            "new_name": "Phường Hồng Gai Mới",
        },
    ),
    "GET /lineage-events": public(params=lambda w: {"effective_from": "2025-01-01", "effective_to": "2025-12-31"}),
    "GET /lineage-events/{event_id}": public(),
    # registry: people (personal data: unit editors in the scope of one of the person's units)
    "POST /people": needs(
        UNIT_EDITORS, body=lambda w: {"full_name": "Trần Văn Mới", "membership": {"unit_id": HONG_GAI}}
    ),
    "GET /people": needs(UNIT_EDITORS, params=lambda w: {"unit_id": HONG_GAI}),
    "GET /people/{person_id}": needs(UNIT_EDITORS),
    "POST /people/{person_id}/memberships": needs(
        UNIT_EDITORS, body=lambda w: {"unit_id": HONG_GAI, "valid_from": "2030-01-01"}, versioned=True
    ),
    "GET /scope": needs(ANY, ROLE_ONLY, params=lambda w: {"ids": HONG_GAI}),
    # registry: blocs (an office whose scope holds all their members)
    "POST /blocs": needs(
        REGISTRY_OFFICERS,
        body=lambda w: {
            "code": "QN-MATRIX-2",
            "name": "Cụm mới",
            "kind": "cluster",
            "members": [{"unit_id": HONG_GAI}],
        },
    ),
    "GET /blocs": public(),
    "GET /blocs/{bloc_id}": public(),
    "POST /blocs/{bloc_id}/members": needs(REGISTRY_OFFICERS, body=lambda w: {"unit_id": PROVINCE}, versioned=True),
    "PUT /blocs/{bloc_id}/officers/{year}": needs(
        REGISTRY_OFFICERS, body=lambda w: {"leader": HONG_GAI}, versioned=True
    ),
    # registry: movements and registrations
    "POST /movements": needs(REGISTRY_OFFICERS, body=_movement),
    "GET /movements": public(),
    "GET /movements/{movement_id}": public(),
    "PATCH /movements/{movement_id}": needs(REGISTRY_OFFICERS, body=lambda w: {}, versioned=True),
    "PUT /movements/{movement_id}/schedule": needs(
        REGISTRY_OFFICERS, body=lambda w: {"phases": [_phase(w)], "milestones": []}, versioned=True
    ),
    "POST /movements/{movement_id}/registrations": needs(UNIT_EDITORS, body=lambda w: {"unit_id": HONG_GAI}),
    "GET /movements/{movement_id}/registrations": public(),
    "GET /registrations/{registration_id}": public(),
    "PATCH /registrations/{registration_id}": needs(UNIT_EDITORS, body=lambda w: {}, versioned=True),
    "POST /registrations/{registration_id}/transitions": needs(
        UNIT_EDITORS, body=lambda w: {"to": "submitted"}, versioned=True
    ),
    # registry: the embedded issuer and health
    "POST /auth/token": public(form=lambda w: {"username": "admin", "password": "demo"}),
    "GET /auth/jwks.json": public(),
    "GET /auth/demo-users": public(),
    # scoring: frameworks are the province's (every office), periods are managed in their scope
    "POST /frameworks": needs(REGISTRY_OFFICERS, ROLE_ONLY, body=_framework),
    "GET /frameworks": public(),
    "GET /frameworks/{framework_id}": public(),
    "PUT /frameworks/{framework_id}": needs(REGISTRY_OFFICERS, ROLE_ONLY, body=_framework),
    "POST /frameworks/{framework_id}/publish": needs(REGISTRY_OFFICERS, ROLE_ONLY),
    "POST /frameworks/{framework_id}/versions": needs(REGISTRY_OFFICERS, ROLE_ONLY),
    "POST /periods": needs(REGISTRY_OFFICERS, body=_period),
    "GET /periods": public(),
    "GET /periods/{period_id}": public(),
    "PATCH /periods/{period_id}": needs(REGISTRY_OFFICERS, body=lambda w: {"reorganisation": "start"}, versioned=True),
    "POST /periods/{period_id}/transitions": needs(REGISTRY_OFFICERS, body=lambda w: {"to": "locked"}, versioned=True),
    "GET /periods/{period_id}/participants": public(),
    "PATCH /periods/{period_id}/participants/{unit_id}": needs(REGISTRY_OFFICERS, body=lambda w: {"ranked": False}),
    # scoring: values and evidence of a unit (its editors and the period's office)
    "POST /periods/{period_id}/values": needs(
        UNIT_EDITORS,
        params=lambda w: {"dry_run": "true"},
        body=lambda w: {"items": [{"unit_id": HONG_GAI, "indicator_code": "X", "value": 75}]},
    ),
    "POST /periods/{period_id}/values/import": needs(
        UNIT_EDITORS,
        params=lambda w: {"dry_run": "true"},
        files=lambda w: {"file": ("so-lieu.csv", f"unit_id,indicator_code,value\n{HONG_GAI},X,75\n", "text/csv")},
    ),
    "GET /periods/{period_id}/values": needs(UNIT_EDITORS, FILTERED, hides="unit_id"),
    "POST /periods/{period_id}/units/{unit_id}/submit": needs(UNIT_EDITORS),
    "POST /periods/{period_id}/values/{unit_id}/{indicator_code}/review": needs(
        REGISTRY_OFFICERS, body=lambda w: {"action": "accept"}, versioned=True
    ),
    "GET /periods/{period_id}/values/{unit_id}/{indicator_code}/history": needs(UNIT_EDITORS),
    "POST /periods/{period_id}/evidence": needs(
        UNIT_EDITORS,
        form=lambda w: {"unit_id": HONG_GAI},
        files=lambda w: {"file": ("minh-chung.pdf", PDF, "application/pdf")},
    ),
    "GET /periods/{period_id}/evidence/{file_id}": needs(UNIT_EDITORS),
    # scoring: scores of a published period are open data
    "GET /periods/{period_id}/scores": public(path={"period_id": "published_period"}),
    "GET /periods/{period_id}/scores/{unit_id}": public(path={"period_id": "published_period"}),
    "GET /periods/{period_id}/scores/{unit_id}/explain": public(path={"period_id": "published_period"}),
    "GET /periods/{period_id}/indicators/{code}/scores": public(path={"period_id": "published_period"}),
    "GET /periods/{period_id}/rankings": public(path={"period_id": "published_period"}),
    "GET /periods/{period_id}/rankings/{group_kind}": public(
        path={"period_id": "published_period"}, params=lambda w: {"key": "ward|commune"}
    ),
    "GET /periods/{period_id}/targets": public(
        path={"period_id": "published_period"}, params=lambda w: {"unit_id": HONG_GAI}
    ),
    "POST /periods/{period_id}/derived": needs(REGISTRY_OFFICERS, body=lambda w: {"unit_id": HONG_GAI}),
    # awards: the catalogue is open data, kept by administrators
    "GET /regimes": public(),
    "GET /regimes/{code}": public(path={"code": "regime"}),
    "PUT /regimes/{code}": needs(
        CATALOGUE_EDITORS, ROLE_ONLY, path={"code": "regime"}, body=lambda w: {"title": "x", "valid_from": "2024-01-01"}
    ),
    "GET /forms": public(),
    "GET /forms/{form_id}": public(),
    "GET /base-salaries": public(),
    "PUT /base-salaries/{valid_from}": needs(
        CATALOGUE_EDITORS, ROLE_ONLY, body=lambda w: {"amount": 2340000, "legal_basis": "Nghị định 73/2024/NĐ-CP"}
    ),
    "GET /holidays/{year}": public(),
    "PUT /holidays/{year}": needs(
        CATALOGUE_EDITORS, ROLE_ONLY, body=lambda w: {"days": [{"day": "2026-01-01", "name": "Tết Dương lịch"}]}
    ),
    # awards: rules (the office writes; the council's side reads), in the scope of the movement's issuer
    "POST /rules": needs(OFFICE, body=lambda w: w.ids["rule"]),
    "GET /rules": needs(DELIBERATORS, FILTERED, hides="rule_id"),
    "GET /rules/{rule_id}": needs(DELIBERATORS),
    "PUT /rules/{rule_id}": needs(OFFICE, body=lambda w: w.ids["rule"], versioned=True),
    "GET /rules/{rule_id}/candidates": needs(DELIBERATORS),
    # awards: nominations, seen from the proposing unit's scope and the authority's
    "POST /nominations": needs(PROPOSERS, body=_nomination),
    "GET /nominations": needs(NOMINATION_READERS, FILTERED, hides="nomination_id"),
    "GET /nominations/{nomination_id}": needs(NOMINATION_READERS),
    "POST /nominations/{nomination_id}/documents": needs(
        PROPOSERS, body=lambda w: {"items": [{"code": "bao_cao_thanh_tich", "title": "Bổ sung", "nominee_position": 1}]}
    ),
    "DELETE /nominations/{nomination_id}/documents/{document_id}": needs(PROPOSERS),
    "POST /nominations/{nomination_id}/transitions": needs(
        NOMINATION_READERS, body=lambda w: {"to": "submitted"}, versioned=True
    ),
    "POST /nominations/{nomination_id}/escalations": needs(
        OFFICE, body=lambda w: {"form_id": w.ids["form_id"], "authority_unit_id": PROVINCE, "title": "Lên cấp trên"}
    ),
    "GET /nominations/{nomination_id}/cover-letter.docx": needs(NOMINATION_READERS),
    # awards: councils (the secretary runs them, members vote), in the scope of the council's body
    "POST /councils": needs(SECRETARY, body=_council),
    "GET /councils/{council_id}": needs(DELIBERATORS),
    "PUT /councils/{council_id}/attendance": needs(SECRETARY, body=lambda w: {"present": []}, versioned=True),
    "POST /councils/{council_id}/votes": needs(
        VOTERS, body=lambda w: {"votes": [{"nominee_id": w.ids["council_nominee"], "choice": "yes"}]}
    ),
    "POST /councils/{council_id}/close": needs(SECRETARY, versioned=True),
    "GET /councils/{council_id}/minutes.docx": needs(DELIBERATORS),
    # awards: decisions (published ones are open data; a signed one is its issuer's)
    "POST /decisions": needs(ISSUERS, body=_decision),
    "GET /decisions": public(),
    "GET /decisions/{decision_id}": public(),
    "GET /decisions/{decision_id}/document.docx": public(),
    "POST /decisions/{decision_id}/publish": needs(ISSUERS, versioned=True),
    "POST /awards/{award_id}/revocations": needs(ISSUERS, body=lambda w: {"reason": "Vi phạm kỷ luật"}),
    # awards: history (published awards are open data; records and a person's history are the office's, scoped)
    "GET /units/{unit_id}/awards": public(),
    "GET /awards": public(params=lambda w: {"unit_ids": HONG_GAI}),
    "GET /people/{person_id}/awards": needs(OFFICE),
    "POST /records": needs(OFFICE, body=_record),
    "GET /records": needs(OFFICE, params=lambda w: {"subject_id": HONG_GAI}),
    # the gateway: GraphQL (each field has its row below) and the open-data downloads
    "GET /graphql": public(params=lambda w: {"query": "{ __typename }"}),
    "POST /graphql": public(body=lambda w: {"query": "{ __typename }"}),
    "GET /open-data": public(),
    "GET /open-data/rankings": public(),
    "GET /open-data/rankings/{period_id}": public(path={"period_id": "published_period"}),
    "GET /open-data/decisions": public(),
    "GET /open-data/units": public(),
    # every service and the gateway
    "GET /livez": public(),
    "GET /readyz": public(),
}


@dataclass(frozen=True)
class Field:
    """A GraphQL root field: the service operation it forwards to (its row applies), the document and variables."""

    operation: str
    document: str
    variables: Build = lambda w: {}
    versioned: bool = False


def _result(name: str, args: str = "", params: str = "") -> str:
    """A document selecting the field's result type and, for a typed problem, its status."""
    head = f"({params})" if params else ""
    call = f"({args})" if args else ""
    return f"query{head} {{ f: {name}{call} {{ __typename ... on Problem {{ statusCode type }} }} }}"


def _mutation(name: str, args: str, params: str) -> str:
    return _result(name, args, params).replace("query", "mutation", 1)


def _id(key: str) -> Build:
    return lambda w: {"id": w.ids[key]}


GRAPHQL: dict[str, Field] = {
    "Query.unit": Field("GET /units/{unit_id}", _result("unit", "id: $id", "$id: UUID!"), _id("unit_id")),
    "Query.units": Field("GET /units", _result("units")),
    "Query.unitTree": Field("GET /units/tree", _result("unitTree")),
    "Query.blocs": Field("GET /blocs", _result("blocs")),
    "Query.bloc": Field("GET /blocs/{bloc_id}", _result("bloc", "id: $id", "$id: UUID!"), _id("bloc_id")),
    "Query.movements": Field("GET /movements", _result("movements")),
    "Query.movement": Field(
        "GET /movements/{movement_id}", _result("movement", "id: $id", "$id: UUID!"), _id("movement_id")
    ),
    "Query.registrations": Field(
        "GET /movements/{movement_id}/registrations",
        _result("registrations", "movementId: $id", "$id: UUID!"),
        _id("movement_id"),
    ),
    "Query.registration": Field(
        "GET /registrations/{registration_id}",
        _result("registration", "id: $id", "$id: UUID!"),
        _id("registration_id"),
    ),
    "Query.frameworks": Field("GET /frameworks", _result("frameworks")),
    "Query.framework": Field(
        "GET /frameworks/{framework_id}", _result("framework", "id: $id", "$id: UUID!"), _id("framework_id")
    ),
    "Query.periods": Field("GET /periods", _result("periods")),
    "Query.period": Field("GET /periods/{period_id}", _result("period", "id: $id", "$id: UUID!"), _id("period_id")),
    "Query.ranking": Field(
        "GET /periods/{period_id}/rankings/{group_kind}",
        _result("ranking", 'periodId: $id, groupKind: PEER, key: "ward|commune"', "$id: UUID!"),
        _id("published_period"),
    ),
    "Query.awardRules": Field("GET /rules", _result("awardRules")),
    "Query.awardRule": Field("GET /rules/{rule_id}", _result("awardRule", "id: $id", "$id: UUID!"), _id("rule_id")),
    "Query.candidates": Field(
        "GET /rules/{rule_id}/candidates", _result("candidates", "ruleId: $id", "$id: UUID!"), _id("rule_id")
    ),
    "Query.nominations": Field("GET /nominations", _result("nominations")),
    "Query.nomination": Field(
        "GET /nominations/{nomination_id}", _result("nomination", "id: $id", "$id: UUID!"), _id("nomination_id")
    ),
    "Query.council": Field(
        "GET /councils/{council_id}", _result("council", "id: $id", "$id: UUID!"), _id("council_id")
    ),
    "Query.decisions": Field("GET /decisions", _result("decisions")),
    "Query.decision": Field(
        "GET /decisions/{decision_id}", _result("decision", "id: $id", "$id: UUID!"), _id("decision_id")
    ),
    "Mutation.register": Field(
        "POST /movements/{movement_id}/registrations",
        _mutation("register", "movementId: $id, input: $input", "$id: UUID!, $input: RegistrationInput!"),
        lambda w: {"id": w.ids["movement_id"], "input": {"unitId": HONG_GAI}},
    ),
    "Mutation.transitionRegistration": Field(
        "POST /registrations/{registration_id}/transitions",
        _mutation(
            "transitionRegistration",
            "id: $id, input: {to: SUBMITTED}, version: 999999",
            "$id: UUID!",
        ),
        _id("registration_id"),
        versioned=True,
    ),
    "Mutation.submitValues": Field(
        "POST /periods/{period_id}/values",
        _mutation("submitValues", "periodId: $id, items: $items, dryRun: true", "$id: UUID!, $items: [ValueInput!]!"),
        lambda w: {"id": w.ids["period_id"], "items": [{"unitId": HONG_GAI, "indicatorCode": "X", "value": "75"}]},
    ),
    "Mutation.reviewValue": Field(
        "POST /periods/{period_id}/values/{unit_id}/{indicator_code}/review",
        _mutation(
            "reviewValue",
            'periodId: $id, unitId: $unit, indicatorCode: "X", input: {action: ACCEPT}, version: 999999',
            "$id: UUID!, $unit: UUID!",
        ),
        lambda w: {"id": w.ids["period_id"], "unit": HONG_GAI},
        versioned=True,
    ),
    "Mutation.nominate": Field(
        "POST /nominations",
        _mutation("nominate", "input: $input", "$input: NominationInput!"),
        lambda w: {"input": _camel(_nomination(w))},
    ),
    "Mutation.transitionNomination": Field(
        "POST /nominations/{nomination_id}/transitions",
        _mutation("transitionNomination", "id: $id, input: {to: SUBMITTED}, version: 999999", "$id: UUID!"),
        _id("nomination_id"),
        versioned=True,
    ),
    "Mutation.vote": Field(
        "POST /councils/{council_id}/votes",
        _mutation("vote", "councilId: $id, votes: [{nomineeId: $line, choice: YES}]", "$id: UUID!, $line: UUID!"),
        lambda w: {"id": w.ids["council_id"], "line": w.ids["council_nominee"]},
    ),
    "Mutation.decide": Field(
        "POST /decisions",
        _mutation("decide", "input: $input", "$input: DecisionInput!"),
        lambda w: {"input": _camel(_decision(w))},
    ),
    "Mutation.transitionPeriod": Field(
        "POST /periods/{period_id}/transitions",
        _mutation("transitionPeriod", "id: $id, input: {to: LOCKED}, version: 999999", "$id: UUID!"),
        _id("period_id"),
        versioned=True,
    ),
    "Mutation.openCouncil": Field(
        "POST /councils",
        _mutation("openCouncil", "input: $input", "$input: CouncilInput!"),
        lambda w: {"input": _camel(_council(w))},
    ),
    "Mutation.closeCouncil": Field(
        "POST /councils/{council_id}/close",
        _mutation("closeCouncil", "id: $id, version: 999999", "$id: UUID!"),
        _id("council_id"),
        versioned=True,
    ),
    "Mutation.publishDecision": Field(
        "POST /decisions/{decision_id}/publish",
        _mutation("publishDecision", "id: $id, version: 999999", "$id: UUID!"),
        _id("decision_id"),
        versioned=True,
    ),
}

_ENUMS = {"subjectType", "to", "choice", "action"}  # values the GraphQL inputs take as enum names


def _camel(value: Any, key: str = "") -> Any:
    """A service body as GraphQL input variables: camelCase members, enum values by name."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            head, *rest = k.split("_")
            name = head + "".join(p.title() for p in rest)
            out[name] = _camel(v, name)
        return out
    if isinstance(value, list):
        return [_camel(v, key) for v in value]
    return value.upper() if key in _ENUMS and isinstance(value, str) else value
