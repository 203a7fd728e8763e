"""A decision's awardees as the list attached to it (danh sách kèm theo Quyết định), in Excel (kit.xlsx renders it)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.xlsx import Column, Sheet
from services.awards.catalogue import repository as catalogue
from services.awards.decisions.schemas import Decision
from services.awards.vocabulary import AwardStatus, SubjectType

SUBJECTS = {SubjectType.COLLECTIVE: "Tập thể", SubjectType.INDIVIDUAL: "Cá nhân", SubjectType.HOUSEHOLD: "Hộ gia đình"}
STATUSES = {AwardStatus.ISSUED: "Đã trao", AwardStatus.REVOKED: "Đã thu hồi"}

AWARDEES = Sheet(
    [
        Column("STT", "stt", "integer", width=6),
        Column("Tên tập thể / Họ và tên", "name", width=36),
        Column("Đối tượng", lambda r: SUBJECTS.get(r["subject_type"], r["subject_type"]), width=12),
        Column("Chức vụ, đơn vị công tác", "detail", width=40),
        Column("Hình thức khen thưởng", "form", width=36),
        Column("Số tiền thưởng (đồng)", "amount", "money"),
        Column("Tình trạng", lambda r: STATUSES.get(r["status"], r["status"]), width=12),
        Column("Lý do thu hồi", "revoked_reason", width=30),
    ],
    name="Danh sách khen thưởng",
)


async def awardees(session: AsyncSession, decision: Decision) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rows (numbered, each with its form's name) and the workbook's file name and title."""
    forms = {
        f["id"]: f["name_vi"] for f in await catalogue.forms(session, ids=list({a.form_id for a in decision.awards}))
    }
    rows = [a.model_dump() | {"stt": n, "form": forms.get(a.form_id)} for n, a in enumerate(decision.awards, start=1)]
    signed = decision.signed_on.strftime("%d/%m/%Y")
    names = {
        "filename": f"Danh sách khen thưởng QĐ {decision.reference.replace('/', '-')}",
        "title": f"Danh sách khen thưởng kèm theo Quyết định số {decision.reference} ngày {signed}",
    }
    return rows, names
