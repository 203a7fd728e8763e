"""The open-data CSV opens in Excel as it is: a BOM, Vietnamese labels on request, yes/no and instants Excel reads,
and no cell that runs as a formula."""

import csv
import io
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from tests.awards.factories import BAI_CHAY, HONG_GAI, PROVINCE, published_period
from tests.conftest import Stack
from tests.gateway.conftest import Gateway

PLANTED = '=HYPERLINK("http://x","y")'
EXCEL_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # without a BOM Excel reads UTF-8 as the Windows code page
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


async def test_a_planted_formula_in_a_unit_name_is_inert_in_the_csv(
    stack: Stack, gateway: Gateway, token_for: Any
) -> None:
    created = await stack.registry.post(
        "/units",
        json={"kind": "village", "level": "grassroots", "name": PLANTED, "parent_id": HONG_GAI},
        headers=token_for("baocao.honggai"),  # a unit reporter edits the units of their own ward
    )
    assert created.status_code == 201, created.text
    unit_id = created.json()["id"]
    url: str | None = "/open-data/units?format=csv&limit=500"
    rows: list[dict[str, str]] = []
    while url:
        response = await gateway.client.get(url)  # anonymous
        assert response.status_code == 200, response.text
        rows += _rows(response.content)
        link = response.headers.get("link")
        url = link[1 : link.index(">")].removeprefix("http://gateway") if link else None
    planted = next(r for r in rows if r["id"] == unit_id)
    assert planted["name"] == "'" + PLANTED
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row.values())


class TestExcelReadsIt:
    async def test_vietnamese_labels_and_yes_no_on_request(
        self, stack: Stack, gateway: Gateway, token_for: Any
    ) -> None:
        period = await published_period(
            stack, token_for("tdkt.snv"), PROVINCE, {HONG_GAI: 90, BAI_CHAY: 70}, code="CSV"
        )
        url = f"/open-data/rankings/{period['id']}"
        named = _rows((await gateway.client.get(url, params={"format": "csv"})).content)
        labelled = _rows((await gateway.client.get(url, params={"format": "csv", "labels": "vi"})).content)
        assert list(labelled[0])[:4] == ["Mã kỳ đánh giá", "Mã đơn vị", "Tên đơn vị", "Tổng điểm"]
        hong_gai = next(r for r in labelled if r["Mã đơn vị"] == HONG_GAI)
        assert (hong_gai["Tên đơn vị"], hong_gai["Xếp loại"], hong_gai["Được xếp hạng"]) == (
            "Phường Hồng Gai",
            "Tốt",
            "Có",
        )
        assert hong_gai["Điểm suy ra sau sắp xếp"] == "Không"
        same = next(r for r in named if r["unit_id"] == HONG_GAI)
        assert (same["ranked"], same["derived"]) == ("true", "false")  # not Python's True/False
        words = {"true": "Có", "false": "Không"}
        assert [words.get(v, v) for v in same.values()] == list(hong_gai.values())  # else only the header differs

    async def test_instants_are_vietnam_clock_times_excel_parses(self, gateway: Gateway) -> None:
        csv_rows = _rows((await gateway.client.get("/open-data/units", params={"format": "csv", "limit": 3})).content)
        json_rows = (await gateway.client.get("/open-data/units", params={"limit": 3})).json()["items"]
        for row, item in zip(csv_rows, json_rows, strict=True):
            assert EXCEL_INSTANT.fullmatch(row["updated_at"]), row["updated_at"]
            instant = datetime.fromisoformat(item["updated_at"])  # JSON keeps ISO 8601 with the offset, for programs
            vietnam = instant.astimezone(timezone(timedelta(hours=7))).strftime("%Y-%m-%d %H:%M:%S")
            assert row["updated_at"] == vietnam
