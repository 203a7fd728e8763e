"""Decisions: numbered per body and year, amounts from the base salary, a .docx in the Decree 30 layout,
publication as open data, revocation, and a unit's history across the 2025 mergers."""

import io
from typing import Any

import docx

from services.registry.demo.data import demo_id
from tests.awards.factories import (
    HONG_GAI,
    collective,
    decided,
    decision_body,
    form_id,
    move,
    ok,
    person,
    split_vote,
)
from tests.conftest import Stack
from tests.problems import assert_problem


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


class TestDecision:
    async def test_numbered_with_amounts_and_a_document_ready_to_sign(self, stack: Stack, token_for: Any) -> None:
        nominees = [
            collective(HONG_GAI, "Phường Hồng Gai"),
            person("Bà Nguyễn Thị Lan", "Chủ tịch UBND phường Hồng Gai"),
        ]
        n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), nominees)
        signer = token_for("chutich.ubnd")
        created = ok(
            await stack.awards.post("/decisions", json=decision_body([x["id"] for x in n["nominees"]]), headers=signer),
            201,
        )
        assert (created["reference"], created["status"], created["base_salary"]) == ("01/QĐ-UBND", "signed", "2340000")
        amounts = {a["name"]: a["amount"] for a in created["awards"]}
        assert amounts == {"Phường Hồng Gai": "4680000", "Bà Nguyễn Thị Lan": "2340000"}
        assert created["recipients"][-1] == "Lưu: VT."

        # unknown to outsiders until it is published
        assert_problem(await stack.awards.get(f"/decisions/{created['id']}"), 404, "decision-not-found")
        document = await stack.awards.get(f"/decisions/{created['id']}/document.docx", headers=signer)
        assert document.headers["content-type"].startswith("application/vnd.openxmlformats")
        text = text_of(document.content)
        for expected in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 01/QĐ-UBND",
            "Quảng Ninh, ngày 05 tháng 12 năm 2025",
            "I. CÁ NHÂN",
            "1. Bà Nguyễn Thị Lan, Chủ tịch UBND phường Hồng Gai",
            "II. TẬP THỂ",
            "1. Phường Hồng Gai",
            "Nơi nhận:",
            "- Lưu: VT.",
            "KT. CHỦ TỊCH",
        ):
            assert expected in text, expected
        assert text.index("I. CÁ NHÂN") < text.index("II. TẬP THỂ")

        published = ok(
            await stack.awards.post(
                f"/decisions/{created['id']}/publish", headers=signer | {"If-Match": f'"{created["version"]}"'}
            )
        )
        assert published["status"] == "published"
        assert ok(await stack.awards.get(f"/decisions/{created['id']}"))["reference"] == "01/QĐ-UBND"
        listed = ok(await stack.awards.get("/decisions"))["items"]
        assert [d["id"] for d in listed] == [created["id"]]
        issued = ok(await stack.awards.get(f"/nominations/{n['id']}", headers=token_for("tdkt.snv")))
        assert issued["status"] == "issued"

    async def test_a_line_already_in_a_decision_cannot_go_into_another(self, stack: Stack, token_for: Any) -> None:
        n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")])
        signer = token_for("chutich.ubnd")
        body = decision_body([n["nominees"][0]["id"]])
        ok(await stack.awards.post("/decisions", json=body, headers=signer), 201)
        again = await stack.awards.post("/decisions", json=body, headers=signer)
        assert_problem(again, 409, "line-not-approved")

    async def test_numbers_restart_each_year(self, stack: Stack, token_for: Any) -> None:
        form = await form_id(stack, "BK_TINH")
        signer = token_for("chutich.ubnd")
        refs = []
        for i, day in enumerate(("2025-12-05", "2025-12-20", "2026-01-08")):
            n = await decided(stack, token_for, form, [person(f"Ông Lê Văn {i}", "Công chức")])
            made = ok(
                await stack.awards.post(
                    "/decisions", json=decision_body([n["nominees"][0]["id"]], day), headers=signer
                ),
                201,
            )
            refs.append((made["year"], made["reference"]))
        assert refs == [(2025, "01/QĐ-UBND"), (2025, "02/QĐ-UBND"), (2026, "01/QĐ-UBND")]

    async def test_a_revoked_award_stays_in_the_history_with_its_reason(self, stack: Stack, token_for: Any) -> None:
        n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")])
        signer = token_for("chutich.ubnd")
        made = ok(
            await stack.awards.post("/decisions", json=decision_body([n["nominees"][0]["id"]]), headers=signer), 201
        )
        award = made["awards"][0]["id"]
        reason = "Khoản 1 Điều 94 Luật Thi đua, khen thưởng: kê khai gian dối thành tích"
        revoked = ok(await stack.awards.post(f"/awards/{award}/revocations", json={"reason": reason}, headers=signer))
        assert (revoked["status"], revoked["revoked_reason"]) == ("revoked", reason)
        twice = await stack.awards.post(f"/awards/{award}/revocations", json={"reason": reason}, headers=signer)
        assert_problem(twice, 409, "award-revoked")
        timeline = ok(await stack.awards.get(f"/nominations/{n['id']}", headers=signer))["timeline"]
        assert timeline[-1]["to_status"] == "revoked"


class TestAgainstTheCouncil:
    """A decision follows its council's vote, or says why not: line by line, in the timeline, the read models and the
    decision's file copy."""

    async def test_approving_a_line_the_secret_ballot_failed_needs_a_reason(self, stack: Stack, token_for: Any) -> None:
        n = await split_vote(stack, token_for)
        one, two = (x["id"] for x in n["nominees"])
        signer = token_for("chutich.ubnd")
        unexplained = await stack.awards.post(
            f"/nominations/{n['id']}/transitions",
            json={
                "to": "decided",
                "outcomes": [{"nominee_id": one, "outcome": "approved"}, {"nominee_id": two, "outcome": "approved"}],
            },
            headers=signer | {"If-Match": f'"{n["version"]}"'},
        )
        assert unexplained.status_code == 422, unexplained.text
        problem = unexplained.json()
        assert problem["type"].endswith("/decision-against-council")
        [fault] = problem["errors"]  # the line that followed its vote needs nothing
        assert {k: fault[k] for k in ("pointer", "nominee_id", "name", "outcome", "council_result", "yes", "no")} == {
            "pointer": "/outcomes/0/reason",
            "nominee_id": one,
            "name": "Ông Trần Văn Một",
            "outcome": "approved",
            "council_result": "failed",
            "yes": 1,
            "no": 1,
        }
        assert "Ông Trần Văn Một" in problem["messages"]["vi"]
        assert "Không đạt: đồng ý 1, không đồng ý 1" in problem["messages"]["vi"]
        assert "failed: 1 yes, 1 no" in problem["messages"]["en"]
        still = ok(await stack.awards.get(f"/nominations/{n['id']}", headers=signer))
        assert (still["status"], [x["outcome"] for x in still["nominees"]]) == ("to_signer", [None, None])

    async def test_refusing_a_line_the_council_passed_names_the_vote_too(self, stack: Stack, token_for: Any) -> None:
        n = await split_vote(stack, token_for)
        one, two = (x["id"] for x in n["nominees"])
        refused = await stack.awards.post(
            f"/nominations/{n['id']}/transitions",
            json={
                "to": "decided",
                "outcomes": [
                    {"nominee_id": one, "outcome": "refused", "reason": "Hội đồng không tán thành"},
                    {"nominee_id": two, "outcome": "refused"},
                ],
            },
            headers=token_for("chutich.ubnd") | {"If-Match": f'"{n["version"]}"'},
        )
        assert refused.status_code == 422
        problem = refused.json()
        assert problem["type"].endswith("/decision-against-council")
        assert [(e["pointer"], e["council_result"], e["yes"]) for e in problem["errors"]] == [
            ("/outcomes/1/reason", "passed", 2)
        ]

    async def test_with_a_reason_it_is_in_the_timeline_the_read_models_and_the_file_copy(
        self, stack: Stack, token_for: Any
    ) -> None:
        n = await split_vote(stack, token_for)
        one, two = (x["id"] for x in n["nominees"])
        signer = token_for("chutich.ubnd")
        why_one = "Thành tích cứu hộ trong bão được Ban Chỉ huy PCTT tỉnh xác nhận sau phiên họp"
        why_two = "Đang bị xem xét kỷ luật"
        outcomes = [
            {"nominee_id": one, "outcome": "approved", "reason": why_one},
            {"nominee_id": two, "outcome": "refused", "reason": why_two},
        ]
        n = await move(stack, signer, n, "decided", outcomes=outcomes)
        vote_one = "Không đạt: đồng ý 1, không đồng ý 1, không biểu quyết 0"
        vote_two = "Đạt: đồng ý 2, không đồng ý 0, không biểu quyết 0"
        line_one = f"Khác với kết quả bỏ phiếu của Hội đồng ({vote_one}): lý do: {why_one}"
        line_two = f"Khác với kết quả bỏ phiếu của Hội đồng ({vote_two}): lý do: {why_two}"
        assert [
            (x["council_result"], x["outcome"], x["against_council"], x["deviation_reason"]) for x in n["nominees"]
        ] == [("failed", "approved", True, why_one), ("passed", "refused", True, why_two)]
        against = [(e["from_status"], e["to_status"], e["actor"], e["reason"]) for e in n["timeline"][-2:]]
        assert against == [
            ("decided", "against_council", "chutich.ubnd", f"Dòng 1 (Ông Trần Văn Một): phê duyệt. {line_one}"),
            ("decided", "against_council", "chutich.ubnd", f"Dòng 2 (Bà Lê Thị Hai): không khen. {line_two}"),
        ]
        assert n["timeline"][-3]["to_status"] == "decided"

        made = ok(await stack.awards.post("/decisions", json=decision_body([one]), headers=signer), 201)
        [award] = made["awards"]
        assert (award["council_result"], award["deviation_reason"]) == ("failed", why_one)
        assert [
            (d["name"], d["council_result"], d["yes"], d["no"], d["outcome"], d["reason"])
            for d in made["against_council"]
        ] == [
            ("Ông Trần Văn Một", "failed", 1, 1, "approved", why_one),
            ("Bà Lê Thị Hai", "passed", 2, 0, "refused", why_two),
        ]
        copy = text_of((await stack.awards.get(f"/decisions/{made['id']}/document.docx", headers=signer)).content)
        assert "1. Ông Trần Văn Một, Công chức" in copy
        assert copy.index("1. Ông Trần Văn Một") < copy.index(line_one)
        assert "Không khen thưởng, khác với kết quả bỏ phiếu của Hội đồng:" in copy
        assert f"- Bà Lê Thị Hai, Công chức. {line_two}" in copy

        # published: open data names the awardee; the council's votes stay in the handlers' file copy
        ok(await stack.awards.post(f"/decisions/{made['id']}/publish", headers=signer | {"If-Match": '"1"'}))
        public = ok(await stack.awards.get(f"/decisions/{made['id']}"))
        assert (public["against_council"], public["awards"][0]["deviation_reason"]) == (None, None)
        public_copy = text_of((await stack.awards.get(f"/decisions/{made['id']}/document.docx")).content)
        assert "Ông Trần Văn Một" in public_copy
        assert "Khác với kết quả bỏ phiếu" not in public_copy


class TestHistory:
    async def test_a_merged_commune_shows_the_awards_of_the_communes_it_came_from(
        self, stack: Stack, token_for: Any
    ) -> None:
        old_hong_gai, bach_dang = str(demo_id("qn/halong/honggai")), str(demo_id("qn/halong/bachdang"))
        nominees = [collective(old_hong_gai, "Phường Hồng Gai (cũ)"), collective(bach_dang, "Phường Bạch Đằng")]
        n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), nominees)
        signer = token_for("chutich.ubnd")
        made = ok(
            await stack.awards.post(
                "/decisions", json=decision_body([x["id"] for x in n["nominees"]], "2024-12-10"), headers=signer
            ),
            201,
        )
        ok(await stack.awards.post(f"/decisions/{made['id']}/publish", headers=signer | {"If-Match": '"1"'}))
        history = ok(await stack.awards.get(f"/units/{HONG_GAI}/awards"))["items"]
        assert sorted((h["name"], h["via_predecessor"], h["decision_reference"]) for h in history) == [
            ("Phường Bạch Đằng", True, "01/QĐ-UBND"),
            ("Phường Hồng Gai (cũ)", True, "01/QĐ-UBND"),
        ]
        assert {h["form_code"] for h in history} == {"BK_TINH"}
        own = ok(await stack.awards.get(f"/units/{HONG_GAI}/awards", params={"include_predecessors": "false"}))
        assert own == {"items": [], "next_cursor": None}


class TestDocumentsAndEscalation:
    async def test_minutes_and_cover_letter_open_as_docx(self, stack: Stack, token_for: Any) -> None:
        n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")])
        office = token_for("tdkt.snv")
        cover = await stack.awards.get(f"/nominations/{n['id']}/cover-letter.docx", headers=office)
        assert cover.status_code == 200, cover.text
        text = text_of(cover.content)
        assert "TỜ TRÌNH" in text
        assert "Về việc đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh" in text
        assert "1. Phường Hồng Gai" in text
        council_id = next(e["reason"] for e in n["timeline"] if (e["reason"] or "").startswith("council "))
        minutes = await stack.awards.get(f"/councils/{council_id.split()[1]}/minutes.docx", headers=office)
        assert minutes.status_code == 200, minutes.text
        text = text_of(minutes.content)
        assert "BIÊN BẢN" in text
        assert "2/2 thành viên Hội đồng có mặt" in text
        assert "1. Phường Hồng Gai (BK_TINH, biểu quyết công khai): đồng ý 2, không đồng ý 0" in text

    async def test_escalation_files_a_new_nomination_at_the_higher_authority(
        self, stack: Stack, token_for: Any
    ) -> None:
        n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")])
        office = token_for("tdkt.snv")
        body = {
            "form_id": await form_id(stack, "BK_TTG"),
            "authority_unit_id": str(demo_id("qn")),
            "title": "Đề nghị Thủ tướng Chính phủ tặng Bằng khen",
        }
        escalated = ok(await stack.awards.post(f"/nominations/{n['id']}/escalations", json=body, headers=office), 201)
        assert (escalated["status"], escalated["escalated_from"], escalated["form_code"]) == (
            "draft",
            n["id"],
            "BK_TTG",
        )
        assert escalated["proposer_unit_id"] == str(demo_id("qn"))
        assert [x["name"] for x in escalated["nominees"]] == ["Phường Hồng Gai"]

    async def test_a_retried_post_with_one_idempotency_key_files_one_dossier(
        self, stack: Stack, token_for: Any
    ) -> None:
        body = {
            "form_id": await form_id(stack, "BK_TINH"),
            "proposer_unit_id": HONG_GAI,
            "authority_unit_id": str(demo_id("qn")),
            "title": "Đề nghị",
            "nominees": [collective(HONG_GAI, "Phường Hồng Gai")],
        }
        headers = token_for("lanhdao.honggai") | {"Idempotency-Key": "hg-bk-2025-1"}
        first = await stack.awards.post("/nominations", json=body, headers=headers)
        second = await stack.awards.post("/nominations", json=body, headers=headers)
        assert (first.status_code, second.status_code) == (201, 201)
        assert first.json()["id"] == second.json()["id"]


async def test_a_cursor_that_is_not_ours_is_422_not_500(stack: Stack) -> None:
    forged = "WyJ4Il0"  # base64 of ["x"]: valid JSON, not a (date, id) sort key
    for client, path in ((stack.awards, "/decisions"), (stack.registry, "/units"), (stack.registry, "/movements")):
        response = await client.get(path, params={"cursor": forged})
        assert_problem(response, 422, "invalid-input", parameter="cursor")
        assert response.json()["errors"][0]["parameter"] == "cursor"
