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


# A rule's shares are written to four places (catalogue's Share), so "two thirds" is 0.6667: a tally is compared at
# those places, or 6 of 9 (0.66666…) would fall short of a two-thirds quorum. Exact for councils under 2000 members.
PLACES = Decimal("0.0001")


def share_of(part: int, whole: int) -> Decimal:
    """part/whole at the places a rule is written in (0 of nobody is 0)."""
    return (Decimal(part) / whole).quantize(PLACES) if whole else Decimal(0)


def decide(rule: VotingRule, tally: Tally) -> Outcome:
    """The result for one nominee: no quorum when too few members are present, else passed or failed by the share
    in favour (of those present, with absentees' written votes where the rule counts them, or of all members)."""
    if tally.members == 0 or share_of(tally.present, tally.members) < rule.quorum:
        return Outcome(CouncilResult.NO_QUORUM, Decimal(0), tally.present)
    yes = tally.yes + (tally.written_yes if rule.absentee_votes else 0)
    over = (
        tally.members
        if rule.denominator == Denominator.ALL
        else tally.present + (tally.written if rule.absentee_votes else 0)
    )
    share = share_of(yes, over)
    passed = share > rule.approval if rule.strict else share >= rule.approval
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
