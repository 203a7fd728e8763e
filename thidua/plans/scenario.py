"""A demo scenario (plans/demo/*.yaml): one plan run from registration to a published decision, with the real
places the plan names and plausible values. The same file is the demo the run command loads and the script of the
plan's end-to-end test. People are named by their login; the runner signs their tokens with the demo issuer."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from kit.schemas import ApiModel
from kit.text import Label
from services.awards.nominations.schemas import DocumentIn
from services.awards.vocabulary import Choice
from services.registry.registrations.schemas import Commitment
from services.registry.units.schemas import Validity
from services.registry.vocabulary import UnitKind, UnitLevel
from services.scoring.submissions.schemas import DocumentRef, ReviewAction
from thidua.plans.definition import Key, UnitRef

Text300 = Annotated[Label, Field(min_length=1, max_length=300)]
Login = Annotated[str, Field(pattern=r"^[a-z0-9._-]{1,100}$")]
# A value as a clerk types it: a number (percent, count), [a, b] for a ratio, yes/no, or a category's label.
Value = Decimal | Annotated[list[Decimal], Field(min_length=2, max_length=2)] | bool | Text300


class Place(Validity):
    """A unit the plan names; created in the registry when it is not there yet."""

    path: UnitRef
    kind: UnitKind
    level: UnitLevel


class Registration(ApiModel):
    unit: UnitRef
    commitments: list[Commitment] = Field(default_factory=list, description="giao ước thi đua")


class Report(ApiModel):
    """A unit's values for the period, submitted by its reporter (evidence: the scenario's report document)."""

    unit: UnitRef
    values: dict[Key, Value]


class ReviewStep(ApiModel):
    unit: UnitRef
    indicator: Key
    action: ReviewAction
    value: Value | None = Field(default=None, description="the appraised value (adjust), or the corrected one (return)")
    reason: Annotated[Label, Field(max_length=2000)] | None = None


class Member(ApiModel):
    user: Login
    name: Text300
    position: Text300 = Field(description="Chủ tịch Hội đồng, Phó Chủ tịch, Ủy viên, Thư ký …")
    secretary: bool = False
    vote: Choice = Choice.YES


class Person(ApiModel):
    name: Text300
    detail: Text300 = Field(description="position and unit")


class Council(ApiModel):
    body_name: Text300
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    meets_on: date
    place: Text300
    members: Annotated[list[Member], Field(min_length=1)]


class Signer(ApiModel):
    user: Login
    prefix: Annotated[Label, Field(max_length=200)] | None = None
    position: Text300
    name: Text300


class Decision(ApiModel):
    issuer_name: Text300
    notation: Annotated[str, Field(pattern=r"^QĐ-[A-ZĐ0-9]{1,20}$")]
    place: Text300
    signed_on: date
    subject: Annotated[Label, Field(min_length=1, max_length=1000)]
    authority: Text300
    legal_bases: list[Annotated[Label, Field(min_length=1, max_length=1000)]]
    signer: Signer
    recipients: list[Text300]


class Award(ApiModel):
    """One award cycle: the rule's candidates, a dossier, the council, the decision and its publication."""

    phase: Key
    form: Key
    proposer: UnitRef = Field(description="the unit filing the dossier (its head signs the cover letter)")
    authority: UnitRef = Field(description="the unit whose head confers the form")
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    nominees: Literal["selected"] | Annotated[list[Person], Field(min_length=1)] = Field(
        default="selected", description="the rule's selected units, or the people named here"
    )
    documents: list[DocumentIn] = Field(
        description="the dossier; one achievement report per nominee (bao_cao_thanh_tich) is added for each line"
    )
    council: Council
    decision: Decision


class Scenario(ApiModel):
    plan: Annotated[str, Field(pattern=r"^[a-z0-9-]+\.yaml$", description="the definition, in plans/")]
    as_of: date = Field(description="the day unit names are read on")
    places: list[Place] = Field(default_factory=list)
    registrations: list[Registration] = Field(default_factory=list)
    period: Key | None = Field(default=None, description="the plan's period the values are for")
    evidence: DocumentRef | None = Field(default=None, description="the report cited for indicators needing evidence")
    reports: list[Report] = Field(default_factory=list)
    reviews: list[ReviewStep] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
