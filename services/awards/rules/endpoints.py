import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.caching import PERSONAL, SIGNED_IN, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.versioning import ExpectedVersion, created, with_etag
from kit.xlsx import Export, offers_xlsx
from services.awards.access import Deliberator, Office, Registry, Scoring
from services.awards.parameters import RuleID
from services.awards.rules import service, sheets
from services.awards.rules.schemas import Evaluation, Rule, RuleIn

router = APIRouter(tags=["rules"])


@router.post("/rules", status_code=201, summary="Define the award rule of a movement's phase for one form")
async def create(
    session: WriteSession,
    caller: Office,
    registry: Registry,
    scoring: Scoring,
    body: RuleIn,
    response: Response,
) -> Rule:
    return created(response, await service.create(session, caller, registry, scoring, body), "/rules")


@router.get("/rules", summary="Rules in your scope")
@cache(SIGNED_IN)
async def find(
    session: ReadSession,
    caller: Deliberator,
    paging: Paging,
    movement_id: Annotated[uuid.UUID | None, Query(description="only those of this movement")] = None,
    phase_code: Annotated[str | None, Query(max_length=64, description="only those of this phase")] = None,
) -> Page[Rule]:
    found = await service.find(session, caller, movement_id, phase_code)
    return paging.page_of(found, lambda r: (str(r.movement_id), r.phase_code, r.title, str(r.id)))


@router.get("/rules/{rule_id}", summary="One rule")
@cache(SIGNED_IN)
async def read(session: ReadSession, caller: Deliberator, rule_id: RuleID, response: Response) -> Rule:
    return with_etag(response, await service.read(session, caller, rule_id))


@router.put("/rules/{rule_id}", summary="Replace a rule (If-Match: its version)")
async def replace(
    session: WriteSession,
    caller: Office,
    registry: Registry,
    scoring: Scoring,
    rule_id: RuleID,
    body: RuleIn,
    version: ExpectedVersion,
    response: Response,
) -> Rule:
    return with_etag(response, await service.replace(session, caller, registry, scoring, rule_id, body, version))


@router.get(
    "/rules/{rule_id}/candidates",
    summary="Evaluate: ranked candidates per group, every condition with its actual value and pass/fail",
    description="As Excel with ?format=xlsx: one line per candidate, one column per condition explained.",
    **offers_xlsx(Evaluation, "The evaluation: JSON, or an Excel workbook of the candidates", problems=[409]),
)
@cache(PERSONAL)
async def candidates(
    session: ReadSession, caller: Deliberator, registry: Registry, scoring: Scoring, rule_id: RuleID, export: Export
) -> Evaluation | Response:
    evaluation = await service.evaluate(session, caller, registry, scoring, rule_id)
    if export.wanted:
        sheet, rows = sheets.candidates(evaluation)
        title = f"Danh sách xét {evaluation.form_name}"
        return export.workbook(sheet, rows, filename=title, title=title)
    return evaluation
