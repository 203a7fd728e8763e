"""Values from a file as offices keep them: a title row, STT, units by name or name path, Vietnamese headers,
decimal commas and Có/Không; every faulty line named, nothing written unless all are right."""

import io
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from tests.scoring.factories import BAI_CHAY, BANDS, HA_TU, HONG_GAI, Auth, framework, group, indicator, period
from tests.spreadsheets import windows_1258

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THREE: dict[str, Any] = {
    "code": "IMPORT-DTI",
    "title": "Chuyển đổi số cấp xã (nhập từ tệp)",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["ward"],
    "nodes": [
        group(
            "P",
            "pillar",
            100,
            [
                indicator("X", 40, "percent", "ratio"),
                indicator("R", 30, "ratio", "ratio"),
                indicator("B", 30, "boolean", "boolean"),
            ],
        )
    ],
}
HEADER = ["STT", "Đơn vị", "Mã chỉ số", "Giá trị", "Tử số", "Mẫu số", "Có/Không"]


def _book(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["BÁO CÁO SỐ LIỆU CHUYỂN ĐỔI SỐ NĂM 2025"])
    sheet.append(HEADER)
    for i, row in enumerate(rows, start=1):
        sheet.append([i, *row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture
async def opened(scoring: httpx.AsyncClient, token_for: Auth) -> dict[str, Any]:
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, THREE)
    return await period(scoring, office, fw["id"])


async def _import(
    scoring: httpx.AsyncClient, auth: dict[str, str], period_id: str, name: str, content: bytes, **params: str
) -> httpx.Response:
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return await scoring.post(
        f"/periods/{period_id}/values/import", params=params, headers=auth, files={"file": (name, content, kind)}
    )


async def _stored(scoring: httpx.AsyncClient, auth: dict[str, str], period_id: str) -> dict[tuple[str, str], Any]:
    page = (await scoring.get(f"/periods/{period_id}/values", params={"limit": 500}, headers=auth)).json()
    return {(v["unit_id"], v["indicator_code"]): v for v in page["items"]}


class TestOfficeFile:
    async def test_names_paths_decimal_commas_and_yes_no_are_stored(
        self, scoring: httpx.AsyncClient, token_for: Auth, opened: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        rows: list[list[object]] = [
            ["Phường Hồng Gai", "X", "85,5", None, None, None],
            ["Tỉnh Quảng Ninh / Phường Hồng Gai", "R", None, 45, 50, None],  # the ward since the 2025 merger
            ["phuong hong gai", "B", None, None, None, "Có"],
            ["Phường Bãi Cháy", "X", 70.25, None, None, None],
            ["Phường Bãi Cháy", "B", None, None, None, "Không"],
        ]
        response = await _import(scoring, office, opened["id"], "so-lieu.xlsx", _book(rows))
        assert response.status_code == 200, response.text
        report = response.json()
        assert (report["rows"], report["written"], report["created"], report["errors"]) == (5, 5, 5, [])
        stored = await _stored(scoring, office, opened["id"])
        assert stored[(HONG_GAI, "X")]["value"] == "85.5000"
        assert (stored[(HONG_GAI, "R")]["numerator"], stored[(HONG_GAI, "R")]["value"]) == ("45.0000", "90.0000")
        assert stored[(HONG_GAI, "B")]["flag"] is True
        assert stored[(BAI_CHAY, "B")]["flag"] is False
        assert stored[(BAI_CHAY, "X")]["value"] == "70.2500"

    async def test_every_faulty_line_is_named_and_nothing_is_written(
        self, scoring: httpx.AsyncClient, token_for: Auth, opened: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        rows: list[list[object]] = [
            ["Phường Hồng Gai", "X", 85, None, None, None],
            ["Phường Không Có", "X", 85, None, None, None],  # no such participant
            ["Phường Hà Tu", "X", 120, None, None, None],  # over 100%
            ["Phường Hà Tu", "B", None, None, None, "có lẽ"],  # not a yes or no
            ["Phường Bãi Cháy", "Z", 50, None, None, None],  # no such indicator
        ]
        content = _book(rows)
        dry = await _import(scoring, office, opened["id"], "so-lieu.xlsx", content, dry_run="true")
        assert dry.status_code == 200, dry.text
        # Row 1 is the title, row 2 the header: data lines start at 3.
        assert [(e["row"], e["field"]) for e in dry.json()["errors"]] == [
            (4, "unit"),
            (5, "value"),
            (6, "flag"),
            (7, "indicator_code"),
        ]
        assert dry.json()["errors"][0]["pointer"] == "/rows/1/unit"
        refused = await _import(scoring, office, opened["id"], "so-lieu.xlsx", content)
        assert refused.status_code == 422
        problem = refused.json()
        assert problem["type"].endswith("/file-has-errors")
        assert [e["row"] for e in problem["errors"]] == [4, 5, 6, 7]
        assert problem["report"]["errors"] == dry.json()["errors"]
        assert await _stored(scoring, office, opened["id"]) == {}

    async def test_a_windows_1258_csv_with_unit_ids(
        self, scoring: httpx.AsyncClient, token_for: Auth, opened: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        text = f"Mã đơn vị (ID);Mã chỉ số;Giá trị\r\n{HA_TU};X;66,6\r\n"
        content = windows_1258(text)
        response = await _import(scoring, office, opened["id"], "so-lieu.csv", content)
        assert response.status_code == 200, response.text
        assert (await _stored(scoring, office, opened["id"]))[(HA_TU, "X")]["value"] == "66.6000"

    async def test_a_reporter_names_only_units_of_their_scope(
        self, scoring: httpx.AsyncClient, token_for: Auth, opened: dict[str, Any]
    ) -> None:
        reporter = token_for("baocao.honggai")
        rows: list[list[object]] = [["Phường Bãi Cháy", "X", 50, None, None, None]]
        response = await _import(scoring, reporter, opened["id"], "so-lieu.xlsx", _book(rows), dry_run="true")
        assert response.status_code == 200, response.text
        assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(3, "unit")]
