"""Demo data of awards, entered through the API: the two shipped regimes (Decree 91/2017 and Law 06/2022 with
Decree 98/2023), base salaries and the holiday calendar. Loading twice changes nothing."""

import json
from pathlib import Path
from typing import Any

import httpx

DATA = Path(__file__).resolve().parent / "catalogue" / "data"
REGIMES = ["TDKT-2017", "TDKT-2022"]


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _ok(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")


async def load(client: httpx.AsyncClient, admin_token: str) -> dict[str, int]:
    auth = {"Authorization": f"Bearer {admin_token}"}
    forms = 0
    for code in REGIMES:
        response = await client.put(f"/regimes/{code}", json=_json(f"{code}.json"), headers=auth)
        _ok(response)
        forms += len(response.json()["forms"])
    calendar = _json("calendar.json")
    for salary in calendar["base_salaries"]:
        valid_from = salary.pop("valid_from")
        _ok(await client.put(f"/base-salaries/{valid_from}", json=salary, headers=auth))
    for year, days in calendar["holidays"].items():
        body = {"days": [{"day": d, "name": n} for d, n in days]}
        _ok(await client.put(f"/holidays/{year}", json=body, headers=auth))
    return {"regimes": len(REGIMES), "forms": forms, "holiday_years": len(calendar["holidays"])}
