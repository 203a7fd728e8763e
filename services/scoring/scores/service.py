"""Scores are recomputed when their inputs change (scores/refresh.py), never on read: every read here is a plain
read of stored rows, which say when they were computed and whether inputs changed since. Published results are open
data, the rest is shown only to the period's office and to the units concerned (and those above them)."""

import time
import uuid
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.caching import strong_etag
from kit.db import Record, lock_name
from kit.pagination import Page, PageParams, decode_cursor, encode_cursor
from services.registry.client import RegistryClient
from services.scoring import access, privacy
from services.scoring.errors import ParticipantOutOfScope
from services.scoring.frameworks import service as frameworks
from services.scoring.periods import repository as periods_repo
from services.scoring.periods import service as periods
from services.scoring.periods.schemas import MergedInto
from services.scoring.scores import compute
from services.scoring.scores import repository as repo
from services.scoring.scores.errors import (
    NodeNotFound,
    NoPredecessorScores,
    ScoreNotFound,
    ScoreNotVisible,
    ScoresNeedSignIn,
)
from services.scoring.scores.schemas import (
    DerivedFrom,
    DeriveRequest,
    ExplainRow,
    Explanation,
    IndicatorScore,
    RankingGroup,
    RankingRow,
    RankOut,
    TargetProgress,
    UnitScore,
)
from services.scoring.vocabulary import DerivationRule, NodeKind, PeriodStatus

Merged = dict[uuid.UUID, list[MergedInto]]


async def ensure_fresh(session: AsyncSession, period_id: uuid.UUID) -> sa.RowMapping:
    """Inside a write transaction: recompute the period's scores if an input changed since they were computed, and
    return the period row. The period is held FOR SHARE (writers go on, a status change waits for the end) and then
    the period's recompute lock (one recompute of a period at a time); a published period's results never change."""
    period = await periods.get_row(session, period_id, lock="share")
    await lock_name(session, f"scoring.recompute.{period_id}")
    marks = await repo.stale_marks(session, period_id)
    if marks:
        if period["status"] != PeriodStatus.PUBLISHED:
            started, computed_at = time.monotonic(), await repo.clock(session)
            framework = await frameworks.read(session, period["framework_id"])
            await compute.recompute(session, period, framework.max_points)
            await repo.save_run(session, period_id, computed_at, time.monotonic() - started)
        await repo.clear_marks(session, marks)
    return period


def _require_reader(caller: Caller | None, period: Record) -> None:
    if period["status"] != PeriodStatus.PUBLISHED and caller is None:
        raise ScoresNeedSignIn()


async def _visible_units(session: AsyncSession, caller: Caller | None, period: Record) -> list[uuid.UUID] | None:
    """None: every unit; else the ones whose results this caller may see (services/scoring/privacy.py)."""
    participants = await periods_repo.participants(session, period["id"])
    shown = [p["unit_id"] for p in participants if privacy.shows(caller, period, p)]
    return None if len(shown) == len(participants) else shown


# When the period's scores were computed, and whether inputs changed since: read before the rows it labels, so that
# a recompute committing between the two reads leaves the label too cautious, never too confident.
Freshness = tuple[datetime | None, bool]


def _fresh(row: sa.RowMapping, freshness: Freshness) -> dict[str, Any]:
    computed_at, stale = freshness
    return dict(row) | {"computed_at": computed_at or row["computed_at"], "stale": stale}


def _score(row: sa.RowMapping, ranks: list[dict[str, Any]], freshness: Freshness, merged: Merged) -> UnitScore:
    return UnitScore.model_validate(
        _fresh(row, freshness) | {"ranks": [RankOut.model_validate(r) for r in ranks]} | _lineage(row, merged)
    )


def _lineage(row: sa.RowMapping, merged: Merged) -> dict[str, Any]:
    """Which rows are derived and from whom, and where a predecessor went (the period's lineage)."""
    sources = (row["derivation"] or {}).get("sources", [])
    return {
        "derived": row["derivation"] is not None,
        "derived_from": [DerivedFrom.model_validate(s) for s in sources],
        "merged_into": merged.get(row["unit_id"], []),
    }


async def list_scores(
    session: AsyncSession,
    caller: Caller | None,
    period_id: uuid.UUID,
    paging: PageParams,
    unit_ids: list[uuid.UUID] | None = None,
) -> Page[UnitScore]:
    period = await periods.get_row(session, period_id)
    _require_reader(caller, period)
    visible = await _visible_units(session, caller, period)
    freshness = await repo.freshness(session, period_id)
    if unit_ids is not None:
        allowed = None if visible is None else set(visible)
        wanted = [u for u in unit_ids if allowed is None or u in allowed]
        found = await repo.results(session, period_id, wanted)
        ranks = await repo.ranks(session, period_id, wanted)
        merged = await periods.merged_into(session, period_id)
        return Page(items=[_score(r, ranks.get(r["unit_id"], []), freshness, merged) for r in found])
    rows = list(await repo.results(session, period_id, visible, paging.after(Decimal, uuid.UUID), paging.limit))
    more = len(rows) > paging.limit
    rows = rows[: paging.limit]
    ranks = await repo.ranks(session, period_id, [r["unit_id"] for r in rows])
    cursor = encode_cursor([str(rows[-1]["total"]), str(rows[-1]["unit_id"])]) if more and rows else None
    merged = await periods.merged_into(session, period_id)
    return Page(items=[_score(r, ranks.get(r["unit_id"], []), freshness, merged) for r in rows], next_cursor=cursor)


MAX_EXPORT = 100_000


async def all_scores(session: AsyncSession, caller: Caller | None, period_id: uuid.UUID) -> list[UnitScore]:
    """Every score of the period the caller may see, best first: the pages of `list_scores` read through."""
    found: list[UnitScore] = []
    paging = PageParams(limit=1000, cursor=None)
    while len(found) < MAX_EXPORT:
        page = await list_scores(session, caller, period_id, paging)
        found += page.items
        if page.next_cursor is None:
            break
        paging = PageParams(limit=1000, cursor=decode_cursor(page.next_cursor))
    return found


async def unit_score(
    session: AsyncSession, caller: Caller | None, period_id: uuid.UUID, unit_id: uuid.UUID
) -> UnitScore:
    period = await periods.get_row(session, period_id)
    _require_reader(caller, period)
    visible = await _visible_units(session, caller, period)
    if visible is not None and unit_id not in visible:
        raise ScoreNotVisible()
    freshness = await repo.freshness(session, period_id)
    found = await repo.results(session, period_id, [unit_id])
    if not found:
        raise ScoreNotFound(unit_id=str(unit_id))
    ranks = (await repo.ranks(session, period_id, [unit_id])).get(unit_id, [])
    return _score(found[0], ranks, freshness, await periods.merged_into(session, period_id))


async def explain(
    session: AsyncSession, caller: Caller | None, period_id: uuid.UUID, unit_id: uuid.UUID
) -> Explanation:
    score = await unit_score(session, caller, period_id, unit_id)
    period = await periods.get_row(session, period_id)
    rows = [
        ExplainRow.model_validate(r) for r in await repo.explain(session, period_id, period["framework_id"], unit_id)
    ]
    return Explanation(
        unit_id=unit_id,
        total=score.total,
        max_points=score.max_points,
        score100=score.score100,
        band_vi=score.band_vi,
        computed_at=score.computed_at,
        stale=score.stale,
        indicators=[r for r in rows if r.kind == NodeKind.INDICATOR],
        groups=[r for r in rows if r.kind != NodeKind.INDICATOR],
        derived=score.derived,
        derived_from=score.derived_from,
        merged_into=score.merged_into,
    )


async def indicator_scores(
    session: AsyncSession, caller: Caller | None, period_id: uuid.UUID, code: str
) -> list[IndicatorScore]:
    period = await periods.get_row(session, period_id)
    _require_reader(caller, period)
    visible = await _visible_units(session, caller, period)
    rows = await repo.node_scores(session, period_id, code)
    if not rows and not await repo.node_exists(session, period["framework_id"], code):
        raise NodeNotFound(code=code)
    return [IndicatorScore.model_validate(r) for r in rows if visible is None or r["unit_id"] in visible]


async def ranking(
    session: AsyncSession, caller: Caller | None, period_id: uuid.UUID, group_kind: str, group_key: str
) -> list[RankingRow]:
    period = await periods.get_row(session, period_id)
    _require_reader(caller, period)
    visible = await _visible_units(session, caller, period)
    freshness = await repo.freshness(session, period_id)
    rows = await repo.ranking(session, period_id, group_kind, group_key)
    merged = await periods.merged_into(session, period_id)
    return [
        RankingRow.model_validate(_fresh(r, freshness) | _lineage(r, merged))
        for r in rows
        if visible is None or r["unit_id"] in visible
    ]


# --- a published period's rankings, stored as served ------------------------------------------------------------------

RANKING_ROWS: TypeAdapter[list[RankingRow]] = TypeAdapter(list[RankingRow])


def period_tag(period_id: uuid.UUID) -> str:
    """What a process remembers a period's published answers by (kit.caching), and forgets when it moves."""
    return f"scoring.period.{period_id}"


async def store_published_rankings(session: AsyncSession, period_id: uuid.UUID) -> None:
    """Inside the transaction that publishes the period (its status already published): store each of its rankings
    as an anonymous caller is served it, the JSON body with its ETag, so that reads of it are one statement."""
    period = await periods.get_row(session, period_id)
    participants = await periods_repo.participants(session, period_id)
    public = {p["unit_id"] for p in participants if privacy.shows(None, period, p)}
    freshness = await repo.freshness(session, period_id)
    merged = await periods.merged_into(session, period_id)
    groups: dict[tuple[str, str], list[sa.RowMapping]] = {}
    for row in await repo.rankings(session, period_id):
        groups.setdefault((row["group_kind"], row["group_key"]), []).append(row)
    renderings = []
    for (kind, key), rows in groups.items():
        shown = [RankingRow.model_validate(_fresh(r, freshness) | _lineage(r, merged)) for r in rows]
        body = RANKING_ROWS.dump_json([r for r in shown if r.unit_id in public])
        renderings.append(
            {
                "period_id": period_id,
                "group_kind": kind,
                "group_key": key,
                "period_version": period["version"],
                "body": body,
                "etag": strong_etag(body),
                "complete": all(r.unit_id in public for r in shown),
            }
        )
    await repo.store_rankings(session, renderings)


async def drop_published_rankings(session: AsyncSession, period_id: uuid.UUID) -> None:
    """The period is reopened: its rankings are read live again."""
    await repo.drop_rankings(session, period_id)


async def published_ranking(
    session: AsyncSession, caller: Caller | None, period_id: uuid.UUID, group_kind: str, group_key: str
) -> tuple[bytes, str] | None:
    """The stored body and ETag of a published period's ranking, in one statement, when this caller is served that
    one (every caller, unless the group has rows anonymous callers do not see); None: read it live (`ranking`)."""
    found = await repo.published_ranking(session, period_id, group_kind, group_key)
    if found is None or (caller is not None and not found["complete"]):
        return None
    return found["body"], found["etag"]


async def ranking_groups(session: AsyncSession, caller: Caller | None, period_id: uuid.UUID) -> list[RankingGroup]:
    period = await periods.get_row(session, period_id)
    _require_reader(caller, period)
    return [RankingGroup.model_validate(r) for r in await repo.groups(session, period_id)]


async def targets(
    session: AsyncSession, caller: Caller | None, period_id: uuid.UUID, unit_id: uuid.UUID
) -> list[TargetProgress]:
    period = await periods.get_row(session, period_id)
    _require_reader(caller, period)
    visible = await _visible_units(session, caller, period)
    if visible is not None and unit_id not in visible and not (caller and caller.unit_id == unit_id):
        raise ParticipantOutOfScope()
    return [TargetProgress.model_validate(r) for r in await repo.target_progress(session, period, unit_id)]


async def derive(
    session: AsyncSession, caller: Caller, registry: RegistryClient, period_id: uuid.UUID, body: DeriveRequest
) -> UnitScore:
    """A merged unit's score for a transition period, from its predecessors' results in this period (by the rule
    asked, else the period's). Kept through recomputes; ranked when the unit is on the tree the period ranks on."""
    period = await ensure_fresh(session, period_id)
    access.require_manager(caller, period)
    periods.require_not_published(period)
    rule = body.rule or DerivationRule(period["derivation_rule"])
    direct = [p for p in await registry.predecessors(body.unit_id) if p.depth == 1]
    sources = {r["unit_id"]: r for r in await repo.results(session, period_id, [p.unit.id for p in direct])}
    used = [p for p in direct if p.unit.id in sources]
    if not used:
        raise NoPredecessorScores()
    weights = {p.unit.id: (p.share if rule == DerivationRule.SHARE_WEIGHTED and p.share else Decimal(1)) for p in used}
    total_weight = sum(weights.values(), Decimal(0))
    # From the totals, not the rounded indices: 87.5125 and 100 of 100 give 93.7563, not 93.7550 (0.8751 and 1).
    index = sum((sources[u]["total"] / sources[u]["max_points"] * w for u, w in weights.items()), Decimal(0))
    index /= total_weight
    framework = await frameworks.read(session, period["framework_id"])
    score100 = (index * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    band = next((b for b in framework.bands if b.lower_bound <= score100), None)
    await repo.save_derived(
        session,
        {
            "period_id": period_id,
            "unit_id": body.unit_id,
            "max_points": framework.max_points,
            "total": (index * framework.max_points).quantize(Decimal("0.0001"), ROUND_HALF_UP),
            "score100": score100,
            "index_value": index.quantize(Decimal("0.0001"), ROUND_HALF_UP),
            "band_vi": band.label_vi if band else None,
            "band_en": band.label_en if band else None,
            "derivation": {
                "rule": rule.value,
                "automatic": False,
                "sources": [
                    {
                        "unit_id": str(p.unit.id),
                        "name": p.unit.name,
                        "index_value": str(sources[p.unit.id]["index_value"]),
                        "weight": str(weights[p.unit.id]),
                        "share": None if p.share is None else str(p.share),
                        "event_id": str(p.event_id),
                    }
                    for p in used
                ],
            },
        },
    )
    await periods_repo.mark_stale(session, period_id)  # its ranks, now that it has a result
    await ensure_fresh(session, period_id)
    return await unit_score(session, caller, period_id, body.unit_id)
