"""People are personal data; blocs group units by year."""

import uuid
from collections.abc import Callable

import httpx

from services.registry.demo.data import demo_id
from tests.problems import assert_problem

Auth = Callable[[str], dict[str, str]]
HONG_GAI = str(demo_id("qn/2025/honggai"))
BAI_CHAY = str(demo_id("qn/2025/baichay"))
HA_TU = str(demo_id("qn/2025/hatu"))


async def _person(client: httpx.AsyncClient, auth: dict[str, str], unit: str = HONG_GAI) -> httpx.Response:
    return await client.post(
        "/people",
        headers=auth,
        json={
            "full_name": "Nguyễn Thị Lan",
            "email": "lan@honggai.quangninh.gov.vn",
            "membership": {"unit_id": unit, "title": "Công chức Văn phòng - Thống kê", "valid_from": "2025-07-01"},
        },
    )


class TestPeople:
    async def test_reporter_records_a_colleague_and_finds_her_without_diacritics(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        created = await _person(registry, token_for("baocao.honggai"))
        assert created.status_code == 201, created.text
        found = (
            await registry.get("/people", params={"q": "nguyen thi lan"}, headers=token_for("baocao.honggai"))
        ).json()["items"]
        assert [p["id"] for p in found] == [created.json()["id"]]

    async def test_people_are_never_anonymous(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        person = (await _person(registry, token_for("admin"))).json()
        assert_problem(await registry.get(f"/people/{person['id']}"), 401, "unauthenticated")
        assert_problem(await registry.get("/people"), 401, "unauthenticated")

    async def test_another_commune_cannot_tell_her_from_nobody(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        person = (await _person(registry, token_for("admin"))).json()
        response = await registry.get(f"/people/{person['id']}", headers=token_for("baocao.baichay"))
        unknown = await registry.get(f"/people/{uuid.uuid4()}", headers=token_for("baocao.baichay"))
        assert response.status_code == unknown.status_code == 404
        assert response.json()["type"] == unknown.json()["type"]
        office = await registry.get(f"/people/{person['id']}", headers=token_for("tdkt.snv"))
        assert office.status_code == 200

    async def test_scope_names_the_units_and_people_in_yours_and_nothing_else(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        person = (await _person(registry, token_for("admin"))).json()["id"]
        asked = ",".join([HONG_GAI, BAI_CHAY, person, str(uuid.uuid4())])
        for user, seen in (("baocao.honggai", [HONG_GAI, person]), ("baocao.baichay", [BAI_CHAY])):
            answer = await registry.get("/scope", params={"ids": asked}, headers=token_for(user))
            assert answer.json() == {"ids": seen}, user
        assert_problem(await registry.get("/scope", params={"ids": asked}), 401, "unauthenticated")

    async def test_reporter_cannot_record_people_of_another_commune(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        assert_problem(await _person(registry, token_for("baocao.honggai"), BAI_CHAY), 403, "unit-out-of-scope")


class TestBlocs:
    async def test_bloc_with_members_and_yearly_leader(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        office = token_for("tdkt.snv")
        created = await registry.post(
            "/blocs",
            headers=office,
            json={
                "code": "QN-CUM-HL",
                "name": "Cụm thi đua các phường Hạ Long",
                "kind": "cluster",
                "decision": {"number": "120/QĐ-HĐTĐKT", "date": "2025-08-01", "issuer": "Hội đồng TĐKT tỉnh"},
                "members": [{"unit_id": u, "valid_from": "2025-07-01"} for u in (HONG_GAI, BAI_CHAY, HA_TU)],
            },
        )
        assert created.status_code == 201, created.text
        bloc = created.json()
        leader = await registry.put(
            f"/blocs/{bloc['id']}/officers/2026",
            headers=office | {"If-Match": '"1"'},
            json={"leader": HONG_GAI, "deputies": [BAI_CHAY]},
        )
        assert leader.status_code == 200, leader.text
        assert {(o["role"], o["unit_id"]) for o in leader.json()["officers"]} == {
            ("leader", HONG_GAI),
            ("deputy", BAI_CHAY),
        }
        of_unit = (await registry.get(f"/units/{HA_TU}/blocs")).json()["items"]
        assert [b["code"] for b in of_unit] == ["QN-CUM-HL"]

    async def test_leader_must_be_a_member_that_year(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        office = token_for("tdkt.snv")
        bloc = (
            await registry.post(
                "/blocs",
                headers=office,
                json={
                    "code": "QN-KHOI-SO",
                    "name": "Khối các sở",
                    "kind": "bloc",
                    "members": [{"unit_id": str(demo_id("qn/snv"))}],
                },
            )
        ).json()
        response = await registry.put(
            f"/blocs/{bloc['id']}/officers/2026", headers=office | {"If-Match": '"1"'}, json={"leader": HONG_GAI}
        )
        assert_problem(response, 422, "invalid-input", pointer="/leader")
        assert response.json()["errors"][0]["pointer"] == "/leader"

    async def test_duplicate_membership_period_is_409(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        office = token_for("tdkt.snv")
        bloc = (
            await registry.post(
                "/blocs",
                headers=office,
                json={"code": "QN-X", "name": "Cụm X", "kind": "cluster", "members": [{"unit_id": HONG_GAI}]},
            )
        ).json()
        again = await registry.post(
            f"/blocs/{bloc['id']}/members",
            headers=office | {"If-Match": '"1"'},
            json={"unit_id": HONG_GAI, "valid_from": "2026-01-01"},
        )
        assert_problem(again, 409, "bloc-membership-overlaps")
