"""What a user of a plan checks after running it, read through the gateway (anonymously where the data is open)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tests.e2e.conftest import PlanRun

SCORES = """query($ids: [UUID!], $p: UUID!) { units(ids: $ids, first: 200) { items {
  name score(periodId: $p) { score100 bandVi } } } }"""
CANDIDATES = """query($r: UUID!) { candidates(ruleId: $r) { __typename ... on CandidateList { formCode groups {
  key considered eligible limit selected criteria candidates { name eligible selected rank } } }
  ... on Problem { detail } } }"""
DECISION = """query($id: UUID!) { decision(id: $id) { __typename ... on AwardDecision { reference status issuerName
  signedOn baseSalary awards { name subjectType amount status } } ... on Problem { detail } } }"""
NOMINATION = """query($id: UUID!) { nomination(id: $id) { __typename ... on Nomination { formCode copies status
  documents { code } missingDocuments { code } } ... on Problem { detail } } }"""


@dataclass(frozen=True)
class Group:
    considered: int
    eligible: set[str]
    selected: set[str]
    limit: int | None
    criteria: list[str]


async def scores(run: PlanRun) -> dict[str, tuple[Decimal, str | None]]:
    """Published scores and classes of the period's units, anonymously (open data)."""
    data = await run.query(SCORES, ids=[str(u) for u in run.outcome.units.values()], p=str(run.outcome.period_id))
    return {
        u["name"]: (Decimal(u["score"]["score100"]), u["score"]["bandVi"])
        for u in data["units"]["items"]
        if u["score"] is not None
    }


async def candidates(run: PlanRun, phase: str, form: str) -> dict[str, Group]:
    office = run.token("tdkt.test", None, "admin")
    data = await run.query(CANDIDATES, office, r=str(run.outcome.rules[(phase, form)]))
    return {
        g["key"]: Group(
            g["considered"],
            {c["name"] for c in g["candidates"] if c["eligible"]},
            {c["name"] for c in g["candidates"] if c["selected"]},
            g["limit"],
            g["criteria"],
        )
        for g in data["candidates"]["groups"]
    }


async def decisions(run: PlanRun) -> list[dict[str, Any]]:
    """The plan's decisions as anyone reads them (published: open data)."""
    out = []
    for decision_id in run.outcome.decisions:
        out.append((await run.query(DECISION, id=str(decision_id)))["decision"])
    return out


async def nominations(run: PlanRun) -> list[dict[str, Any]]:
    office = run.token("tdkt.test", None, "admin")
    return [(await run.query(NOMINATION, office, id=str(n)))["nomination"] for n in run.outcome.nominations]


async def open_decisions(run: PlanRun) -> list[dict[str, Any]]:
    """Rows of the anonymous open-data listing of decisions."""
    response = await run.gateway.get("/open-data/decisions", params={"limit": 500})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["items"]
    return rows


async def open_rankings(run: PlanRun) -> list[dict[str, Any]]:
    response = await run.gateway.get("/open-data/rankings")
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["items"]
    return rows
