"""Anonymous open data: published rankings, published decisions and the unit directory, in JSON or CSV.

Every call upstream is made without the caller's token, so only what the services publish to anyone leaves here:
scores of published periods, published decisions (no person ids), units other than households and individuals.
"""

import uuid
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from gateway.opendata.catalogue import DATASETS, MAX_PAGE, catalogue
from gateway.opendata.formats import Format, LabelsQ, page_response
from gateway.settings import GatewaySettings
from kit.caching import OPEN_DATA, cache
from kit.openapi import download
from kit.pagination import PageParams, decode_cursor
from kit.schemas import IsoDateTime
from services.awards.client import AwardsClient
from services.registry.client import RegistryClient
from services.scoring.client import ScoringClient
from services.scoring.vocabulary import GroupKind, PeriodStatus

router = APIRouter(prefix="/open-data", tags=["open data"])

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"rows per page (at most {MAX_PAGE})")]
Cursor = Annotated[str | None, Query(description="`next_cursor` (or the Link header's next) of the previous page")]
Since = Annotated[IsoDateTime | None, Query(description="only what changed at or after this instant (ISO 8601)")]
JSON, CSV = "application/json", "text/csv"
RANKING = "#/paths/~1open-data~1rankings~1{period_id}/get"  # a period's ranking, linked from the list of periods
PAGE = "One page of rows: JSON (`items`, `next_cursor`, `licence`) or CSV by `format`; next page in Link"
FormatQ = Annotated[
    Format,
    Query(
        alias="format",
        description="json (default) or csv for Excel: UTF-8 with BOM, yes/no as true/false (Có/Không with labels=vi), "
        "instants as YYYY-MM-DD HH:MM:SS in Vietnam's time (UTC+7); JSON keeps ISO 8601 instants with their offset",
    ),
]


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


def _licence(settings: GatewaySettings) -> dict[str, str]:
    return {"name": settings.licence_name, "url": settings.licence_url}


@router.get("", summary="The catalogue of datasets (DCAT, JSON-LD)", **download("application/ld+json"))
@cache(OPEN_DATA)
async def index(request: Request) -> Response:
    body = catalogue(_settings(request))
    return Response(orjson.dumps(body), media_type="application/ld+json")


@router.get(
    "/rankings",
    summary="Published scoring periods, each a ranking dataset",
    **download(
        JSON, links={"ranking": {"operationRef": RANKING, "parameters": {"period_id": "$response.body#/items/0/id"}}}
    ),
)
@cache(OPEN_DATA)
async def periods(
    request: Request, modified_since: Since = None, limit: Limit = MAX_PAGE, cursor: Cursor = None
) -> Response:
    settings = _settings(request)
    scoring = ScoringClient(request.app.state.http, settings.scoring_url)
    rows: list[tuple[tuple[int, int, str], dict[str, Any]]] = []  # (newest first, row)
    for p in await scoring.periods():
        if p.status != PeriodStatus.PUBLISHED:
            continue
        published_at = max((h.at for h in p.history if h.to_status == PeriodStatus.PUBLISHED), default=None)
        if modified_since and (published_at is None or published_at < modified_since):
            continue
        key = (-p.year, -p.starts_on.toordinal(), str(p.id))
        rows.append(
            (
                key,
                p.model_dump(include={"id", "title", "kind", "year", "number", "movement_id", "framework_id"})
                | {"published_at": published_at, "csv": f"{settings.public_url}/open-data/rankings/{p.id}?format=csv"},
            )
        )
    paging = PageParams(limit=limit, cursor=decode_cursor(cursor) if cursor else None)
    page = paging.page_of(rows, lambda row: row[0])
    body = {
        "items": [row for _, row in page.items],
        "next_cursor": page.next_cursor,
        "licence": _licence(settings),
    }
    return Response(orjson.dumps(body, default=str), media_type="application/json")


RANKING_COLUMNS = {
    "period_id": "Mã kỳ đánh giá",
    "unit_id": "Mã đơn vị",
    "unit_name": "Tên đơn vị",
    "total": "Tổng điểm",
    "max_points": "Điểm tối đa",
    "score100": "Điểm (thang 100)",
    "index_value": "Chỉ số",
    "band_vi": "Xếp loại",
    "band_en": "Xếp loại (tiếng Anh)",
    "ranked": "Được xếp hạng",
    "peer_group": "Nhóm so sánh",
    "peer_rank": "Hạng trong nhóm",
    "peer_group_size": "Số đơn vị trong nhóm",
    "derived": "Điểm suy ra sau sắp xếp",
    "derived_from": "Suy ra từ",
    "merged_into": "Đã sáp nhập vào",
}


@router.get(
    "/rankings/{period_id}",
    summary="A published period's scores, classes and peer ranks, best first",
    **download(JSON, CSV, description=PAGE),
)
@cache(OPEN_DATA)
async def ranking(
    request: Request,
    period_id: Annotated[uuid.UUID, Path(description="a published scoring period's id")],
    fmt: FormatQ = "json",
    labels: LabelsQ = "en",
    limit: Limit = MAX_PAGE,
    cursor: Cursor = None,
) -> Response:
    settings = _settings(request)
    scoring = ScoringClient(request.app.state.http, settings.scoring_url)
    page = await scoring.scores_page(period_id, limit=limit, cursor=cursor)
    rows: list[dict[str, Any]] = []
    for s in page.items:
        peer = next((r for r in s.ranks if r.group_kind == GroupKind.PEER), None)
        rows.append(
            s.model_dump()
            | {
                "period_id": period_id,
                "unit_name": s.name,
                "peer_group": peer.group_key if peer else None,
                "peer_rank": peer.rank if peer else None,
                "peer_group_size": peer.group_size if peer else None,
                # After a merger: "name (weight)" of each predecessor a derived score comes from, and where a
                # predecessor went; one cell each, the same in CSV and JSON.
                "derived_from": "; ".join(f"{d.name} ({d.weight.normalize()})" for d in s.derived_from) or None,
                "merged_into": "; ".join(m.name or str(m.unit_id) for m in s.merged_into) or None,
            }
        )
    return page_response(
        request,
        rows,
        RANKING_COLUMNS,
        fmt=fmt,
        next_cursor=page.next_cursor,
        licence=_licence(settings),
        labels=labels,
        filename=f"ranking-{period_id}",
    )


DECISION_COLUMNS = {
    "decision_id": "Mã quyết định",
    "reference": "Số, ký hiệu",
    "signed_on": "Ngày ký",
    "published_at": "Thời điểm công bố",
    "issuer_unit_id": "Mã cơ quan ban hành",
    "issuer_name": "Cơ quan ban hành",
    "subject": "Trích yếu",
    "award_id": "Mã khen thưởng",
    "form_id": "Mã hình thức khen thưởng",
    "subject_type": "Đối tượng",
    "unit_id": "Mã đơn vị",
    "name": "Tên tập thể / cá nhân",
    "detail": "Chức vụ, đơn vị",
    "amount": "Số tiền thưởng (đồng)",
    "status": "Tình trạng",
}


@router.get(
    "/decisions",
    summary="Awards of published decisions, one row per awardee (no personal ids)",
    **download(JSON, CSV, description=PAGE),
)
@cache(OPEN_DATA)
async def decisions(
    request: Request,
    fmt: FormatQ = "json",
    labels: LabelsQ = "en",
    modified_since: Since = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="decisions per page")] = 100,
    cursor: Cursor = None,
) -> Response:
    settings = _settings(request)
    awards = AwardsClient(request.app.state.http, settings.awards_url)
    page = await awards.decisions(published_since=modified_since, limit=limit, cursor=cursor)
    rows = [
        d.model_dump(include={"reference", "signed_on", "published_at", "issuer_unit_id", "issuer_name", "subject"})
        | a.model_dump(  # the council's vote on a line is its handlers', not open data (services/awards/privacy.py)
            exclude={"person_id", "decision_id", "nomination_id", "nominee_id", "council_result", "deviation_reason"}
        )
        | {"decision_id": d.id, "award_id": a.id}
        for d in page.items
        if d.status == "published"
        for a in d.awards
    ]
    return page_response(
        request,
        rows,
        DECISION_COLUMNS,
        fmt=fmt,
        next_cursor=page.next_cursor,
        licence=_licence(settings),
        labels=labels,
        filename="decisions",
    )


UNIT_COLUMNS = {
    "id": "Mã đơn vị",
    "name": "Tên đơn vị",
    "short_name": "Tên viết tắt",
    "kind": "Loại (mã)",
    "kind_label": "Loại đơn vị",
    "level": "Cấp",
    "admin_code": "Mã ĐVHC",
    "organ_code": "Mã định danh",
    "parent_id": "Mã đơn vị cấp trên",
    "valid_from": "Hiệu lực từ",
    "valid_to": "Hiệu lực đến",
    "updated_at": "Cập nhật lúc",
}


@router.get(
    "/units",
    summary="The unit directory (households and individuals are not published)",
    **download(JSON, CSV, description=PAGE),
)
@cache(OPEN_DATA)
async def units(
    request: Request,
    fmt: FormatQ = "json",
    labels: LabelsQ = "en",
    modified_since: Since = None,
    limit: Limit = MAX_PAGE,
    cursor: Cursor = None,
) -> Response:
    settings = _settings(request)
    registry = RegistryClient(request.app.state.http, settings.registry_url)
    page = await registry.search(
        include_inactive="true",
        modified_since=modified_since.isoformat() if modified_since else None,
        limit=limit,
        cursor=cursor,
    )
    return page_response(
        request,
        [u.model_dump() for u in page.items],
        UNIT_COLUMNS,
        fmt=fmt,
        next_cursor=page.next_cursor,
        licence=_licence(settings),
        labels=labels,
        filename="units",
    )


__all__ = ["DATASETS", "router"]
