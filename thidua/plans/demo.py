"""The demo of every plan in plans/demo/: each scenario's plan is imported and run end to end. A plan whose movement
already exists is left as it is (an office may have changed it since), so loading the demo twice changes nothing."""

from dataclasses import dataclass
from pathlib import Path

import httpx

from thidua.plans.definition import Plan
from thidua.plans.importer import Clients
from thidua.plans.runner import Mint, Outcome, Runner
from thidua.plans.scenario import Scenario
from thidua.plans.source import Source, load, plan_of

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


def movement_codes() -> list[str]:
    """The movements the demo launches, one per scenario."""
    return [Demo.read(file).plan.movement.code for file in scenarios()]


async def there(demo: Demo, clients: Clients) -> bool:
    """Whether the scenario's movement exists (then nothing of the scenario is written again)."""
    return bool((await clients.registry.movements(code=demo.plan.movement.code)).items)


async def run(demo: Demo, gateway: httpx.AsyncClient, clients: Clients, mint: Mint) -> Outcome | None:
    """Run one scenario whole; None when its movement was already there (and nothing is written)."""
    if await there(demo, clients):
        return None
    runner = Runner(gateway, clients, mint)
    await runner.places(demo.scenario)
    return await runner.run(demo.scenario, demo.plan, demo.plan_source)
