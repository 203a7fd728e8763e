"""One unit's card (name, score, rank, awards) through the gateway vs the direct REST calls that fetch the same data.

Starts the three services and the gateway as their own processes on loopback, over a fresh database with the
demo data, then prints requests/s and p50/p99 of both paths in the same run. Goal: the gateway ≥ 50 % of direct.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from asyncio.subprocess import DEVNULL
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from kit import embedded, migrations
from thidua.system import APPS, SERVICES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data" / "bench"
PORTS = {"registry": 18001, "scoring": 18002, "awards": 18003, "gateway": 18000}
CARD = """query Card($id: UUID!, $period: UUID!) { unit(id: $id) { ... on Unit {
  name score(periodId: $period) { score100 bandVi ranks { groupKind rank groupSize } }
  awards { formCode decisionReference signedOn } } } }"""


async def start(url: str) -> list[asyncio.subprocess.Process]:
    env = os.environ | {"DATABASE_URL": url, "THIDUA_DATA_DIR": str(DATA), "THIDUA_LOG_LEVEL": "WARNING"}
    for name, port in PORTS.items():
        env[f"THIDUA_{name.upper()}_PORT"] = str(port)
        env[f"THIDUA_GATEWAY_{name.upper()}_URL"] = f"http://127.0.0.1:{port}"
    env["THIDUA_AWARDS_REGISTRY_URL"] = f"http://127.0.0.1:{PORTS['registry']}"
    env["THIDUA_AWARDS_SCORING_URL"] = f"http://127.0.0.1:{PORTS['scoring']}"
    env["THIDUA_SCORING_REGISTRY_URL"] = f"http://127.0.0.1:{PORTS['registry']}"
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "thidua.cli", "serve", s.name, env=env, cwd=ROOT, stdout=DEVNULL, stderr=DEVNULL
        )
        for s in APPS
    ]
    async with httpx.AsyncClient() as client:
        for port in PORTS.values():
            for _ in range(300):
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/livez")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
    return procs


async def measure(name: str, one: Callable[[], Awaitable[None]], total: int, concurrency: int) -> float:
    for _ in range(50):  # warm caches and connections
        await one()
    latencies: list[float] = []
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            t = time.perf_counter()
            await one()
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    rate = total / elapsed
    cuts = statistics.quantiles(latencies, n=100)
    print(f"  {name:<32} {rate:8.0f} req/s   p50 {cuts[49] * 1000:6.1f} ms   p99 {cuts[98] * 1000:6.1f} ms")
    return rate


async def main(total: int, concurrency: int) -> None:
    server = os.environ.get("DATABASE_URL") or embedded.start(DATA)
    url = await embedded.ensure_database(server, "thidua_bench_gateway", fresh=True)
    for spec in SERVICES:
        await migrations.upgrade(url, spec.name)
    from thidua import demo

    await demo.load(url)
    procs = await start(url)
    try:
        base = {n: f"http://127.0.0.1:{p}" for n, p in PORTS.items()}
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=100)) as client:
            periods = (await client.get(base["scoring"] + "/periods", params={"limit": 500})).json()["items"]
            period = next(p for p in periods if p["status"] == "published")
            scores = (await client.get(f"{base['scoring']}/periods/{period['id']}/scores", params={"limit": 1})).json()
            unit_id = scores["items"][0]["unit_id"]
            variables = {"id": unit_id, "period": period["id"]}

            async def via_gateway() -> None:
                r = await client.post(base["gateway"] + "/graphql", json={"query": CARD, "variables": variables})
                assert r.status_code == 200, r.text
                assert "errors" not in r.json(), r.text

            async def direct() -> None:
                answers = await asyncio.gather(
                    client.get(f"{base['registry']}/units/{unit_id}"),
                    client.get(f"{base['scoring']}/periods/{period['id']}/scores/{unit_id}"),
                    client.get(f"{base['awards']}/awards", params={"unit_ids": unit_id}),
                )
                assert all(a.status_code == 200 for a in answers)

            print(f"gateway benchmark: one unit's card, {total} requests, {concurrency} clients, loopback HTTP")
            rest = await measure("direct REST (3 calls in parallel)", direct, total, concurrency)
            gql = await measure("gateway (one GraphQL query)", via_gateway, total, concurrency)
            print(f"  → the gateway reaches {gql / rest:.0%} of the direct path's throughput (goal ≥ 50 %)")
    finally:
        for p in procs:
            p.terminate()
            await p.wait()
        if not os.environ.get("DATABASE_URL"):
            embedded.stop(DATA)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency))
