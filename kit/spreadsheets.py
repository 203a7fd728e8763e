"""Spreadsheets offices send us and the cells we send back.

Reading (`read_table`): a CSV or the first sheet of an XLSX as rows keyed by our column names, laid out the way
offices lay them out:
- title rows above the header ("DANH SÁCH ĐƠN VỊ …") are skipped: the header is the first of the first 20 rows in
  which at least two cells (one, for a one-column table) name a column;
- headers match ignoring case, diacritics, `_` and runs of spaces: our column name (`parent_code`) or any label of
  it ("Mã đơn vị cấp trên"); an `STT`/`Số TT`/`Số thứ tự` or `Ghi chú` column is ignored; another header is a 422;
- date columns take real date cells, `dd/mm/yyyy` (also `-` or `.` between, one-digit day and month) and ISO
  `yyyy-mm-dd`; number columns take number cells and texts with a decimal comma ("85,5") or point; yes/no columns
  take `Có`/`Không`, `x`, `Đạt`/`Không đạt`, 1/0, true/false and Excel's TRUE/FALSE cells;
- CSV encodings, decided in this order: a UTF-8 BOM → UTF-8; a UTF-16/UTF-32 BOM, or NUL bytes → 422 naming
  UTF-16/UTF-32; valid UTF-8 → UTF-8; bytes that decode as Windows-1258 into Vietnamese text only (every non-ASCII
  letter, once NFC-composed, a Vietnamese one, plus common typographic marks) → Windows-1258; else a 422 naming the
  encoding the bytes look like (Shift_JIS, EUC-KR, Big5, Windows-1252, in that order), or "unknown". Every text is
  NFC: Windows-1258 writes tones as combining marks. The delimiter (comma, semicolon as Vietnamese Excel writes, or
  tab) is sniffed from the first 8 KB.
A fault of layout or encoding is a 422 problem at the `file` parameter naming the line (and column) at fault.

Writing: instants are written as Vietnam's clock shows them (`local_time`). A text cell that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return is run as a formula by Excel and LibreOffice (`=HYPERLINK(...)`, DDE). OWASP's
rule: such a text gets a leading single quote, which spreadsheets read as "this is text". Numbers stay numbers, a
negative one included, and so does a text that is only a number.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar

from kit.problems import FieldError, InvalidInput, Text, UnsupportedMediaType, pointer
from kit.text import fold, nfc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_TYPES = {XLSX}
CSV_TYPES = {"text/csv", "application/csv", "text/plain"}
HEADER_SEARCH = 20  # rows looked at for the header
IGNORED = {"stt", "tt", "so tt", "so thu tu", "ghi chu"}  # folded headers of columns nobody imports

Kind = Literal["text", "date", "number", "flag"]


@dataclass(frozen=True)
class Heading:
    """A column a table may have: our name for it, the labels offices give it, and what its cells hold."""

    key: str
    labels: Sequence[str] = ()
    kind: Kind = "text"


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (1 = the first line), its place among the data rows (from 0), its cells
    by column name (blank cells left out)."""

    line: int
    index: int
    cells: dict[str, Any] = field(default_factory=dict)


def _key(header: str) -> str:
    return fold(header.replace("_", " "))


class TooManyRows(InvalidInput):
    slug = "file-too-many-rows"
    title = Text("Tệp có quá nhiều dòng", "The file has too many rows")
    message = Text("Tối đa {limit} dòng mỗi tệp", "At most {limit} rows per file")


class FileHasErrors(InvalidInput):
    """Some lines of an uploaded file are wrong: `errors` lists them (with their row), and nothing was written."""

    slug = "file-has-errors"
    title = Text("Tệp có lỗi; chưa ghi gì", "The file has errors; nothing was written")
    message = Text("Tệp có {count} lỗi; chưa ghi gì", "The file has {count} errors; nothing was written")


def read_table(content: bytes, filename: str, content_type: str | None, headings: Sequence[Heading]) -> list[Row]:
    """The data rows of a CSV or XLSX file (see the module's notes for the layouts it takes)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    name = filename.lower()
    if name.endswith(".xlsx") or (not name.endswith(".csv") and kind in XLSX_TYPES):
        lines: Iterator[Sequence[Any]] = _xlsx(content)
    elif name.endswith(".csv") or kind in CSV_TYPES:
        lines = _csv(decode_text(content))
    else:
        raise UnsupportedMediaType(Text("Chỉ nhận tệp .csv hoặc .xlsx", "Only .csv and .xlsx files are accepted"))
    by_label = {_key(label): h for h in headings for label in (h.key, *h.labels)}
    need = min(2, len(headings))
    header: list[Heading | None] | None = None
    rows: list[Row] = []
    for line, raw in enumerate(lines, start=1):
        if header is None:
            texts = [_key(str(v)) if v is not None else "" for v in raw]
            if sum(t in by_label for t in texts) >= need:
                header = _header(raw, texts, by_label, line)
            elif line >= HEADER_SEARCH:
                raise _no_header(headings)
            continue
        cells: dict[str, Any] = {}
        for heading, value in zip(header, raw, strict=False):
            if heading is not None and (cell := _cell(value, heading, line)) is not None:
                cells[heading.key] = cell
        if cells:  # blank lines (or lines of ignored columns only) are not rows
            rows.append(Row(line, len(rows), cells))
    if header is None:
        raise _no_header(headings)
    return rows


def _header(raw: Sequence[Any], texts: list[str], by_label: dict[str, Heading], line: int) -> list[Heading | None]:
    out: list[Heading | None] = []
    seen: dict[str, int] = {}
    for column, (value, text) in enumerate(zip(raw, texts, strict=True)):
        heading = by_label.get(text)
        if heading is None and text and text not in IGNORED:
            raise _at(
                line,
                Text(
                    f"Cột {_letter(column)} “{value}” không phải cột của bảng này",
                    f"Column {_letter(column)} “{value}” is not a column of this table",
                ),
            )
        if heading is not None:
            if heading.key in seen:
                raise _at(
                    line,
                    Text(
                        f"Cột {_letter(column)} lặp lại cột {_letter(seen[heading.key])} ({heading.key})",
                        f"Column {_letter(column)} repeats column {_letter(seen[heading.key])} ({heading.key})",
                    ),
                )
            seen[heading.key] = column
        out.append(heading)
    return out


def _no_header(headings: Sequence[Heading]) -> InvalidInput:
    names = ", ".join(h.labels[0] if h.labels else h.key for h in headings)
    detail = Text(
        f"Không tìm thấy dòng tiêu đề trong {HEADER_SEARCH} dòng đầu; các cột: {names}",
        f"No header row in the first {HEADER_SEARCH} lines; the columns: {names}",
    )
    return InvalidInput(detail, errors=[FieldError(detail, parameter="file")])


def _at(line: int, detail: Text) -> InvalidInput:
    detail = Text(f"Dòng {line}: {detail.vi}", f"Line {line}: {detail.en}")
    return InvalidInput(detail, errors=[FieldError(detail, parameter="file", extra={"row": line})])


def _letter(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def _cell(value: Any, heading: Heading, line: int) -> Any:
    """A cell as its column takes it; a text that is not a date or number is left for validation to refuse."""
    if value is None:
        return None
    if isinstance(value, str):
        value = nfc(value.strip())
        if not value:
            return None
    if heading.kind == "date":
        return _date(value)
    if heading.kind == "number":
        return _number(value)
    if heading.kind == "flag":
        return _flag(value)
    if isinstance(value, float) and value.is_integer():  # a code typed as a number: 22.0 is "22"
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    return value


def _date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for pattern, order in ((_DMY, (2, 1, 0)), (_ISO, (0, 1, 2))):
            if m := pattern.fullmatch(value):
                y, mo, d = (int(m.group(i + 1)) for i in order)
                try:
                    return date(y, mo, d)
                except ValueError:
                    return value
    return value


YES = {"co", "x", "1", "dat", "true", "yes", "v"}
NO = {"khong", "0", "khong dat", "false", "no"}


def _flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(str(value))
    return True if key in YES else False if key in NO else value


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "")
        if _DECIMAL_COMMA.fullmatch(text):  # Vietnamese Excel writes 85,5
            text = text.replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            return value
    return value


def row_fault(row: Row, field: str, detail: Text) -> FieldError:
    """A fault of one field of a data row: at `/rows/{index}/{field}`, with the file's line and the field."""
    return FieldError(detail, pointer=pointer("rows", row.index, field), extra={"row": row.line, "field": field})


def at_row(row: Row, error: FieldError) -> FieldError:
    """A validation fault of the row's model (pointer `/field/...`) moved to the row."""
    field = (error.pointer or "").lstrip("/").split("/")[0] or "row"
    return row_fault(row, field, error.detail)


# --- CSV text -------------------------------------------------------------------------------------------------------

_TONED = "aăâeêioôơuưy"
_VIETNAMESE = {nfc(base + mark) for base in _TONED for mark in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")}
_VIETNAMESE |= {c.upper() for c in _VIETNAMESE} | {"đ", "Đ"}
_TYPOGRAPHY = set("–—‘’“”…•₫€°±²³µ·×÷½¼¾§©®«»™\u00a0")
_CJK = ((0x3000, 0x30FF), (0x4E00, 0x9FFF), (0xFF01, 0xFF5E))  # CJK marks, kana, ideographs, full-width forms
_HANGUL = ((0x3000, 0x303F), (0xAC00, 0xD7A3), (0x4E00, 0x9FFF))
_HAN = ((0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF01, 0xFF5E))
# A guess names an encoding whose decoding of the bytes is text of its script (the last one takes any text).
_NAMED_GUESSES = (
    ("shift_jis", "Shift_JIS", _CJK),
    ("euc_kr", "EUC-KR", _HANGUL),
    ("big5", "Big5", _HAN),
    ("cp1252", "Windows-1252", ((0x80, 0x10FFFF),)),
)


def decode_text(content: bytes) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM) or Windows-1258, NFC; a 422 naming any other
    encoding (the order of the checks is in the module's notes)."""
    if content.startswith(codecs.BOM_UTF8):
        return _utf8(content[len(codecs.BOM_UTF8) :])
    for bom, name in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if content.startswith(bom):
            raise _encoding(name)
    if b"\x00" in content[:4096]:
        raise _encoding("UTF-16")
    try:
        return _utf8(content)
    except InvalidInput:
        pass
    try:
        text = nfc(content.decode("cp1258"))
    except UnicodeDecodeError:
        text = ""
    if text and all(ch.isascii() or ch in _VIETNAMESE or ch in _TYPOGRAPHY for ch in text):
        return text
    raise _encoding(_guess(content))


def _utf8(content: bytes) -> str:
    try:
        return nfc(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _encoding("?") from exc


def _guess(content: bytes) -> str:
    for codec, name, script in _NAMED_GUESSES:
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            continue
        if all(ch.isascii() or any(low <= ord(ch) <= high for low, high in script) for ch in text):
            return name
    return "không rõ / unknown"


def _encoding(found: str) -> InvalidInput:
    detail = (
        Text("Tệp không phải UTF-8 hợp lệ", "The file is not valid UTF-8")
        if found == "?"
        else Text(
            f"Mã hóa ký tự của tệp là {found}; chỉ nhận UTF-8 (có hoặc không BOM) hoặc Windows-1258",
            f"The file's character encoding is {found}; only UTF-8 (with or without BOM) or Windows-1258 is accepted",
        )
    )
    return InvalidInput(detail, errors=[FieldError(detail, parameter="file")], encoding=found)


def _csv(text: str) -> Iterator[list[str]]:
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:  # one column, or too little to tell: the delimiter that occurs most, else a comma
        counts = {d: sample.count(d) for d in ",;\t"}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        dialect = csv.excel if delimiter == "," else type("Sniffed", (csv.excel,), {"delimiter": delimiter})
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx(content: bytes) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged file
        raise UnsupportedMediaType(
            Text("Tệp XLSX bị hỏng hoặc không đọc được", "The XLSX file cannot be read")
        ) from exc
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


# --- cells we write ---------------------------------------------------------------------------------------------------

# Excel keeps no time zone in a cell: instants are written in Vietnam's time (UTC+7, no daylight saving since 1975,
# so no tz database is needed).
VIETNAM = timezone(timedelta(hours=7), "ICT")


def local_time(value: datetime) -> datetime:
    """`value` as a clock in Vietnam shows it, without a zone (a naive one is taken to be that already)."""
    return value.astimezone(VIETNAM).replace(tzinfo=None) if value.tzinfo else value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")

V = TypeVar("V")


def inert_cell(value: V) -> V | str:
    """`value` as it is, unless it is a text a spreadsheet would run as a formula: then behind a single quote."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _NUMBER.fullmatch(value):
        return value
    return "'" + value
