import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kit.caching import PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.versioning import ExpectedVersion, created, with_etag
from services.awards.access import NominationReader, Office, Proposer, Registry, Scoring
from services.awards.nominations import service
from services.awards.nominations.schemas import (
    DocumentsIn,
    EscalationIn,
    Nomination,
    NominationCreate,
    NominationSummary,
    TransitionIn,
)
from services.awards.parameters import DocumentID, NominationID
from services.awards.vocabulary import Status

router = APIRouter(tags=["nominations"])


@router.post("/nominations", status_code=201, summary="File a dossier (as a draft) for one or more nominees")
async def create(
    session: WriteSession, caller: Proposer, registry: Registry, body: NominationCreate, response: Response
) -> Nomination:
    return created(response, await service.create(session, caller, registry, body), "/nominations")


@router.get("/nominations", summary="Nominations filed by or addressed to your units (overdue ones with ?overdue=true)")
@cache(PERSONAL)
async def find(
    session: ReadSession,
    caller: NominationReader,
    paging: Paging,
    status: Annotated[Status | None, Query(description="only those in this status")] = None,
    movement_id: Annotated[uuid.UUID | None, Query(description="only those of this movement")] = None,
    overdue: Annotated[bool, Query(description="only those past the working days of their current step")] = False,
) -> Page[NominationSummary]:
    return await service.find(session, caller, paging, status=status, movement_id=movement_id, overdue=overdue)


@router.get("/nominations/{nomination_id}", summary="A dossier with its lines, documents, what is missing and timeline")
@cache(PERSONAL)
async def read(
    session: ReadSession, caller: NominationReader, nomination_id: NominationID, response: Response
) -> Nomination:
    return with_etag(response, await service.read(session, caller, nomination_id))


@router.post("/nominations/{nomination_id}/documents", summary="Attach documents (draft or returned dossiers)")
async def add_documents(
    session: WriteSession, caller: Proposer, nomination_id: NominationID, body: DocumentsIn, response: Response
) -> Nomination:
    return with_etag(response, await service.add_documents(session, caller, nomination_id, body.items))


@router.delete("/nominations/{nomination_id}/documents/{document_id}", status_code=204, summary="Remove a document")
async def remove_document(
    session: WriteSession, caller: Proposer, nomination_id: NominationID, document_id: DocumentID
) -> None:
    await service.remove_document(session, caller, nomination_id, document_id)


@router.post(
    "/nominations/{nomination_id}/transitions",
    summary="Move one step (If-Match); the roles allowed depend on the step; 'decided' takes an outcome per line",
)
async def transition(
    session: WriteSession,
    caller: NominationReader,
    registry: Registry,
    scoring: Scoring,
    nomination_id: NominationID,
    body: TransitionIn,
    version: ExpectedVersion,
    response: Response,
) -> Nomination:
    moved = await service.transition(session, caller, registry, scoring, nomination_id, body, version)
    return with_etag(response, moved)


@router.post(
    "/nominations/{nomination_id}/escalations",
    status_code=201,
    summary="File a new nomination at a higher authority for lines of this one",
)
async def escalate(
    session: WriteSession,
    caller: Office,
    registry: Registry,
    nomination_id: NominationID,
    body: EscalationIn,
    response: Response,
) -> Nomination:
    return created(response, await service.escalate(session, caller, registry, nomination_id, body), "/nominations")
