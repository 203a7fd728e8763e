"""Lists as Excel workbooks, the way an office files them, and the one way an endpoint offers them.

A `Sheet` is a list of `Column`s (Vietnamese label, where the value comes from, what kind it is). It renders rows in
openpyxl's write-only mode (rows stream to the file, so a sheet of 100,000 rows stays small in memory): an optional
title row, a bold header row that stays frozen on screen, set column widths, numbers as numbers with a format
(scores `0.00`, money `#,##0`), dates and instants as real dates (`dd/mm/yyyy`, instants in Vietnam's time, UTC+7,
which Excel cannot hold a zone for), yes/no as `Có`/`Không`, and texts made inert (`kit.spreadsheets.inert_cell`).
The same rows give the same bytes (no time of saving inside), so a workbook's ETag holds between two downloads.

An endpoint offers its JSON answer as a workbook too, by one mechanism: `?format=xlsx` (for links in a browser) or
`Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (`format` wins when both are given).
The handler reads the `Export` dependency after the service call, so the same authorization runs before anything is
revealed, and answers `export.workbook(...)`; `offers_xlsx(Model)` documents both media types in OpenAPI.
"""

import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import quote
from zipfile import ZIP_DEFLATED, ZipFile

from fastapi import Depends, Query, Request, Response

from kit import openapi
from kit.spreadsheets import XLSX, inert_cell, local_time
from kit.zipfiles import fixed_times

Kind = Literal["text", "integer", "score", "index", "money", "date", "datetime", "flag"]
FORMATS: dict[str, str] = {
    "integer": "0",
    "score": "0.00",
    "index": "0.0000",
    "money": "#,##0",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}
WIDTHS: dict[str, float] = {
    "text": 24,
    "integer": 8,
    "score": 10,
    "index": 10,
    "money": 14,
    "date": 12,
    "datetime": 17,
    "flag": 8,
}
YES, NO = "Có", "Không"
ZIP_EPOCH = datetime(1980, 1, 1)  # a workbook's created/modified: no time of saving, as in its zip (kit.zipfiles)


@dataclass(frozen=True)
class Column:
    """One column: its Vietnamese header, the row's key (or a function of the row) and the kind of its cells."""

    label: str
    key: str | Callable[[Any], Any]
    kind: Kind = "text"
    width: float | None = None  # characters; default: the kind's width, widened to fit the label

    def value(self, row: Any) -> Any:
        if callable(self.key):
            return self.key(row)
        return row.get(self.key) if isinstance(row, Mapping) else getattr(row, self.key)


def _cell_value(value: Any, kind: Kind) -> Any:
    if value is None:
        return None
    if kind == "flag" or isinstance(value, bool):
        return YES if value else NO
    if kind == "datetime" and isinstance(value, datetime):
        return local_time(value)
    if kind == "date" and isinstance(value, datetime):
        return local_time(value).date()
    if isinstance(value, Decimal | int | float | date):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return inert_cell(str(value))


@dataclass(frozen=True)
class Sheet:
    """A sheet's layout; `render` writes rows into a workbook of that one sheet."""

    columns: Sequence[Column]
    name: str = "Danh sách"

    def render(self, rows: Iterable[Any], *, title: str | None = None) -> bytes:
        """The .xlsx bytes: the title (if any) in row 1, the header below it (frozen), then one line per row."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
        from openpyxl.writer.excel import ExcelWriter

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_sheet_name(self.name))
        header_row = 2 if title else 1
        sheet.freeze_panes = f"A{header_row + 1}"  # rows above the first data row stay on screen
        for i, column in enumerate(self.columns, start=1):
            width = column.width or max(WIDTHS[column.kind], min(len(column.label) + 2, 40))
            sheet.column_dimensions[get_column_letter(i)].width = width
        if title:
            cell = WriteOnlyCell(sheet, value=inert_cell(title))
            cell.font = Font(bold=True, size=13)
            sheet.append([cell])
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center")
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(sheet, value=column.label)
            cell.font, cell.alignment = bold, wrap
            header.append(cell)
        sheet.append(header)
        formats = [FORMATS.get(c.kind) for c in self.columns]
        for row in rows:
            line: list[Any] = []
            for column, number_format in zip(self.columns, formats, strict=True):
                value = _cell_value(column.value(row), column.kind)
                if number_format and value is not None and not isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = number_format
                    line.append(cell)
                else:
                    line.append(value)
            sheet.append(line)
        # Saved without the time of saving (openpyxl's `save` stamps it), so the same rows give the same bytes.
        book.properties.created = book.properties.modified = ZIP_EPOCH
        buffer = io.BytesIO()
        ExcelWriter(book, ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
        return fixed_times(buffer.getvalue())


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet1"


# --- how an endpoint offers a workbook --------------------------------------------------------------------------------

FormatName = Literal["json", "xlsx"]


def _accepts_xlsx(accept: str) -> bool:
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if media.lower() == XLSX:
            return not any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params)
    return False


@dataclass(frozen=True)
class Exporter:
    """Whether the caller asked for a workbook, and how to answer one."""

    wanted: bool

    def workbook(self, sheet: Sheet, rows: Iterable[Any], *, filename: str, title: str | None = None) -> Response:
        """The rows as an .xlsx download named `filename` (Vietnamese welcome; the extension is added)."""
        return Response(
            sheet.render(rows, title=title),
            media_type=XLSX,
            headers={"Content-Disposition": attachment(filename + ".xlsx"), "Vary": "Accept"},
        )


def _exporter(
    request: Request,
    response: Response,
    fmt: Annotated[
        FormatName | None,
        Query(
            alias="format",
            description="xlsx: the list as an Excel workbook (same as Accept: " + XLSX + "); json: the default",
        ),
    ] = None,
) -> Exporter:
    response.headers["Vary"] = "Accept"  # the JSON answer, too, depends on Accept
    if fmt is not None:
        return Exporter(fmt == "xlsx")
    return Exporter(_accepts_xlsx(request.headers.get("accept", "")))


Export = Annotated[Exporter, Depends(_exporter)]


def attachment(filename: str) -> str:
    """`Content-Disposition` of a download: an ASCII `filename` for old clients (diacritics dropped, đ → d) and the
    real name in RFC 5987 `filename*`."""
    ascii_name = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]+", "_", ascii_name).strip() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def offers_xlsx(
    model: Any, description: str = "The list as JSON, or as an Excel workbook", *, problems: Sequence[int] = ()
) -> dict[str, Any]:
    """Route arguments (`@router.get(path, **offers_xlsx(list[Row]))`) of an operation that answers `model` as JSON
    or, when asked, an .xlsx workbook: both media types are documented for its 200; `problems` as in
    `kit.openapi.problems`."""
    workbook = {"description": description, "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}
    return {"response_model": model, "responses": {200: workbook, **openapi.problems(*problems)}}
