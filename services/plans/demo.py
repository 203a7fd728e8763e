"""The demo of every plan in plans/demo/: each scenario's plan is imported and run end to end. A plan whose movement
already exists is only re-imported (unchanged), so loading the demo twice changes nothing."""

from dataclasses import dataclass
from pathlib import Path

import httpx

from services.plans.definition import Plan
from services.plans.importer import Clients
from services.plans.runner import Mint, Outcome, Runner
from services.plans.scenario import Scenario
from services.plans.source import load

PLANS = Path(__file__).resolve().parents[2] / "plans"


@dataclass(frozen=True)
class Demo:
    scenario: Scenario
    plan: Plan
    plan_file: Path

    @classmethod
    def read(cls, scenario_file: Path) -> "Demo":
        scenario, _ = load(scenario_file, Scenario)
        plan_file = scenario_file.parent.parent / scenario.plan
        plan, _ = load(plan_file, Plan)
        return cls(scenario, plan, plan_file)


def scenarios() -> list[Path]:
    return sorted((PLANS / "demo").glob("*.yaml"))


async def run(demo: Demo, gateway: httpx.AsyncClient, clients: Clients, mint: Mint) -> Outcome | None:
    """Run one scenario; None when its movement was already there (the definition is re-imported only)."""
    runner = Runner(gateway, clients, mint)
    await runner.places(demo.scenario)
    if (await clients.registry.movements(code=demo.plan.movement.code)).items:
        _, source = load(demo.plan_file, Plan)
        await runner.importer.run(demo.plan, source)
        return None
    _, source = load(demo.plan_file, Plan)
    return await runner.run(demo.scenario, demo.plan, source)
