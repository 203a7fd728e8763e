"""Nomination dossiers (hồ sơ đề nghị khen thưởng): nominees, documents, the workflow and its log."""

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from kit.schemas import ApiModel, OutModel, invalid
from kit.text import Label
from services.awards.catalogue.schemas import Code
from services.awards.vocabulary import LineOutcome, Status, SubjectType

Text300 = Annotated[Label, Field(min_length=1, max_length=300)]


class NomineeIn(ApiModel):
    subject_type: SubjectType = Field(
        description="collective (tập thể), individual (cá nhân) or household (hộ gia đình)"
    )
    unit_id: uuid.UUID | None = Field(default=None, description="the unit (collectives; a household's commune)")
    person_id: uuid.UUID | None = Field(default=None, description="the person in the registry (individuals)")
    name: Text300 = Field(description="as printed in the decision, e.g. Phường Hồng Gai / Ông Nguyễn Văn A")
    detail: Annotated[Label, Field(max_length=500)] | None = Field(
        default=None, description="position and unit, e.g. Chủ tịch UBND phường Hồng Gai"
    )

    @model_validator(mode="after")
    def _subject(self) -> Self:
        if self.subject_type == SubjectType.COLLECTIVE and self.unit_id is None:
            raise invalid("a collective needs its unit_id", "tập thể cần unit_id")
        if self.subject_type != SubjectType.COLLECTIVE and self.person_id is None and not self.detail:
            raise invalid(
                "an individual or household needs person_id or a detail that tells them apart",
                "cá nhân, hộ gia đình cần person_id hoặc thông tin phân biệt (detail)",
            )
        return self


class DocumentIn(ApiModel):
    code: Code = Field(description="a document code of the form (to_trinh, bien_ban_hoi_dong …)")
    nominee_position: int | None = Field(default=None, ge=1, description="1-based line, for per-nominee documents")
    title: Text300 = Field(description="title of the document, e.g. Báo cáo thành tích")
    number: Annotated[Label, Field(max_length=100)] | None = Field(default=None, description="e.g. 52/TTr-UBND")
    issued_on: date | None = Field(default=None, description="date of the document (ISO 8601)")
    url: Annotated[str, Field(max_length=2000, pattern=r"^https?://")] | None = Field(
        default=None, description="where the signed file is kept (e-office, data-sharing platform)"
    )


class DocumentsIn(ApiModel):
    items: Annotated[list[DocumentIn], Field(min_length=1, max_length=500)] = Field(
        description="the documents to add to the dossier"
    )


class NominationCreate(ApiModel):
    form_id: uuid.UUID = Field(description="the award form or emulation title proposed")
    proposer_unit_id: uuid.UUID = Field(description="the unit filing the dossier")
    authority_unit_id: uuid.UUID = Field(description="the unit whose head confers the form, e.g. UBND tỉnh")
    movement_id: uuid.UUID | None = Field(default=None, description="the movement it closes, if any (with phase_code)")
    phase_code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")] | None = Field(
        default=None, description="the movement's phase, e.g. its final review (with movement_id)"
    )
    filed_on: date | None = Field(
        default=None,
        description="the day the unit filed it, for a paper dossier entered afterwards: the form and the authority "
        "are checked on that day (default today; not in the future)",
    )
    title: Annotated[Label, Field(min_length=1, max_length=500)] = Field(
        description="title of the dossier, e.g. Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh"
    )
    achievement: Annotated[Label, Field(max_length=5000)] | None = Field(
        default=None,
        description="the achievement commended (thành tích); outside a movement, an award is given once per nominee "
        "for the same achievement in the same year (wording folded: case, diacritics and spaces do not count)",
    )
    achievement_year: int | None = Field(
        default=None,
        ge=1945,
        le=2100,
        description="the year the achievement belongs to (the year of a yearly title such as Tập thể lao động xuất "
        "sắc or Cờ thi đua); default the year the dossier is filed (filed_on, else today); not after that year",
    )
    nominees: Annotated[list[NomineeIn], Field(min_length=1, max_length=500)] = Field(
        description="the lines proposed, in the order printed"
    )
    documents: list[DocumentIn] = Field(
        default_factory=list, description="documents of the dossier known already (more can be added)"
    )

    @model_validator(mode="after")
    def _phase(self) -> Self:
        if (self.movement_id is None) != (self.phase_code is None):
            raise invalid("movement_id and phase_code go together", "movement_id và phase_code đi cùng nhau")
        return self


class LineDecision(ApiModel):
    nominee_id: uuid.UUID = Field(description="the line decided")
    outcome: LineOutcome = Field(description="approved or refused")
    reason: Annotated[Label, Field(max_length=1000)] | None = Field(
        default=None,
        description="required to refuse, and to decide against the council's vote (approve a line that failed or "
        "had no quorum, refuse one that passed): recorded in the timeline and printed in the decision's file copy",
    )


class TransitionIn(ApiModel):
    to: Status = Field(description="the status to move to (the workflow says which moves each role may make)")
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(
        default=None, description="required to return or withdraw"
    )
    outcomes: list[LineDecision] | None = Field(
        default=None, description="to 'decided': approved or refused, for every line (refusals need a reason)"
    )


class EscalationIn(ApiModel):
    form_id: uuid.UUID = Field(description="the higher form proposed (e.g. from Bằng khen tỉnh to Bằng khen Thủ tướng)")
    authority_unit_id: uuid.UUID = Field(description="the higher authority that confers it")
    title: Annotated[Label, Field(min_length=1, max_length=500)] = Field(description="title of the new dossier")
    nominee_ids: list[uuid.UUID] | None = Field(default=None, description="default: every approved or passed line")


class Nominee(OutModel):
    id: uuid.UUID = Field(description="line id (nominee_id)")
    position: int = Field(description="1-based line in the dossier, as printed")
    subject_type: SubjectType = Field(description="collective, individual or household")
    unit_id: uuid.UUID | None = Field(description="the unit (collectives; a household's commune)")
    person_id: uuid.UUID | None = Field(description="the person in the registry, if any")
    name: str = Field(description="name as printed")
    detail: str | None = Field(description="position and unit as printed, if any")
    withdrawn: bool = Field(description="the line was withdrawn (with its dossier): it holds no achievement")
    council_result: str | None = Field(description="the council's vote on the line: passed, failed or no_quorum")
    outcome: LineOutcome | None = Field(description="approved or refused by the signer (null: not decided)")
    outcome_reason: str | None = Field(description="the signer's reason, if any")
    against_council: bool = Field(
        default=False,
        description="decided otherwise than the council voted (approved without passing, refused after passing)",
    )
    deviation_reason: str | None = Field(default=None, description="why, when decided against the council's vote")


class Document(OutModel):
    id: uuid.UUID = Field(description="document id")
    code: str = Field(description="document code of the form, e.g. to_trinh")
    nominee_id: uuid.UUID | None = Field(description="the line it belongs to (per-nominee documents)")
    title: str = Field(description="title")
    number: str | None = Field(description="number/notation, if any")
    issued_on: date | None = Field(description="date of the document (ISO 8601)")
    url: str | None = Field(description="where the signed file is kept")
    added_by: str = Field(description="who added it (token subject)")
    added_at: datetime = Field(description="when (ISO 8601 with offset)")


class Event(OutModel):
    actor: str = Field(description="who (token subject)")
    from_status: Status | None = Field(description="status before (null: created)")
    to_status: str = Field(description="status after (the same as before for a note such as an escalation)")
    reason: str | None = Field(description="reason or note, if any")
    at: datetime = Field(description="when (ISO 8601 with offset)")


class Missing(OutModel):
    code: str = Field(description="the document code required")
    title_vi: str = Field(description="its title in Vietnamese")
    title_en: str = Field(description="its title in English")
    nominee_id: uuid.UUID | None = Field(description="the line lacking it (per-nominee documents)")


class Nomination(OutModel):
    id: uuid.UUID = Field(description="nomination id")
    form_id: uuid.UUID = Field(description="the award form or emulation title proposed")
    form_code: str = Field(description="its code, e.g. BK_TINH")
    form_name: str = Field(description="its name in Vietnamese")
    movement_id: uuid.UUID | None = Field(description="the movement it closes, if any")
    phase_code: str | None = Field(description="the movement's phase, if any")
    proposer_unit_id: uuid.UUID = Field(description="the unit that filed it")
    authority_unit_id: uuid.UUID = Field(description="the unit whose head confers the form")
    title: str = Field(description="title of the dossier")
    achievement: str | None = Field(description="the achievement commended (thành tích)")
    achievement_year: int = Field(description="the year the achievement belongs to")
    status: Status = Field(description="where the dossier stands (draft … issued, withdrawn)")
    due_on: date | None = Field(description="end of the working days allowed in the current status")
    escalated_from: uuid.UUID | None = Field(description="the nomination it was escalated from, if any")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    created_by: str = Field(description="who created it (token subject)")
    created_at: datetime = Field(description="when (ISO 8601 with offset)")
    nominees: list[Nominee] = Field(description="its lines, by position")
    documents: list[Document] = Field(description="documents of the dossier")
    missing_documents: list[Missing] = Field(description="what the form requires and the dossier lacks")
    copies: int = Field(description="dossier sets to file: the movement's rule for the form, else the form's")
    timeline: list[Event] = Field(description="its workflow log, oldest first")


class NominationSummary(OutModel):
    id: uuid.UUID = Field(description="nomination id")
    form_id: uuid.UUID = Field(description="the award form or emulation title proposed")
    title: str = Field(description="title of the dossier")
    status: Status = Field(description="where the dossier stands")
    proposer_unit_id: uuid.UUID = Field(description="the unit that filed it")
    authority_unit_id: uuid.UUID = Field(description="the unit whose head confers the form")
    due_on: date | None = Field(description="end of the working days allowed in the current status (null: no deadline)")
    overdue: bool = Field(description="still open after due_on")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
