"""The embedded issuer's refusals: a wrong password, and a deployment whose tokens come from an SSO."""

from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.app import create_app
from services.registry.settings import RegistrySettings
from tests.conftest import running
from tests.problems import assert_problem


async def test_a_wrong_password_is_401_wrong_credentials(registry: httpx.AsyncClient) -> None:
    answer = await registry.post("/auth/token", data={"username": "tdkt.snv", "password": "sai"})
    assert_problem(answer, 401, "wrong-credentials")
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    right = await registry.post("/auth/token", data={"username": "tdkt.snv", "password": "demo"})
    assert right.status_code == 200, right.text


async def test_behind_an_sso_the_issuer_answers_404_tokens_not_issued(
    keys_dir: Path, connection: AsyncConnection
) -> None:
    settings = RegistrySettings(data_dir=keys_dir, database_url="postgresql://unused/unused", issue_tokens=False)
    async for client in running(create_app(settings), connection):
        for answer in (
            await client.post("/auth/token", data={"username": "tdkt.snv", "password": "demo"}),
            await client.get("/auth/jwks.json"),
        ):
            assert_problem(answer, 404, "tokens-not-issued")
