"""The awards service's personal and sealed data, in one place: awardees of decisions and council ballots.

- A published decision is open data as the law publishes it: the awardees' names, details (position, unit), forms
  and amounts. The registry id of an awarded person is not published: only those who handle the decision (its
  issuing office and signers, the council's secretary, in the issuer's scope; administrators) see it. An unpublished
  decision is seen by those handlers alone (decisions/service.py). So are the council's votes on its lines and the
  lines decided against them with the signer's reasons: the handlers' file copy prints them, the open data does not.
- A council's ballots: who voted what is shown for an open ballot (a show of hands, recorded in the minutes) and
  never for a secret one (its choices are not even stored). A secret ballot's tallies stay sealed, from everyone
  including the members, until the council is closed: a running count would give each vote away by differencing.
  The share in favour is known only once counted, at closing. How many members have voted is always shown.
- A person's award history and the records rules look back on (ratings, titles, disciplines) are the emulation
  office's (history/service.py); unit histories of published decisions are open data.
"""

import uuid
from collections.abc import Sequence
from enum import StrEnum

from kit.auth import Caller
from kit.disclosure import Disclosure, Policy, when
from services.awards import access
from services.awards.councils.schemas import Item
from services.awards.decisions.schemas import AwardOut, Decision
from services.awards.vocabulary import OFFICE, SECRETARY, SIGNERS, Ballot


class Fact(StrEnum):
    HANDLER = "handler"  # the caller handles the decision: an issuer or council secretary in its scope, or an admin
    OPEN_BALLOT = "open_ballot"  # the item is voted by a show of hands
    CLOSED = "closed"  # the council is closed: every ballot has been counted


HANDLERS = OFFICE | SIGNERS | SECRETARY

POLICY = Policy(
    Disclosure(
        AwardOut,
        fields={
            "person_id": when(Fact.HANDLER),
            "council_result": when(Fact.HANDLER),
            "deviation_reason": when(Fact.HANDLER),
        },
        why="a person's registry id is not published; nor are the council's votes (its minutes are the council's)",
    ),
    Disclosure(
        Decision,
        fields={"against_council": when(Fact.HANDLER)},
        why="lines decided against the council's vote, and why, are in the handlers' file copy, not the open data",
    ),
    Disclosure(
        Item,
        fields={
            "yes": when(Fact.OPEN_BALLOT, Fact.CLOSED),
            "no": when(Fact.OPEN_BALLOT, Fact.CLOSED),
            "abstain": when(Fact.OPEN_BALLOT, Fact.CLOSED),
            "written_yes": when(Fact.OPEN_BALLOT, Fact.CLOSED),
            "share": when(Fact.CLOSED),
            "votes": when(Fact.OPEN_BALLOT),
        },
        why="a secret ballot's running tally gives each vote away; its choices are never shown",
    ),
)


def decision_facts(caller: Caller | None, issuer_path: Sequence[uuid.UUID]) -> set[Fact]:
    handles = caller is not None and caller.has_any(HANDLERS) and access.in_scope(caller, issuer_path)
    return {Fact.HANDLER} if handles else set()


def ballot_facts(ballot: Ballot, closed: bool) -> set[Fact]:
    return ({Fact.OPEN_BALLOT} if ballot == Ballot.OPEN else set()) | ({Fact.CLOSED} if closed else set())
