from fastapi import APIRouter

from kit.caching import SIGNED_IN, cache
from kit.db import ReadSession
from kit.params import IdList
from services.registry.access import SignedIn
from services.registry.scope import service
from services.registry.scope.schemas import InScope

router = APIRouter(tags=["scope"])


@router.get("/scope", summary="Which of these units and people are in your scope (unknown ids are left out)")
@cache(SIGNED_IN)
async def in_scope(session: ReadSession, caller: SignedIn, ids: IdList) -> InScope:
    return InScope(ids=await service.in_scope(session, caller, ids or []))
