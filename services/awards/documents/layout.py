"""The layout of an administrative document under Decree 30/2020/NĐ-CP, as python-docx building blocks: the
header (issuer and national motto), the date line, the title, the signer block and the recipients."""

import io
from collections.abc import Sequence
from datetime import date

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from kit.zipfiles import fixed_times

FONT = "Times New Roman"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def date_line(place: str, day: date) -> str:
    """ "Quảng Ninh, ngày 05 tháng 01 năm 2025": a leading zero for days below 10 and for months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def document() -> Document:
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    return doc


def para(
    target: Document | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    p = target.add_paragraph()
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.name = FONT
    if size:
        run.font.size = Pt(size)
    return p


def _first(cell: _Cell, text: str, *, bold: bool, size: int) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def header(doc: Document, parent: str | None, issuer: str, reference: str, place: str, day: date) -> None:
    """Issuer and number on the left; motto and date line on the right."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    if parent:
        _first(left, parent.upper(), bold=False, size=13)
        para(left, issuer.upper(), bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        _first(left, issuer.upper(), bold=True, size=13)
    para(left, "_______", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(left, f"Số: {reference}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _first(right, MOTTO[0], bold=True, size=13)
    para(right, MOTTO[1], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(right, "_______________", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(right, date_line(place, day), italic=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)


def title(doc: Document, kind: str, subject: str) -> None:
    para(doc)
    para(doc, kind.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "_______", align=WD_ALIGN_PARAGRAPH.CENTER)


def body(doc: Document, text: str, *, bold: bool = False, italic: bool = False) -> Paragraph:
    p = para(doc, text, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.paragraph_format.first_line_indent = Cm(1)
    return p


def closing(doc: Document, recipients: Sequence[str], prefix: str | None, position: str, name: str) -> None:
    """ "Nơi nhận:" on the left (ending with "Lưu: VT, …"); the signer block on the right."""
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for i, r in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        para(left, f"- {r.rstrip('.;')}{end}", size=11)
    lines = [*([prefix.upper()] if prefix else []), position.upper()]
    _first(right, lines[0], bold=True, size=14)
    for line in lines[1:]:
        para(right, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(3):
        para(right)
    para(right, name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def to_bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return fixed_times(out.getvalue())  # the same document gives the same bytes (and ETag)
