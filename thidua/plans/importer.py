"""`thidua plans import`: a movement definition loaded through the services' APIs. Every reference (units, award
forms) is resolved and every unchangeable field compared before the first write, so a faulty file imports nothing.
Re-importing updates what changed and reports the rest as unchanged; a dry run reports the same steps, writing none.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kit.client import UpstreamProblem
from kit.problems import Text
from services.awards.client import AwardsClient
from services.awards.rules.schemas import RuleIn
from services.registry.client import RegistryClient
from services.registry.movements.schemas import Movement
from services.scoring.client import ScoringClient
from services.scoring.frameworks.schemas import Framework, FrameworkCreate
from services.scoring.periods.schemas import Period
from thidua.plans.definition import Plan
from thidua.plans.source import Fault, PlanInvalid, Source
from thidua.plans.units import UnitNotFound, Units

# Fixed when a movement is launched: a change means a new movement (a new code), not an update.
LAUNCH_FIELDS = ("issuer_unit_id", "kind", "legal_basis", "start_date", "subject_types", "unit_kinds")


@dataclass(frozen=True)
class Step:
    action: str  # create | update | unchanged | kept (differs from the file, but cannot change once opened)
    what: str  # movement, pilot, framework, period, rule
    key: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.action:<9} {self.what:<9} {self.key}" + (f"  ({self.note})" if self.note else "")


# (the step just done, steps done, steps expected): `thidua plans import` shows it as it goes.
Progress = Callable[[str, int, int], None]


class Steps:
    """The steps of one run in order; each is told to `progress` once done: a step is noted before its write, so it
    is done when the next one is noted, or when the run ends."""

    def __init__(self, expected: int, progress: Progress | None) -> None:
        self.items: list[Step] = []
        self.expected, self.progress = expected, progress

    def append(self, step: Step) -> None:
        self._tell()
        self.items.append(step)

    def close(self) -> list[Step]:
        self._tell()
        return self.items

    def _tell(self) -> None:
        if self.items and self.progress is not None:
            self.progress(str(self.items[-1]), len(self.items), max(self.expected, len(self.items)))


@dataclass
class Resolved:
    """What the file's names refer to, read before anything is written."""

    issuer: uuid.UUID
    pilots: list[uuid.UUID]
    scopes: dict[str, uuid.UUID]
    forms: dict[tuple[str, str], uuid.UUID]  # (regime, form code) → form id
    movement: Movement | None
    frameworks: list[Framework] = field(default_factory=list)


@dataclass
class Clients:
    registry: RegistryClient
    scoring: ScoringClient
    awards: AwardsClient


def _framework_body(framework: FrameworkCreate | Framework) -> dict[str, Any]:
    """A framework as the API takes it, in a canonical order, to tell whether a file changes it."""
    body = FrameworkCreate.model_validate(framework.model_dump(include=set(FrameworkCreate.model_fields)))
    dumped = body.model_dump()
    dumped["bands"] = sorted(dumped["bands"], key=lambda b: b["lower_bound"])
    dumped["targets"] = sorted(dumped["targets"], key=lambda t: (t["indicator_code"], t["year"], t["level"]))
    return dumped


def _movement_body(plan: Plan, issuer: uuid.UUID) -> dict[str, Any]:
    m = plan.movement
    body = m.model_dump(mode="json", exclude={"issuer", "pilot_units"})
    return body | {"issuer_unit_id": str(issuer)}


def _schedule(m: Movement | Plan) -> dict[str, Any]:
    """Phases and milestones in the order the registry keeps them, to tell whether a file changes them."""
    source = m.movement if isinstance(m, Plan) else m
    phases = [p.model_dump(mode="json") for p in source.phases]
    milestones = [x.model_dump(mode="json") for x in source.milestones]
    return {
        "phases": sorted(phases, key=lambda p: (p["start_date"], p["code"])),
        "milestones": sorted(
            milestones, key=lambda x: (x["due_date"], x["kind"], x["phase_code"] or "", x["title"] or "")
        ),
    }


class Importer:
    def __init__(self, clients: Clients, units: Units | None = None) -> None:
        self.c = clients
        self.units = units or Units(clients.registry)
        self.resolved: Resolved | None = None  # of the last run: what the file's names referred to

    async def _resolve(self, plan: Plan, source: Source) -> Resolved:
        faults: list[Fault] = []

        async def unit(path: str, on: date, loc: Sequence[str | int]) -> uuid.UUID:
            try:
                return await self.units.resolve(path, on)
            except UnitNotFound as exc:
                faults.append(source.fault(loc, exc.detail))
                return uuid.UUID(int=0)

        m = plan.movement
        issuer = await unit(m.issuer, m.start_date, ("movement", "issuer"))
        pilots = [await unit(p, m.start_date, ("movement", "pilot_units", i)) for i, p in enumerate(m.pilot_units)]
        scopes = {p.key: await unit(p.scope, p.starts_on, ("periods", i, "scope")) for i, p in enumerate(plan.periods)}
        forms: dict[tuple[str, str], uuid.UUID] = {}
        for regime_code, loc in [(plan.catalogue, ("catalogue",))] + [
            (r.catalogue, ("rules", i, "catalogue")) for i, r in enumerate(plan.rules) if r.catalogue
        ]:
            if any(k[0] == regime_code for k in forms):
                continue
            try:
                regime = await self.c.awards.regime(regime_code)
            except UpstreamProblem as exc:
                if exc.code != 404:
                    raise
                faults.append(
                    source.fault(
                        loc,
                        Text(f"Không có bộ hình thức khen thưởng {regime_code}", f"No award regime {regime_code}"),
                    )
                )
                continue
            forms |= {(regime_code, f.code): f.id for f in regime.forms}
        known_regimes = {k[0] for k in forms}
        for i, rule in enumerate(plan.rules):
            regime_code = rule.catalogue or plan.catalogue
            if regime_code in known_regimes and (regime_code, rule.form) not in forms:
                faults.append(
                    source.fault(
                        ("rules", i, "form"),
                        Text(
                            f"Hình thức khen thưởng '{rule.form}' không có trong {regime_code}",
                            f"Award form '{rule.form}' is not in {regime_code}",
                        ),
                    )
                )
        existing = (await self.c.registry.movements(code=m.code)).items
        movement = existing[0] if existing else None
        if movement is not None and not faults:  # an unresolved issuer is reported once, not as a change too
            wanted = _movement_body(plan, issuer)
            have = movement.model_dump(mode="json")
            for name in LAUNCH_FIELDS:
                if wanted.get(name) != have.get(name):
                    faults.append(
                        source.fault(
                            ("movement", name.removesuffix("_unit_id")),
                            Text(
                                f"Phong trào {m.code} đã phát động: không đổi được {name} (dùng mã mới)",
                                f"Movement {m.code} is launched: {name} cannot change (use a new code)",
                            ),
                        )
                    )
        if faults:
            raise PlanInvalid(source.file, faults)
        frameworks = await self.c.scoring.frameworks(code=plan.framework.code) if plan.framework else []
        return Resolved(issuer, pilots, scopes, forms, movement, frameworks)

    async def run(
        self, plan: Plan, source: Source, *, dry_run: bool = False, progress: Progress | None = None
    ) -> list[Step]:
        r = self.resolved = await self._resolve(plan, source)
        things = 1 + len(plan.movement.pilot_units) + bool(plan.framework) + len(plan.periods) + len(plan.rules)
        steps = Steps(things, progress)
        movement = await self._movement(plan, r, steps, dry_run)
        await self._pilots(plan, r, movement, steps, dry_run)
        framework = await self._framework(plan, r, steps, dry_run)
        periods = await self._periods(plan, r, movement, framework, steps, dry_run)
        await self._rules(plan, r, movement, periods, steps, dry_run)
        return steps.close()

    async def _movement(self, plan: Plan, r: Resolved, steps: Steps, dry_run: bool) -> Movement | None:
        m = plan.movement
        if r.movement is None:
            steps.append(Step("create", "movement", m.code))
            return None if dry_run else await self.c.registry.launch(_movement_body(plan, r.issuer))
        movement = r.movement
        fields = {"title": m.title, "end_date": m.end_date, "description": m.description}
        changed = {k: v for k, v in fields.items() if getattr(movement, k) != v}
        rescheduled = _schedule(movement) != _schedule(plan)
        if not changed and not rescheduled:
            steps.append(Step("unchanged", "movement", m.code))
            return movement
        if changed:
            steps.append(Step("update", "movement", m.code, ", ".join(changed)))
        if rescheduled:
            steps.append(Step("update", "movement", m.code, "phases and milestones"))
        if dry_run:
            return movement
        # The registry keeps phases inside the movement's dates: a shorter movement gets its new phases first.
        shorter = m.end_date is not None and (movement.end_date is None or m.end_date < movement.end_date)
        if rescheduled and shorter:
            movement = await self.c.registry.replace_schedule(movement.id, _schedule(plan), version=movement.version)
        if changed:
            body = {k: v.isoformat() if isinstance(v, date) else v for k, v in changed.items()}
            movement = await self.c.registry.update_movement(movement.id, body, version=movement.version)
        if rescheduled and not shorter:
            movement = await self.c.registry.replace_schedule(movement.id, _schedule(plan), version=movement.version)
        return movement

    async def _pilots(self, plan: Plan, r: Resolved, movement: Movement | None, steps: Steps, dry_run: bool) -> None:
        registrations = (
            {reg.unit_id: reg for reg in await self.c.registry.registrations(movement.id)} if movement else {}
        )
        for path, unit_id in zip(plan.movement.pilot_units, r.pilots, strict=True):
            reg = registrations.get(unit_id)
            if reg is not None and reg.is_pilot:
                steps.append(Step("unchanged", "pilot", path))
                continue
            steps.append(Step("create" if reg is None else "update", "pilot", path))
            if dry_run or movement is None:
                continue
            if reg is None:
                reg = await self.c.registry.register(movement.id, {"unit_id": str(unit_id)})
            await self.c.registry.update_registration(reg.id, {"is_pilot": True}, version=reg.version)

    async def _framework(self, plan: Plan, r: Resolved, steps: Steps, dry_run: bool) -> Framework | None:
        if plan.framework is None:
            return None
        code = plan.framework.code
        latest = max(r.frameworks, key=lambda f: f.version, default=None)
        wanted = _framework_body(plan.framework)
        body = plan.framework.model_dump(mode="json")
        if latest is not None and _framework_body(latest) == wanted:
            if latest.status == "published":
                steps.append(Step("unchanged", "framework", f"{code} v{latest.version}"))
                return latest
            steps.append(Step("update", "framework", f"{code} v{latest.version}", "published"))
            return latest if dry_run else await self.c.scoring.publish(latest.id)
        if latest is not None and latest.status != "published":
            steps.append(Step("update", "framework", f"{code} v{latest.version}", "rewritten and published"))
            if dry_run:
                return latest
            await self.c.scoring.rewrite(latest.id, body)
            return await self.c.scoring.publish(latest.id)
        version = latest.version + 1 if latest else 1
        note = "a published version is immutable: the change is a new version" if latest else ""
        steps.append(Step("create", "framework", f"{code} v{version}", note))
        if dry_run:
            return latest
        created = await self.c.scoring.define(body)
        return await self.c.scoring.publish(created.id)

    async def _periods(
        self,
        plan: Plan,
        r: Resolved,
        movement: Movement | None,
        framework: Framework | None,
        steps: Steps,
        dry_run: bool,
    ) -> dict[str, uuid.UUID]:
        existing = await self.c.scoring.periods(movement_id=movement.id) if movement else []
        by_key: dict[tuple[str, int, int | None], Period] = {(p.kind, p.year, p.number): p for p in existing}
        out: dict[str, uuid.UUID] = {}
        for period in plan.periods:
            found = by_key.get((period.kind, period.year, period.number))
            if found is not None:
                out[period.key] = found.id
                differs = [
                    name
                    for name, value in (
                        ("title", period.title),
                        ("starts_on", period.starts_on),
                        ("ends_on", period.ends_on),
                        ("registered_only", period.registered_only),
                        ("scope", r.scopes[period.key]),
                    )
                    if getattr(found, "scope_unit_id" if name == "scope" else name) != value
                ]
                if framework is not None and found.framework_id != framework.id:
                    differs.append("framework version")
                note = f"{found.status}; an opened period is kept" + (
                    f", differs in {', '.join(differs)}" if differs else ""
                )
                steps.append(Step("kept" if differs else "unchanged", "period", period.key, note))
                continue
            steps.append(Step("create", "period", period.key))
            if dry_run or movement is None or framework is None:
                continue
            body = period.model_dump(mode="json", exclude={"key", "scope"}) | {
                "framework_id": str(framework.id),
                "movement_id": str(movement.id),
                "scope_unit_id": str(r.scopes[period.key]),
            }
            out[period.key] = (await self.c.scoring.open_period(body)).id
        return out

    async def _rules(
        self,
        plan: Plan,
        r: Resolved,
        movement: Movement | None,
        periods: dict[str, uuid.UUID],
        steps: Steps,
        dry_run: bool,
    ) -> None:
        existing = (
            {(x.phase_code, x.form_id): x for x in await self.c.awards.rules(movement_id=movement.id)}
            if (movement)
            else {}
        )
        for rule in plan.rules:
            key = f"{rule.phase} {rule.form}"
            form_id = r.forms[(rule.catalogue or plan.catalogue, rule.form)]
            period_id = periods.get(rule.period) if rule.period else None
            found = existing.get((rule.phase, form_id))
            if movement is None or (rule.period and period_id is None):
                steps.append(Step("create" if found is None else "update", "rule", key))
                continue
            body = RuleIn.model_validate(
                rule.model_dump(exclude={"phase", "form", "period", "catalogue"})
                | {"movement_id": movement.id, "phase_code": rule.phase, "form_id": form_id, "period_id": period_id}
            )
            if found is None:
                steps.append(Step("create", "rule", key))
                if not dry_run:
                    await self.c.awards.define_rule(body.model_dump(mode="json"))
                continue
            same = RuleIn.model_validate(
                found.definition
                | {"movement_id": movement.id, "phase_code": found.phase_code, "form_id": found.form_id}
                | {"title": found.title}
            )
            if same == body:
                steps.append(Step("unchanged", "rule", key))
                continue
            steps.append(Step("update", "rule", key))
            if not dry_run:
                await self.c.awards.replace_rule(found.id, body.model_dump(mode="json"), version=found.version)
