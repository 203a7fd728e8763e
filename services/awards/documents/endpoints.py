"""Documents generated as .docx (Decree 30/2020 layout), each readable by whoever may read what it is about."""

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Response

from kit.auth import OptionalCaller
from kit.caching import OPEN_DATA_AND_PERSONAL, PERSONAL, cache
from kit.db import ReadSession
from kit.openapi import download
from services.awards.access import Deliberator, NominationReader, Registry
from services.awards.catalogue import service as catalogue
from services.awards.councils import service as councils
from services.awards.decisions import service as decisions
from services.awards.documents import render
from services.awards.nominations import service as nominations
from services.awards.parameters import CouncilID, DecisionID, NominationID

router = APIRouter(tags=["documents"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type=DOCX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    )


@router.get(
    "/decisions/{decision_id}/document.docx",
    summary="Quyết định with its list (published: open data)",
    **download(DOCX, description="The decision as .docx"),
)
@cache(OPEN_DATA_AND_PERSONAL)
async def decision(session: ReadSession, caller: OptionalCaller, decision_id: DecisionID) -> Response:
    found = await decisions.read(session, caller, decision_id)
    names = {str(f): (await catalogue.form(session, f)).name_vi for f in {a.form_id for a in found.awards}}
    return _docx(render.decision(found, names), f"QD-{found.number:02d}-{found.year}.docx")


@router.get(
    "/councils/{council_id}/minutes.docx",
    summary="Biên bản họp Hội đồng",
    **download(DOCX, description="The minutes as .docx"),
)
@cache(PERSONAL)
async def minutes(session: ReadSession, caller: Deliberator, council_id: CouncilID) -> Response:
    found = await councils.read(session, caller, council_id)
    chair = next((m.name for m in found.members if "chủ tịch" in m.position.lower()), None)
    secretary = next((m.name for m in found.members if "thư ký" in m.position.lower()), None)
    return _docx(render.minutes(found, chair, secretary), f"BB-{found.meets_on:%Y%m%d}.docx")


@router.get(
    "/nominations/{nomination_id}/cover-letter.docx",
    summary="Tờ trình of the proposing unit",
    **download(DOCX, description="The cover letter as .docx"),
)
@cache(PERSONAL)
async def cover_letter(
    session: ReadSession, caller: NominationReader, registry: Registry, nomination_id: NominationID
) -> Response:
    found = await nominations.read(session, caller, nomination_id)
    proposer = await registry.unit(found.proposer_unit_id)
    authority = await registry.unit(found.authority_unit_id)
    place = (proposer.name or "").split(" ", 1)[-1]
    content = render.cover_letter(found, proposer.name or "", authority.name or "", place, date.today())
    return _docx(content, f"TTr-{nomination_id}.docx")
