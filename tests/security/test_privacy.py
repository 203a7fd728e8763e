"""The personal-data policy (services/*/privacy.py), one leak per class: sealed secret ballots, awardees' person ids,
people's and households' registrations, households in the unit directory; over REST and GraphQL."""

import io
from typing import Any

import docx
import pytest

from kit.disclosure import Disclosure, Policy, when
from kit.schemas import OutModel
from services.awards.privacy import POLICY as AWARDS_POLICY
from services.registry.privacy import POLICY as REGISTRY_POLICY
from tests.awards.factories import (
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
    published_period,
    secret_ballot_form,
    to_council,
    unit,
)
from tests.conftest import Stack
from tests.gateway import conftest as gateway_fixtures
from tests.gateway.conftest import Gateway

gateway, gateway_for = gateway_fixtures.gateway, gateway_fixtures.gateway_for  # the gateway's fixtures, shared

MEMBERS = ["tv1", "tv2", "tv3"]
COUNCIL = """query($id: UUID!) { council(id: $id) { __typename ... on Council { status
  items { ballot yes no abstain writtenYes voted result share votes } } } }"""
DECISIONS = "{ decisions { items { id awards { name personId } } } }"
DECISION = "query($id: UUID!) { decision(id: $id) { ... on AwardDecision { awards { name personId } } } }"
REGISTRATIONS = "query($m: UUID!) { registrations(movementId: $m) { id unitId personId commitments } }"
UNITS = "query($q: String!) { units(q: $q) { items { id name } } }"


async def a_person(stack: Stack, admin: dict[str, str], name: str, unit_id: str) -> str:
    body = {"full_name": name, "membership": {"unit_id": unit_id, "title": "Chuyên viên"}}
    found: str = ok(await stack.registry.post("/people", json=body, headers=admin), 201)["id"]
    return found


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


class Sample(OutModel):
    name: str
    person_id: str | None
    tally: int


class TestThePolicyIsOneTable:
    def test_a_hidden_field_goes_out_as_null_and_a_hidden_record_not_at_all(self) -> None:
        policy = Policy(Disclosure(Sample, record=when("in_scope", "public"), fields={"person_id": when("handler")}))
        record = Sample(name="Bà Lan", person_id="p-1", tally=3)
        assert policy.shape(record, {"public"}) == Sample(name="Bà Lan", person_id=None, tally=3)
        assert policy.shape(record, {"public", "handler"}) == record
        assert (policy.shows(Sample, set()), policy.shows(Sample, {"in_scope"})) == (False, True)

    def test_a_guarded_field_must_accept_null(self) -> None:
        with pytest.raises(TypeError, match="must accept null"):
            Disclosure(Sample, fields={"tally": when("closed")})
        with pytest.raises(TypeError, match="no field"):
            Disclosure(Sample, fields={"missing": when("closed")})

    def test_every_guarded_field_is_listed_with_who_sees_it(self) -> None:
        awards = {(m, f): who for m, f, who in AWARDS_POLICY.table()}
        assert awards[("AwardOut", "person_id")] == "handler"
        assert awards[("AwardOut", "deviation_reason")] == "handler"
        assert awards[("Decision", "against_council")] == "handler"
        assert awards[("Item", "votes")] == "open_ballot"
        assert awards[("Item", "yes")] == "closed or open_ballot"
        registry = {(m, f): who for m, f, who in REGISTRY_POLICY.table()}
        assert registry[("Person", "*")] == "in_scope"
        assert registry[("Registration", "*")] == "in_scope or published_kind"
        assert registry[("Unit", "*")] == "in_scope or published_kind"


class TestSecretBallot:
    async def test_the_tally_is_sealed_from_everyone_until_the_council_closes(
        self, stack: Stack, token_for: Any, token_as: Any, gateway: Gateway
    ) -> None:
        regime = {
            "title": "Quy chế bỏ phiếu kín thử",
            "valid_from": "2024-01-01",
            "forms": [secret_ballot_form("KIN")],
        }
        [form] = ok(await stack.awards.put("/regimes/TEST-SECRET", json=regime, headers=token_for("admin")))["forms"]
        proposer, office, secretary = token_for("lanhdao.honggai"), token_for("tdkt.snv"), token_for("hoidong.thuky")
        n = await nomination(stack, proposer, form["id"], [person("Ông Trần Văn Kín", "Công chức")], documents=[])
        n = await to_council(stack, proposer, office, n)
        c = await council(stack, secretary, [n], MEMBERS)
        line = n["nominees"][0]["id"]
        members = {m: token_as(m, "council_member", unit_id=PROVINCE) for m in MEMBERS}
        sealed = {"yes": None, "no": None, "abstain": None, "written_yes": None, "share": None, "votes": None}
        for voted, (member, choice) in enumerate([("tv1", "yes"), ("tv2", "no")], 1):
            body = {"votes": [{"nominee_id": line, "choice": choice}]}
            ok(await stack.awards.post(f"/councils/{c['id']}/votes", json=body, headers=members[member]))
            for reader in (members["tv1"], members["tv3"], secretary, token_for("admin")):
                [item] = ok(await stack.awards.get(f"/councils/{c['id']}", headers=reader))["items"]
                assert {k: item[k] for k in sealed} == sealed  # no running count to difference
                assert (item["voted"], item["result"]) == (voted, None)
            [item] = (await gateway.query(COUNCIL, members["tv3"], id=c["id"]))["data"]["council"]["items"]
            assert (item["yes"], item["no"], item["abstain"], item["writtenYes"], item["votes"]) == (None,) * 5
            assert item["voted"] == voted
        minutes = await stack.awards.get(f"/councils/{c['id']}/minutes.docx", headers=secretary)
        assert "2 thành viên đã bỏ phiếu, phiếu kín chưa kiểm" in docx_text(minutes.content)

        ok(await stack.awards.post(f"/councils/{c['id']}/close", headers=secretary | {"If-Match": f'"{c["version"]}"'}))
        [item] = ok(await stack.awards.get(f"/councils/{c['id']}", headers=members["tv3"]))["items"]
        assert (item["yes"], item["no"], item["abstain"], item["votes"]) == (1, 1, 0, None)  # counted; never who
        assert None not in (item["result"], item["share"])


class TestAwardeesPersonIds:
    async def test_a_published_decision_names_its_awardees_without_their_person_ids(
        self, stack: Stack, token_for: Any, gateway: Gateway
    ) -> None:
        admin = token_for("admin")
        lan = await a_person(stack, admin, "Bà Nguyễn Thị Lan", HONG_GAI)
        nominees = [person("Bà Nguyễn Thị Lan", "Chuyên viên UBND phường Hồng Gai") | {"person_id": lan}]
        n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), nominees)
        signer = token_for("chutich.ubnd")
        made = ok(
            await stack.awards.post("/decisions", json=decision_body([n["nominees"][0]["id"]]), headers=signer), 201
        )
        assert made["awards"][0]["person_id"] == lan  # the signer handles it
        ok(await stack.awards.post(f"/decisions/{made['id']}/publish", headers=signer | {"If-Match": '"1"'}))

        anonymous: dict[str, str] = {}
        for headers in (anonymous, token_for("baocao.baichay")):
            [award] = ok(await stack.awards.get(f"/decisions/{made['id']}", headers=headers))["awards"]
            assert (award["name"], award["person_id"]) == ("Bà Nguyễn Thị Lan", None)
            listed = ok(await stack.awards.get("/decisions", headers=headers))["items"]
            assert [a["person_id"] for d in listed for a in d["awards"]] == [None]
        for handler in (signer, token_for("tdkt.snv"), admin):
            [award] = ok(await stack.awards.get(f"/decisions/{made['id']}", headers=handler))["awards"]
            assert award["person_id"] == lan

        for query, variables in ((DECISIONS, {}), (DECISION, {"id": made["id"]})):
            answer = await gateway.query(query, **variables)
            assert lan not in str(answer), answer
            assert "Bà Nguyễn Thị Lan" in str(answer)
        for fmt in ("json", "csv"):
            exported = await gateway.client.get("/open-data/decisions", params={"format": fmt})
            assert exported.status_code == 200
            assert lan not in exported.text
            assert "Nguyễn Thị Lan" in exported.text


class TestRegistrationsOfPeopleAndHouseholds:
    async def test_the_list_applies_the_scope_of_the_single_read(
        self, stack: Stack, token_for: Any, gateway: Gateway
    ) -> None:
        admin, office = token_for("admin"), token_for("tdkt.snv")
        m = await movement(stack, admin, PROVINCE, "QN-PRIV-2025", ["GD1"])
        lan = await a_person(stack, admin, "Bà Nguyễn Thị Lan", HONG_GAI)
        household = await unit(stack, admin, "Hộ ông Phạm Văn Hộ", "household", "grassroots", HONG_GAI)
        registered: dict[str, str] = {}
        for field, subject in (("person_id", lan), ("unit_id", household), ("unit_id", HONG_GAI)):
            body = {field: subject, "commitments": ["Hoàn thành chuyển đổi số"]}
            made = ok(await stack.registry.post(f"/movements/{m['id']}/registrations", json=body, headers=admin), 201)
            registered[subject] = made["id"]
        url = f"/movements/{m['id']}/registrations"

        def subjects(items: list[dict[str, Any]]) -> set[str]:
            return {i.get("person_id") or i.get("personId") or i.get("unit_id") or i["unitId"] for i in items}

        outsider, insider = token_for("baocao.baichay"), token_for("baocao.honggai")
        for headers, expected in (
            ({}, {HONG_GAI}),
            (outsider, {HONG_GAI}),
            (insider, {HONG_GAI, household, lan}),
            (office, {HONG_GAI, household, lan}),
        ):
            assert subjects(ok(await stack.registry.get(url, headers=headers))["items"]) == expected
            answer = await gateway.query(REGISTRATIONS, headers, m=m["id"])
            assert subjects(answer["data"]["registrations"]) == expected
        public = f"/registrations/{registered[HONG_GAI]}"  # who moved it: an account name, for signed-in callers
        assert [h["actor"] for h in ok(await stack.registry.get(public))["history"]] == [None]
        assert [h["actor"] for h in ok(await stack.registry.get(public, headers=outsider))["history"]] == ["admin"]
        for subject in (lan, household):
            single = f"/registrations/{registered[subject]}"
            # Outside the scope, as to anonymous callers, it is answered like an unknown id.
            for headers in ({}, outsider):
                refused = await stack.registry.get(single, headers=headers)
                assert (refused.status_code, refused.json()["type"]) == (
                    404,
                    "https://thidua.vn/problems/registration-not-found",
                )
            assert ok(await stack.registry.get(single, headers=insider))["id"] == registered[subject]


class TestHouseholds:
    async def test_a_household_is_seen_only_within_its_units_scope(
        self, stack: Stack, token_for: Any, gateway: Gateway
    ) -> None:
        admin = token_for("admin")
        household = await unit(stack, admin, "Hộ bà Lê Thị Riêng", "household", "grassroots", HONG_GAI)
        insider, outsider = token_for("baocao.honggai"), token_for("baocao.baichay")
        reads = [
            ("/units", {"q": "Le Thi Rieng"}),
            ("/units", {"kind": "household"}),
            ("/units", {"ids": household}),
            (f"/units/{HONG_GAI}/children", {}),
            (f"/units/{HONG_GAI}/subtree", {"limit": "500"}),
            ("/units/tree", {"root": HONG_GAI}),
        ]
        for headers, sees in (({}, False), (outsider, False), (insider, True), (token_for("tdkt.snv"), True)):
            for path, params in reads:
                body = (await stack.registry.get(path, params=params, headers=headers)).text
                assert (household in body) is sees, (path, headers, body)
            single = await stack.registry.get(f"/units/{household}", headers=headers)
            assert single.status_code == (200 if sees else 404)
            if not sees:
                assert single.json()["type"] == "https://thidua.vn/problems/unit-not-found"
            answer = await gateway.query(UNITS, headers, q="Le Thi Rieng")
            assert (household in str(answer)) is sees

    async def test_a_households_results_are_not_open_data(self, stack: Stack, token_for: Any) -> None:
        admin, office = token_for("admin"), token_for("tdkt.snv")
        household = await unit(stack, admin, "Hộ ông Trịnh Văn Điểm", "household", "grassroots", HONG_GAI)
        period = await published_period(
            stack, office, PROVINCE, {HONG_GAI: 90, household: 80}, code="PRIV-HH", unit_kinds=["ward", "household"]
        )
        base = f"/periods/{period['id']}"
        reads = [
            f"{base}/participants",
            f"{base}/scores",
            f"{base}/indicators/X/scores",
            f"{base}/rankings/peer?key=household|grassroots",
        ]
        for headers, sees in (({}, False), (token_for("baocao.baichay"), False), (token_for("baocao.honggai"), True)):
            for path in reads:
                answer = await stack.scoring.get(path, headers=headers)
                assert answer.status_code == 200
                assert (household in answer.text) is sees, (path, answer.text)
            assert HONG_GAI in (await stack.scoring.get(f"{base}/scores", headers=headers)).text
            single = await stack.scoring.get(f"{base}/scores/{household}", headers=headers)
            assert single.status_code == (200 if sees else 403)
