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
    name: Text300 = Field(description="full name")
    position: Text300 = Field(description="e.g. Chủ tịch Hội đồng, Ủy viên, Thư ký")


class CouncilCreate(ApiModel):
    body_unit_id: uuid.UUID = Field(description="the unit whose council meets (e.g. UBND tỉnh)")
    body_name: Text300 = Field(description="e.g. HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH QUẢNG NINH")
    title: Annotated[Label, Field(min_length=1, max_length=500)] = Field(
        description="title of the session, e.g. Phiên họp xét khen thưởng tổng kết năm 2024"
    )
    meets_on: date = Field(description="date of the meeting (ISO 8601)")
    place: Text300 = Field(description="the place of the meeting, also the place in the minutes' date line")
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=100)] = Field(
        description="all members of the council (Hội đồng TĐKT), usernames unique"
    )
    nomination_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=200)] = Field(
        description="the nominations on the agenda: in status council, before this body"
    )


class Attendance(ApiModel):
    present: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(description="usernames present")


class VoteIn(ApiModel):
    nominee_id: uuid.UUID = Field(description="a nominee of a nomination on the agenda")
    choice: Choice = Field(description="yes, no or abstain")


class VotesIn(ApiModel):
    """One member's ballot: a choice per nominee (a secret ballot keeps only the counts)."""

    votes: Annotated[list[VoteIn], Field(min_length=1, max_length=1000)] = Field(description="a choice per nominee")
    written: bool = Field(default=False, description="a written vote of an absent member, where the rule allows it")


class Member(OutModel):
    username: str = Field(description="the member's login (token subject)")
    name: str = Field(description="full name")
    position: str = Field(description="position in the council")
    present: bool = Field(description="recorded present at the meeting")


class Item(OutModel):
    nominee_id: uuid.UUID = Field(description="the nominee voted on")
    nomination_id: uuid.UUID = Field(description="the nomination it belongs to")
    name: str = Field(description="the nominee's name as printed")
    form_code: str = Field(description="the award form proposed")
    ballot: Ballot = Field(description="open or secret, from the form's voting rule")
    yes: int | None = Field(description="votes in favour (a secret ballot's: null until the council is closed)")
    no: int | None = Field(description="votes against (a secret ballot's: null until the council is closed)")
    abstain: int | None = Field(description="abstentions (a secret ballot's: null until the council is closed)")
    written_yes: int | None = Field(
        description="written votes in favour of absent members (a secret ballot's: null until closed)"
    )
    voted: int = Field(description="members who have voted on this nominee")
    result: CouncilResult | None = Field(description="passed, failed or no_quorum (null until the council is closed)")
    share: Decimal | None = Field(description="share in favour as the rule counts it (after closing)")
    votes: dict[str, str] | None = Field(description="who voted what: open ballots only (never a secret one)")


class Council(OutModel):
    id: uuid.UUID = Field(description="council session id")
    body_unit_id: uuid.UUID = Field(description="the unit whose council meets")
    body_name: str = Field(description="the council's name as printed")
    title: str = Field(description="title of the session")
    meets_on: date = Field(description="date of the meeting (ISO 8601)")
    place: str = Field(description="place of the meeting")
    status: str = Field(description="open (taking votes) or closed (results fixed)")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    members: list[Member] = Field(description="members with their attendance")
    items: list[Item] = Field(description="one item per nominee on the agenda")
    closed_at: datetime | None = Field(description="when it was closed (null: open)")


class VoteReceipt(OutModel):
    """What was recorded: that the member voted, on how many nominees (not how)."""

    council_id: uuid.UUID = Field(description="the council session")
    username: str = Field(description="the member who voted")
    votes: int = Field(description="nominees voted on")
    written: bool = Field(description="a written vote of an absent member")
