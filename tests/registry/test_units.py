"""Units through the API: dated tree, search, errors answered as problem+json, access, idempotency, ETags."""

import unicodedata
import uuid
from collections.abc import Callable

import httpx

from services.registry.demo.data import demo_id
from tests.problems import assert_problem

Auth = Callable[[str], dict[str, str]]
PROVINCE = str(demo_id("qn"))


async def _create(client: httpx.AsyncClient, auth: dict[str, str], **body: object) -> httpx.Response:
    payload = {"kind": "commune", "level": "commune", "parent_id": PROVINCE, **body}
    return await client.post("/units", json=payload, headers=auth)


class TestCreateAndRead:
    async def test_admin_creates_a_unit_and_reads_it_back(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        created = await _create(registry, token_for("admin"), name="Xã Thử Nghiệm", organ_code="000.00.00.H30")
        assert created.status_code == 201, created.text
        unit = created.json()
        assert created.headers["Location"] == f"/units/{unit['id']}"
        assert created.headers["ETag"] == '"1"'
        read = await registry.get(f"/units/{unit['id']}")
        assert read.json()["name"] == "Xã Thử Nghiệm"
        assert read.json()["organ_code"] == "000.00.00.H30"
        assert read.json()["parent_id"] == PROVINCE

    async def test_batch_read_by_ids_keeps_the_order_asked(self, registry: httpx.AsyncClient) -> None:
        ids = [str(demo_id("qn/snv")), PROVINCE, str(uuid.uuid4())]
        page = (await registry.get("/units", params={"ids": ",".join(ids)})).json()
        assert [u["id"] for u in page["items"]] == ids[:2]

    async def test_list_pages_with_a_cursor(self, registry: httpx.AsyncClient) -> None:
        first = (await registry.get("/units", params={"limit": 3, "as_of": "2025-06-30"})).json()
        second = (
            await registry.get("/units", params={"limit": 3, "as_of": "2025-06-30", "cursor": first["next_cursor"]})
        ).json()
        assert len(first["items"]) == 3
        assert len(second["items"]) == 3
        assert not {u["id"] for u in first["items"]} & {u["id"] for u in second["items"]}

    async def test_page_size_over_the_maximum_is_refused(self, registry: httpx.AsyncClient) -> None:
        response = await registry.get("/units", params={"limit": 501})
        assert_problem(response, 422, "invalid-input", parameter="limit")
        assert response.json()["errors"][0]["parameter"] == "limit"


class TestSearch:
    async def test_search_ignores_diacritics_and_case(self, registry: httpx.AsyncClient) -> None:
        found = (await registry.get("/units", params={"q": "ha long", "as_of": "2025-06-30"})).json()["items"]
        names = {u["name"] for u in found}
        assert {"Thành phố Hạ Long", "Xã Hạ Long", "Ban Quản lý vịnh Hạ Long"} <= names

    async def test_search_for_d_with_stroke(self, registry: httpx.AsyncClient) -> None:
        found = (await registry.get("/units", params={"q": "DAC KHU VAN DON"})).json()["items"]
        assert [u["name"] for u in found] == ["Đặc khu Vân Đồn"]

    async def test_decomposed_input_is_stored_and_found_as_nfc(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        nfd = unicodedata.normalize("NFD", "Xã Quảng Đức")
        assert nfd != unicodedata.normalize("NFC", nfd)
        created = (await _create(registry, token_for("admin"), name=nfd)).json()
        assert created["name"] == unicodedata.normalize("NFC", "Xã Quảng Đức")
        by_nfc = (await registry.get("/units", params={"q": "Quảng Đức"})).json()["items"]
        by_nfd = (await registry.get("/units", params={"q": nfd})).json()["items"]
        assert [u["id"] for u in by_nfc] == [u["id"] for u in by_nfd] == [created["id"]]

    async def test_escaped_combining_marks_are_stored_as_nfc(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        # "Xã Đức" with the tilde and the hook sent as JSON escapes of combining marks (all ASCII on the wire).
        raw = '{"kind": "commune", "level": "commune", "name": "Xa\\u0303 \\u0110u\\u031b\\u0301c", "parent_id": "%s"}'
        response = await registry.post(
            "/units",
            content=(raw % PROVINCE).encode(),
            headers=token_for("admin") | {"Content-Type": "application/json"},
        )
        assert response.status_code == 201, response.text
        assert response.json()["name"] == unicodedata.normalize("NFC", "Xã Đức") == "Xã Đức"


class TestBadInput:
    async def test_unknown_parent_is_422_pointing_at_the_field(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        response = await _create(registry, token_for("admin"), name="Xã Mồ Côi", parent_id=str(uuid.uuid4()))
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["type"].endswith("/unknown-parent")
        assert problem["errors"][0]["pointer"] == "/parent_id"
        assert (await registry.get("/units", params={"q": "mo coi"})).json()["items"] == []

    async def test_malformed_organ_code_is_422(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await _create(registry, token_for("admin"), name="Xã Sai Mã", organ_code="H30.00.00")
        assert_problem(response, 422, "invalid-input", pointer="/organ_code")
        assert "000.00.00.H30" in response.json()["errors"][0]["detail"]

    async def test_messages_follow_accept_language(self, registry: httpx.AsyncClient) -> None:
        vi = (await registry.get(f"/units/{uuid.uuid4()}")).json()
        en = (await registry.get(f"/units/{uuid.uuid4()}", headers={"Accept-Language": "en-US,en;q=0.9"})).json()
        assert vi["title"] == "Không tìm thấy đơn vị"
        assert en["title"] == "Unit not found"
        assert vi["status"] == en["status"] == 404

    async def test_parent_cycle_is_422(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        admin = token_for("admin")
        a = (await _create(registry, admin, name="Đơn vị A")).json()
        b = (await _create(registry, admin, name="Đơn vị B", parent_id=a["id"])).json()
        # A under B from 2030 on, while B is still under A: a cycle.
        response = await registry.post(
            f"/units/{a['id']}/parents",
            json={"parent_id": b["id"], "valid_from": "2030-01-01"},
            headers=admin | {"If-Match": '"1"'},
        )
        assert response.status_code == 422
        assert response.json()["type"].endswith("/parent-cycle")

    async def test_overlapping_names_are_409_and_nothing_is_written(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        admin = token_for("admin")
        unit = (await _create(registry, admin, name="Xã Cũ", valid_from="2020-01-01")).json()
        response = await registry.post(
            f"/units/{unit['id']}/names",
            json={"name": "Xã Mới", "valid_from": "2024-01-01"},
            headers=admin | {"If-Match": '"1"'},
        )
        assert response.status_code == 409
        assert response.json()["type"].endswith("/overlapping-validity")
        after = (await registry.get(f"/units/{unit['id']}")).json()
        assert [n["name"] for n in after["names"]] == ["Xã Cũ"]
        assert after["version"] == 1

    async def test_overlapping_parents_are_409(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        admin = token_for("admin")
        unit = (await _create(registry, admin, name="Xã Hai Cha", valid_from="2020-01-01")).json()
        response = await registry.post(
            f"/units/{unit['id']}/parents",
            json={"parent_id": str(demo_id("qn/halong")), "valid_from": "2021-01-01"},
            headers=admin | {"If-Match": '"1"'},
        )
        assert_problem(response, 409, "overlapping-validity")

    async def test_body_over_the_limit_is_413(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await _create(registry, token_for("admin"), name="X" * (11 * 1024 * 1024))
        assert response.status_code == 413
        assert response.json()["type"].endswith("/payload-too-large")

    async def test_unknown_id_is_404(self, registry: httpx.AsyncClient) -> None:
        response = await registry.get(f"/units/{uuid.uuid4()}")
        assert response.status_code == 404
        assert response.json()["type"].endswith("/unit-not-found")

    async def test_nul_characters_are_422_not_500(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        created = await _create(registry, token_for("admin"), name="Xã \u0000")
        searched = await registry.get("/units", params={"q": "a\x00b"})
        assert_problem(created, 422, "invalid-input")
        assert_problem(searched, 422, "invalid-input")

    async def test_malformed_json_is_422(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await registry.post(
            "/units", content=b"{not json", headers=token_for("admin") | {"Content-Type": "application/json"}
        )
        assert_problem(response, 422, "invalid-input")


class TestAccess:
    async def test_write_without_token_is_401(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post("/units", json={"kind": "commune", "level": "commune", "name": "Xã Lạ"})
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")

    async def test_forged_token_is_401(self, registry: httpx.AsyncClient) -> None:
        response = await _create(registry, {"Authorization": "Bearer abc.def.ghi"}, name="Xã Giả")
        assert_problem(response, 401, "unauthenticated")

    async def test_reporter_may_edit_own_commune_but_not_another(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        reporter = token_for("baocao.honggai")
        own, other = demo_id("qn/2025/honggai"), demo_id("qn/2025/baichay")
        ok = await registry.patch(f"/units/{own}", json={"level": "commune"}, headers=reporter | {"If-Match": '"1"'})
        assert ok.status_code == 200, ok.text
        denied = await registry.patch(
            f"/units/{other}", json={"level": "commune"}, headers=reporter | {"If-Match": '"1"'}
        )
        assert denied.status_code == 403
        assert denied.json()["type"].endswith("/unit-out-of-scope")

    async def test_anonymous_directory_shows_no_households(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        household = (
            await _create(
                registry, token_for("admin"), name="Hộ ông Nguyễn Văn An", kind="household", level="grassroots"
            )
        ).json()
        anonymous = (await registry.get("/units", params={"q": "nguyen van an"})).json()["items"]
        assert anonymous == []
        assert_problem(await registry.get(f"/units/{household['id']}"), 404, "unit-not-found")
        signed_in = (await registry.get("/units", params={"q": "nguyen van an"}, headers=token_for("admin"))).json()
        assert [u["id"] for u in signed_in["items"]] == [household["id"]]


class TestIdempotencyAndVersions:
    async def test_same_idempotency_key_creates_one_unit(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        headers = token_for("admin") | {"Idempotency-Key": "tao-xa-1"}
        body = {"kind": "commune", "level": "commune", "name": "Xã Một Lần", "parent_id": PROVINCE}
        first = await registry.post("/units", json=body, headers=headers)
        second = await registry.post("/units", json=body, headers=headers)
        assert first.status_code == second.status_code == 201
        assert first.json()["id"] == second.json()["id"]
        assert second.headers["Idempotent-Replayed"] == "true"
        found = (await registry.get("/units", params={"q": "xa mot lan"})).json()["items"]
        assert len(found) == 1

    async def test_same_key_with_another_body_is_422(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        headers = token_for("admin") | {"Idempotency-Key": "tao-xa-2"}
        body = {"kind": "commune", "level": "commune", "name": "Xã Hai", "parent_id": PROVINCE}
        assert (await registry.post("/units", json=body, headers=headers)).status_code == 201
        reused = await registry.post("/units", json=body | {"name": "Xã Khác"}, headers=headers)
        assert_problem(reused, 422, "invalid-input", parameter="Idempotency-Key")
        assert reused.json()["errors"][0]["parameter"] == "Idempotency-Key"

    async def test_two_updates_with_one_etag_one_wins(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        admin = token_for("admin")
        unit = await _create(registry, admin, name="Xã Tranh Chấp")
        etag = unit.headers["ETag"]
        first = await registry.patch(
            f"/units/{unit.json()['id']}", json={"kind": "ward"}, headers=admin | {"If-Match": etag}
        )
        second = await registry.patch(
            f"/units/{unit.json()['id']}", json={"kind": "township"}, headers=admin | {"If-Match": etag}
        )
        assert first.status_code == 200
        assert first.headers["ETag"] == '"2"'
        assert_problem(second, 412, "stale-version")
        assert (await registry.get(f"/units/{unit.json()['id']}")).json()["kind"] == "ward"

    async def test_update_without_if_match_is_428(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await registry.patch(f"/units/{PROVINCE}", json={"kind": "province"}, headers=token_for("admin"))
        assert_problem(response, 428, "if-match-required")
