"""Award rules and candidates, nominations, councils, decisions and award history (the awards service)."""

import strawberry
from strawberry.experimental.pydantic import type as model_type
from strawberry.scalars import JSON

from gateway.types import names  # noqa: F401  (enum names first)
from services.awards.schemas import councils as co
from services.awards.schemas import decisions as de
from services.awards.schemas import history as hi
from services.awards.schemas import nominations as no
from services.awards.schemas import rules as ru


@model_type(model=hi.HistoryEntry, name="AwardRecord", all_fields=True, description="An issued award")
class AwardRecord:
    pass


@model_type(model=ru.Rule, name="AwardRule", description="Who is eligible for a form in a movement's phase")
class AwardRule:
    id: strawberry.auto
    movement_id: strawberry.auto
    phase_code: strawberry.auto
    form_id: strawberry.auto
    title: strawberry.auto
    definition: JSON
    version: strawberry.auto
    updated_by: strawberry.auto
    updated_at: strawberry.auto


@model_type(model=ru.Check, name="ConditionCheck", all_fields=True)
class ConditionCheck:
    pass


@model_type(model=ru.TieBreak, all_fields=True, description="A tie-breaker of the group and the candidate's value")
class TieBreak:
    pass


@model_type(model=ru.Candidate, all_fields=True, description="A unit or person, its checks and why it is (not) chosen")
class Candidate:
    pass


@model_type(model=ru.GroupResult, name="CandidateGroup", all_fields=True)
class CandidateGroup:
    pass


@model_type(model=ru.Evaluation, name="CandidateList", all_fields=True)
class CandidateList:
    pass


@model_type(model=no.Nominee, all_fields=True)
class Nominee:
    pass


@model_type(model=no.Document, name="DossierDocument", all_fields=True)
class DossierDocument:
    pass


@model_type(model=no.Event, name="NominationEvent", all_fields=True)
class NominationEvent:
    pass


@model_type(model=no.Missing, name="MissingDocument", all_fields=True)
class MissingDocument:
    pass


@model_type(model=no.Nomination, all_fields=True, description="A dossier with its lines, documents and timeline")
class Nomination:
    pass


@model_type(model=no.NominationSummary, all_fields=True)
class NominationSummary:
    pass


@strawberry.type
class NominationPage:
    items: list[NominationSummary]
    next_cursor: str | None


@model_type(model=co.Member, name="CouncilMember", all_fields=True)
class CouncilMember:
    pass


@model_type(model=co.Item, name="CouncilItem", description="A nominee's tally and (once closed) result")
class CouncilItem:
    nominee_id: strawberry.auto
    nomination_id: strawberry.auto
    name: strawberry.auto
    form_code: strawberry.auto
    ballot: strawberry.auto
    yes: strawberry.auto
    no: strawberry.auto
    abstain: strawberry.auto
    written_yes: strawberry.auto
    voted: strawberry.auto
    result: strawberry.auto
    share: strawberry.auto
    votes: JSON | None


@model_type(model=co.Council, all_fields=True, description="A council session: members, tallies, results")
class Council:
    pass


@model_type(model=co.VoteReceipt, all_fields=True)
class VoteReceipt:
    pass


@model_type(model=de.Signer, all_fields=True)
class Signer:
    pass


@model_type(model=de.AwardOut, name="IssuedAward", all_fields=True)
class IssuedAward:
    pass


@model_type(
    model=de.CouncilDeviation,
    all_fields=True,
    description="A line decided against its council's vote, with the signer's reason (the decision's handlers only)",
)
class CouncilDeviation:
    pass


@model_type(model=de.Decision, name="AwardDecision", all_fields=True, description="A Quyết định khen thưởng")
class AwardDecision:
    pass


@strawberry.type
class DecisionPage:
    items: list[AwardDecision]
    next_cursor: str | None
