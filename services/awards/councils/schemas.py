"""Council sessions: members, attendance, ballots per nominee, results by each form's voting rule."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from kit.schemas import ApiModel, OutModel
from kit.text import Label
from services.awards.vocabulary import Ballot, Choice, CouncilResult

Text300 = Annotated[Label, Field(min_length=1, max_length=300)]


class MemberIn(ApiModel):
    username: Annotated[str, Field(min_length=1, max_length=200, description="the member's login (token subject)")]
    name: Text300
    position: Text300 = Field(description="e.g. Chủ tịch Hội đồng, Ủy viên, Thư ký")


class CouncilCreate(ApiModel):
    body_unit_id: uuid.UUID = Field(description="the unit whose council meets (e.g. UBND tỉnh)")
    body_name: Text300 = Field(description="e.g. HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH QUẢNG NINH")
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    meets_on: date
    place: Text300 = Field(description="the place of the meeting, also the place in the minutes' date line")
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=100)]
    nomination_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=200)]


class Attendance(ApiModel):
    present: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(description="usernames present")


class VoteIn(ApiModel):
    nominee_id: uuid.UUID
    choice: Choice


class VotesIn(ApiModel):
    """One member's ballot: a choice per nominee (a secret ballot keeps only the counts)."""

    votes: Annotated[list[VoteIn], Field(min_length=1, max_length=1000)]
    written: bool = Field(default=False, description="a written vote of an absent member, where the rule allows it")


class Member(OutModel):
    username: str
    name: str
    position: str
    present: bool


class Item(OutModel):
    nominee_id: uuid.UUID
    nomination_id: uuid.UUID
    name: str
    form_code: str
    ballot: Ballot
    yes: int | None = Field(description="votes in favour (a secret ballot's: null until the council is closed)")
    no: int | None = Field(description="votes against (a secret ballot's: null until the council is closed)")
    abstain: int | None = Field(description="abstentions (a secret ballot's: null until the council is closed)")
    written_yes: int | None = Field(
        description="written votes in favour of absent members (a secret ballot's: null until closed)"
    )
    voted: int = Field(description="members who have voted on this nominee")
    result: CouncilResult | None
    share: Decimal | None = Field(description="share in favour as the rule counts it (after closing)")
    votes: dict[str, str] | None = Field(description="who voted what: open ballots only (never a secret one)")


class Council(OutModel):
    id: uuid.UUID
    body_unit_id: uuid.UUID
    body_name: str
    title: str
    meets_on: date
    place: str
    status: str
    version: int
    members: list[Member]
    items: list[Item]
    closed_at: datetime | None


class VoteReceipt(OutModel):
    """What was recorded: that the member voted, on how many nominees (not how)."""

    council_id: uuid.UUID
    username: str
    votes: int
    written: bool
