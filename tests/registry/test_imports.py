"""Bulk import of a province's unit list: 5,000 rows of XLSX, three of them wrong."""

import io
import unicodedata
from collections.abc import Callable
from datetime import date

import httpx
import pytest
from openpyxl import Workbook

from tests.awards.factories import PROVINCE
from tests.problems import assert_problem
from tests.spreadsheets import windows_1258

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
        assert_problem(response, 422, "file-has-errors")
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
        assert_problem(response, 415, "unsupported-media-type")

    async def test_reporters_cannot_import(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        response = await registry.post(
            "/units/import", headers=token_for("baocao.honggai"), files={"file": ("x.csv", b"name\n", "text/csv")}
        )
        assert_problem(response, 403, "forbidden")


def _office_xlsx(rows: list[list[object]], header: list[str]) -> bytes:
    """A sheet as a district office keeps it: a title row, a blank row, then the header with an STT column."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DANH SÁCH ĐƠN VỊ THAM GIA PHONG TRÀO THI ĐUA NĂM 2025"])
    sheet.append([])
    sheet.append(["STT", *header])
    for i, row in enumerate(rows, start=1):
        sheet.append([i, *row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


OFFICE_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp", "Đơn vị cấp trên", "Hiệu lực từ"]


async def _post(
    client: httpx.AsyncClient, auth: dict[str, str], name: str, content: bytes, kind: str
) -> httpx.Response:
    return await client.post("/units/import", headers=auth, files={"file": (name, content, kind)})


class TestOfficeLayouts:
    async def test_title_rows_stt_dates_and_parents_by_name_path(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        rows: list[list[object]] = [
            ["32001", "Huyện Thử Nghiệm", "Huyện", "Huyện", "Tỉnh Quảng Ninh", "01/07/2025"],
            ["32002", "Xã Đồi Thông", "Xã", "Xã", "Tỉnh Quảng Ninh / Huyện Thử Nghiệm", date(2025, 7, 1)],
            ["32003", "Xã Bãi Cát", "Xã", "Xã", "huyen thu nghiem", "2025-07-01"],
        ]
        response = await _post(registry, token_for("admin"), "dv.xlsx", _office_xlsx(rows, OFFICE_HEADER), XLSX)
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 3
        units = {}
        for unit_id in response.json()["created_ids"]:
            unit = (await registry.get(f"/units/{unit_id}")).json()
            units[unit["admin_code"]] = unit
        district = units["32001"]
        assert district["parent_id"] == PROVINCE
        assert units["32002"]["parent_id"] == district["id"]
        assert units["32003"]["parent_id"] == district["id"]
        assert {u["valid_from"] for u in units.values()} == {"2025-07-01"}

    async def test_an_ambiguous_or_unknown_parent_name_is_a_422_naming_the_line_and_field(
        self, registry: httpx.AsyncClient, token_for: Auth
    ) -> None:
        twins: list[list[object]] = [
            ["32011", "Huyện Song Sinh A", "Huyện", "Huyện", "Tỉnh Quảng Ninh", None],
            ["32012", "Huyện Song Sinh B", "Huyện", "Huyện", "Tỉnh Quảng Ninh", None],
            ["32013", "Thôn Trùng Tên", "village", "grassroots", "Huyện Song Sinh A", None],
            ["32014", "Thôn Trùng Tên", "village", "grassroots", "Huyện Song Sinh B", None],
        ]
        first = await _post(registry, token_for("admin"), "a.xlsx", _office_xlsx(twins, OFFICE_HEADER), XLSX)
        assert first.status_code == 200, first.text
        rows: list[list[object]] = [
            ["32015", "Hộ Nguyễn Văn A", "household", "grassroots", "Thôn Trùng Tên", None],
            ["32016", "Hộ Trần Văn B", "household", "grassroots", "Huyện Song Sinh B / Thôn Trùng Tên", None],
            ["32017", "Hộ Lê Văn C", "household", "grassroots", "Thôn Không Có", None],
        ]
        response = await _post(registry, token_for("admin"), "b.xlsx", _office_xlsx(rows, OFFICE_HEADER), XLSX)
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"].endswith("/file-has-errors")
        # Title row, blank row and header come first: the data rows are lines 4, 5 and 6.
        assert [(e["row"], e["field"], e["pointer"]) for e in problem["errors"]] == [
            (4, "parent", "/rows/0/parent"),
            (6, "parent", "/rows/2/parent"),
        ]
        assert "2" in problem["errors"][0]["messages"]["en"]
        assert "path" in problem["errors"][0]["messages"]["en"]
        assert "Thôn Không Có" in problem["errors"][1]["messages"]["vi"]

    async def test_a_windows_1258_csv_is_read_as_vietnamese(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        text = (
            "STT;Mã ĐVHC;Tên đơn vị;Loại;Cấp;Mã cấp trên;Hiệu lực từ\r\n"
            "1;32021;Xã Đồng Tâm Thượng;Xã;Xã;22;15/01/2025\r\n"
        )
        content = windows_1258(text)
        with pytest.raises(UnicodeDecodeError):
            content.decode("utf-8")
        response = await _post(registry, token_for("admin"), "dv.csv", content, "text/csv")
        assert response.status_code == 200, response.text
        unit = (await registry.get(f"/units/{response.json()['created_ids'][0]}")).json()
        assert unit["name"] == unicodedata.normalize("NFC", "Xã Đồng Tâm Thượng")
        assert unit["valid_from"] == "2025-01-15"

    @pytest.mark.parametrize(
        ("content", "named"),
        [
            ("名称,種類\n東京都,県\n".encode("shift_jis"), "Shift_JIS"),
            ("Tên đơn vị,Loại\nXã A,Xã\n".encode("utf-16"), "UTF-16"),
        ],
    )
    async def test_another_encoding_is_a_422_naming_it(
        self, registry: httpx.AsyncClient, token_for: Auth, content: bytes, named: str
    ) -> None:
        response = await _post(registry, token_for("admin"), "dv.csv", content, "text/csv")
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"].endswith("/invalid-input")
        assert problem["encoding"] == named
        assert named in problem["messages"]["vi"]
        assert named in problem["messages"]["en"]
        assert problem["errors"][0]["parameter"] == "file"

    async def test_an_unknown_column_is_named(self, registry: httpx.AsyncClient, token_for: Auth) -> None:
        content = "STT,Tên đơn vị,Loại,Cấp,Số điện thoại\n1,Xã A,Xã,Xã,0203\n".encode()
        response = await _post(registry, token_for("admin"), "dv.csv", content, "text/csv")
        assert_problem(response, 422, "invalid-input", parameter="file")
        assert "Số điện thoại" in response.json()["detail"]
        assert "Column E" in response.json()["messages"]["en"]
