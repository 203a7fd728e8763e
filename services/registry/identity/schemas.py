import uuid

from pydantic import BaseModel, Field


class DemoUser(BaseModel):
    """A seeded account of the embedded default (password `demo`)."""

    username: str
    name: str
    roles: list[str]
    unit_admin_code: str | None = Field(default=None, description="scope root, by administrative or organ code")
    unit_id: uuid.UUID | None = None


class TokenResponse(BaseModel):
    """OAuth 2.0 token response (RFC 6749 §5.1)."""

    access_token: str
    token_type: str = "Bearer"
    expires_in: int
