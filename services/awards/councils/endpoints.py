from fastapi import APIRouter, Response

from kit.caching import PERSONAL, cache
from kit.db import ReadSession, WriteSession
from kit.versioning import ExpectedVersion, created, with_etag
from services.awards.access import Deliberator, Registry, Secretary, Voter
from services.awards.councils import service
from services.awards.councils.schemas import Attendance, Council, CouncilCreate, VoteReceipt, VotesIn
from services.awards.parameters import CouncilID

router = APIRouter(tags=["councils"])


@router.post("/councils", status_code=201, summary="Open a council session with its members and agenda")
async def create(
    session: WriteSession, caller: Secretary, registry: Registry, body: CouncilCreate, response: Response
) -> Council:
    return created(response, await service.create(session, caller, registry, body), "/councils")


@router.get("/councils/{council_id}", summary="Members, tallies and (once closed) results")
@cache(PERSONAL)
async def read(session: ReadSession, caller: Deliberator, council_id: CouncilID, response: Response) -> Council:
    return with_etag(response, await service.read(session, caller, council_id))


@router.put("/councils/{council_id}/attendance", summary="Who is present (If-Match)")
async def attendance(
    session: WriteSession,
    caller: Secretary,
    council_id: CouncilID,
    body: Attendance,
    version: ExpectedVersion,
    response: Response,
) -> Council:
    return with_etag(response, await service.attendance(session, caller, council_id, body, version))


@router.post("/councils/{council_id}/votes", summary="A member's ballot (members only; once per nominee)")
async def vote(session: WriteSession, caller: Voter, council_id: CouncilID, body: VotesIn) -> VoteReceipt:
    return await service.vote(session, caller, council_id, body)


@router.post("/councils/{council_id}/close", summary="Count the votes under each form's rule (If-Match)")
async def close(
    session: WriteSession,
    caller: Secretary,
    council_id: CouncilID,
    version: ExpectedVersion,
    response: Response,
) -> Council:
    return with_etag(response, await service.close(session, caller, council_id, version))
