import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kit.auth import OptionalCaller
from kit.caching import OPEN_DATA_AND_PERSONAL, cache, remember
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.params import UnitIdList
from kit.xlsx import Export, offers_xlsx
from services.scoring.access import Officer, Registry
from services.scoring.parameters import NodeCode, PeriodID, RankingKind, UnitID
from services.scoring.scores import service, sheets
from services.scoring.scores.schemas import (
    DeriveRequest,
    Explanation,
    IndicatorScore,
    RankingGroup,
    RankingRow,
    TargetProgress,
    UnitScore,
)

router = APIRouter(tags=["scores"])
# Reads are read-only transactions: scores are recomputed when their inputs change (scores/refresh.py).


@router.get(
    "/periods/{period_id}/scores",
    summary="Scores of a period, best first (published: open data); all of them as Excel with ?format=xlsx",
    **offers_xlsx(Page[UnitScore], "One page as JSON, or every score with its class and peer rank as a workbook"),
)
@cache(OPEN_DATA_AND_PERSONAL)
async def list_scores(
    request: Request,
    session: ReadSession,
    caller: OptionalCaller,
    period_id: PeriodID,
    paging: Paging,
    unit_ids: UnitIdList,
    export: Export,
) -> Page[UnitScore] | Response:
    """With `unit_ids`: those units' scores in one page (a batch read); units without a score are left out."""
    remember(request, service.period_tag(period_id))
    if export.wanted and unit_ids is None:  # the whole period: paging is for screens
        rows = await service.all_scores(session, caller, period_id)
        return export.workbook(sheets.SCORES, rows, **await sheets.scores_names(session, period_id))
    page = await service.list_scores(session, caller, period_id, paging, unit_ids)
    if export.wanted:
        return export.workbook(sheets.SCORES, page.items, **await sheets.scores_names(session, period_id))
    return page


@router.get("/periods/{period_id}/scores/{unit_id}", summary="A unit's total, score over 100, class and ranks")
@cache(OPEN_DATA_AND_PERSONAL)
async def unit_score(
    request: Request, session: ReadSession, caller: OptionalCaller, period_id: PeriodID, unit_id: UnitID
) -> UnitScore:
    remember(request, service.period_tag(period_id))
    return await service.unit_score(session, caller, period_id, unit_id)


@router.get("/periods/{period_id}/scores/{unit_id}/explain", summary="Per indicator: value, method, target, points")
@cache(OPEN_DATA_AND_PERSONAL)
async def explain(
    request: Request, session: ReadSession, caller: OptionalCaller, period_id: PeriodID, unit_id: UnitID
) -> Explanation:
    remember(request, service.period_tag(period_id))
    return await service.explain(session, caller, period_id, unit_id)


@router.get(
    "/periods/{period_id}/indicators/{code}/scores",
    summary="Every unit's value and points for one indicator or group (published: open data)",
)
@cache(OPEN_DATA_AND_PERSONAL)
async def indicator_scores(
    request: Request, session: ReadSession, caller: OptionalCaller, period_id: PeriodID, code: NodeCode, paging: Paging
) -> Page[IndicatorScore]:
    remember(request, service.period_tag(period_id))
    found = await service.indicator_scores(session, caller, period_id, code)
    return paging.page_of(found, lambda s: (str(s.unit_id),))


@router.get("/periods/{period_id}/rankings", summary="The ranking groups of a period")
@cache(OPEN_DATA_AND_PERSONAL)
async def ranking_groups(
    request: Request, session: ReadSession, caller: OptionalCaller, period_id: PeriodID, paging: Paging
) -> Page[RankingGroup]:
    remember(request, service.period_tag(period_id))
    found = await service.ranking_groups(session, caller, period_id)
    return paging.page_of(found, lambda g: (g.group_kind.value, g.group_key))


@router.get(
    "/periods/{period_id}/rankings/{group_kind}",
    summary="One ranking (ties share a rank: 1, 1, 3); as Excel with ?format=xlsx",
    **offers_xlsx(list[RankingRow], "The ranking: JSON, or an Excel workbook (rank, unit, score, class)"),
)
@cache(OPEN_DATA_AND_PERSONAL)
async def ranking(
    request: Request,
    session: ReadSession,
    caller: OptionalCaller,
    period_id: PeriodID,
    group_kind: RankingKind,
    key: Annotated[str, Query(description="peer: 'kind|level' (e.g. ward|commune); bloc: its id; custom: name")],
    export: Export,
) -> list[RankingRow] | Response:
    """A published period's ranking is served as stored when it was published. Anonymous answers are public
    (Cache-Control): caches, this service's included, may answer repeats until their max age."""
    remember(request, service.period_tag(period_id))
    if not export.wanted and (stored := await service.published_ranking(session, caller, period_id, group_kind, key)):
        body, etag = stored
        return Response(body, media_type="application/json", headers={"ETag": etag, "Vary": "Accept"})
    rows = await service.ranking(session, caller, period_id, group_kind, key)
    if export.wanted:
        return export.workbook(sheets.RANKING, rows, **await sheets.ranking_names(session, period_id, group_kind, key))
    return rows


@router.get("/periods/{period_id}/targets", summary="Progress against the plan's targets of the period's year")
@cache(OPEN_DATA_AND_PERSONAL)
async def targets(
    request: Request,
    session: ReadSession,
    caller: OptionalCaller,
    period_id: PeriodID,
    unit_id: Annotated[uuid.UUID, Query(description="the unit and every participant under it")],
) -> list[TargetProgress]:
    remember(request, service.period_tag(period_id))
    return await service.targets(session, caller, period_id, unit_id)


@router.post("/periods/{period_id}/derived", summary="Derive a merged unit's score from its predecessors")
async def derive(
    session: WriteSession, caller: Officer, registry: Registry, period_id: PeriodID, body: DeriveRequest
) -> UnitScore:
    return await service.derive(session, caller, registry, period_id, body)
