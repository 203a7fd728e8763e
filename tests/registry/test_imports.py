"""Bulk import of a province's unit list: 5,000 rows of XLSX, three of them wrong."""

import io
from collections.abc import Callable

import httpx
import pytest
from openpyxl import Workbook

Auth = Callable[[str], dict[str, str]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Mã ĐVHC", "Tên đơn vị", "Loại", "Cấp", "Mã cấp trên", "organ_code"]


def _rows(n: int) -> list[list[object]]:
    rows: list[list[object]] = [
        [30000 + i, f"Trường Tiểu học số {i}", "school", "grassroots", "22", None] for i in range(n)
    ]
    return rows


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


async def _import(client: httpx.AsyncClient, auth: dict[str, str], content: bytes, *, dry_run: bool) -> httpx.Response:
    return await client.post(
        "/units/import",
        params={"dry_run": str(dry_run).lower()},
        headers=auth,
        files={"file": ("don-vi.xlsx", content, XLSX)},
    )


async def _count(client: httpx.AsyncClient) -> int:
    # Schools of the import all sit under the province; count them through the API.
    total, cursor = 0, None
    while True:
        params: dict[str, str | int] = {"kind": "school", "limit": 500, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/units", params=params)).json()
        total += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return total


@pytest.fixture
def bad_rows() -> list[list[object]]:
    rows = _rows(5000)
    rows[10][5] = "H30.00"  # malformed organ code
    rows[2500][2] = "spaceship"  # unknown kind
    rows[4999][1] = None  # missing name
    return rows


class TestXlsxImport:
    async def test_dry_run_lists_exactly_the_bad_rows(
        self, registry: httpx.AsyncClient, token_for: Auth, bad_rows: list[list[object]]
    ) -> None:
        response = await _import(registry, token_for("admin"), _xlsx(bad_rows), dry_run=True)
        assert response.status_code == 200, response.text
        report = response.json()
        assert [(e["row"], e["field"]) for e in report["errors"]] == [
            (12, "organ_code"),
            (2502, "kind"),
            (5001, "name"),
        ]
        assert report["errors"][0]["pointer"] == "/rows/10/organ_code"
        assert report["rows"] == 5000
        assert await _count(registry) == 0

    async def test_commit_refuses_with_the_same_report_and_writes_nothing(
        self, registry: httpx.AsyncClient, token_for: Auth, bad_rows: list[list[object]]
    ) -> None:
        content = _xlsx(bad_rows)
        dry = (await _import(registry, token_for("admin"), content, dry_run=True)).json()
        response = await _import(registry, token_for("admin"), content, dry_run=False)
        assert response.status_code == 422
        problem = response.json()
        assert problem["report"]["errors"] == dry["errors"]
        assert [e["pointer"] for e in problem["errors"]] == [e["pointer"] for e in dry["errors"]]
        assert await _count(registry) == 0

    async def test_fixed_file_creates_5000_and_reimport_creates_none(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        content = _xlsx(_rows(5000))
        first = await _import(registry, token_for("admin"), content, dry_run=False)
        assert first.status_code == 200, first.text
        assert (first.json()["created"], first.json()["updated"]) == (5000, 0)
        again = (await _import(registry, token_for("admin"), content, dry_run=False)).json()
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5000)
        assert await _count(registry) == 5000

    async def test_reimport_with_a_corrected_name_updates_in_place(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        rows = _rows(3)
        await _import(registry, token_for("admin"), _xlsx(rows), dry_run=False)
        rows[1][1] = "Trường Tiểu học Lê Lợi"
        report = (await _import(registry, token_for("admin"), _xlsx(rows), dry_run=False)).json()
        assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 2)
        found = (await registry.get("/units", params={"q": "le loi"})).json()["items"]
        assert [u["admin_code"] for u in found] == ["30001"]


class TestCsvImport:
    async def test_csv_with_bom_and_semicolons(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        content = "\ufeffadmin_code;name;kind;level;parent_code\n31001;Xã Đồng Văn;Xã;xã;22\n".encode()
        response = await registry.post(
            "/units/import", headers=token_for("admin"), files={"file": ("x.csv", content, "text/csv")}
        )
        assert response.status_code == 200, response.text
        found = (await registry.get("/units", params={"q": "dong van"})).json()["items"]
        assert [(u["name"], u["kind"]) for u in found] == [("Xã Đồng Văn", "commune")]

    async def test_other_file_types_are_415(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await registry.post(
            "/units/import", headers=token_for("admin"), files={"file": ("x.pdf", b"%PDF", "application/pdf")}
        )
        assert response.status_code == 415

    async def test_reporters_cannot_import(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await registry.post(
            "/units/import", headers=token_for("baocao.honggai"), files={"file": ("x.csv", b"name\n", "text/csv")}
        )
        assert response.status_code == 403
