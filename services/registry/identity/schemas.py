import uuid

from pydantic import BaseModel, Field


class DemoUser(BaseModel):
    """A seeded account of the embedded default (password `demo`)."""

    username: str = Field(description="login name (also the token subject)")
    name: str = Field(description="display name")
    roles: list[str] = Field(description="roles the token carries (see GET /roles)")
    unit_admin_code: str | None = Field(default=None, description="scope root, by administrative or organ code")
    unit_id: uuid.UUID | None = Field(
        default=None,
        description="root unit of the scope, the unit and its subtree (null: none; admins reach all by role)",
    )


class TokenResponse(BaseModel):
    """OAuth 2.0 token response (RFC 6749 §5.1)."""

    access_token: str = Field(description="the signed JWT to send as `Authorization: Bearer …`")
    token_type: str = Field(default="Bearer", description="always Bearer")
    expires_in: int = Field(description="lifetime of the token in seconds")
