"""Movements with phases and milestones; the registration workflow with its log."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from services.registry.demo.data import demo_id
from tests.problems import assert_problem

Auth = Callable[[str], dict[str, str]]
PROVINCE = str(demo_id("qn"))
HONG_GAI = str(demo_id("qn/2025/honggai"))

MOVEMENT: dict[str, Any] = {
    "code": "QN-CDS-2022",
    "title": "Phong trào thi đua Chuyển đổi số toàn diện trên địa bàn tỉnh Quảng Ninh giai đoạn 2022 - 2025",
    "issuer_unit_id": PROVINCE,
    "kind": "thematic",
    "legal_basis": {"number": "2025/QĐ-UBND", "date": "2022-07-15", "signer": "Chủ tịch UBND tỉnh"},
    "start_date": "2022-07-15",
    "end_date": "2025-12-31",
    "subject_types": ["collective", "individual"],
    "phases": [
        {"code": "P1", "title": "Giai đoạn 2022 - 2023", "start_date": "2022-07-15", "end_date": "2023-12-31"},
        {"code": "P2", "title": "Giai đoạn 2024 - 2025", "start_date": "2024-01-01", "end_date": "2025-12-31"},
    ],
    "milestones": [
        {"kind": "interim_review", "due_date": "2023-12-15", "phase_code": "P1"},
        {"kind": "final_review", "due_date": "2025-12-15", "phase_code": "P2"},
        {"kind": "yearly_report", "due_date": "2025-12-15"},
    ],
}


@pytest.fixture
async def movement(registry: httpx.AsyncClient, token_for: Auth) -> dict[str, Any]:
    response = await registry.post("/movements", headers=token_for("tdkt.snv"), json=MOVEMENT)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


class TestMovements:
    async def test_movement_reads_back_with_its_schedule(
        self, registry: httpx.AsyncClient, movement: dict[str, Any]
    ) -> None:
        read = (await registry.get(f"/movements/{movement['id']}")).json()
        assert read["legal_basis"]["number"] == "2025/QĐ-UBND"
        assert [p["code"] for p in read["phases"]] == ["P1", "P2"]
        assert read["milestones"][0]["kind"] == "interim_review"
        found = (await registry.get("/movements", params={"q": "chuyen doi so"})).json()["items"]
        assert movement["id"] in [m["id"] for m in found]

    async def test_phase_outside_the_movement_is_422(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        body = MOVEMENT | {
            "code": "X",
            "phases": [{"code": "P", "title": "Sớm", "start_date": "2020-01-01", "end_date": "2020-12-31"}],
        }
        response = await registry.post("/movements", headers=token_for("tdkt.snv"), json=body)
        assert_problem(response, 422, "invalid-input")
        assert response.json()["errors"][0]["pointer"] == "/phases/0/start_date"

    async def test_duplicate_code_is_409(
        self, registry: httpx.AsyncClient, token_for: Auth, movement: dict[str, Any]
    ) -> None:
        response = await registry.post("/movements", headers=token_for("tdkt.snv"), json=MOVEMENT)
        assert_problem(response, 409, "movement-code-exists")

    async def test_reporters_cannot_launch_movements(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await registry.post("/movements", headers=token_for("baocao.honggai"), json=MOVEMENT)
        assert_problem(response, 403, "forbidden")


class TestRegistration:
    async def test_unit_registers_submits_and_the_office_approves(
        self, registry: httpx.AsyncClient, token_for: Auth, movement: dict[str, Any]
    ) -> None:
        reporter, office = token_for("baocao.honggai"), token_for("tdkt.snv")
        draft = await registry.post(
            f"/movements/{movement['id']}/registrations",
            headers=reporter,
            json={"unit_id": HONG_GAI, "commitments": ["100% hồ sơ công việc xử lý trên môi trường mạng"]},
        )
        assert draft.status_code == 201, draft.text
        reg = draft.json()
        submitted = await registry.post(
            f"/registrations/{reg['id']}/transitions", headers=reporter | {"If-Match": '"1"'}, json={"to": "submitted"}
        )
        assert submitted.status_code == 200, submitted.text
        approved = await registry.post(
            f"/registrations/{reg['id']}/transitions", headers=office | {"If-Match": '"2"'}, json={"to": "approved"}
        )
        assert approved.status_code == 200, approved.text
        pilot = await registry.patch(
            f"/registrations/{reg['id']}", headers=office | {"If-Match": '"3"'}, json={"is_pilot": True}
        )
        assert pilot.json()["is_pilot"] is True
        history = [(h["from_status"], h["to_status"], h["actor"]) for h in pilot.json()["history"]]
        assert history == [
            (None, "draft", "baocao.honggai"),
            ("draft", "submitted", "baocao.honggai"),
            ("submitted", "approved", "tdkt.snv"),
        ]
        pilots = (await registry.get(f"/movements/{movement['id']}/registrations", params={"is_pilot": "true"})).json()[
            "items"
        ]
        assert [p["unit_id"] for p in pilots] == [HONG_GAI]

    async def test_reporter_cannot_approve_and_wrong_transition_lists_allowed(
        self, registry: httpx.AsyncClient, token_for: Auth, movement: dict[str, Any]
    ) -> None:
        reporter = token_for("baocao.honggai")
        reg = (
            await registry.post(
                f"/movements/{movement['id']}/registrations", headers=reporter, json={"unit_id": HONG_GAI}
            )
        ).json()
        wrong = await registry.post(
            f"/registrations/{reg['id']}/transitions", headers=reporter | {"If-Match": '"1"'}, json={"to": "approved"}
        )
        assert_problem(wrong, 409, "transition-not-allowed")
        assert wrong.json()["allowed"] == ["submitted"]
        await registry.post(
            f"/registrations/{reg['id']}/transitions", headers=reporter | {"If-Match": '"1"'}, json={"to": "submitted"}
        )
        denied = await registry.post(
            f"/registrations/{reg['id']}/transitions", headers=reporter | {"If-Match": '"2"'}, json={"to": "approved"}
        )
        assert_problem(denied, 403, "step-for-movement-office")

    async def test_rejection_needs_a_reason(
        self, registry: httpx.AsyncClient, token_for: Auth, movement: dict[str, Any]
    ) -> None:
        reporter, office = token_for("baocao.honggai"), token_for("tdkt.snv")
        reg = (
            await registry.post(
                f"/movements/{movement['id']}/registrations", headers=reporter, json={"unit_id": HONG_GAI}
            )
        ).json()
        await registry.post(
            f"/registrations/{reg['id']}/transitions", headers=reporter | {"If-Match": '"1"'}, json={"to": "submitted"}
        )
        no_reason = await registry.post(
            f"/registrations/{reg['id']}/transitions", headers=office | {"If-Match": '"2"'}, json={"to": "rejected"}
        )
        assert_problem(no_reason, 422, "reason-required", pointer="/reason")
        assert no_reason.json()["errors"][0]["pointer"] == "/reason"

    async def test_registering_twice_is_409(
        self, registry: httpx.AsyncClient, token_for: Auth, movement: dict[str, Any]
    ) -> None:
        url = f"/movements/{movement['id']}/registrations"
        assert (await registry.post(url, headers=token_for("admin"), json={"unit_id": HONG_GAI})).status_code == 201
        assert_problem(
            await registry.post(url, headers=token_for("admin"), json={"unit_id": HONG_GAI}), 409, "already-registered"
        )

    async def test_submission_after_the_deadline_is_409(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        body = MOVEMENT | {
            "code": "BS-QUIZ-2023",
            "kind": "short",
            "start_date": "2023-06-01",
            "end_date": "2023-07-30",
            "phases": [],
            "milestones": [{"kind": "registration_deadline", "due_date": "2023-06-15"}],
        }
        movement = (await registry.post("/movements", headers=token_for("tdkt.snv"), json=body)).json()
        reg = (
            await registry.post(
                f"/movements/{movement['id']}/registrations", headers=token_for("admin"), json={"unit_id": HONG_GAI}
            )
        ).json()
        late = await registry.post(
            f"/registrations/{reg['id']}/transitions",
            headers=token_for("baocao.honggai") | {"If-Match": '"1"'},
            json={"to": "submitted"},
        )
        assert late.status_code == 409
        assert late.json()["type"].endswith("/registration-closed")
        # The movement's office may still enter a registration the ward sent on paper, saying so.
        office = token_for("tdkt.snv") | {"If-Match": '"1"'}
        url = f"/registrations/{reg['id']}/transitions"
        unexplained = await registry.post(url, headers=office, json={"to": "submitted"})
        assert_problem(unexplained, 422, "reason-required", pointer="/reason")
        assert unexplained.json()["errors"][0]["pointer"] == "/reason"
        reason = "Văn bản đăng ký số 12/UBND nhận ngày 14/6/2023"
        entered = await registry.post(url, headers=office, json={"to": "submitted", "reason": reason})
        assert entered.status_code == 200, entered.text
        assert entered.json()["history"][-1]["reason"] == reason


class TestPartialUpdates:
    async def test_null_for_a_field_that_cannot_be_empty_is_422(
        self, registry: httpx.AsyncClient, token_for: Auth, movement: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        reg = (
            await registry.post(
                f"/movements/{movement['id']}/registrations", headers=office, json={"unit_id": HONG_GAI}
            )
        ).json()
        nulled = await registry.patch(
            f"/registrations/{reg['id']}", json={"is_pilot": None}, headers=office | {"If-Match": '"1"'}
        )
        assert_problem(nulled, 422, "invalid-input", pointer="")
        untitled = await registry.patch(
            f"/movements/{movement['id']}", json={"title": None}, headers=office | {"If-Match": '"1"'}
        )
        assert_problem(untitled, 422, "invalid-input", pointer="")
        open_ended = await registry.patch(
            f"/movements/{movement['id']}", json={"end_date": None}, headers=office | {"If-Match": '"1"'}
        )
        assert open_ended.status_code == 200
        assert open_ended.json()["end_date"] is None
