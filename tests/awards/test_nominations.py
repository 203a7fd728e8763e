"""Nomination dossiers: checked against the form, moved by named roles, every move logged, one award per
achievement, deadlines in working days."""

from datetime import date
from typing import Any

from tests.awards.factories import (
    BAI_CHAY,
    HONG_GAI,
    PROVINCE,
    collective,
    decided,
    decision_body,
    dossier,
    form_id,
    move,
    nomination,
    ok,
    person,
)
from tests.conftest import Stack
from tests.problems import assert_problem


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
        assert_problem(response, 422, "invalid-input", pointer="/documents/0/code")
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
        assert_problem(response, 422, "invalid-input", pointer="/nominees/0/subject_type")
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
        # Decree 91/2017 is no longer in force today
        assert_problem(today, 422, "award-form-not-in-force", pointer="/form_id")
        filed = ok(await stack.awards.post("/nominations", json=body | {"filed_on": "2023-08-07"}, headers=head), 201)
        assert (filed["form_code"], filed["copies"]) == ("BK_TINH", 3)  # 03 bộ under Decree 91
        future = await stack.awards.post("/nominations", json=body | {"filed_on": "2999-01-01"}, headers=head)
        assert_problem(future, 422, "filed-in-future", pointer="/filed_on")
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
        assert_problem(response, 409, "transition-not-allowed")
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
        assert_problem(by_proposer, 403, "forbidden")  # receiving is the office's step
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
        assert_problem(no_reason, 422, "reason-required", pointer="/reason")
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
        assert_problem(stale, 412, "stale-version")

    async def test_the_same_achievement_twice_is_409_naming_the_nomination_that_holds_it(
        self, stack: Stack, token_for: Any
    ) -> None:
        proposer = token_for("lanhdao.honggai")
        form = await form_id(stack, "BK_TINH")
        phase = {"movement_id": None, "phase_code": None}
        first = await nomination(stack, proposer, form, [collective(HONG_GAI, "Phường Hồng Gai")], **phase)
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
        problem = again.json()
        assert problem["type"].endswith("/already-nominated")
        held = {
            "nomination_id": first["id"],
            "title": "Đề nghị tặng Bằng khen phong trào chuyển đổi số",
            "status": "draft",
            "nominee_id": first["nominees"][0]["id"],
            "position": 1,
            "name": "Phường Hồng Gai",
            "achievement_year": first["achievement_year"],
            "decision_id": None,
            "decision_reference": None,
        }
        assert problem["blocked_by"] == held
        assert [(e["pointer"], e["blocked_by"]) for e in problem["errors"]] == [("/nominees/0", held)]
        for lang in ("vi", "en"):
            assert first["id"] in problem["messages"][lang]
            assert "Đề nghị tặng Bằng khen phong trào chuyển đổi số" in problem["messages"][lang]
        assert "dự thảo" in problem["messages"]["vi"]
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
        assert_problem(skipped, 409, "step-not-ready")
        n = await move(stack, office, n, "public_notice")
        assert (await move(stack, office, n, "council"))["status"] == "council"


class TestOneAchievementOneAward:
    """Uniqueness is per nominee, form and achievement: a movement's phase, a title's year, an award's achievement."""

    async def test_a_ward_awarded_outside_a_movement_is_nominated_again_for_a_later_year(
        self, stack: Stack, token_for: Any
    ) -> None:
        form = await form_id(stack, "BK_TINH")
        ward = [collective(HONG_GAI, "Phường Hồng Gai")]
        first = await decided(stack, token_for, form, ward, filed_on="2025-11-20")
        assert first["achievement_year"] == 2025
        signer = token_for("chutich.ubnd")
        made = ok(
            await stack.awards.post("/decisions", json=decision_body([first["nominees"][0]["id"]]), headers=signer), 201
        )
        ok(await stack.awards.post(f"/decisions/{made['id']}/publish", headers=signer | {"If-Match": '"1"'}))

        later = await nomination(stack, token_for("lanhdao.honggai"), form, ward)  # filed this year, for this year
        assert (later["status"], later["achievement_year"]) == ("draft", date.today().year)

        same_year = await stack.awards.post(
            "/nominations",
            json={
                "form_id": form,
                "proposer_unit_id": HONG_GAI,
                "authority_unit_id": PROVINCE,
                "title": "Đề nghị lại cho năm 2025",
                "achievement_year": 2025,
                "nominees": ward,
            },
            headers=token_for("lanhdao.honggai"),
        )
        assert same_year.status_code == 409
        problem = same_year.json()
        assert problem["type"].endswith("/already-nominated")
        assert {k: problem["blocked_by"][k] for k in ("nomination_id", "status", "position", "decision_reference")} == {
            "nomination_id": first["id"],
            "status": "issued",
            "position": 1,
            "decision_reference": "01/QĐ-UBND",
        }
        assert "Quyết định số 01/QĐ-UBND" in problem["messages"]["vi"]

    async def test_a_yearly_title_is_once_a_year_whatever_the_dossier_says(self, stack: Stack, token_for: Any) -> None:
        proposer, form = token_for("lanhdao.honggai"), await form_id(stack, "TTLDXS")
        ward = [collective(HONG_GAI, "Phường Hồng Gai")]
        year = date.today().year
        ok_ = [
            await nomination(stack, proposer, form, ward, documents=[], achievement_year=y, achievement=f"Năm {y}")
            for y in (year - 1, year)
        ]
        assert [n["achievement_year"] for n in ok_] == [year - 1, year]
        body = {
            "form_id": form,
            "proposer_unit_id": HONG_GAI,
            "authority_unit_id": PROVINCE,
            "title": "Đề nghị công nhận Tập thể lao động xuất sắc",
            "achievement": "Một thành tích khác",
            "achievement_year": year - 1,
            "nominees": ward,
        }
        twice = await stack.awards.post("/nominations", json=body, headers=proposer)
        assert_problem(twice, 409, "already-nominated")
        assert twice.json()["blocked_by"]["nomination_id"] == ok_[0]["id"]
        future = await stack.awards.post("/nominations", json=body | {"achievement_year": year + 1}, headers=proposer)
        assert_problem(future, 422, "achievement-after-filing", pointer="/achievement_year")
        assert future.json()["errors"][0]["pointer"] == "/achievement_year"

    async def test_an_award_is_once_per_achievement_named_in_the_dossier(self, stack: Stack, token_for: Any) -> None:
        proposer, form = token_for("lanhdao.honggai"), await form_id(stack, "BK_TINH")
        lan = [person("Bà Nguyễn Thị Lan", "Chủ tịch UBND phường Hồng Gai")]
        yearly = await nomination(stack, proposer, form, lan, achievement="Hoàn thành xuất sắc nhiệm vụ năm")
        feat = await nomination(stack, proposer, form, lan, achievement="Cứu hộ đột xuất trong bão Yagi")
        assert (yearly["status"], feat["status"]) == ("draft", "draft")
        reworded = await stack.awards.post(
            "/nominations",
            json={
                "form_id": form,
                "proposer_unit_id": HONG_GAI,
                "authority_unit_id": PROVINCE,
                "title": "Đề nghị (nộp lại)",
                "achievement": "  cứu hộ ĐỘT XUẤT trong   bão Yagi ",  # the same achievement, typed otherwise
                "nominees": lan,
            },
            headers=proposer,
        )
        assert_problem(reworded, 409, "already-nominated")
        assert reworded.json()["blocked_by"]["nomination_id"] == feat["id"]

    async def test_a_withdrawn_dossier_frees_its_achievement(self, stack: Stack, token_for: Any) -> None:
        proposer, form = token_for("lanhdao.honggai"), await form_id(stack, "BK_TINH")
        ward = [collective(HONG_GAI, "Phường Hồng Gai")]
        first = await nomination(stack, proposer, form, ward)
        withdrawn = await move(stack, proposer, first, "withdrawn", reason="Nộp nhầm hình thức")
        assert [(x["name"], x["withdrawn"]) for x in withdrawn["nominees"]] == [("Phường Hồng Gai", True)]
        again = await nomination(stack, proposer, form, ward)
        assert again["status"] == "draft"


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
