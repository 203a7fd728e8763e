"""The scoring service's personal data, in one place: scores of households and scores not yet published.

A period's results (participants, scores, ranks, per-indicator points, progress against targets) are open data once
the period is published, except those of a household (PRIVATE_KINDS: its name is a family's name); before that, and
for a household always, only the period's emulation office (in its scope) and the unit itself and the units above
it see them (access.sees), and administrators. Who moved a period (an official's account name) is shown to signed-in
callers only.
"""

from enum import StrEnum

from kit.auth import Caller
from kit.db import Record
from kit.disclosure import Disclosure, Policy, when
from services.registry.vocabulary import PRIVATE_KINDS
from services.scoring import access
from services.scoring.periods.schemas import Participant, TransitionOut
from services.scoring.scores.schemas import IndicatorScore, RankingRow, UnitScore
from services.scoring.vocabulary import PeriodStatus


class Fact(StrEnum):
    OPEN_DATA = "open_data"  # the period is published and the unit is of a kind the directory publishes
    IN_SCOPE = "in_scope"  # the period's office, the unit itself or one above it, or an administrator
    SIGNED_IN = "signed_in"  # the caller is not anonymous


WHO = when(Fact.OPEN_DATA, Fact.IN_SCOPE)
POLICY = Policy(
    *(
        Disclosure(model, record=WHO, why="unpublished results, and a household's, are not open data")
        for model in (Participant, UnitScore, RankingRow, IndicatorScore)
    ),
    Disclosure(TransitionOut, fields={"actor": when(Fact.SIGNED_IN)}, why="an official's account name"),
)


def facts(caller: Caller | None, period: Record, participant: Record) -> set[Fact]:
    held = set()
    if period["status"] == PeriodStatus.PUBLISHED and participant["kind"] not in PRIVATE_KINDS:
        held.add(Fact.OPEN_DATA)
    if caller is not None and access.sees(caller, period, participant):
        held.add(Fact.IN_SCOPE)
    return held


def shows(caller: Caller | None, period: Record, participant: Record) -> bool:
    """May this caller see this participant's results in this period?"""
    return POLICY.shows(UnitScore, facts(caller, period, participant))


def signed_in(caller: Caller | None) -> set[Fact]:
    return {Fact.SIGNED_IN} if caller is not None else set()
