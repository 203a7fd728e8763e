"""Runs a demo scenario through the gateway, as the people of the plan would: units register and report their
values, the office appraises them and publishes the period, the proposing unit files the rule's candidates, the
council votes, the authority decides and publishes. Each person's token is signed by `mint`; lookups of ids (a
movement by code, a value's version) read the services directly, every act of the plan goes through GraphQL."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

from services.registry.vocabulary import Role
from services.scoring.frameworks.schemas import NodeIn
from thidua.plans.definition import Plan, Rule
from thidua.plans.importer import Clients, Importer
from thidua.plans.scenario import Award, Place, Scenario, Value
from thidua.plans.source import Source
from thidua.plans.units import Units, segments

PAPER_ENTRY = "Nhập đăng ký thi đua đơn vị gửi bằng văn bản / entered from the unit's letter"
Mint = Callable[[str, frozenset[str], uuid.UUID | None], str]
PROBLEM = "... on Problem { type statusCode detail faults: errors { pointer parameter detail } extensions }"


class ScenarioFailed(Exception):
    pass


@dataclass
class Outcome:
    """What a scenario produced, for the demo's log and the end-to-end tests' assertions."""

    movement_id: uuid.UUID
    units: dict[str, uuid.UUID] = field(default_factory=dict)
    period_id: uuid.UUID | None = None
    rules: dict[tuple[str, str], uuid.UUID] = field(default_factory=dict)
    nominations: list[uuid.UUID] = field(default_factory=list)
    councils: list[uuid.UUID] = field(default_factory=list)
    decisions: list[uuid.UUID] = field(default_factory=list)


def _value_fields(value: Value) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"flag": value}
    if isinstance(value, list):
        return {"numerator": str(value[0]), "denominator": str(value[1])}
    if isinstance(value, Decimal):
        return {"value": str(value)}
    return {"category": value}


def _indicators(nodes: Sequence[NodeIn]) -> list[NodeIn]:
    out: list[NodeIn] = []
    for node in nodes:
        out += [node] if node.kind == "indicator" else _indicators(node.children)
    return out


class Runner:
    def __init__(self, gateway: httpx.AsyncClient, clients: Clients, mint: Mint, units: Units | None = None) -> None:
        """`units`: names already resolved (the demo's plans share one), else this runner's own."""
        self.gateway, self.c, self.mint = gateway, clients, mint
        self.importer = Importer(clients, units)

    async def gql(self, token: str | None, query: str, **variables: Any) -> dict[str, Any]:
        """The data of one operation; a GraphQL error or a Problem result stops the scenario."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.gateway.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise ScenarioFailed(f"{_name(query)}: {body.get('errors') or response.text[:500]}")
        data: dict[str, Any] = body["data"]
        for value in data.values():
            if isinstance(value, dict) and "statusCode" in value:
                raise ScenarioFailed(f"{_name(query)} {variables}: {value}")
        return data

    def token(self, subject: str, unit: uuid.UUID | None, *roles: Role) -> str:
        return self.mint(subject, frozenset(roles), unit)

    async def places(self, scenario: Scenario) -> None:
        """Units the plan names, created in the registry when missing (parents first)."""
        for place in scenario.places:
            if await self.importer.units.find(place.path, scenario.as_of) is None:
                await self._create(place, scenario)

    async def _create(self, place: Place, scenario: Scenario) -> None:
        parts = segments(place.path)
        parent = await self.importer.units.resolve(" / ".join(parts[:-1]), scenario.as_of) if parts[:-1] else None
        body = {"kind": place.kind, "level": place.level, "name": parts[-1]} | (
            {"parent_id": str(parent)} if parent else {}
        )
        dates = place.model_dump(mode="json", include={"valid_from", "valid_to"}, exclude_none=True)
        await self.c.registry.create_unit(body | dates)

    async def run(self, scenario: Scenario, plan: Plan, source: Source) -> Outcome:
        """Import the plan and act the scenario out (its places must exist: `places` first)."""
        await self.importer.run(plan, source)
        movement = (await self.c.registry.movements(code=plan.movement.code)).items[0]
        out = Outcome(movement.id)
        issuer = await self.importer.units.resolve(plan.movement.issuer, plan.movement.start_date)
        office = self.token(f"tdkt.{plan.movement.code.lower()}", issuer, Role.EMULATION_OFFICE)
        for path in {r.unit for r in scenario.registrations} | {r.unit for r in scenario.reports}:
            out.units[path] = await self.importer.units.resolve(path, scenario.as_of)
        await self._register(scenario, movement.id, out, office)
        if scenario.period is not None:
            wanted = next(p for p in plan.periods if p.key == scenario.period)
            periods = await self.c.scoring.periods(movement_id=movement.id)
            out.period_id = next(
                p.id for p in periods if (p.kind, p.year, p.number) == (wanted.kind, wanted.year, wanted.number)
            )
            await self._report(scenario, plan, out, office)
        forms = {(r.phase, self._form(plan, r)): r.form for r in plan.rules}
        for rule in await self.c.awards.rules(movement_id=movement.id):
            out.rules[(rule.phase_code, forms[(rule.phase_code, rule.form_id)])] = rule.id
        for award in scenario.awards:
            await self._award(award, plan, out)
        return out

    async def _register(self, scenario: Scenario, movement_id: uuid.UUID, out: Outcome, office: str) -> None:
        existing = {r.unit_id: r for r in await self.c.registry.registrations(movement_id)}
        for entry in scenario.registrations:
            unit = out.units[entry.unit]
            reg = existing.get(unit)
            if reg is None:
                reporter = self.token(f"baocao.{unit}", unit, Role.UNIT_REPORTER)
                data = await self.gql(
                    reporter,
                    "mutation($m: UUID!, $i: RegistrationInput!) { register(movementId: $m, input: $i) {"
                    f" __typename ... on Registration {{ id version status }} {PROBLEM} }} }}",
                    m=str(movement_id),
                    i={"unitId": str(unit), "commitments": entry.commitments},
                )
                reg_id, version, status = (data["register"][k] for k in ("id", "version", "status"))
            else:
                reg_id, version, status = str(reg.id), reg.version, reg.status.upper()
            # the office enters what units sent on paper (in time), then approves
            for to in ("SUBMITTED", "APPROVED"):
                if status in (to, "APPROVED"):
                    continue
                data = await self.gql(
                    office,
                    "mutation($id: UUID!, $i: RegistrationTransitionInput!, $v: Int!) {"
                    " transitionRegistration(id: $id, input: $i, version: $v) {"
                    f" __typename ... on Registration {{ version status }} {PROBLEM} }} }}",
                    id=reg_id,
                    i={"to": to} | ({"reason": PAPER_ENTRY} if to == "SUBMITTED" else {}),
                    v=version,
                )
                version, status = data["transitionRegistration"]["version"], to

    async def _report(self, scenario: Scenario, plan: Plan, out: Outcome, office: str) -> None:
        if plan.framework is None or out.period_id is None:
            raise ScenarioFailed("values need the plan's framework and a period")
        needs_evidence = {n.code for n in _indicators(plan.framework.nodes) if n.evidence_required}
        evidence = [scenario.evidence.model_dump(mode="json")] if scenario.evidence else []

        def item(unit: uuid.UUID, code: str, value: Value) -> dict[str, Any]:
            row = {"unitId": str(unit), "indicatorCode": code, **_camel(_value_fields(value))}
            return row | ({"evidence": evidence} if code in needs_evidence else {})

        submit = (
            "mutation($p: UUID!, $items: [ValueInput!]!) { submitValues(periodId: $p, items: $items, submit: true) {"
            f" __typename ... on BatchReport {{ written errors {{ pointer detail }} }} {PROBLEM} }} }}"
        )
        for report in scenario.reports:
            unit = out.units[report.unit]
            items = [item(unit, code, value) for code, value in report.values.items()]
            reporter = self.token(f"baocao.{unit}", unit, Role.UNIT_REPORTER)
            data = await self.gql(reporter, submit, p=str(out.period_id), items=items)
            if data["submitValues"]["errors"]:
                raise ScenarioFailed(f"values of {report.unit}: {data['submitValues']['errors']}")
        for step in scenario.reviews:
            unit = await self.importer.units.resolve(step.unit, scenario.as_of)
            stored = (await self.c.scoring.values(out.period_id, unit_id=unit, indicator_code=step.indicator))[0]
            fields = _value_fields(step.value) if step.value is not None and step.action == "adjust" else {}
            review = {"action": step.action.upper(), "reason": step.reason, **_camel(fields)}
            await self.gql(
                office,
                "mutation($p: UUID!, $u: UUID!, $c: String!, $i: ReviewInput!, $v: Int!) {"
                " reviewValue(periodId: $p, unitId: $u, indicatorCode: $c, input: $i, version: $v) {"
                f" __typename ... on StoredValue {{ status version }} {PROBLEM} }} }}",
                p=str(out.period_id),
                u=str(unit),
                c=step.indicator,
                i={k: v for k, v in review.items() if v is not None},
                v=stored.version,
            )
            if step.action == "return" and step.value is not None:  # the unit corrects it and sends it again
                reporter = self.token(f"baocao.{unit}", unit, Role.UNIT_REPORTER)
                await self.gql(reporter, submit, p=str(out.period_id), items=[item(unit, step.indicator, step.value)])
        for to in ("LOCKED", "PUBLISHED"):
            period = await self.c.scoring.period(out.period_id)
            await self.gql(
                office,
                "mutation($id: UUID!, $i: PeriodTransitionInput!, $v: Int!) {"
                " transitionPeriod(id: $id, input: $i, version: $v) {"
                f" __typename ... on Period {{ status }} {PROBLEM} }} }}",
                id=str(out.period_id),
                i={"to": to},
                v=period.version,
            )

    async def _award(self, award: Award, plan: Plan, out: Outcome) -> None:
        on = award.council.meets_on
        authority = await self.importer.units.resolve(award.authority, on)
        proposer = await self.importer.units.resolve(award.proposer, on)
        head = self.token(f"lanhdao.{proposer}", proposer, Role.UNIT_HEAD)
        office = self.token(f"tdkt.{authority}", authority, Role.EMULATION_OFFICE)
        secretary = next(m for m in award.council.members if m.secretary)
        clerk = self.token(secretary.user, authority, Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER)
        signer = self.token(award.decision.signer.user, authority, Role.DECISION_SIGNER)
        rule_id = out.rules[(award.phase, award.form)]
        rule = next(r for r in plan.rules if (r.phase, r.form) == (award.phase, award.form))
        if award.nominees == "selected":
            data = await self.gql(
                office,
                "query($r: UUID!) { candidates(ruleId: $r) { __typename ... on CandidateList { groups {"
                f" candidates {{ subjectId name selected }} }} }} {PROBLEM} }} }}",
                r=str(rule_id),
            )
            chosen = [c for g in data["candidates"]["groups"] for c in g["candidates"] if c["selected"]]
            nominees = [{"subjectType": "COLLECTIVE", "unitId": c["subjectId"], "name": c["name"]} for c in chosen]
        else:
            nominees = [{"subjectType": "INDIVIDUAL", "name": p.name, "detail": p.detail} for p in award.nominees]
        if not nominees:
            raise ScenarioFailed(f"{award.phase} {award.form}: the rule selected nobody")
        documents = [_camel(d.model_dump(mode="json", exclude_none=True)) for d in award.documents] + [
            {"code": "bao_cao_thanh_tich", "title": f"Báo cáo thành tích: {n['name']}", "nomineePosition": i}
            for i, n in enumerate(nominees, start=1)
        ]
        filed_on = next((d.issued_on for d in award.documents if d.code == "to_trinh" and d.issued_on), on)
        nomination_fields = "id version status nominees { id councilResult }"
        data = await self.gql(
            head,
            "mutation($i: NominationInput!) { nominate(input: $i) {"
            f" __typename ... on Nomination {{ {nomination_fields} }} {PROBLEM} }} }}",
            i={
                "formId": str(self._form(plan, rule)),
                "proposerUnitId": str(proposer),
                "authorityUnitId": str(authority),
                "movementId": str(out.movement_id),
                "phaseCode": award.phase,
                "filedOn": filed_on.isoformat(),
                "title": award.title,
                "nominees": nominees,
                "documents": documents,
            },
        )
        n = data["nominate"]
        out.nominations.append(uuid.UUID(n["id"]))
        for who, to in ((head, "SUBMITTED"), (office, "RECEIVED"), (office, "APPRAISING"), (office, "COUNCIL")):
            n = await self._move(who, n, {"to": to}, nomination_fields)
        council_input = award.council.model_dump(mode="json", exclude={"members"}) | {
            "body_unit_id": str(authority),
            "members": [m.model_dump(mode="json", include={"user", "name", "position"}) for m in award.council.members],
            "nomination_ids": [n["id"]],
        }
        for m in council_input["members"]:
            m["username"] = m.pop("user")
        data = await self.gql(
            clerk,
            "mutation($i: CouncilInput!) { openCouncil(input: $i) {"
            f" __typename ... on Council {{ id version }} {PROBLEM} }} }}",
            i=_camel(council_input),
        )
        council = data["openCouncil"]
        out.councils.append(uuid.UUID(council["id"]))
        for member in award.council.members:
            roles = (Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER) if member.secretary else (Role.COUNCIL_MEMBER,)
            votes = [{"nomineeId": line["id"], "choice": member.vote.upper()} for line in n["nominees"]]
            await self.gql(
                self.token(member.user, authority, *roles),
                "mutation($c: UUID!, $v: [VoteInput!]!) { vote(councilId: $c, votes: $v) {"
                f" __typename {PROBLEM} }} }}",
                c=council["id"],
                v=votes,
            )
        council_now = await self.c.awards.council(uuid.UUID(council["id"]))
        await self.gql(
            clerk,
            "mutation($id: UUID!, $v: Int!) { closeCouncil(id: $id, version: $v) {"
            f" __typename ... on Council {{ id }} {PROBLEM} }} }}",
            id=council["id"],
            v=council_now.version,
        )
        n = await self._read(clerk, n["id"], nomination_fields)
        n = await self._move(clerk, n, {"to": "TO_SIGNER"}, nomination_fields)
        outcomes = [
            {"nomineeId": line["id"], "outcome": "APPROVED" if line["councilResult"] == "passed" else "REFUSED"}
            | ({} if line["councilResult"] == "passed" else {"reason": "Hội đồng không thông qua"})
            for line in n["nominees"]
        ]
        n = await self._move(signer, n, {"to": "DECIDED", "outcomes": outcomes}, nomination_fields)
        approved = [o["nomineeId"] for o in outcomes if o["outcome"] == "APPROVED"]
        decision_input = award.decision.model_dump(mode="json") | {
            "issuer_unit_id": str(authority),
            "nominee_ids": approved,
            "signer": award.decision.signer.model_dump(mode="json", exclude={"user"}, exclude_none=True),
        }
        data = await self.gql(
            signer,
            "mutation($i: DecisionInput!) { decide(input: $i) {"
            f" __typename ... on AwardDecision {{ id version }} {PROBLEM} }} }}",
            i=_camel(decision_input),
        )
        decision = data["decide"]
        await self.gql(
            signer,
            "mutation($id: UUID!, $v: Int!) { publishDecision(id: $id, version: $v) {"
            f" __typename ... on AwardDecision {{ status }} {PROBLEM} }} }}",
            id=decision["id"],
            v=decision["version"],
        )
        out.decisions.append(uuid.UUID(decision["id"]))

    def _form(self, plan: Plan, rule: Rule) -> uuid.UUID:
        """The form's id, as the import resolved it."""
        if self.importer.resolved is None:
            raise ScenarioFailed("the plan is not imported")
        return self.importer.resolved.forms[(rule.catalogue or plan.catalogue, rule.form)]

    async def _move(self, token: str, n: dict[str, Any], transition: dict[str, Any], fields: str) -> dict[str, Any]:
        data = await self.gql(
            token,
            "mutation($id: UUID!, $i: NominationTransitionInput!, $v: Int!) {"
            " transitionNomination(id: $id, input: $i, version: $v) {"
            f" __typename ... on Nomination {{ {fields} }} {PROBLEM} }} }}",
            id=n["id"],
            i=transition,
            v=n["version"],
        )
        result: dict[str, Any] = data["transitionNomination"]
        return result

    async def _read(self, token: str, nomination_id: str, fields: str) -> dict[str, Any]:
        data = await self.gql(
            token,
            f"query($id: UUID!) {{ nomination(id: $id) {{ __typename ... on Nomination {{ {fields} }} {PROBLEM} }} }}",
            id=nomination_id,
        )
        result: dict[str, Any] = data["nomination"]
        return result


def _camel(value: Any) -> Any:
    """snake_case keys of a service body as GraphQL input names (camelCase)."""
    if isinstance(value, dict):
        return {_camel_name(k): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _camel_name(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _name(query: str) -> str:
    """The operation's first field, to say which step failed."""
    return query.split("{", 1)[1].split("(", 1)[0].strip()
