"""The demo of every plan in plans/demo/: each scenario's plan is imported and run end to end. A plan whose movement
already exists is only re-imported (unchanged), so loading the demo twice changes nothing."""

from dataclasses import dataclass
from pathlib import Path

import httpx

from services.plans.definition import Plan
from services.plans.importer import Clients
from services.plans.runner import Mint, Outcome, Runner
from services.plans.scenario import Scenario
from services.plans.source import Source, load, plan_of

PLANS = Path(__file__).resolve().parents[2] / "plans"


@dataclass(frozen=True)
class Demo:
    scenario: Scenario
    plan: Plan
    plan_source: Source

    @classmethod
    def read(cls, scenario_file: Path) -> "Demo":
        scenario, _ = load(scenario_file, Scenario)
        plan, plan_source = load(plan_of(scenario_file, scenario), Plan)
        return cls(scenario, plan, plan_source)


def scenarios() -> list[Path]:
    return sorted((PLANS / "demo").glob("*.yaml"))


async def run(demo: Demo, gateway: httpx.AsyncClient, clients: Clients, mint: Mint) -> Outcome | None:
    """Run one scenario; None when its movement was already there (the definition is re-imported only)."""
    runner = Runner(gateway, clients, mint)
    await runner.places(demo.scenario)
    if (await clients.registry.movements(code=demo.plan.movement.code)).items:
        await runner.importer.run(demo.plan, demo.plan_source)
        return None
    return await runner.run(demo.scenario, demo.plan, demo.plan_source)
