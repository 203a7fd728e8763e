"""Nomination dossiers: checked against the form, moved by named roles, every move logged, one award per
achievement, deadlines in working days."""

from typing import Any

from tests.awards.factories import (
    BAI_CHAY,
    HONG_GAI,
    PROVINCE,
    collective,
    dossier,
    form_id,
    move,
    nomination,
    ok,
    person,
)
from tests.conftest import Stack


class TestDossier:
    async def test_missing_council_minutes_keep_the_dossier_in_draft(self, stack: Stack, token_for: Any) -> None:
        proposer = token_for("lanhdao.honggai")
        n = await nomination(
            stack,
            proposer,
            await form_id(stack, "BK_TINH"),
            [collective(HONG_GAI, "Phường Hồng Gai")],
            documents=dossier(1, skip="bien_ban_hoi_dong"),
        )
        assert [m["code"] for m in n["missing_documents"]] == ["bien_ban_hoi_dong"]
        response = await stack.awards.post(
            f"/nominations/{n['id']}/transitions", json={"to": "submitted"}, headers=proposer | {"If-Match": '"1"'}
        )
        assert response.status_code == 422
        problem = response.json()
        assert problem["type"].endswith("/dossier-incomplete")
        assert problem["missing"] == ["bien_ban_hoi_dong"]
        assert "Biên bản họp Hội đồng" in problem["messages"]["vi"]
        assert "Council minutes" in problem["messages"]["en"]
        still = ok(await stack.awards.get(f"/nominations/{n['id']}", headers=proposer))
        assert still["status"] == "draft"
        added = await stack.awards.post(
            f"/nominations/{n['id']}/documents",
            json={"items": [{"code": "bien_ban_hoi_dong", "title": "Biên bản họp ngày 28/11/2025"}]},
            headers=proposer,
        )
        assert ok(added)["missing_documents"] == []
        submitted = await move(stack, proposer, ok(added), "submitted")
        assert submitted["status"] == "submitted"

    async def test_a_document_the_form_does_not_list_is_422_at_its_field(self, stack: Stack, token_for: Any) -> None:
        response = await stack.awards.post(
            "/nominations",
            json={
                "form_id": await form_id(stack, "BK_TINH"),
                "proposer_unit_id": HONG_GAI,
                "authority_unit_id": PROVINCE,
                "title": "Đề nghị",
                "nominees": [collective(HONG_GAI, "Phường Hồng Gai")],
                "documents": [{"code": "giay_phep", "title": "Giấy phép"}],
            },
            headers=token_for("lanhdao.honggai"),
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/documents/0/code"

    async def test_a_form_only_for_individuals_refuses_a_collective(self, stack: Stack, token_for: Any) -> None:
        response = await stack.awards.post(
            "/nominations",
            json={
                "form_id": await form_id(stack, "CSTD_TINH"),
                "proposer_unit_id": HONG_GAI,
                "authority_unit_id": PROVINCE,
                "title": "Đề nghị",
                "nominees": [collective(HONG_GAI, "Phường Hồng Gai")],
            },
            headers=token_for("lanhdao.honggai"),
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/nominees/0/subject_type"

    async def test_giay_khen_is_not_conferred_by_a_province(self, stack: Stack, token_for: Any) -> None:
        response = await stack.awards.post(
            "/nominations",
            json={
                "form_id": await form_id(stack, "GIAY_KHEN"),
                "proposer_unit_id": HONG_GAI,
                "authority_unit_id": BAI_CHAY,
                "title": "Đề nghị tặng Giấy khen",
                "nominees": [person("Bà Nguyễn Thị Lan", "Công chức phường Hồng Gai")],
            },
            headers=token_for("lanhdao.honggai"),
        )
        assert response.status_code == 201, response.text  # a commune chairman confers it since 1/7/2025

    async def test_a_paper_dossier_is_checked_on_the_day_it_was_filed(self, stack: Stack, token_for: Any) -> None:
        """Entered afterwards, a 2023 dossier is checked against the 2023 law; a day to come is refused."""
        old_form = next(
            f["id"] for f in ok(await stack.awards.get("/regimes/TDKT-2017"))["forms"] if f["code"] == "BK_TINH"
        )
        body = {
            "form_id": old_form,
            "proposer_unit_id": HONG_GAI,
            "authority_unit_id": PROVINCE,
            "title": "Đề nghị tặng Bằng khen (hồ sơ giấy năm 2023)",
            "nominees": [collective(HONG_GAI, "Phường Hồng Gai")],
        }
        head = token_for("lanhdao.honggai")
        today = await stack.awards.post("/nominations", json=body, headers=head)
        assert today.status_code == 422  # Decree 91/2017 is no longer in force today
        filed = ok(await stack.awards.post("/nominations", json=body | {"filed_on": "2023-08-07"}, headers=head), 201)
        assert (filed["form_code"], filed["copies"]) == ("BK_TINH", 3)  # 03 bộ under Decree 91
        future = await stack.awards.post("/nominations", json=body | {"filed_on": "2999-01-01"}, headers=head)
        assert future.status_code == 422
        assert future.json()["errors"][0]["pointer"] == "/filed_on"


class TestWorkflow:
    async def test_a_step_not_allowed_is_409_listing_the_allowed_ones(self, stack: Stack, token_for: Any) -> None:
        proposer = token_for("lanhdao.honggai")
        n = await nomination(
            stack, proposer, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")]
        )
        response = await stack.awards.post(
            f"/nominations/{n['id']}/transitions", json={"to": "council"}, headers=proposer | {"If-Match": '"1"'}
        )
        assert response.status_code == 409
        assert response.json()["allowed"] == ["submitted", "withdrawn"]

    async def test_each_step_belongs_to_named_roles(self, stack: Stack, token_for: Any) -> None:
        proposer, office = token_for("lanhdao.honggai"), token_for("tdkt.snv")
        n = await nomination(
            stack, proposer, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")]
        )
        n = await move(stack, proposer, n, "submitted")
        by_proposer = await stack.awards.post(
            f"/nominations/{n['id']}/transitions",
            json={"to": "received"},
            headers=proposer | {"If-Match": f'"{n["version"]}"'},
        )
        assert by_proposer.status_code == 403
        other_ward = await stack.awards.get(f"/nominations/{n['id']}", headers=token_for("baocao.baichay"))
        assert other_ward.status_code == 404  # another ward's dossier is unknown to it
        assert other_ward.json()["type"].endswith("/nomination-not-found")
        n = await move(stack, office, n, "received")
        assert n["due_on"] is not None  # two working days to check it

    async def test_return_and_resubmit_keep_the_whole_timeline(self, stack: Stack, token_for: Any) -> None:
        proposer, office = token_for("lanhdao.honggai"), token_for("tdkt.snv")
        n = await nomination(
            stack, proposer, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")]
        )
        n = await move(stack, proposer, n, "submitted")
        n = await move(stack, office, n, "received")
        no_reason = await stack.awards.post(
            f"/nominations/{n['id']}/transitions",
            json={"to": "returned"},
            headers=office | {"If-Match": f'"{n["version"]}"'},
        )
        assert no_reason.status_code == 422
        n = await move(stack, office, n, "returned", reason="Thiếu số liệu minh chứng chỉ số CQS.1")
        n = await move(stack, proposer, n, "resubmitted")
        n = await move(stack, office, n, "appraising")
        assert [(e["from_status"], e["to_status"], e["actor"]) for e in n["timeline"]] == [
            (None, "draft", "lanhdao.honggai"),
            ("draft", "submitted", "lanhdao.honggai"),
            ("submitted", "received", "tdkt.snv"),
            ("received", "returned", "tdkt.snv"),
            ("returned", "resubmitted", "lanhdao.honggai"),
            ("resubmitted", "appraising", "tdkt.snv"),
        ]
        assert n["timeline"][3]["reason"] == "Thiếu số liệu minh chứng chỉ số CQS.1"

    async def test_a_stale_version_is_412(self, stack: Stack, token_for: Any) -> None:
        proposer = token_for("lanhdao.honggai")
        n = await nomination(
            stack, proposer, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")]
        )
        await move(stack, proposer, n, "submitted")
        stale = await stack.awards.post(
            f"/nominations/{n['id']}/transitions",
            json={"to": "withdrawn", "reason": "x"},
            headers=proposer | {"If-Match": '"1"'},
        )
        assert stale.status_code == 412

    async def test_the_same_achievement_twice_is_409(self, stack: Stack, token_for: Any) -> None:
        proposer = token_for("lanhdao.honggai")
        form = await form_id(stack, "BK_TINH")
        phase = {"movement_id": None, "phase_code": None}
        await nomination(stack, proposer, form, [collective(HONG_GAI, "Phường Hồng Gai")], **phase)
        again = await stack.awards.post(
            "/nominations",
            json={
                "form_id": form,
                "proposer_unit_id": HONG_GAI,
                "authority_unit_id": PROVINCE,
                "title": "Đề nghị lần hai",
                "nominees": [collective(HONG_GAI, "Phường Hồng Gai")],
            },
            headers=proposer,
        )
        assert again.status_code == 409
        assert again.json()["type"].endswith("/already-nominated")
        other_form = await nomination(
            stack, proposer, await form_id(stack, "TTLDXS"), [collective(HONG_GAI, "Phường Hồng Gai")], documents=[]
        )
        assert other_form["status"] == "draft"

    async def test_forms_needing_public_notice_go_through_it(self, stack: Stack, token_for: Any) -> None:
        proposer, office = token_for("lanhdao.honggai"), token_for("tdkt.snv")
        n = await nomination(stack, proposer, await form_id(stack, "HCLD_3"), [collective(HONG_GAI, "Phường Hồng Gai")])
        for who, to in ((proposer, "submitted"), (office, "received"), (office, "appraising")):
            n = await move(stack, who, n, to)
        skipped = await stack.awards.post(
            f"/nominations/{n['id']}/transitions",
            json={"to": "council"},
            headers=office | {"If-Match": f'"{n["version"]}"'},
        )
        assert skipped.status_code == 409
        n = await move(stack, office, n, "public_notice")
        assert (await move(stack, office, n, "council"))["status"] == "council"


class TestDeadlines:
    async def test_overdue_nominations_are_listed(self, stack: Stack, token_for: Any, connection: Any) -> None:
        import sqlalchemy as sa

        proposer, office = token_for("lanhdao.honggai"), token_for("tdkt.snv")
        n = await nomination(
            stack, proposer, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")]
        )
        n = await move(stack, proposer, n, "submitted")
        assert ok(await stack.awards.get("/nominations", params={"overdue": "true"}, headers=office))["items"] == []
        # the office let it sit: its one working day to log the dossier in ran out last week
        await connection.execute(
            sa.text("update awards.nominations set due_on = current_date - 7 where id = :id"), {"id": n["id"]}
        )
        overdue = ok(await stack.awards.get("/nominations", params={"overdue": "true"}, headers=office))["items"]
        assert [(i["id"], i["overdue"]) for i in overdue] == [(n["id"], True)]

    async def test_working_days_skip_weekends_and_holidays(self) -> None:
        from datetime import date

        from kit.workdays import add_working_days

        tet = {date(2026, 2, d) for d in range(16, 21)}
        assert add_working_days(date(2026, 2, 12), 2, tet) == date(2026, 2, 23)  # Thu → Fri, then after Tết
        assert add_working_days(date(2026, 11, 20), 1, set()) == date(2026, 11, 23)  # Friday → Monday
