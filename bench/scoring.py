"""Scoring benchmarks: API ingest vs raw COPY, and recompute vs one hand-written statement (see bench/README.md)."""

import argparse
import asyncio
import json
import os
import random
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import sqlalchemy as sa
from fastapi import FastAPI

from kit import embedded, migrations
from kit.auth import TokenIssuer
from kit.db import Database, table_of
from kit.text import fold
from services.registry.app import create_app as registry_app
from services.registry.demo.load import demo_users
from services.registry.identity.demo import demo_caller
from services.registry.models import Unit, UnitName, UnitParent
from services.registry.settings import RegistrySettings
from services.scoring.app import create_app as scoring_app
from services.scoring.frameworks.service import read as read_framework
from services.scoring.periods.service import get_row
from services.scoring.scores import compute
from services.scoring.settings import ScoringSettings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data" / "bench"
BATCH = 10_000
METHODS = ["ratio", "step", "target", "relative"]


@asynccontextmanager
async def _running(app: FastAPI, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (its lifespan) and called in-process."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url, timeout=120) as client,
    ):
        yield client


def framework(indicators: int) -> dict[str, Any]:
    per_pillar = [indicators // 3 + (1 if i < indicators % 3 else 0) for i in range(3)]
    nodes, k = [], 0
    for p, count in enumerate(per_pillar):
        children = []
        for _ in range(count):
            method = METHODS[k % len(METHODS)]
            params = {"steps": [{"min": 80, "points": 10}, {"min": 50, "points": 5}]} if method == "step" else {}
            children.append(
                {
                    "code": f"I{k}",
                    "kind": "indicator",
                    "title": f"Chỉ số {k}",
                    "max_points": 10,
                    "value_type": "percent",
                    "method": method,
                    "params": params,
                }
            )
            k += 1
        nodes.append(
            {"code": f"P{p}", "kind": "pillar", "title": f"Trụ cột {p}", "max_points": 10 * count, "children": children}
        )
    return {
        "code": "BENCH",
        "title": "Bộ chỉ số đo hiệu năng",
        "max_points": 10 * indicators,
        "nodes": nodes,
        "bands": [
            {"lower_bound": 85, "label_vi": "Tốt", "label_en": "Good"},
            {"lower_bound": 0, "label_vi": "Chưa tốt", "label_en": "Not good"},
        ],
        "targets": [
            {"indicator_code": f"I{i}", "year": 2025, "level": "commune", "target": 80}
            for i in range(indicators)
            if METHODS[i % len(METHODS)] == "target"
        ],
    }


async def setup(url: str, units: int, indicators: int) -> tuple[str, list[uuid.UUID], str]:
    """Units straight into the registry's tables, then framework and period through the APIs (in-process)."""
    for name in ("registry", "scoring"):
        await migrations.upgrade(url, name)
    root = uuid.uuid4()
    ids = [uuid.uuid4() for _ in range(units)]
    db = Database.connect(url, pool_size=2)
    async with db.engine.begin() as conn:
        rows = [{"id": root, "kind": "province", "level": "province"}] + [
            {"id": i, "kind": "commune", "level": "commune"} for i in ids
        ]
        await conn.execute(table_of(Unit).insert(), rows)
        await conn.execute(
            table_of(UnitName).insert(),
            [{"unit_id": r["id"], "name": f"Xã {n}", "search_key": fold(f"Xã {n}")} for n, r in enumerate(rows)],
        )
        await conn.execute(table_of(UnitParent).insert(), [{"unit_id": i, "parent_id": root} for i in ids])
    await db.dispose()
    rsettings = RegistrySettings(database_url=url, data_dir=DATA)
    issuer = TokenIssuer(DATA / "keys", issuer="thidua", audience="thidua")
    office = demo_caller(demo_users(), "admin")
    assert office is not None
    token = issuer.issue(office, ttl_seconds=6 * 3600)
    auth = {"Authorization": f"Bearer {token}"}
    scoring = scoring_app(ScoringSettings(database_url=url, data_dir=DATA, registry_url="http://registry.bench"))
    async with _running(registry_app(rsettings), "http://registry.bench") as to_registry:
        scoring.state.http = to_registry
        async with _running(scoring, "http://scoring.bench") as client:
            fw = (await client.post("/frameworks", json=framework(indicators), headers=auth)).json()
            await client.post(f"/frameworks/{fw['id']}/publish", headers=auth)
            period = await client.post(
                "/periods",
                headers=auth,
                json={
                    "framework_id": fw["id"],
                    "title": "Bench 2025",
                    "kind": "year",
                    "year": 2025,
                    "starts_on": "2025-01-01",
                    "ends_on": "2025-12-31",
                    "scope_unit_id": str(root),
                },
            )
            assert period.status_code == 201, period.text[:500]
            # A new period is scored at once (every unit at zero), in the background at this size: the ingest is
            # measured from a period at rest, as an office's is when its units start sending values.
            await _settled(url, uuid.UUID(period.json()["id"]))
    return period.json()["id"], ids, token


async def _settled(url: str, period_id: uuid.UUID) -> None:
    conn = await asyncpg.connect(url)
    try:
        stale = "select exists (select from scoring.stale_marks where period_id = $1)"
        while True:
            if not await conn.fetchval(stale, period_id):
                return
            await asyncio.sleep(0.5)
    finally:
        await conn.close()


def rows_for(ids: list[uuid.UUID], indicators: int) -> list[tuple[uuid.UUID, str, Decimal]]:
    rnd = random.Random(42)
    return [(u, f"I{k}", Decimal(rnd.randint(0, 10000)) / 100) for u in ids for k in range(indicators)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def ingest_api(
    url: str, period_id: str, rows: list[tuple[uuid.UUID, str, Decimal]], token: str, concurrency: int
) -> float:
    """Rows/s through POST /periods/{id}/values, the scoring service in its own process on loopback."""
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "THIDUA_DATA_DIR": str(DATA),
        "THIDUA_SCORING_PORT": str(port),
        "THIDUA_LOG_LEVEL": "WARNING",
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "thidua.cli", "serve", "scoring", env=env, cwd=ROOT
    )
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=300, headers={"Authorization": f"Bearer {token}"}
        ) as client:
            for _ in range(200):
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            # Encoded before the clock starts, as COPY's records are built before its clock: both sides time the
            # sending and the storing, not the making of the data.
            bodies = [
                json.dumps(
                    {
                        "items": [
                            {"unit_id": str(u), "indicator_code": c, "value": str(v)} for u, c, v in rows[i : i + BATCH]
                        ]
                    }
                ).encode()
                for i in range(0, len(rows), BATCH)
            ]
            queue = list(bodies)

            async def stream() -> None:  # several units' offices sending at once
                while queue:
                    body = queue.pop()
                    response = await client.post(
                        f"/periods/{period_id}/values", content=body, headers={"Content-Type": "application/json"}
                    )
                    assert response.status_code == 200, response.text[:300]

            started = time.perf_counter()
            await asyncio.gather(*(stream() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), timeout=30)
    return len(rows) / elapsed


async def ingest_copy(url: str, period_id: str, rows: list[tuple[uuid.UUID, str, Decimal]]) -> float:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("delete from scoring.value_changes; delete from scoring.unit_values")
        pid = uuid.UUID(period_id)
        records = [(pid, u, c, v, "draft", "bench") for u, c, v in rows]
        started = time.perf_counter()
        await conn.copy_records_to_table(
            "unit_values",
            schema_name="scoring",
            records=records,
            columns=["period_id", "unit_id", "indicator_code", "value", "status", "updated_by"],
        )
        elapsed = time.perf_counter() - started
    finally:
        await conn.close()
    return len(rows) / elapsed


# The same numbers, stored like scoring stores them (per-indicator and per-pillar points, totals, peer ranks), in
# tables shaped like scoring's own: one statement written by hand for this framework's shape (pillar → indicator).
HAND = """
with eff as (
    select p.unit_id, p.kind, p.level, n.code, n.parent_code, n.method, n.params, n.max_points, v.value as val,
           t.target
    from scoring.participants p
    join scoring.nodes n on n.framework_id = $2 and n.kind = 'indicator'
    left join scoring.unit_values v on v.period_id = p.period_id and v.unit_id = p.unit_id and v.indicator_code = n.code
    left join scoring.targets t on t.framework_id = n.framework_id and t.indicator_code = n.code
                                and t.year = 2025 and t.level = p.level
    where p.period_id = $1
), points as (
    select unit_id, kind, level, code, parent_code, max_points, val, target,
           round(least(max_points, greatest(0, coalesce(case
        when val is null or val < 0 then 0  -- a missing value earns nothing (least() would skip the null)
        when method = 'step' then (select max((s ->> 'points')::numeric) from jsonb_array_elements(params -> 'steps') s
                                   where val >= (s ->> 'min')::numeric)
        when method = 'ratio' then least(val / 100, 1) * max_points
        when method = 'target' then case when target > 0 then least(val / target, 1) * max_points else 0 end
        when method = 'relative' then val / nullif(max(val) over (partition by code, kind, level), 0) * max_points
    end, 0))), 4) as pts
    from eff
), pillars as (
    select x.unit_id, x.kind, x.level, x.parent_code as code, least(sum(x.pts), n.max_points) as pts, n.max_points
    from points x join scoring.nodes n on n.framework_id = $2 and n.code = x.parent_code
    group by x.unit_id, x.kind, x.level, x.parent_code, n.max_points
), saved as (
    insert into bench_scores (period_id, unit_id, node_code, points, max_points, value, target)
    select $1, unit_id, code, pts, max_points, val, target from points
    union all select $1, unit_id, code, pts, max_points, null, null from pillars
), totals as (
    select unit_id, kind, level, sum(pts) as total from pillars group by unit_id, kind, level
), results as (
    insert into bench_results (period_id, unit_id, total, max_points, score100, index_value)
    select $1, unit_id, total, $3, round(total / $3 * 100, 2), round(total / $3, 4) from totals
)
insert into bench_ranks (period_id, unit_id, group_kind, group_key, rank, group_size)
select $1, unit_id, 'peer', kind || '|' || level, rank() over (partition by kind, level order by total desc),
       count(*) over (partition by kind, level)
from totals
"""


async def recompute_both(url: str, period_id: str, rounds: int = 3) -> tuple[float, float]:
    """Best of `rounds` alternating runs, each writing into emptied tables (cleared outside the timing)."""
    pid = uuid.UUID(period_id)
    db = Database.connect(url, pool_size=2)
    conn = await asyncpg.connect(url)
    ours, hand = float("inf"), float("inf")
    try:
        for table in ("scores", "results", "ranks"):
            await conn.execute(
                f"drop table if exists bench_{table}; create table bench_{table} (like scoring.{table} including all)"
            )
        for _ in range(rounds):
            async with db.sessionmaker() as session, session.begin():
                period = await get_row(session, pid, lock="update")
                fw = await read_framework(session, period["framework_id"])
                for clear in compute.CLEAR:
                    await session.execute(sa.text(clear), {"period": pid})
            async with db.sessionmaker() as session, session.begin():
                started = time.perf_counter()
                await compute.recompute(session, period, fw.max_points)
                ours = min(ours, time.perf_counter() - started)
            await conn.execute("truncate bench_scores, bench_results, bench_ranks")
            async with conn.transaction():
                started = time.perf_counter()
                await conn.execute(HAND, pid, period["framework_id"], fw.max_points)
                hand = min(hand, time.perf_counter() - started)
        mismatches = await conn.fetchval(
            """
            select (select count(*) from bench_scores h
                    full join (select * from scoring.scores where period_id = $1) s using (unit_id, node_code)
                    where h.points is distinct from s.points)
                 + (select count(*) from bench_results h
                    full join (select * from scoring.results where period_id = $1) r using (unit_id)
                    where h.total is distinct from r.total)
                 + (select count(*) from bench_ranks h
                    full join (select * from scoring.ranks where period_id = $1 and group_kind = 'peer') k
                    using (unit_id) where h.rank is distinct from k.rank)""",
            pid,
        )
    finally:
        await conn.close()
        await db.dispose()
    assert mismatches == 0, f"{mismatches} numbers differ between the two computations"
    return ours, hand


async def main(units: int, indicators: int, concurrency: int) -> None:
    server = os.environ.get("DATABASE_URL") or embedded.start(DATA)
    url = await embedded.ensure_database(server, "thidua_bench", fresh=True)
    print(f"scoring benchmark: {units:,} units × {indicators} indicators = {units * indicators:,} values", flush=True)
    started = time.perf_counter()
    period_id, ids, token = await setup(url, units, indicators)
    print(f"  setup (units, framework, period with its snapshot): {time.perf_counter() - started:.1f} s", flush=True)
    rows = rows_for(ids, indicators)
    api = await ingest_api(url, period_id, rows, token, concurrency)
    copy = await ingest_copy(url, period_id, rows)
    print(f"  ingest  API (10,000-row batches, {concurrency} clients, loopback HTTP): {api:>10,.0f} rows/s")
    print(f"  ingest  raw COPY into scoring.unit_values:      {copy:>10,.0f} rows/s")
    print(f"  → API reaches {api / copy:.0%} of COPY (goal ≥ 40 %)", flush=True)
    conn = await asyncpg.connect(url)
    await conn.execute("analyze scoring.unit_values")  # what autovacuum does after a load, before either run
    await conn.close()
    ours, hand = await recompute_both(url, period_id)
    print(f"  recompute (scores, groups, results, 3 rank kinds), best of 3: {ours:.2f} s")
    print(
        f"  one hand-written statement (same points, totals, peer ranks, stored), best of 3: {hand:.2f} s"
        "  (checked equal)"
    )
    print(f"  → {ours / hand:.2f} × the hand-written statement (goal ≤ 1.5 ×)")
    if not os.environ.get("DATABASE_URL"):
        embedded.stop(DATA)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=2, help="clients sending batches at once")
    args = parser.parse_args()
    asyncio.run(main(args.units, args.indicators, args.concurrency))
