"""A council's result for one nominee under the form's voting rule (every figure of the rule is data)."""

from dataclasses import dataclass
from decimal import Decimal

from kit.problems import Text
from services.awards.catalogue.schemas import VotingRule
from services.awards.vocabulary import COUNCIL_RESULT_VI, CouncilResult, Denominator


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


def described(result: str, yes: int | None, no: int | None, abstain: int | None) -> Text:
    """The council's result as the minutes put it: "Không đạt: đồng ý 1, không đồng ý 1, không biểu quyết 0"."""
    label = Text(COUNCIL_RESULT_VI[CouncilResult(result)], CouncilResult(result).value.replace("_", " "))
    if yes is None or no is None or abstain is None:
        return label
    return Text(
        f"{label.vi}: đồng ý {yes}, không đồng ý {no}, không biểu quyết {abstain}",
        f"{label.en}: {yes} yes, {no} no, {abstain} abstaining",
    )


def against_note(vote: Text, reason: str) -> str:
    """The sentence that records a decision against the council, in the timeline and the decision's file copy."""
    return f"Khác với kết quả bỏ phiếu của Hội đồng ({vote.vi}): lý do: {reason}"
