"""Base of every API model: strict about unknown fields, and every string stored in Unicode NFC."""

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from kit.text import nfc


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.isascii() else nfc(value)
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _nfc(cls, data: Any) -> Any:
        return _normalise(data)


class OutModel(BaseModel):
    """Response models: read from ORM rows or mappings."""

    model_config = ConfigDict(from_attributes=True)


def invalid(en: str, vi: str) -> PydanticCustomError:
    """A validation error worded in both languages (raise it from a pydantic validator)."""
    return PydanticCustomError("value_error", en, {"vi": vi})
