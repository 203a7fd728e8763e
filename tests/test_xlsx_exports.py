"""Lists an office files in Excel: a ranking, a rule's candidates, a movement's registrations and a decision's
awardees, each the JSON answer of its endpoint as a workbook (`?format=xlsx` or by Accept), opened with openpyxl."""

import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kit.spreadsheets import XLSX
from tests.awards.factories import (
    BAI_CHAY,
    HA_TU,
    HONG_GAI,
    PROVINCE,
    collective,
    decided,
    decision_body,
    form_id,
    movement,
    ok,
    person,
    published_period,
)
from tests.conftest import Stack
from tests.problems import assert_problem

PEER = {"key": "ward|commune"}


def opened(response: httpx.Response) -> Worksheet:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def header(sheet: Worksheet, row: int) -> list[Any]:
    return [c.value for c in sheet[row]]


def filename(response: httpx.Response) -> str:
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    assert disposition.split('filename="')[1].split('"')[0].isascii()
    return unquote(disposition.split("filename*=UTF-8''")[1])


@pytest.fixture
async def ranked(stack: Stack, token_for: Any) -> dict[str, Any]:
    office = token_for("tdkt.snv")
    scores = {HONG_GAI: 90.5, BAI_CHAY: 75, HA_TU: 90.5}
    return await published_period(stack, office, PROVINCE, scores, code="XLSX-RANK")


class TestRanking:
    async def test_the_workbook_has_the_json_ranking_with_formats_and_a_frozen_header(
        self, stack: Stack, ranked: dict[str, Any]
    ) -> None:
        url = f"/periods/{ranked['id']}/rankings/peer"
        ranking = ok(await stack.scoring.get(url, params=PEER))
        response = await stack.scoring.get(url, params=PEER | {"format": "xlsx"})
        sheet = opened(response)
        assert sheet["A1"].value == "Kết quả xếp hạng: Tổng kết (Phường, cấp xã)"  # the period and the group
        assert header(sheet, 2)[:6] == ["Hạng", "Đơn vị", "Tổng điểm", "Điểm (thang 100)", "Chỉ số", "Xếp loại"]
        assert sheet.freeze_panes == "A3"
        lines = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
        assert [(line[0], line[1], line[5], line[-1]) for line in lines] == [
            (r["rank"], r["name"], r["band_vi"], r["unit_id"]) for r in ranking
        ]
        assert [line[0] for line in lines][:3] == [1, 1, 3]  # ties share a rank (a ward without values is last)
        score = sheet["D3"]
        assert score.value == pytest.approx(float(Decimal(ranking[0]["score100"])))
        assert score.number_format == "0.00"
        computed = sheet.cell(row=3, column=9)
        assert isinstance(computed.value, datetime)
        assert computed.number_format == "dd/mm/yyyy hh:mm"
        assert sheet.column_dimensions["B"].width == 40
        assert filename(response) == "Xếp hạng Tổng kết - Phường, cấp xã.xlsx"

    async def test_a_periods_scores_come_whole_with_class_and_peer_rank(
        self, stack: Stack, ranked: dict[str, Any]
    ) -> None:
        url = f"/periods/{ranked['id']}/scores"
        scores = ok(await stack.scoring.get(url, params={"limit": 500}))["items"]
        sheet = opened(await stack.scoring.get(url, params={"format": "xlsx", "limit": 1}))
        head = header(sheet, 2)
        lines = [dict(zip(head, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
        peer = [next(r for r in s["ranks"] if r["group_kind"] == "peer") for s in scores]
        assert [(x["Mã đơn vị (ID)"], x["Xếp loại"], x["Hạng trong nhóm"]) for x in lines] == [
            (s["unit_id"], s["band_vi"], p["rank"]) for s, p in zip(scores, peer, strict=True)
        ]
        hong_gai = next(x for x in lines if x["Mã đơn vị (ID)"] == HONG_GAI)
        assert (hong_gai["Đơn vị"], hong_gai["Nhóm so sánh"], hong_gai["Hạng trong nhóm"]) == (
            "Phường Hồng Gai",
            "Phường, cấp xã",
            1,
        )
        assert sheet.cell(row=3, column=head.index("Điểm (thang 100)") + 1).number_format == "0.00"

    async def test_accept_asks_for_the_same_workbook(self, stack: Stack, ranked: dict[str, Any]) -> None:
        url = f"/periods/{ranked['id']}/rankings/peer"
        by_accept = opened(await stack.scoring.get(url, params=PEER, headers={"Accept": XLSX}))
        by_format = opened(await stack.scoring.get(url, params=PEER | {"format": "xlsx"}))
        assert [[c.value for c in r] for r in by_accept.iter_rows()] == [
            [c.value for c in r] for r in by_format.iter_rows()
        ]
        as_json = await stack.scoring.get(url, params=PEER | {"format": "json"}, headers={"Accept": XLSX})
        assert as_json.headers["content-type"] == "application/json"  # format wins over Accept
        assert as_json.headers["vary"] == "Accept, Authorization"  # it depends on Accept (and on the caller)

    async def test_openapi_documents_the_workbook(self, stack: Stack) -> None:
        spec = ok(await stack.scoring.get("/openapi.json"))
        content = spec["paths"]["/periods/{period_id}/rankings/{group_kind}"]["get"]["responses"]["200"]["content"]
        assert set(content) == {"application/json", XLSX}


class TestCandidates:
    async def test_each_candidate_has_each_condition_explained(
        self, stack: Stack, token_for: Any, ranked: dict[str, Any]
    ) -> None:
        office, admin = token_for("tdkt.snv"), token_for("admin")
        mv = await movement(stack, admin, PROVINCE, "XLSX-CAND", ["P1"])
        body = {
            "movement_id": mv["id"],
            "phase_code": "P1",
            "year": 2025,
            "period_id": ranked["id"],
            "form_id": await form_id(stack, "BK_TINH"),
            "title": "Bằng khen: phường xếp loại Tốt, từ 80 điểm",
            "conditions": [{"kind": "band", "labels": ["Tốt"]}, {"kind": "score", "value": 80}],
            "groups": [{"key": "phuong", "label": "Phường", "unit_kinds": ["ward"]}],
        }
        rule = ok(await stack.awards.post("/rules", json=body, headers=office), 201)
        url = f"/rules/{rule['id']}/candidates"
        evaluation = ok(await stack.awards.get(url, headers=office))
        response = await stack.awards.get(url, headers=office | {"Accept": XLSX})
        sheet = opened(response)
        head = header(sheet, 2)
        assert head[:7] == ["Nhóm", "Hạng", "Tên", "Giá trị xếp thứ tự", "Đủ điều kiện", "Được chọn", "Tình trạng"]
        checks = evaluation["groups"][0]["candidates"][0]["checks"]
        assert head[7:-1] == [c["description_vi"] for c in checks]  # one column per condition
        lines = [dict(zip(head, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
        candidates = evaluation["groups"][0]["candidates"]
        assert [line["Tên"] for line in lines] == [c["name"] for c in candidates]
        bai_chay = next(line for line in lines if line["Tên"] == "Phường Bãi Cháy")
        assert bai_chay["Đủ điều kiện"] == "Không"
        assert bai_chay["Tình trạng"] == "Không đủ điều kiện"
        assert str(bai_chay[checks[0]["description_vi"]]).startswith("Không đạt: Khá")
        assert sheet.freeze_panes == "A3"
        assert filename(response).endswith(".xlsx")

    async def test_an_outsider_gets_the_same_refusal_as_for_json(
        self, stack: Stack, token_for: Any, ranked: dict[str, Any]
    ) -> None:
        reporter = token_for("baocao.honggai")
        url = "/rules/00000000-0000-0000-0000-000000000000/candidates"
        as_json = await stack.awards.get(url, headers=reporter)
        as_xlsx = await stack.awards.get(url, headers=reporter, params={"format": "xlsx"})
        assert_problem(as_json, 403, "forbidden")
        assert_problem(as_xlsx, 403, "forbidden")
        assert as_xlsx.headers["content-type"] == "application/problem+json"


class TestRegistrations:
    async def test_every_registration_with_its_subject_status_and_dates(self, stack: Stack, token_for: Any) -> None:
        admin = token_for("admin")
        mv = await movement(stack, admin, PROVINCE, "XLSX-REG", ["P1"])
        made = ok(
            await stack.registry.post(
                f"/movements/{mv['id']}/registrations",
                json={"unit_id": HONG_GAI, "commitments": ["Hoàn thành 100% dịch vụ công trực tuyến"]},
                headers=admin,
            ),
            201,
        )
        url = f"/movements/{mv['id']}/registrations"
        response = await stack.registry.get(url, params={"format": "xlsx", "limit": 1})
        sheet = opened(response)
        head = header(sheet, 2)
        assert head[:4] == ["STT", "Đơn vị / cá nhân đăng ký", "Tập thể / cá nhân", "Trạng thái"]
        [line] = [dict(zip(head, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
        assert (line["STT"], line["Đơn vị / cá nhân đăng ký"], line["Trạng thái"]) == (1, "Phường Hồng Gai", "Bản nháp")
        assert line["Giao ước thi đua"] == "Hoàn thành 100% dịch vụ công trực tuyến"
        assert line["Chỉ đạo điểm"] == "Không"
        created = sheet.cell(row=3, column=head.index("Ngày tạo") + 1)
        assert isinstance(created.value, datetime)  # a real date cell
        # The day in Vietnam (UTC+7), as the office reads it: after 17:00 UTC it is already the next day there.
        vietnam = timezone(timedelta(hours=7))
        assert created.value.date() == datetime.fromisoformat(made["created_at"]).astimezone(vietnam).date()
        assert created.number_format == "dd/mm/yyyy"
        assert filename(response) == f"Đăng ký thi đua {mv['title']}.xlsx"


class TestDecision:
    async def test_the_awardee_list_has_forms_and_amounts_as_money(self, stack: Stack, token_for: Any) -> None:
        nominees = [collective(HONG_GAI, "Phường Hồng Gai"), person("Bà Nguyễn Thị Lan", "Chủ tịch UBND phường")]
        n = await decided(stack, token_for, await form_id(stack, "BK_TINH"), nominees)
        signer = token_for("chutich.ubnd")
        body = decision_body([x["id"] for x in n["nominees"]])
        created = ok(await stack.awards.post("/decisions", json=body, headers=signer), 201)
        url = f"/decisions/{created['id']}"
        anonymous = await stack.awards.get(url, params={"format": "xlsx"})
        # not published: unknown to outsiders, as a workbook too
        assert_problem(anonymous, 404, "decision-not-found")
        response = await stack.awards.get(url, params={"format": "xlsx"}, headers=signer)
        sheet = opened(response)
        assert sheet["A1"].value == "Danh sách khen thưởng kèm theo Quyết định số 01/QĐ-UBND ngày 05/12/2025"
        head = header(sheet, 2)
        lines = [dict(zip(head, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
        awards = ok(await stack.awards.get(url, headers=signer))["awards"]
        assert [(line["STT"], line["Tên tập thể / Họ và tên"], line["Số tiền thưởng (đồng)"]) for line in lines] == [
            (n, a["name"], int(a["amount"])) for n, a in enumerate(awards, start=1)
        ]
        assert {line["Tên tập thể / Họ và tên"]: line["Số tiền thưởng (đồng)"] for line in lines} == {
            "Phường Hồng Gai": 4680000,
            "Bà Nguyễn Thị Lan": 2340000,
        }
        assert {line["Hình thức khen thưởng"] for line in lines} == {"Bằng khen của Chủ tịch UBND tỉnh"}
        money = sheet.cell(row=3, column=head.index("Số tiền thưởng (đồng)") + 1)
        assert money.number_format == "#,##0"
        assert filename(response) == "Danh sách khen thưởng QĐ 01-QĐ-UBND.xlsx"
        disposition = response.headers["content-disposition"]
        assert 'filename="Danh sach khen thuong QD 01-QD-UBND.xlsx"' in disposition
