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


def refuse_nulls(model: BaseModel, *fields: str) -> None:
    """In a partial update, leaving a field out keeps it; sending null for a field that cannot be empty is an error."""
    for name in fields:
        if name in model.model_fields_set and getattr(model, name) is None:
            raise invalid(f"{name} cannot be null (leave it out to keep it)", f"{name} không được để null")
