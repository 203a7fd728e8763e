"""A council's vote under the form's rule, checked against the law's own wording and hand counts.

Law: a council's session is valid with at least 2/3 of all members present (the catalogue's quorum 0.6667); the
share in favour is counted over those present, or over all members for the titles that say "tính trên tổng số
thành viên Hội đồng" (absent members then vote in writing: "nếu thành viên vắng mặt thì lấy ý kiến bằng văn bản").
"""

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.problems import Text
from services.awards.catalogue.schemas import VotingRule
from services.awards.councils.voting import Tally, against_note, decide, described
from services.awards.vocabulary import CouncilResult

PASSED, FAILED, NO_QUORUM = CouncilResult.PASSED, CouncilResult.FAILED, CouncilResult.NO_QUORUM


def rule(**fields: Any) -> VotingRule:
    """The catalogue's default rule (2/3 present, 70 % of those present, at least) with `fields` changed."""
    return VotingRule.model_validate(fields)


@pytest.mark.parametrize(
    ("case", "voting", "tally", "result", "share", "over"),
    [
        # quorum: at least two thirds of all members present
        ("6 of 9 present is two thirds", rule(), Tally(9, 6, yes=5), PASSED, "0.8333", 6),
        ("8 of 12 present is two thirds", rule(), Tally(12, 8, yes=8), PASSED, "1.0000", 8),
        ("5 of 9 present is short", rule(), Tally(9, 5, yes=5), NO_QUORUM, "0", 5),
        ("7 of 11 present is short", rule(), Tally(11, 7, yes=7), NO_QUORUM, "0", 7),
        ("written votes do not make a quorum", rule(absentee_votes=True), Tally(9, 5, 5, 4, 4), NO_QUORUM, "0", 5),
        ("a council of nobody has no quorum", rule(), Tally(0, 0, yes=0), NO_QUORUM, "0", 0),
        # share of those present, "at least"
        ("7 of 10 is 70 %", rule(), Tally(10, 10, yes=7), PASSED, "0.7000", 10),
        ("6 of 10 is short of 70 %", rule(), Tally(10, 10, yes=6), FAILED, "0.6000", 10),
        ("5 of 7 present is 71 %", rule(), Tally(10, 7, yes=5), PASSED, "0.7143", 7),
        ("8 of 9 fails 90 %", rule(approval="0.9"), Tally(9, 9, yes=8), FAILED, "0.8889", 9),
        # "more than" the share
        ("7 of 10 is not more than 70 %", rule(strict=True), Tally(10, 10, yes=7), FAILED, "0.7000", 10),
        ("8 of 10 is more than 70 %", rule(strict=True), Tally(10, 10, yes=8), PASSED, "0.8000", 10),
        # ties at one half
        ("2 of 4 is at least half", rule(approval="0.5"), Tally(4, 4, yes=2), PASSED, "0.5000", 4),
        ("2 of 4 is not more than half", rule(approval="0.5", strict=True), Tally(4, 4, yes=2), FAILED, "0.5000", 4),
        # a two-thirds approval, written to four places like the quorum
        ("6 of 9 is two thirds", rule(approval="0.6667"), Tally(9, 9, yes=6), PASSED, "0.6667", 9),
        ("6 of 9 is not more than 2/3", rule(approval="0.6667", strict=True), Tally(9, 9, 6), FAILED, "0.6667", 9),
        # share of all members: the absent count against
        ("7 present all yes is 7 of 10", rule(denominator="all"), Tally(10, 7, yes=7), PASSED, "0.7000", 10),
        (
            "7 yes of 10 fails 90 % of all",
            rule(denominator="all", approval="0.9"),
            Tally(10, 7, 7),
            FAILED,
            "0.7000",
            10,
        ),
        ("8 of 9 fails 90 % of all", rule(denominator="all", approval="0.9"), Tally(9, 9, yes=8), FAILED, "0.8889", 9),
        # written votes of absent members
        (
            "written yes votes count over present and written",
            rule(approval="0.9", absentee_votes=True),
            Tally(10, 7, yes=6, written_yes=3, written=3),
            PASSED,
            "0.9000",
            10,
        ),
        (
            "a written no counts in the denominator",
            rule(approval="0.9", absentee_votes=True),
            Tally(10, 7, yes=6, written_yes=2, written=3),
            FAILED,
            "0.8000",
            10,
        ),
        (
            "written votes are ignored where the rule does not count them",
            rule(approval="0.9"),
            Tally(10, 7, yes=6, written_yes=3, written=3),
            FAILED,
            "0.8571",
            7,
        ),
        (
            "written votes count over all members",
            rule(denominator="all", approval="0.9", absentee_votes=True),
            Tally(10, 7, yes=6, written_yes=3, written=3),
            PASSED,
            "0.9000",
            10,
        ),
    ],
)
def test_the_result_follows_the_rule(
    case: str, voting: VotingRule, tally: Tally, result: CouncilResult, share: str, over: int
) -> None:
    outcome = decide(voting, tally)
    assert (outcome.result, outcome.share, outcome.counted_over) == (result, Decimal(share), over), case


tallies = (
    st.integers(1, 60)
    .flatmap(
        lambda members: st.integers(0, members).flatmap(
            lambda present: st.tuples(
                st.just(members),
                st.just(present),
                st.integers(0, present),
                st.integers(0, members - present).flatmap(
                    lambda written: st.tuples(st.integers(0, written), st.just(written))
                ),
            )
        )
    )
    .map(lambda t: Tally(t[0], t[1], t[2], written_yes=t[3][0], written=t[3][1]))
)


@given(tallies)
def test_two_thirds_quorum_is_met_exactly_when_three_present_count_for_two_members(tally: Tally) -> None:
    assert (decide(rule(), tally).result == NO_QUORUM) == (3 * tally.present < 2 * tally.members)


@given(tallies)
def test_seventy_percent_of_those_present_is_seven_yes_in_ten(tally: Tally) -> None:
    if 3 * tally.present >= 2 * tally.members:
        assert (decide(rule(), tally).result == PASSED) == (10 * tally.yes >= 7 * tally.present)


@given(tallies)
def test_ninety_percent_of_all_members_counts_written_votes_where_allowed(tally: Tally) -> None:
    yes = tally.yes + tally.written_yes
    voting = rule(denominator="all", approval="0.9", absentee_votes=True)
    if 3 * tally.present >= 2 * tally.members:
        assert (decide(voting, tally).result == PASSED) == (10 * yes >= 9 * tally.members)


@given(tallies, st.sampled_from(["0.5", "0.6667", "0.7", "0.9"]), st.sampled_from(["present", "all"]))
def test_one_more_yes_never_turns_a_pass_into_a_failure(tally: Tally, approval: str, denominator: str) -> None:
    voting = rule(approval=approval, denominator=denominator)
    if decide(voting, tally).result == PASSED and tally.yes < tally.present:
        more = Tally(tally.members, tally.present, tally.yes + 1, tally.written_yes, tally.written)
        assert decide(voting, more).result == PASSED


@given(tallies, st.sampled_from(["0.5", "0.6667", "0.7", "0.9"]))
def test_passing_more_than_a_share_passes_at_least_that_share(tally: Tally, approval: str) -> None:
    if decide(rule(approval=approval, strict=True), tally).result == PASSED:
        assert decide(rule(approval=approval), tally).result == PASSED


@pytest.mark.parametrize(
    ("result", "counts", "text"),
    [
        (
            "failed",
            (1, 1, 0),
            Text("Không đạt: đồng ý 1, không đồng ý 1, không biểu quyết 0", "failed: 1 yes, 1 no, 0 abstaining"),
        ),
        (
            "passed",
            (8, 1, 0),
            Text("Đạt: đồng ý 8, không đồng ý 1, không biểu quyết 0", "passed: 8 yes, 1 no, 0 abstaining"),
        ),
        ("no_quorum", (None, None, None), Text("Không đủ túc số", "no quorum")),
        ("passed", (5, None, 0), Text("Đạt", "passed")),  # a count missing: the result alone
    ],
)
def test_the_minutes_state_the_result_and_the_counts(
    result: str, counts: tuple[int | None, int | None, int | None], text: Text
) -> None:
    assert described(result, *counts) == text


def test_a_decision_against_the_council_quotes_its_vote_and_the_reason() -> None:
    vote = described("failed", 4, 5, 0)
    assert against_note(vote, "Có thành tích đột xuất") == (
        "Khác với kết quả bỏ phiếu của Hội đồng (Không đạt: đồng ý 4, không đồng ý 5, không biểu quyết 0): "
        "lý do: Có thành tích đột xuất"
    )
