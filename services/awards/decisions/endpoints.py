import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.auth import OptionalCaller
from kit.caching import OPEN_DATA_AND_PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.schemas import IsoDateTime
from kit.versioning import ExpectedVersion, created, with_etag
from kit.xlsx import Export, offers_xlsx
from services.awards.access import Issuer, Registry
from services.awards.decisions import service, sheets
from services.awards.decisions.schemas import AwardOut, Decision, DecisionCreate, Revocation
from services.awards.parameters import AwardID, DecisionID

router = APIRouter(tags=["decisions"])


@router.post("/decisions", status_code=201, summary="Sign a decision: the next number of the body for the year")
async def create(
    session: WriteSession, caller: Issuer, registry: Registry, body: DecisionCreate, response: Response
) -> Decision:
    return created(response, await service.create(session, caller, registry, body), "/decisions")


@router.get("/decisions", summary="Published decisions (open data), and the signed ones of your bodies")
@cache(OPEN_DATA_AND_PERSONAL)
async def find(
    session: ReadSession,
    caller: OptionalCaller,
    paging: Paging,
    issuer_unit_id: Annotated[uuid.UUID | None, Query(description="only those of this issuing body")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="only those signed in this year")] = None,
    published_since: Annotated[
        IsoDateTime | None, Query(description="only those published at or after this instant (incremental sync)")
    ] = None,
) -> Page[Decision]:
    return await service.find(
        session, caller, paging, issuer_unit_id=issuer_unit_id, year=year, published_since=published_since
    )


@router.get(
    "/decisions/{decision_id}",
    summary="A decision with its awardees (published: open data); the awardee list as Excel with ?format=xlsx",
    **offers_xlsx(Decision, "The decision as JSON, or its list of awardees as an Excel workbook"),
)
@cache(OPEN_DATA_AND_PERSONAL)
async def read(
    session: ReadSession, caller: OptionalCaller, decision_id: DecisionID, response: Response, export: Export
) -> Decision | Response:
    decision = await service.read(session, caller, decision_id)
    if export.wanted:
        rows, names = await sheets.awardees(session, decision)
        return export.workbook(sheets.AWARDEES, rows, **names)
    return with_etag(response, decision)


@router.post("/decisions/{decision_id}/publish", summary="Publish (If-Match): open data; its nominations are issued")
async def publish(
    session: WriteSession,
    caller: Issuer,
    decision_id: DecisionID,
    version: ExpectedVersion,
    response: Response,
) -> Decision:
    return with_etag(response, await service.publish(session, caller, decision_id, version))


@router.post("/awards/{award_id}/revocations", summary="Revoke an issued award, with its legal reason")
async def revoke(session: WriteSession, caller: Issuer, award_id: AwardID, body: Revocation) -> AwardOut:
    return await service.revoke(session, caller, award_id, body)
