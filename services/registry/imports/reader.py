"""Reads a unit list from CSV or XLSX into dicts keyed by our column names (Vietnamese headers accepted)."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from kit.problems import Text, UnsupportedMediaType
from kit.text import fold, nfc

COLUMNS = ("admin_code", "organ_code", "name", "short_name", "kind", "level", "parent_code", "valid_from")
# Headers as provinces write them, folded (no diacritics, lower case).
HEADER_ALIASES = {
    "ma dvhc": "admin_code",
    "ma don vi hanh chinh": "admin_code",
    "ma hanh chinh": "admin_code",
    "ma dinh danh": "organ_code",
    "ma dinh danh co quan": "organ_code",
    "ten": "name",
    "ten don vi": "name",
    "ten viet tat": "short_name",
    "loai": "kind",
    "loai don vi": "kind",
    "cap": "level",
    "ma cap tren": "parent_code",
    "ma don vi cap tren": "parent_code",
    "hieu luc tu": "valid_from",
}
XLSX_TYPES = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CSV_TYPES = {"text/csv", "application/csv", "text/plain"}


def _column(header: Any) -> str:
    key = fold(str(header or "")).replace("_", " ")
    return HEADER_ALIASES.get(key, key.replace(" ", "_"))


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = nfc(value.strip())
        return value or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


def read_rows(content: bytes, filename: str, content_type: str | None) -> list[dict[str, Any]]:
    """Rows as dicts; the header row names the columns (unknown columns are kept and refused by validation)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if filename.lower().endswith(".xlsx") or kind in XLSX_TYPES:
        rows = _xlsx(content)
    elif filename.lower().endswith(".csv") or kind in CSV_TYPES:
        rows = _csv(content)
    else:
        raise UnsupportedMediaType(Text("Chỉ nhận tệp .csv hoặc .xlsx", "Only .csv and .xlsx files are accepted"))
    header = next(rows, None)
    if header is None:
        return []
    columns = [_column(h) for h in header]
    out = []
    for raw in rows:
        values = [_cell(v) for v in raw]
        if not any(v is not None for v in values):
            continue  # blank lines are not rows
        out.append({col: val for col, val in zip(columns, values, strict=False) if col and val is not None})
    return out


def _csv(content: bytes) -> Iterator[list[Any]]:
    text = content.decode("utf-8-sig")  # Excel writes a BOM
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged file
        raise UnsupportedMediaType(
            Text("Tệp XLSX bị hỏng hoặc không đọc được", "The XLSX file cannot be read")
        ) from exc
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield list(row)
    book.close()
