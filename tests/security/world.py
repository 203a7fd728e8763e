"""The world the authorization matrix runs in: the demo (Quảng Ninh) plus one of every resource, built once per module
through the APIs, and callers of every role inside and outside its scope.

In scope: unit roles sit at Phường Hồng Gai, province roles at Tỉnh Quảng Ninh, where every resource below lives.
Out of scope: the same roles at Tỉnh Lạng Sơn (a second province) and one of its wards. An administrator's scope
is everything, so there is no administrator outside it.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from kit.auth import Caller
from services.registry.vocabulary import Role
from tests.awards.factories import (
    HONG_GAI,
    PROVINCE,
    collective,
    council,
    decided,
    decision_body,
    form_id,
    movement,
    nomination,
    ok,
    published_period,
    secret_ballot_form,
    to_council,
    unit,
)
from tests.conftest import Stack, demo_token
from tests.gateway.conftest import Gateway
from tests.scoring.factories import period, values

UNIT_ROLES = (Role.UNIT_REPORTER, Role.UNIT_HEAD)
PROVINCE_ROLES = (Role.EMULATION_OFFICE, Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY, Role.DECISION_SIGNER)
PDF = b"%PDF-1.4\n% matrix evidence\n"
Headers = dict[str, str]


@dataclass(frozen=True)
class Who:
    """One column of the matrix: anonymous, or one role inside or outside the world's scope."""

    role: Role | None
    inside: bool

    @property
    def name(self) -> str:
        return "anonymous" if self.role is None else f"{self.role.value}.{'in' if self.inside else 'out'}"


ANONYMOUS = Who(None, True)
CALLERS = [ANONYMOUS] + [Who(r, inside) for r in Role for inside in (True, False) if r != Role.ADMIN or inside]


@dataclass
class World:
    stack: Stack
    gateway: Gateway
    registry_app: FastAPI
    connection: AsyncConnection
    ids: dict[str, Any] = field(default_factory=dict)  # path parameter and resource names → in-scope values
    tokens: dict[Who, Headers] = field(default_factory=dict)

    def headers(self, who: Who) -> Headers:
        if who.role is None:
            return {}
        if who in self.tokens:
            return self.tokens[who]
        province, ward = (PROVINCE, HONG_GAI) if who.inside else (self.ids["other_province"], self.ids["other_ward"])
        unit_id = None if who.role == Role.ADMIN else ward if who.role in UNIT_ROLES else province
        caller = Caller(subject=who.name, roles=frozenset({who.role}), unit_id=uuid.UUID(unit_id) if unit_id else None)
        self.tokens[who] = {"Authorization": "Bearer " + self.registry_app.state.issuer.issue(caller)}
        return self.tokens[who]

    def demo(self, username: str) -> Headers:
        return {"Authorization": "Bearer " + demo_token(self.registry_app, username)}

    def client(self, service: str) -> httpx.AsyncClient:
        client: httpx.AsyncClient = self.gateway.client if service == "gateway" else getattr(self.stack, service)
        return client


async def build(stack: Stack, gateway: Gateway, registry_app: FastAPI, connection: AsyncConnection) -> World:
    """One of everything the operations act on, all in Quảng Ninh (Hồng Gai for what belongs to a ward)."""
    w = World(stack, gateway, registry_app, connection)
    ids = w.ids
    admin, office, secretary = w.demo("admin"), w.demo("tdkt.snv"), w.demo("hoidong.thuky")
    ids |= {"unit_id": HONG_GAI, "province": PROVINCE, "year": 2026, "valid_from": "2026-01-01"}

    # Registry: the other province, a person, a household, a movement, registrations, a bloc, a lineage event.
    ids["other_province"] = await unit(stack, admin, "Tỉnh Lạng Sơn", "province", "province")
    ids["other_ward"] = await unit(stack, admin, "Phường Đông Kinh", "ward", "commune", ids["other_province"])
    ids["household"] = await unit(stack, admin, "Hộ ông Nguyễn Văn Hộ", "household", "grassroots", HONG_GAI)
    person_body = {"full_name": "Nguyễn Thị Ma Trận", "membership": {"unit_id": HONG_GAI}}
    ids["person_id"] = ok(await stack.registry.post("/people", json=person_body, headers=admin), 201)["id"]
    launched = await movement(stack, admin, PROVINCE, "QN-MATRIX", ["TONG-KET"])
    ids["movement_id"] = launched["id"]
    registrations = f"/movements/{launched['id']}/registrations"
    ids["registration_id"] = ok(
        await stack.registry.post(registrations, json={"unit_id": HONG_GAI}, headers=admin), 201
    )["id"]
    ids["person_registration"] = ok(
        await stack.registry.post(registrations, json={"person_id": ids["person_id"]}, headers=admin), 201
    )["id"]
    bloc = {"code": "QN-MATRIX", "name": "Cụm thi đua ma trận", "kind": "cluster", "members": [{"unit_id": HONG_GAI}]}
    ids["bloc_id"] = ok(await stack.registry.post("/blocs", json=bloc, headers=admin), 201)["id"]
    ids["event_id"] = ok(await stack.registry.get(f"/units/{HONG_GAI}/lineage"))["items"][0]["id"]

    # Scoring: a published period (framework "X") and an open one with a submitted value and an evidence file.
    published = await published_period(stack, office, PROVINCE, {HONG_GAI: 90}, code="QN-MATRIX")
    ids["published_period"] = published["id"]
    ids["framework_id"] = published["framework_id"]
    opened = await period(stack.scoring, office, published["framework_id"], title="Kỳ mở của ma trận")
    ids["period_id"] = opened["id"]
    ok(
        await values(
            stack.scoring,
            office,
            opened["id"],
            [{"unit_id": HONG_GAI, "indicator_code": "X", "value": 80}],
            submit="true",
        )
    )
    ids |= {"indicator_code": "X", "code": "X", "group_kind": "peer", "key": "ward|commune"}
    upload = await stack.scoring.post(
        f"/periods/{opened['id']}/evidence",
        data={"unit_id": HONG_GAI},
        files={"file": ("minh-chung.pdf", PDF, "application/pdf")},
        headers=office,
    )
    ids["file_id"] = ok(upload, 201)["id"]

    # Awards: a rule, a draft dossier, an open secret-ballot council, a signed (unpublished) decision, a record.
    ids["form_id"] = await form_id(stack, "BK_TINH")
    ids["regime"] = "TDKT-2022"
    rule = {
        "movement_id": launched["id"],
        "phase_code": "TONG-KET",
        "year": 2025,
        "period_id": published["id"],
        "form_id": ids["form_id"],
        "title": "Bằng khen của Chủ tịch UBND tỉnh: tổng kết",
        "groups": [
            {
                "key": "xa",
                "label": "Cấp xã",
                "levels": ["commune"],
                "conditions": [{"kind": "indicator", "code": "X", "op": ">=", "value": 50}],
                "order": {"measure": "indicator", "code": "X"},
            }
        ],
    }
    ids["rule"] = rule
    ids["rule_id"] = ok(await stack.awards.post("/rules", json=rule, headers=admin), 201)["id"]
    draft = await nomination(
        stack,
        admin,
        ids["form_id"],
        [collective(HONG_GAI, "Phường Hồng Gai")],
        movement_id=launched["id"],
        phase_code="TONG-KET",
    )
    ids["nomination_id"] = draft["id"]
    ids["document_id"] = draft["documents"][0]["id"]
    secret_form = secret_ballot_form("MATRIX_SECRET")
    regime = {"title": "Quy chế thử của ma trận", "valid_from": "2024-01-01", "forms": [secret_form]}
    secret_id = ok(await stack.awards.put("/regimes/MATRIX", json=regime, headers=admin))["forms"][0]["id"]
    nominee = {"subject_type": "individual", "person_id": ids["person_id"], "name": "Bà Nguyễn Thị Ma Trận"}
    on_agenda = await to_council(
        stack, admin, office, await nomination(stack, admin, secret_id, [nominee], documents=[])
    )
    members = ["hoidong.uyvien", "hoidong.thuky", "council_member.in", "council_secretary.in"]
    opened_council = await council(stack, secretary, [on_agenda], members)
    ids["council_id"] = opened_council["id"]
    ids["council_nominee"] = on_agenda["nominees"][0]["id"]
    ballot = {"votes": [{"nominee_id": ids["council_nominee"], "choice": "yes"}]}
    ok(
        await stack.awards.post(
            f"/councils/{opened_council['id']}/votes", json=ballot, headers=w.demo("hoidong.uyvien")
        )
    )
    person_line = {"subject_type": "individual", "person_id": ids["person_id"], "name": "Bà Nguyễn Thị Ma Trận"}
    done = await decided(stack, w.demo, ids["form_id"], [collective(HONG_GAI, "Phường Hồng Gai"), person_line])
    ids["decided_nomination"] = done["id"]
    signed = ok(
        await stack.awards.post(
            "/decisions", json=decision_body([x["id"] for x in done["nominees"]]), headers=w.demo("chutich.ubnd")
        ),
        201,
    )
    ids["decision_id"] = signed["id"]
    ids["award_id"] = signed["awards"][0]["id"]
    record = {"items": [{"subject_id": HONG_GAI, "kind": "rating", "year": 2024, "value": "excellent"}]}
    ok(await stack.awards.post("/records", json=record, headers=admin), 201)
    return w
