"""Demo data of awards, entered through the API: the two shipped regimes (Decree 91/2017 and Law 06/2022 with
Decree 98/2023), base salaries and the holiday calendar. Only what is missing is entered: a regime, a salary or a
year of holidays already there is left as the office keeps it, so loading twice changes nothing."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from services.awards.catalogue import repository as catalogue

DATA = Path(__file__).resolve().parent / "catalogue" / "data"
REGIMES = ["TDKT-2017", "TDKT-2022"]


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _ok(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")


async def present(session: AsyncSession) -> bool:
    """Whether the demo's regimes are in the catalogue (one read)."""
    return {r["code"] for r in await catalogue.regimes(session)} >= set(REGIMES)


async def load(client: httpx.AsyncClient, admin_token: str) -> dict[str, int]:
    auth = {"Authorization": f"Bearer {admin_token}"}
    whole = {"limit": 500}  # a catalogue is far shorter than one page of the largest size
    regimes = _read(await client.get("/regimes", params=whole))["items"]
    have = {r["code"] for r in regimes}
    forms = 0
    for code in REGIMES:
        if code in have:
            continue
        response = await client.put(f"/regimes/{code}", json=_json(f"{code}.json"), headers=auth)
        _ok(response)
        forms += len(response.json()["forms"])
    calendar = _json("calendar.json")
    salaries = {
        date.fromisoformat(s["valid_from"]) for s in _read(await client.get("/base-salaries", params=whole))["items"]
    }
    for salary in calendar["base_salaries"]:
        valid_from = salary.pop("valid_from")
        if date.fromisoformat(valid_from) not in salaries:
            _ok(await client.put(f"/base-salaries/{valid_from}", json=salary, headers=auth))
    years = 0
    for year, days in calendar["holidays"].items():
        if _read(await client.get(f"/holidays/{year}")):
            continue
        body = {"days": [{"day": d, "name": n} for d, n in days]}
        _ok(await client.put(f"/holidays/{year}", json=body, headers=auth))
        years += 1
    return {"regimes": len(set(REGIMES) - have), "forms": forms, "holiday_years": years}


def _read(response: httpx.Response) -> Any:
    _ok(response)
    return response.json()
