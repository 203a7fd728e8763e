"""Inputs of the mutations. They carry what the services' request bodies carry; the services validate them, so a
fault comes back as their problem with a pointer into the body (e.g. `/items/3/value`)."""

import dataclasses
import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

import strawberry
from pydantic_core import to_jsonable_python
from strawberry.experimental.pydantic import input as model_input

from gateway.types import names  # noqa: F401  (enum names first)
from services.awards.schemas import councils as co
from services.awards.schemas import decisions as de
from services.awards.schemas import nominations as no
from services.registry.schemas import registrations as rg
from services.scoring.schemas import periods as pe
from services.scoring.schemas import submissions as su


@model_input(model=rg.RegistrationCreate, name="RegistrationInput", all_fields=True)
class RegistrationInput:
    pass


@model_input(model=rg.Transition, name="RegistrationTransitionInput", all_fields=True)
class RegistrationTransitionInput:
    pass


@strawberry.input(description="Evidence of a value: a document reference (number, date, subject) or an uploaded file")
class EvidenceInput:
    kind: str = strawberry.field(description="'document' or 'file'")
    number: str | None = None
    date: dt.date | None = None
    subject: str | None = None
    file_id: uuid.UUID | None = None


@strawberry.input(description="One value of one indicator for one unit")
class ValueInput:
    unit_id: uuid.UUID
    indicator_code: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    flag: bool | None = None
    category: str | None = None
    evidence: list[EvidenceInput] = strawberry.field(default_factory=list)


@model_input(model=su.Review, name="ReviewInput", all_fields=True)
class ReviewInput:
    pass


@model_input(model=no.NomineeIn, name="NomineeInput", all_fields=True)
class NomineeInput:
    pass


@model_input(model=no.DocumentIn, name="DocumentInput", all_fields=True)
class DocumentInput:
    pass


@model_input(model=no.NominationCreate, name="NominationInput", all_fields=True)
class NominationInput:
    pass


@model_input(model=no.LineDecision, name="LineDecisionInput", all_fields=True)
class LineDecisionInput:
    pass


@model_input(model=no.TransitionIn, name="NominationTransitionInput", all_fields=True)
class NominationTransitionInput:
    pass


@model_input(model=co.VoteIn, name="VoteInput", all_fields=True)
class VoteInput:
    pass


@model_input(model=pe.PeriodTransition, name="PeriodTransitionInput", all_fields=True)
class PeriodTransitionInput:
    pass


@model_input(model=co.MemberIn, name="CouncilMemberInput", all_fields=True)
class CouncilMemberInput:
    pass


@model_input(model=co.CouncilCreate, name="CouncilInput", all_fields=True)
class CouncilInput:
    pass


@model_input(model=de.Signer, name="SignerInput", all_fields=True)
class SignerInput:
    pass


@model_input(model=de.DecisionCreate, name="DecisionInput", all_fields=True)
class DecisionInput:
    pass


def body(value: Any) -> Any:
    """The JSON body of an input: snake_case members, unset and null ones left out (the service's defaults apply)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            member = getattr(value, f.name)
            if member is None or member is strawberry.UNSET:
                continue
            out[f.name] = body(member)
        return out
    if isinstance(value, list):
        return [body(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    return to_jsonable_python(value)
