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
    subject_type: SubjectType
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
    title: Text300
    number: Annotated[Label, Field(max_length=100)] | None = Field(default=None, description="e.g. 52/TTr-UBND")
    issued_on: date | None = None
    url: Annotated[str, Field(max_length=2000, pattern=r"^https?://")] | None = Field(
        default=None, description="where the signed file is kept (e-office, data-sharing platform)"
    )


class DocumentsIn(ApiModel):
    items: Annotated[list[DocumentIn], Field(min_length=1, max_length=500)]


class NominationCreate(ApiModel):
    form_id: uuid.UUID
    proposer_unit_id: uuid.UUID = Field(description="the unit filing the dossier")
    authority_unit_id: uuid.UUID = Field(description="the unit whose head confers the form, e.g. UBND tỉnh")
    movement_id: uuid.UUID | None = None
    phase_code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")] | None = None
    filed_on: date | None = Field(
        default=None,
        description="the day the unit filed it, for a paper dossier entered afterwards: the form and the authority "
        "are checked on that day (default today; not in the future)",
    )
    title: Annotated[Label, Field(min_length=1, max_length=500)]
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
    nominees: Annotated[list[NomineeIn], Field(min_length=1, max_length=500)]
    documents: list[DocumentIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _phase(self) -> Self:
        if (self.movement_id is None) != (self.phase_code is None):
            raise invalid("movement_id and phase_code go together", "movement_id và phase_code đi cùng nhau")
        return self


class LineDecision(ApiModel):
    nominee_id: uuid.UUID
    outcome: LineOutcome
    reason: Annotated[Label, Field(max_length=1000)] | None = Field(
        default=None,
        description="required to refuse, and to decide against the council's vote (approve a line that failed or "
        "had no quorum, refuse one that passed): recorded in the timeline and printed in the decision's file copy",
    )


class TransitionIn(ApiModel):
    to: Status
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(
        default=None, description="required to return or withdraw"
    )
    outcomes: list[LineDecision] | None = Field(
        default=None, description="to 'decided': approved or refused, for every line (refusals need a reason)"
    )


class EscalationIn(ApiModel):
    form_id: uuid.UUID
    authority_unit_id: uuid.UUID
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    nominee_ids: list[uuid.UUID] | None = Field(default=None, description="default: every approved or passed line")


class Nominee(OutModel):
    id: uuid.UUID
    position: int
    subject_type: SubjectType
    unit_id: uuid.UUID | None
    person_id: uuid.UUID | None
    name: str
    detail: str | None
    withdrawn: bool = Field(description="the line was withdrawn (with its dossier): it holds no achievement")
    council_result: str | None = Field(description="the council's vote on the line: passed, failed or no_quorum")
    outcome: LineOutcome | None
    outcome_reason: str | None
    against_council: bool = Field(
        default=False,
        description="decided otherwise than the council voted (approved without passing, refused after passing)",
    )
    deviation_reason: str | None = Field(default=None, description="why, when decided against the council's vote")


class Document(OutModel):
    id: uuid.UUID
    code: str
    nominee_id: uuid.UUID | None
    title: str
    number: str | None
    issued_on: date | None
    url: str | None
    added_by: str
    added_at: datetime


class Event(OutModel):
    actor: str
    from_status: Status | None
    to_status: str
    reason: str | None
    at: datetime


class Missing(OutModel):
    code: str
    title_vi: str
    title_en: str
    nominee_id: uuid.UUID | None


class Nomination(OutModel):
    id: uuid.UUID
    form_id: uuid.UUID
    form_code: str
    form_name: str
    movement_id: uuid.UUID | None
    phase_code: str | None
    proposer_unit_id: uuid.UUID
    authority_unit_id: uuid.UUID
    title: str
    achievement: str | None
    achievement_year: int = Field(description="the year the achievement belongs to")
    status: Status
    due_on: date | None = Field(description="end of the working days allowed in the current status")
    escalated_from: uuid.UUID | None
    version: int
    created_by: str
    created_at: datetime
    nominees: list[Nominee]
    documents: list[Document]
    missing_documents: list[Missing] = Field(description="what the form requires and the dossier lacks")
    copies: int = Field(description="dossier sets to file: the movement's rule for the form, else the form's")
    timeline: list[Event]


class NominationSummary(OutModel):
    id: uuid.UUID
    form_id: uuid.UUID
    title: str
    status: Status
    proposer_unit_id: uuid.UUID
    authority_unit_id: uuid.UUID
    due_on: date | None
    overdue: bool
    version: int
