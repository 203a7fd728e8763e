"""Bases of the API models."""

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError


class ApiModel(BaseModel):
    """Request models: unknown fields are refused. Bodies arrive in NFC (kit.middleware normalises them)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutModel(BaseModel):
    """Response models: read from ORM rows or mappings."""

    model_config = ConfigDict(from_attributes=True)


def invalid(en: str, vi: str) -> PydanticCustomError:
    """A validation error worded in both languages (raise it from a pydantic validator)."""
    return PydanticCustomError("value_error", en, {"vi": vi})
