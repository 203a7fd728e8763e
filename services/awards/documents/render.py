"""The three documents of a commendation: Tờ trình (the proposing unit's cover letter), Biên bản (council
minutes) and Quyết định (the decision with its list: I. Cá nhân, II. Tập thể)."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from services.awards.councils.schemas import Council
from services.awards.councils.voting import against_note, described
from services.awards.decisions.schemas import AwardOut, CouncilDeviation, Decision
from services.awards.documents.layout import body, closing, document, header, para, title, to_bytes
from services.awards.nominations.schemas import Nomination
from services.awards.vocabulary import COUNCIL_RESULT_VI, LineOutcome, SubjectType

SECTIONS = [
    (SubjectType.INDIVIDUAL, "CÁ NHÂN"),
    (SubjectType.COLLECTIVE, "TẬP THỂ"),
    (SubjectType.HOUSEHOLD, "HỘ GIA ĐÌNH"),
]
ROMAN = ["I", "II", "III"]


def money(amount: Decimal) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def _against(d: CouncilDeviation) -> str:
    return against_note(described(d.council_result, d.yes, d.no, d.abstain), d.reason)


def _listed(doc: Document, awards: Sequence[AwardOut], against: Sequence[CouncilDeviation]) -> None:
    """The list split by subject type, numbered within each part; under a line approved against the council's vote,
    the signer's reason (in the handlers' file copy: others are not shown `against`)."""
    notes = {d.nominee_id: _against(d) for d in against if d.outcome == LineOutcome.APPROVED}
    parts = [(label, [a for a in awards if a.subject_type == kind]) for kind, label in SECTIONS]
    for roman, (label, rows) in zip(ROMAN, [p for p in parts if p[1]], strict=False):
        para(doc, f"{roman}. {label}", bold=True)
        for i, a in enumerate(rows, 1):
            line = f"{i}. {a.name}" + (f", {a.detail}" if a.detail else "")
            para(doc, f"{line} — {money(a.amount)};")
            if a.nominee_id in notes:
                body(doc, notes[a.nominee_id], italic=True)
    refused = [d for d in against if d.outcome == LineOutcome.REFUSED]
    if refused:
        para(doc, "Không khen thưởng, khác với kết quả bỏ phiếu của Hội đồng:", bold=True)
        for d in refused:
            para(doc, f"- {d.name}" + (f", {d.detail}" if d.detail else "") + f". {_against(d)}")


def decision(d: Decision, form_names: Mapping[str, str]) -> bytes:
    doc = document()
    header(doc, d.issuer_parent, d.issuer_name, d.reference, d.place, d.signed_on)
    title(doc, "Quyết định", d.subject)
    para(doc, d.authority.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for basis in d.legal_bases:
        body(doc, basis.rstrip(";.") + ";", italic=True)
    para(doc, "QUYẾT ĐỊNH:", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    active = [a for a in d.awards if a.status == "issued"]
    counts = {k: sum(a.subject_type == k for a in active) for k, _ in SECTIONS}
    names = ", ".join(sorted({form_names[str(a.form_id)] for a in active}))
    whom = ", ".join(f"{n} {label.lower()}" for (k, label), n in zip(SECTIONS, counts.values(), strict=True) if n)
    body(doc, f"Điều 1. Tặng {names} cho {whom} có thành tích xuất sắc (có danh sách kèm theo).")
    total = sum((a.amount for a in active), Decimal(0))
    body(
        doc,
        f"Điều 2. Tiền thưởng theo quy định, tính trên mức lương cơ sở {money(d.base_salary)}; "
        f"tổng cộng {money(total)}.",
    )
    body(
        doc,
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị liên quan và các cá nhân, "
        "tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
    )
    closing(doc, d.recipients, d.signer.prefix, d.signer.position, d.signer.name)
    doc.add_page_break()  # type: ignore[no-untyped-call]
    para(doc, "DANH SÁCH KHEN THƯỞNG", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(
        doc,
        f"(Kèm theo Quyết định số {d.reference} ngày {d.signed_on:%d/%m/%Y} của {d.authority.title()})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _listed(doc, active, d.against_council or [])
    return to_bytes(doc)


def minutes(c: Council, chair: str | None, secretary: str | None) -> bytes:
    doc = document()
    header(doc, None, c.body_name, "      /BB-HĐTĐKT", c.place, c.meets_on)
    title(doc, "Biên bản", f"Họp {c.body_name.title()}: {c.title}")
    present = [m for m in c.members if m.present]
    body(doc, f"Thời gian: ngày {c.meets_on:%d/%m/%Y}. Địa điểm: {c.place}.")
    body(doc, f"Thành phần: {len(present)}/{len(c.members)} thành viên Hội đồng có mặt:")
    for m in c.members:
        para(doc, f"- {m.name}, {m.position}" + ("" if m.present else " (vắng mặt)") + ";")
    body(doc, "Kết quả biểu quyết:", bold=True)
    for i, item in enumerate(c.items, 1):
        how = "bỏ phiếu kín" if item.ballot == "secret" else "biểu quyết công khai"
        result = COUNCIL_RESULT_VI.get(item.result, "Chưa kiểm phiếu") if item.result else "Chưa kiểm phiếu"
        share = f" ({item.share * 100:.2f}%)" if item.share is not None else ""
        counts = (
            f"đồng ý {item.yes + item.written_yes}, không đồng ý {item.no}, không biểu quyết {item.abstain}"
            if item.yes is not None and item.written_yes is not None
            else f"{item.voted} thành viên đã bỏ phiếu, phiếu kín chưa kiểm"  # sealed until the council closes
        )
        para(doc, f"{i}. {item.name} ({item.form_code}, {how}): {counts} — {result}{share}.")
    body(doc, f"Biên bản lập xong lúc kết thúc cuộc họp ngày {c.meets_on:%d/%m/%Y}.")
    closing(doc, ["Thành viên Hội đồng", "Lưu: VT, HĐTĐKT"], "THƯ KÝ HỘI ĐỒNG", "", secretary or "")
    para(doc, "CHỦ TỊCH HỘI ĐỒNG", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, chair or "", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return to_bytes(doc)


def cover_letter(n: Nomination, proposer: str, authority: str, place: str, today: date) -> bytes:
    doc = document()
    header(doc, None, proposer, "      /TTr", place, today)
    title(doc, "Tờ trình", f"Về việc đề nghị tặng {n.form_name}")
    para(doc, f"Kính gửi: {authority}.", align=WD_ALIGN_PARAGRAPH.CENTER)
    if n.achievement:
        body(doc, n.achievement)
    body(doc, f"{proposer} đề nghị {authority} xem xét, tặng {n.form_name} cho:")
    parts = [(label, [x for x in n.nominees if x.subject_type == kind]) for kind, label in SECTIONS]
    for roman, (label, rows) in zip(ROMAN, [p for p in parts if p[1]], strict=False):
        para(doc, f"{roman}. {label}", bold=True)
        for i, x in enumerate(rows, 1):
            para(doc, f"{i}. {x.name}" + (f", {x.detail}" if x.detail else "") + ";")
    body(doc, "Hồ sơ kèm theo: " + "; ".join(f"{d.title}" for d in n.documents) + ".")
    body(doc, f"{proposer} kính trình {authority} xem xét, quyết định./.")
    closing(doc, ["Như trên", "Lưu: VT"], None, "THỦ TRƯỞNG ĐƠN VỊ", "")
    return to_bytes(doc)
