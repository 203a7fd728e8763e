"""Scores of a whole period, set-based in PostgreSQL: after clearing, one statement computes and stores
indicator points (step, ratio, category, yes/no, target, relative, then formulas over those points), every group
bottom-up as the capped sum of its children, and totals with score over 100, index value and class. Then, set-based
too, the results a reorganisation inside the period derives (with `end`: successors from their predecessors) and
the ranks (standard competition: 1, 1, 3) per peer group (kind + level), per bloc and per custom group, over the
units the office ranks on the tree that the period's reorganisation choice names, derived results included.

What an office signs at the edges (tests/scoring/test_score_edges.py and the property tests hold each one):
- A value returned to the unit counts as missing; an adjusted value counts with the appraiser's figure.
- A missing value scores 0 points, whatever the method; its score row keeps value null. (PostgreSQL's
  least()/greatest() skip NULLs, so every method checks for a missing input before using them.)
- A negative figure counts as missing, though its row shows it (the API refuses them; one loaded another way
  must not earn points).
- target: with no target for the unit's level and the year (or a target of 0) the indicator scores 0; the
  explanation shows the value sent and a null target. Above the target is capped at the indicator's maximum.
- ratio: value ÷ 100 × max, capped at the max. step: the best step whose minimum the value reaches, else 0.
- category: a category outside the map scores 0. yes/no: only yes scores.
- relative: value ÷ best value of the peers (same kind and level) × max; when the best is 0 or every value is
  missing, everyone scores 0.
- formula: computed only when every indicator it uses has a value and no divisor is 0; otherwise 0 points.
- Every indicator is clamped to 0..its max; a group is the sum of its children's stored points, capped at its max;
  a total is the sum of the stored points of the top-level nodes. Points are kept to four decimals (half away
  from zero) and every sum is of stored points, so totals add up exactly; ranks compare the exact totals.
"""

import uuid
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of
from services.scoring.frameworks import formula
from services.scoring.models import Node
from services.scoring.vocabulary import Reorganisation

nd = table_of(Node)

CLEAR = [
    "delete from scoring.ranks where period_id = :period",
    "delete from scoring.scores where period_id = :period",
    # Results derived by hand (POST /derived) stay; those derived at each recompute are derived again.
    "delete from scoring.results where period_id = :period"
    " and (derivation is null or derivation ->> 'automatic' = 'true')",
]

_INDICATORS = """
eff as (
    select p.unit_id, p.kind, p.level, n.code, n.parent_code, cardinality(n.ancestors) as depth, n.method, n.params,
           n.max_points,
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
), ind as materialized (
    select unit_id, code, parent_code, depth, max_points, val, target,
           case method when 'boolean' then flag is not null when 'category' then category is not null
                else val >= 0 end as present,
           round(least(max_points, greatest(0, coalesce(case
               -- Numeric methods: nothing, or a negative figure, earns nothing. Checked first, because
               -- least()/greatest() skip NULLs: least(null / 80, 1) * 10 would be 10.
               when method in ('step', 'ratio', 'target', 'relative') and (val is null or val < 0) then 0
               when method = 'step' then (select max((s ->> 'points')::numeric)
                                          from jsonb_array_elements(params -> 'steps') s
                                          where val >= (s ->> 'min')::numeric)
               when method = 'ratio' then least(val / 100, 1) * max_points
               when method = 'category' then (params -> 'map' ->> category)::numeric * max_points
               when method = 'boolean' then case when flag then max_points else 0 end
               -- No target for the unit's level (or a zero one): the indicator cannot be reached, 0 points.
               when method = 'target' then case when target > 0 then least(val / target, 1) * max_points else 0 end
               -- The best value of the peers (same kind and level): at least this value, which is ≥ 0 here.
               when method = 'relative'
                   then val / nullif(max(val) over (partition by code, kind, level), 0) * max_points
           end, 0))), 4) as points
    from eff
)"""

_SAVE = """
saved as (
    insert into scoring.scores (period_id, unit_id, node_code, points, max_points, value, target)
    {scored}
), totals as (
    select unit_id, sum(points) as total from ({top}) t group by unit_id
)
insert into scoring.results (period_id, unit_id, total, max_points, score100, index_value, band_vi, band_en)
select :period, t.unit_id, t.total, :max, round(t.total / :max * 100, 2), round(t.total / :max, 4),
       b.label_vi, b.label_en
from totals t
left join lateral (
    select label_vi, label_en from scoring.bands
    where framework_id = :framework and lower_bound <= round(t.total / :max * 100, 2)
    order by lower_bound desc limit 1
) b on true
on conflict (period_id, unit_id) do nothing
"""

# With `end`: a unit created inside the period (a successor of a merge, split or partial transfer effective in it,
# not on its first day's tree) that sent no values of its own gets a result derived from its predecessors' exact
# index values (total ÷ max) by the period's rule, once any predecessor sent values. A derivation the office made
# by hand is kept.
_DERIVED = """
with src as (
    select l.successor_id, l.predecessor_id, l.event_id, l.share, pp.name, r.index_value,
           r.total / r.max_points as exact,  -- not the rounded index value (as `derive` does by hand)
           case when cast(:rule as text) = 'share_weighted' then coalesce(l.share, 1) else 1 end as weight,
           exists (select 1 from scoring.unit_values v
                   where v.period_id = l.period_id and v.unit_id = l.predecessor_id) as sent
    from scoring.period_lineage l
    join scoring.participants s on s.period_id = l.period_id and s.unit_id = l.successor_id
    join scoring.participants pp on pp.period_id = l.period_id and pp.unit_id = l.predecessor_id
    join scoring.results r on r.period_id = l.period_id and r.unit_id = l.predecessor_id
    where l.period_id = :period and s.on_end and not s.on_start
      and not exists (select 1 from scoring.unit_values v where v.period_id = l.period_id and v.unit_id = s.unit_id)
), derived as (
    select successor_id, sum(weight * exact) / sum(weight) as idx,
           jsonb_agg(jsonb_build_object(
               'unit_id', predecessor_id, 'name', name, 'index_value', index_value::text, 'weight', weight::text,
               'share', share::text, 'event_id', event_id) order by name, predecessor_id) as sources
    from src group by successor_id having bool_or(sent)
)
insert into scoring.results as res
    (period_id, unit_id, total, max_points, score100, index_value, band_vi, band_en, derivation)
select :period, d.successor_id, round(d.idx * :max, 4), :max, round(d.idx * 100, 2), round(d.idx, 4),
       b.label_vi, b.label_en, jsonb_build_object('rule', cast(:rule as text), 'automatic', true, 'sources', d.sources)
from derived d
left join lateral (
    select label_vi, label_en from scoring.bands
    where framework_id = :framework and lower_bound <= round(d.idx * 100, 2)
    order by lower_bound desc limit 1
) b on true
on conflict (period_id, unit_id) do update
    set total = excluded.total, max_points = excluded.max_points, score100 = excluded.score100,
        index_value = excluded.index_value, band_vi = excluded.band_vi, band_en = excluded.band_en,
        derivation = excluded.derivation, computed_at = now()
    where res.derivation is null
"""

# A unit off the ranked tree that sent nothing has no score to show (the old wards of a 2025 period ranked on
# its last day's tree, say): its zero rows would only be noise in the published list.
_UNSENT = [
    f"""delete from scoring.{table} x using scoring.participants p
    where x.period_id = :period and p.period_id = :period and p.unit_id = x.unit_id and not p.{{tree}}{extra}
      and not exists (select 1 from scoring.unit_values v where v.period_id = :period and v.unit_id = p.unit_id)"""
    for table, extra in (("scores", ""), ("results", " and x.derivation is null"))
]

# A derived result is explained by its sources, not by the empty values the unit itself would have been scored on.
_DERIVED_SCORES = """delete from scoring.scores x using scoring.results r
    where x.period_id = :period and r.period_id = :period and r.unit_id = x.unit_id and r.derivation is not null"""

# Ranks over every stored result, derived ones included, of the units the office ranks on the period's tree.
_RANKS = """
with ranked as (
    select r.unit_id, r.total, p.kind, p.level, p.bloc_ids, p.peer_group
    from scoring.results r join scoring.participants p on p.period_id = r.period_id and p.unit_id = r.unit_id
    where r.period_id = :period and p.ranked and p.{tree}
)
insert into scoring.ranks (period_id, unit_id, group_kind, group_key, rank, group_size)
select :period, unit_id, 'peer', kind || '|' || level,
       rank() over (partition by kind, level order by total desc), count(*) over (partition by kind, level)
from ranked
union all
select :period, unit_id, 'bloc', b.bloc_id::text,
       rank() over (partition by b.bloc_id order by total desc), count(*) over (partition by b.bloc_id)
from ranked cross join unnest(bloc_ids) as b(bloc_id)
union all
select :period, unit_id, 'custom', peer_group,
       rank() over (partition by peer_group order by total desc), count(*) over (partition by peer_group)
from ranked where peer_group is not null
"""


def statement(formulas: list[tuple[str, str, Decimal]], depth: int) -> tuple[str, dict[str, Any]]:
    """The one statement for a framework with these formula indicators (code, expression, max) and group depth."""
    ctes = [_INDICATORS]
    params: dict[str, Any] = {}
    # Every row carries its node's parent and depth, so groups aggregate without joining back to the nodes.
    leaves = ["select unit_id, code, parent_code, depth, points, max_points, val, target from ind"]
    for i, (code, expr, max_points) in enumerate(formulas):
        refs = list(dict.fromkeys(formula.references(expr)))
        # A missing input is NULL here, and the formula's SQL is NULL then (see formula.to_sql): it scores 0.
        pivot = ", ".join(f"max(points) filter (where code = :f{i}_{j} and present) as r{j}" for j in range(len(refs)))
        params |= {f"f{i}_{j}": ref for j, ref in enumerate(refs)} | {f"f{i}_code": code, f"f{i}_max": max_points}
        columns = {ref: f"pv.r{j}" for j, ref in enumerate(refs)}
        body = formula.to_sql(expr, columns.__getitem__)
        ctes.append(f"""f{i} as (
    select pv.unit_id, n.code, n.parent_code, cardinality(n.ancestors) as depth,
           round(least(n.max_points, greatest(0, coalesce({body}, 0))), 4) as points, n.max_points
    from (select unit_id, {pivot} from ind group by unit_id) pv
    join scoring.nodes n on n.framework_id = :framework and n.code = :f{i}_code
)""")
        leaves.append(
            f"select unit_id, code, parent_code, depth, points, max_points, null::numeric, null::numeric from f{i}"
        )
    if formulas:
        ctes.append("leaves as (\n    " + "\n    union all ".join(leaves) + "\n)")
    else:  # no formulas: the indicator rows are the leaves (one materialisation fewer)
        ctes[0] = ctes[0].replace("ind as materialized (", "leaves as materialized (")
    scored = ["select :period, unit_id, code, points, max_points, val, target from leaves"]
    top = ["select unit_id, points from leaves where parent_code is null"]
    for d in range(depth - 1, -1, -1):
        below = "select unit_id, parent_code, depth, points from leaves" + (
            f" union all select unit_id, parent_code, depth, points from g{d + 1}" if d < depth - 1 else ""
        )
        # The sums are materialised first: joined to the nodes inside, the planner may redo them per node.
        ctes.append(f"""s{d} as materialized (
    select unit_id, parent_code, sum(points) as points from ({below}) y
    where depth = {d + 1} group by unit_id, parent_code
), g{d} as (
    select x.unit_id, p.code, p.parent_code, {d} as depth, least(x.points, p.max_points) as points, p.max_points
    from s{d} x join scoring.nodes p on p.framework_id = :framework and p.code = x.parent_code
)""")
        scored.append(f"select :period, unit_id, code, points, max_points, null, null from g{d}")
        top.append(f"select unit_id, points from g{d} where parent_code is null")
    save = _SAVE.format(scored="\n    union all ".join(scored), top=" union all ".join(top))
    return "with " + ",\n".join(ctes) + "," + save, params


async def recompute(session: AsyncSession, period: Any, framework_max: Decimal) -> None:
    """Recompute every score, result and rank of the period (inside the caller's transaction)."""
    period_id: uuid.UUID = period["id"]
    for clear in CLEAR:
        await session.execute(sa.text(clear), {"period": period_id})
    nodes = (
        await session.execute(
            sa.select(nd.c.code, nd.c.method, nd.c.params, nd.c.max_points, sa.func.cardinality(nd.c.ancestors))
            .where(nd.c.framework_id == period["framework_id"])
            .order_by(nd.c.position)
        )
    ).all()
    formulas = [
        (code, params["expr"], max_points) for code, method, params, max_points, _ in nodes if method == "formula"
    ]
    depth = max((d for *_, d in nodes), default=0)
    sql, params = statement(formulas, depth)
    await session.execute(
        sa.text(sql),
        params
        | {"period": period_id, "framework": period["framework_id"], "year": period["year"], "max": framework_max},
    )
    await rank(session, period, framework_max)


async def rank(session: AsyncSession, period: Any, framework_max: Decimal) -> None:
    """After the results: successors' derived results (`end`), then ranks on the tree the period ranks on."""
    tree = "on_start" if period["reorganisation"] == Reorganisation.START else "on_end"
    if period["reorganisation"] == Reorganisation.END:
        await session.execute(
            sa.text(_DERIVED),
            {
                "period": period["id"],
                "framework": period["framework_id"],
                "max": framework_max,
                "rule": period["derivation_rule"],
            },
        )
    for statement_ in [*_UNSENT, _DERIVED_SCORES, _RANKS]:
        await session.execute(sa.text(statement_.format(tree=tree)), {"period": period["id"]})
