"""What a /metrics scrape costs the database at a province's full size: each service's domain figures (the statements
of services/*/figures.py) over 50,000 units, an open period of 50,000 × 40 values and 20,000 dossiers.

Measured 2026-12-02 (the 2-core machine, other work running), median of 5: registry 31 ms, scoring 431 ms, awards
7 ms. Counting two million values is most of it, whatever the index (one on (period_id, status) only halved it and
would slow every write), hence THIDUA_METRICS_FIGURES_SECONDS (30 s): scrapes in between get the last reading."""

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from kit import embedded, migrations
from kit.db import Database
from services.awards.figures import figures as awards_figures
from services.registry.figures import figures as registry_figures
from services.scoring.figures import figures as scoring_figures
from thidua.system import SERVICES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data" / "bench"
RUNS = 5

SETUP = """
insert into registry.units (id, kind, level)
    select gen_random_uuid(), (array['commune', 'ward', 'school', 'agency'])[1 + i % 4], 'commune'
    from generate_series(1, {units}) i;
insert into scoring.frameworks (id, code, version, title, max_points, status, created_by)
    values ('00000000-0000-0000-0000-00000000f001', 'BENCH', 1, 'Bench', 100, 'published', 'bench');
insert into scoring.periods (id, framework_id, title, kind, year, starts_on, ends_on, scope_unit_id)
    values ('00000000-0000-0000-0000-00000000f002', '00000000-0000-0000-0000-00000000f001', 'Bench', 'year', 2025,
            '2025-01-01', '2025-12-31', gen_random_uuid());
insert into scoring.unit_values (period_id, unit_id, indicator_code, value, status, updated_by)
    select '00000000-0000-0000-0000-00000000f002', u.id, 'I' || k, 50,
           (array['draft', 'submitted', 'accepted', 'returned'])[1 + (k + abs(hashtext(u.id::text) % 4)) % 4], 'bench'
    from registry.units u, generate_series(1, {indicators}) k;
insert into awards.regimes (code, title, legal_basis, valid_from) values ('BENCH', 'Bench', '{{}}', '2024-01-01');
insert into awards.award_forms (id, regime_code, code, kind, name_vi, name_en, subject_types, conferred_by,
                                documents, copies, reward_multiple, voting, deadlines)
    values ('00000000-0000-0000-0000-00000000f003', 'BENCH', 'BK', 'certificate', 'Bằng khen', 'Certificate', '{{}}',
            '[]', '[]', 1, '{{}}', '{{}}', '{{}}');
insert into awards.nominations (id, form_id, proposer_unit_id, proposer_path, authority_unit_id, authority_path,
                                title, achievement_year, status, due_on, created_by)
    select gen_random_uuid(), '00000000-0000-0000-0000-00000000f003', gen_random_uuid(), '{{}}', gen_random_uuid(),
           '{{}}', 'Hồ sơ', 2025, (array['draft', 'submitted', 'appraising', 'council', 'issued'])[1 + i % 5],
           current_date - 30 + i % 60, 'bench'
    from generate_series(1, {dossiers}) i;
"""


async def timed(db: Database, read: Callable[[AsyncSession], Awaitable[Any]]) -> list[float]:
    """Each run as a scrape reads it: a read-only transaction of its own."""
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        async with db.reading() as session:
            await read(session)
        seconds.append(time.perf_counter() - started)
    return seconds


async def main(units: int, indicators: int, dossiers: int) -> None:
    server = os.environ.get("DATABASE_URL") or embedded.start(DATA)
    url = await embedded.ensure_database(server, "thidua_bench_figures", fresh=True)
    for spec in SERVICES:
        await migrations.upgrade(url, spec.name)
    print(f"figures: {units:,} units, {units * indicators:,} values in one open period, {dossiers:,} dossiers")
    conn = await asyncpg.connect(url)
    started = time.perf_counter()
    await conn.execute(SETUP.format(units=units, indicators=indicators, dossiers=dossiers))
    await conn.execute("vacuum analyze")  # what autovacuum does after a load
    await conn.close()
    print(f"  setup: {time.perf_counter() - started:.1f} s", flush=True)
    db = Database.connect(url)
    try:
        for name, read in (("registry", registry_figures), ("scoring", scoring_figures), ("awards", awards_figures)):
            seconds = await timed(db, read)
            print(f"  {name:9} median {statistics.median(seconds) * 1000:7.1f} ms, max {max(seconds) * 1000:7.1f} ms")
    finally:
        await db.dispose()
    if not os.environ.get("DATABASE_URL"):
        embedded.stop(DATA)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--dossiers", type=int, default=20_000)
    args = parser.parse_args()
    asyncio.run(main(args.units, args.indicators, args.dossiers))
