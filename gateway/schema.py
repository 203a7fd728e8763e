"""The one GraphQL schema over the registry, scoring and awards services."""

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from graphql import GraphQLError

from gateway.admission import idempotency_key_fault
from gateway.context import Info
from gateway.inputs import (
    CouncilInput,
    DecisionInput,
    NominationInput,
    NominationTransitionInput,
    PeriodTransitionInput,
    RegistrationInput,
    RegistrationTransitionInput,
    ReviewInput,
    ValueInput,
    VoteInput,
    body,
)
from gateway.problems import Conflict, Forbidden, NotFound, ValidationProblem, attempt
from gateway.types.awards import (
    AwardDecision,
    AwardRule,
    CandidateList,
    Council,
    DecisionPage,
    Nomination,
    NominationPage,
    NominationSummary,
    VoteReceipt,
)
from gateway.types.registry import AsOf, Bloc, Movement, MovementPage, Registration, TreeNode, Unit, UnitPage
from gateway.types.scoring import BatchReport, Framework, Period, RankingRow, StoredValue
from services.awards.vocabulary import Status
from services.registry.schemas import registrations as rg
from services.registry.vocabulary import UnitKind, UnitLevel
from services.scoring.vocabulary import GroupKind


@strawberry.type(description="A ranking of one group (ties share a rank: 1, 1, 3)")
class RankingList:
    rows: list[RankingRow]


@strawberry.type
class RuleList:
    items: list[AwardRule]


Problems = NotFound | Forbidden | ValidationProblem | Conflict
UnitResult = Annotated[Unit | Problems, strawberry.union("UnitResult")]
BlocResult = Annotated[Bloc | Problems, strawberry.union("BlocResult")]
MovementResult = Annotated[Movement | Problems, strawberry.union("MovementResult")]
RegistrationResult = Annotated[Registration | Problems, strawberry.union("RegistrationResult")]
FrameworkResult = Annotated[Framework | Problems, strawberry.union("FrameworkResult")]
PeriodResult = Annotated[Period | Problems, strawberry.union("PeriodResult")]
RankingResult = Annotated[RankingList | Problems, strawberry.union("RankingResult")]
CandidatesResult = Annotated[CandidateList | Problems, strawberry.union("CandidatesResult")]
NominationResult = Annotated[Nomination | Problems, strawberry.union("NominationResult")]
NominationsResult = Annotated[NominationPage | Problems, strawberry.union("NominationsResult")]
CouncilSessionResult = Annotated[Council | Problems, strawberry.union("CouncilSessionResult")]
DecisionResult = Annotated[AwardDecision | Problems, strawberry.union("DecisionResult")]
SubmitResult = Annotated[BatchReport | Problems, strawberry.union("SubmitResult")]
ReviewResult = Annotated[StoredValue | Problems, strawberry.union("ReviewResult")]
VoteResult = Annotated[VoteReceipt | Problems, strawberry.union("VoteResult")]
RuleResult = Annotated[AwardRule | Problems, strawberry.union("RuleResult")]
RulesResult = Annotated[RuleList | Problems, strawberry.union("RulesResult")]

MAX_FIRST = 100  # the largest page a list field gives (the services cap batch reads at 500)


def _first(first: int) -> int:
    return max(1, min(first, MAX_FIRST))


@strawberry.type
class Query:
    @strawberry.field(description="One unit as of a day")
    async def unit(self, info: Info, id: uuid.UUID, as_of: AsOf = None) -> UnitResult:
        return await attempt(info.context.registry.unit(id, as_of=as_of), Unit.from_pydantic)

    @strawberry.field(description="Units by search text (diacritics ignored), kind, level or parent; cursor paging")
    async def units(
        self,
        info: Info,
        q: str | None = None,
        kind: list[UnitKind] | None = None,
        level: list[UnitLevel] | None = None,
        parent_id: uuid.UUID | None = None,
        ids: list[uuid.UUID] | None = None,
        as_of: AsOf = None,
        first: int = 50,
        after: str | None = None,
    ) -> UnitPage:
        if ids:
            found = await info.context.registry.units(ids[:MAX_FIRST], as_of=as_of)
            return UnitPage(items=[Unit.from_pydantic(u) for u in found], next_cursor=None)
        page = await info.context.registry.search(
            q=q,
            kind=[k.value for k in kind or []] or None,
            level=[lv.value for lv in level or []] or None,
            parent_id=parent_id,
            as_of=as_of,
            limit=_first(first),
            cursor=after,
        )
        return UnitPage(items=[Unit.from_pydantic(u) for u in page.items], next_cursor=page.next_cursor)

    @strawberry.field(description="The hierarchy on a day, from a root (default: every root)")
    async def unit_tree(self, info: Info, root: uuid.UUID | None = None, as_of: AsOf = None) -> list[TreeNode]:
        return [TreeNode.of(n) for n in await info.context.registry.tree(root=root, as_of=as_of)]

    @strawberry.field(description="Every Cụm/Khối thi đua with its members on a day")
    async def blocs(self, info: Info, as_of: AsOf = None) -> list[Bloc]:
        return [Bloc.from_pydantic(b) for b in await info.context.registry.blocs(as_of=as_of)]

    @strawberry.field
    async def bloc(self, info: Info, id: uuid.UUID, as_of: AsOf = None) -> BlocResult:
        return await attempt(info.context.registry.bloc(id, as_of=as_of), Bloc.from_pydantic)

    @strawberry.field(description="Movements, newest first (code: the one with this code, e.g. QN-CDS-2022)")
    async def movements(
        self, info: Info, first: int = 50, after: str | None = None, code: str | None = None
    ) -> MovementPage:
        page = await info.context.registry.movements(limit=_first(first), cursor=after, code=code)
        return MovementPage(items=[Movement.from_pydantic(m) for m in page.items], next_cursor=page.next_cursor)

    @strawberry.field
    async def movement(self, info: Info, id: uuid.UUID) -> MovementResult:
        return await attempt(info.context.registry.movement(id), Movement.from_pydantic)

    @strawberry.field(description="Registrations of a movement")
    async def registrations(
        self, info: Info, movement_id: uuid.UUID, status: rg.RegistrationStatus | None = None
    ) -> list[Registration]:
        found = await info.context.registry.registrations(movement_id, status=status)
        return [Registration.from_pydantic(r) for r in found]

    @strawberry.field
    async def registration(self, info: Info, id: uuid.UUID) -> RegistrationResult:
        return await attempt(info.context.registry.registration(id), Registration.from_pydantic)

    @strawberry.field(description="Indicator frameworks, every version")
    async def frameworks(self, info: Info) -> list[Framework]:
        return [Framework.of(f) for f in await info.context.scoring.frameworks()]

    @strawberry.field
    async def framework(self, info: Info, id: uuid.UUID) -> FrameworkResult:
        return await attempt(info.context.scoring.framework(id), Framework.of)

    @strawberry.field(description="Scoring periods, newest first")
    async def periods(
        self, info: Info, framework_id: uuid.UUID | None = None, movement_id: uuid.UUID | None = None
    ) -> list[Period]:
        found = await info.context.scoring.periods(framework_id=framework_id, movement_id=movement_id)
        return [Period.from_pydantic(p) for p in found]

    @strawberry.field
    async def period(self, info: Info, id: uuid.UUID) -> PeriodResult:
        return await attempt(info.context.scoring.period(id), Period.from_pydantic)

    @strawberry.field(description="A ranking: peer ('kind|level', e.g. ward|commune), bloc (its id) or custom")
    async def ranking(self, info: Info, period_id: uuid.UUID, group_kind: GroupKind, key: str) -> RankingResult:
        call = info.context.scoring.ranking(period_id, group_kind, key)
        return await attempt(call, lambda rows: RankingList(rows=[RankingRow.from_pydantic(r) for r in rows]))

    @strawberry.field(description="Award rules of a movement (emulation office)")
    async def award_rules(
        self, info: Info, movement_id: uuid.UUID | None = None, phase_code: str | None = None
    ) -> RulesResult:
        call = info.context.awards.rules(movement_id=movement_id, phase_code=phase_code)
        return await attempt(call, lambda rules: RuleList(items=[AwardRule.from_pydantic(r) for r in rules]))

    @strawberry.field
    async def award_rule(self, info: Info, id: uuid.UUID) -> RuleResult:
        return await attempt(info.context.awards.rule(id), AwardRule.from_pydantic)

    @strawberry.field(description="Evaluate a rule: ranked candidates per group with every condition explained")
    async def candidates(self, info: Info, rule_id: uuid.UUID) -> CandidatesResult:
        return await attempt(info.context.awards.candidates(rule_id), CandidateList.from_pydantic)

    @strawberry.field(description="Nominations filed by or addressed to your units")
    async def nominations(
        self,
        info: Info,
        status: Status | None = None,
        movement_id: uuid.UUID | None = None,
        overdue: bool = False,
        first: int = 50,
        after: str | None = None,
    ) -> NominationsResult:
        call = info.context.awards.nominations(
            status=status, movement_id=movement_id, overdue=overdue, limit=_first(first), cursor=after
        )
        return await attempt(
            call,
            lambda page: NominationPage(
                items=[NominationSummary.from_pydantic(n) for n in page.items], next_cursor=page.next_cursor
            ),
        )

    @strawberry.field(description="A dossier with its lines, documents, what is missing and its timeline")
    async def nomination(self, info: Info, id: uuid.UUID) -> NominationResult:
        return await attempt(info.context.awards.nomination(id), Nomination.from_pydantic)

    @strawberry.field(description="A council session with its tallies and results")
    async def council(self, info: Info, id: uuid.UUID) -> CouncilSessionResult:
        return await attempt(info.context.awards.council(id), Council.from_pydantic)

    @strawberry.field(description="Published decisions (and the signed ones of your bodies), newest first")
    async def decisions(
        self,
        info: Info,
        issuer_unit_id: uuid.UUID | None = None,
        year: int | None = None,
        published_since: datetime | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> DecisionPage:
        page = await info.context.awards.decisions(
            issuer_unit_id=issuer_unit_id,
            year=year,
            published_since=published_since,
            limit=_first(first),
            cursor=after,
        )
        return DecisionPage(items=[AwardDecision.from_pydantic(d) for d in page.items], next_cursor=page.next_cursor)

    @strawberry.field
    async def decision(self, info: Info, id: uuid.UUID) -> DecisionResult:
        return await attempt(info.context.awards.decision(id), AwardDecision.from_pydantic)


IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(description="replays the first result when retried (default: the Idempotency-Key header)"),
]
Version = Annotated[int, strawberry.argument(description="the version you read (sent as If-Match)")]


def _key(info: Info, given: str | None) -> str | None:
    if given and (fault := idempotency_key_fault(given)) is not None:
        extensions = {"code": "BAD_USER_INPUT", "argument": "idempotencyKey"}
        raise GraphQLError(f"{fault.en} / {fault.vi}", extensions=extensions)
    return given or info.context.idempotency_key


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register a unit (or person) for a movement, as a draft")
    async def register(
        self, info: Info, movement_id: uuid.UUID, input: RegistrationInput, idempotency_key: IdempotencyKey = None
    ) -> RegistrationResult:
        call = info.context.registry.register(movement_id, body(input), idempotency_key=_key(info, idempotency_key))
        return await attempt(call, Registration.from_pydantic)

    @strawberry.mutation(description="Submit, approve or reject a registration")
    async def transition_registration(
        self, info: Info, id: uuid.UUID, input: RegistrationTransitionInput, version: Version
    ) -> RegistrationResult:
        call = info.context.registry.transition_registration(id, body(input), version=version)
        return await attempt(call, Registration.from_pydantic)

    @strawberry.mutation(description="Submit values (all or nothing); dryRun reports without writing")
    async def submit_values(
        self,
        info: Info,
        period_id: uuid.UUID,
        items: list[ValueInput],
        dry_run: bool = False,
        submit: bool = False,
        idempotency_key: IdempotencyKey = None,
    ) -> SubmitResult:
        call = info.context.scoring.submit_values(
            period_id,
            {"items": body(items)},
            dry_run=dry_run,
            submit=submit,
            idempotency_key=_key(info, idempotency_key),
        )
        return await attempt(call, BatchReport.from_pydantic)

    @strawberry.mutation(description="Accept, adjust or return one value (appraiser)")
    async def review_value(
        self,
        info: Info,
        period_id: uuid.UUID,
        unit_id: uuid.UUID,
        indicator_code: str,
        input: ReviewInput,
        version: Version,
    ) -> ReviewResult:
        call = info.context.scoring.review(period_id, unit_id, indicator_code, body(input), version=version)
        return await attempt(call, StoredValue.from_pydantic)

    @strawberry.mutation(description="File a dossier (as a draft) for one or more nominees")
    async def nominate(
        self, info: Info, input: NominationInput, idempotency_key: IdempotencyKey = None
    ) -> NominationResult:
        call = info.context.awards.nominate(body(input), idempotency_key=_key(info, idempotency_key))
        return await attempt(call, Nomination.from_pydantic)

    @strawberry.mutation(description="Move a dossier one step (submit, appraise, approve, decide …)")
    async def transition_nomination(
        self, info: Info, id: uuid.UUID, input: NominationTransitionInput, version: Version
    ) -> NominationResult:
        call = info.context.awards.transition_nomination(id, body(input), version=version)
        return await attempt(call, Nomination.from_pydantic)

    @strawberry.mutation(description="A council member's ballot")
    async def vote(
        self,
        info: Info,
        council_id: uuid.UUID,
        votes: list[VoteInput],
        written: bool = False,
        idempotency_key: IdempotencyKey = None,
    ) -> VoteResult:
        payload = {"votes": body(votes), "written": written}
        call = info.context.awards.vote(council_id, payload, idempotency_key=_key(info, idempotency_key))
        return await attempt(call, VoteReceipt.from_pydantic)

    @strawberry.mutation(description="Sign a decision on decided nominees (numbered per body and year)")
    async def decide(self, info: Info, input: DecisionInput, idempotency_key: IdempotencyKey = None) -> DecisionResult:
        call = info.context.awards.decide(body(input), idempotency_key=_key(info, idempotency_key))
        return await attempt(call, AwardDecision.from_pydantic)

    @strawberry.mutation(description="Lock, publish or reopen a scoring period (reopen needs a reason)")
    async def transition_period(
        self, info: Info, id: uuid.UUID, input: PeriodTransitionInput, version: Version
    ) -> PeriodResult:
        call = info.context.scoring.transition_period(id, body(input), version=version)
        return await attempt(call, Period.from_pydantic)

    @strawberry.mutation(description="Open a council session with its members and the dossiers on its agenda")
    async def open_council(
        self, info: Info, input: CouncilInput, idempotency_key: IdempotencyKey = None
    ) -> CouncilSessionResult:
        call = info.context.awards.open_council(body(input), idempotency_key=_key(info, idempotency_key))
        return await attempt(call, Council.from_pydantic)

    @strawberry.mutation(description="Close the vote: each line's result is counted under its form's rule")
    async def close_council(self, info: Info, id: uuid.UUID, version: Version) -> CouncilSessionResult:
        return await attempt(info.context.awards.close_council(id, version=version), Council.from_pydantic)

    @strawberry.mutation(description="Publish a signed decision: open data, its awards are issued")
    async def publish_decision(self, info: Info, id: uuid.UUID, version: Version) -> DecisionResult:
        return await attempt(info.context.awards.publish(id, version=version), AwardDecision.from_pydantic)
