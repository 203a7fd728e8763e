"""Scores of a whole period, set-based in PostgreSQL: one statement per step, whatever the number of units.

1. indicator points by method (step, ratio, category, yes/no, target, relative) for every participant × indicator;
2. formula indicators over those points; 3. groups bottom-up as the capped sum of their children;
4. totals, score over 100, index value and class; 5. ranks (standard competition: 1, 1, 3) per peer group
(kind + level), per bloc and per custom group, for the units that are ranked.
A value returned to the unit counts as missing; an adjusted value counts with the appraiser's figure.
"""

import uuid
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of
from services.scoring.frameworks import formula
from services.scoring.models import Node, Score

sc = table_of(Score)
nd = table_of(Node)

CLEAR = [
    "delete from scoring.ranks where period_id = :period",
    "delete from scoring.scores where period_id = :period",
    "delete from scoring.results where period_id = :period and derivation is null",
]

INDICATORS = sa.text("""
insert into scoring.scores (period_id, unit_id, node_code, points, max_points, value, target)
with eff as (
    select p.unit_id, p.kind, p.level, n.code, n.method, n.params, n.max_points,
           case when v.status = 'returned' then null
                when v.status = 'adjusted' then v.appraised_value else v.value end as val,
           case when v.status = 'returned' then null
                when v.status = 'adjusted' then v.appraised_flag else v.flag end as flag,
           case when v.status = 'returned' then null
                when v.status = 'adjusted' then v.appraised_category else v.category end as category,
           t.target
    from scoring.participants p
    join scoring.nodes n on n.framework_id = :framework and n.kind = 'indicator' and n.method <> 'formula'
    left join scoring.unit_values v
           on v.period_id = p.period_id and v.unit_id = p.unit_id and v.indicator_code = n.code
    left join scoring.targets t
           on t.framework_id = n.framework_id and t.indicator_code = n.code and t.year = :year and t.level = p.level
    where p.period_id = :period
)
select :period, unit_id, code,
       least(max_points, greatest(0, coalesce(case method
           when 'step' then (select max((s ->> 'points')::numeric)
                             from jsonb_array_elements(params -> 'steps') s where val >= (s ->> 'min')::numeric)
           when 'ratio' then least(val / 100, 1) * max_points
           when 'category' then (params -> 'map' ->> category)::numeric * max_points
           when 'boolean' then case when flag then max_points else 0 end
           when 'target' then least(val / nullif(target, 0), 1) * max_points
           when 'relative' then val / nullif(max(val) over (partition by code, kind, level), 0) * max_points
       end, 0))),
       max_points, val, target
from eff
""")

GROUP_LEVEL = sa.text("""
insert into scoring.scores (period_id, unit_id, node_code, points, max_points)
select :period, s.unit_id, g.code, least(sum(s.points), g.max_points), g.max_points
from scoring.scores s
join scoring.nodes c on c.framework_id = :framework and c.code = s.node_code
join scoring.nodes g on g.framework_id = :framework and g.code = c.parent_code
where s.period_id = :period and cardinality(g.ancestors) = :depth
group by s.unit_id, g.code, g.max_points
""")

RESULTS = sa.text("""
insert into scoring.results (period_id, unit_id, total, max_points, score100, index_value, band_vi, band_en)
with totals as (
    select s.unit_id, sum(s.points) as total
    from scoring.scores s
    join scoring.nodes n on n.framework_id = :framework and n.code = s.node_code and n.parent_code is null
    where s.period_id = :period
    group by s.unit_id
)
select :period, t.unit_id, t.total, :max, round(t.total / :max * 100, 2), round(t.total / :max, 4),
       b.label_vi, b.label_en
from totals t
left join lateral (
    select label_vi, label_en from scoring.bands
    where framework_id = :framework and lower_bound <= round(t.total / :max * 100, 2)
    order by lower_bound desc limit 1
) b on true
on conflict (period_id, unit_id) do nothing
""")

RANKS = sa.text("""
insert into scoring.ranks (period_id, unit_id, group_kind, group_key, rank, group_size)
select :period, r.unit_id, 'peer', p.kind || '|' || p.level,
       rank() over w, count(*) over (partition by p.kind, p.level)
from scoring.results r join scoring.participants p on p.period_id = r.period_id and p.unit_id = r.unit_id
where r.period_id = :period and p.ranked
window w as (partition by p.kind, p.level order by r.total desc)
union all
select :period, r.unit_id, 'bloc', b.bloc_id::text, rank() over w, count(*) over (partition by b.bloc_id)
from scoring.results r join scoring.participants p on p.period_id = r.period_id and p.unit_id = r.unit_id
cross join unnest(p.bloc_ids) as b(bloc_id)
where r.period_id = :period and p.ranked
window w as (partition by b.bloc_id order by r.total desc)
union all
select :period, r.unit_id, 'custom', p.peer_group, rank() over w, count(*) over (partition by p.peer_group)
from scoring.results r join scoring.participants p on p.period_id = r.period_id and p.unit_id = r.unit_id
where r.period_id = :period and p.ranked and p.peer_group is not null
window w as (partition by p.peer_group order by r.total desc)
""")


async def recompute(session: AsyncSession, period: Any, framework_max: Decimal) -> None:
    """Recompute every score, result and rank of the period (inside the caller's transaction)."""
    params: dict[str, Any] = {"period": period["id"], "framework": period["framework_id"], "year": period["year"]}
    for statement in CLEAR:
        await session.execute(sa.text(statement), {"period": period["id"]})
    await session.execute(INDICATORS, params)
    await _formulas(session, period["id"], period["framework_id"])
    depth = int(
        (
            await session.execute(
                sa.select(sa.func.max(sa.func.cardinality(nd.c.ancestors))).where(
                    nd.c.framework_id == period["framework_id"]
                )
            )
        ).scalar()
        or 0
    )
    for level in range(depth - 1, -1, -1):
        await session.execute(GROUP_LEVEL, params | {"depth": level})
    await session.execute(RESULTS, params | {"max": framework_max})
    await session.execute(RANKS, {"period": period["id"]})


async def _formulas(session: AsyncSession, period_id: uuid.UUID, framework_id: uuid.UUID) -> None:
    nodes = (
        await session.execute(
            sa.select(nd.c.code, nd.c.params, nd.c.max_points).where(
                nd.c.framework_id == framework_id, nd.c.method == "formula"
            )
        )
    ).all()
    for code, params, max_points in nodes:
        expr = params["expr"]
        refs = list(dict.fromkeys(formula.references(expr)))
        pivot = (
            sa.select(
                sc.c.unit_id,
                *[
                    sa.func.coalesce(sa.func.max(sc.c.points).filter(sc.c.node_code == ref), 0).label(f"r{i}")
                    for i, ref in enumerate(refs)
                ],
            )
            .where(sc.c.period_id == period_id)
            .group_by(sc.c.unit_id)
            .subquery("pts")
        )
        columns = {ref: pivot.c[f"r{i}"] for i, ref in enumerate(refs)}
        points = formula.to_sql(expr, columns.__getitem__)
        capped = sa.func.least(max_points, sa.func.greatest(0, sa.func.coalesce(points, 0)))
        await session.execute(
            sa.insert(sc).from_select(
                ["period_id", "unit_id", "node_code", "points", "max_points"],
                sa.select(
                    sa.literal(period_id, sa.Uuid),
                    pivot.c.unit_id,
                    sa.literal(code),
                    capped,
                    sa.literal(max_points, sa.Numeric),
                ),
            )
        )
