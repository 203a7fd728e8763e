"""The embedded issuer: tokens for the seeded demo users and the JWKS other services verify against.

Off (404) when `issue_tokens` is false, i.e. when a province SSO issues the tokens.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request

from kit.auth import TokenIssuer
from kit.caching import OPEN_DATA, cache
from kit.openapi import problems
from services.registry.identity.demo import demo_caller
from services.registry.identity.errors import TokensNotIssued, WrongCredentials
from services.registry.identity.schemas import DemoUser, TokenResponse

router = APIRouter(prefix="/auth", tags=["identity"])
TTL_SECONDS = 8 * 3600


def _issuer(request: Request) -> TokenIssuer:
    issuer: TokenIssuer | None = getattr(request.app.state, "issuer", None)
    if issuer is None:
        raise TokensNotIssued()
    return issuer


@router.post(
    "/token",
    summary="Password grant for the demo users (embedded default only)",
    responses=problems(401, 404),  # a wrong password; no embedded issuer
)
async def token(
    request: Request,
    username: Annotated[str, Form(description="a demo user's login (see GET /demo-users)")],
    password: Annotated[str, Form(description="`demo` for every demo user")],
    grant_type: Annotated[str, Form(description="OAuth 2.0 grant type: only `password`")] = "password",
) -> TokenResponse:
    issuer = _issuer(request)
    caller = demo_caller(request.app.state.demo_users, username)
    if caller is None or password != "demo" or grant_type != "password":
        raise WrongCredentials()
    return TokenResponse(access_token=issuer.issue(caller, ttl_seconds=TTL_SECONDS), expires_in=TTL_SECONDS)


@router.get("/jwks.json", summary="Public keys of the embedded issuer", responses=problems(404))
@cache(OPEN_DATA)
async def jwks(request: Request) -> dict[str, Any]:
    return _issuer(request).jwks()


@router.get("/demo-users", summary="The seeded demo accounts and their scope", responses=problems(404))
@cache(OPEN_DATA)
async def demo_users(request: Request) -> list[DemoUser]:
    _issuer(request)
    users: dict[str, DemoUser] = request.app.state.demo_users
    return list(users.values())
