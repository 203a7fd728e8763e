"""A council's result for one nominee under the form's voting rule (every figure of the rule is data)."""

from dataclasses import dataclass
from decimal import Decimal

from services.awards.catalogue.schemas import VotingRule
from services.awards.vocabulary import CouncilResult, Denominator


@dataclass(frozen=True)
class Tally:
    members: int  # all members of the council
    present: int
    yes: int  # in favour, among those present
    written_yes: int = 0  # in favour, by written vote of absent members
    written: int = 0  # written votes cast by absent members


@dataclass(frozen=True)
class Outcome:
    result: CouncilResult
    share: Decimal  # the share in favour, as the rule counts it
    counted_over: int


def decide(rule: VotingRule, tally: Tally) -> Outcome:
    if tally.members == 0 or Decimal(tally.present) / tally.members < rule.quorum:
        return Outcome(CouncilResult.NO_QUORUM, Decimal(0), tally.present)
    yes = tally.yes + (tally.written_yes if rule.absentee_votes else 0)
    over = (
        tally.members
        if rule.denominator == Denominator.ALL
        else tally.present + (tally.written if rule.absentee_votes else 0)
    )
    share = (Decimal(yes) / over).quantize(Decimal("0.0001")) if over else Decimal(0)
    exact = Decimal(yes) / over if over else Decimal(0)
    passed = exact > rule.approval if rule.strict else exact >= rule.approval
    return Outcome(CouncilResult.PASSED if passed else CouncilResult.FAILED, share, over)
