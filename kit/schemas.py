"""Bases of the API models."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from kit.problems import FieldError


def invalid(en: str, vi: str) -> PydanticCustomError:
    """A validation error worded in both languages (raise it from a pydantic validator)."""
    return PydanticCustomError("value_error", en, {"vi": vi})


def iso_only(value: Any) -> Any:
    """Refuse a number where a date or time is expected: pydantic would read `0` as 1970-01-01, the documented
    format (and what a user means) is ISO 8601 text."""
    text = value.strip().lstrip("+-").replace(".", "", 1) if isinstance(value, str) else None
    if isinstance(value, int | float) or (text is not None and text.isdigit()):
        raise invalid("Dates and times are ISO 8601 text (2025-07-01), not numbers", "Ngày giờ phải viết dạng ISO 8601")
    return value


def _as_documented(node: Any) -> Any:
    """The core schema taking what its JSON Schema says: `iso_only` before every date and datetime, and booleans
    and numbers strict (pydantic would take `0` for false and `"5"` for 5, which the document does not allow)."""
    if isinstance(node, list):
        return [_as_documented(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _as_documented(v) for k, v in node.items()}
    if node.get("type") in ("date", "datetime"):
        return core_schema.no_info_before_validator_function(iso_only, node)
    if node.get("type") in ("bool", "int", "float"):
        return node | {"strict": True}
    return node


class ApiModel(BaseModel):
    """Request models: unknown fields are refused, values are taken as documented (`_as_documented`). Bodies
    arrive in NFC (kit.middleware normalises them)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return _as_documented(handler(source))  # type: ignore[no-any-return]


class OutModel(BaseModel):
    """Response models: read from ORM rows or mappings."""

    model_config = ConfigDict(from_attributes=True)


IsoDate = Annotated[date, BeforeValidator(iso_only)]
IsoDateTime = Annotated[datetime, BeforeValidator(iso_only)]


def refuse_nulls(model: BaseModel, *fields: str) -> None:
    """In a partial update, leaving a field out keeps it; sending null for a field that cannot be empty is an error."""
    for name in fields:
        if name in model.model_fields_set and getattr(model, name) is None:
            raise invalid(f"{name} cannot be null (leave it out to keep it)", f"{name} không được để null")


def fixed_point(digits: int, places: int) -> AfterValidator:
    """A decimal that fits NUMERIC(digits, places): at most `places` decimals and `digits - places` digits before the
    point (pydantic has refused NaN and infinities already). Checked by two comparisons: pydantic's own max_digits and
    decimal_places build a tuple of every digit, which costs a fifth of the parse of a 10,000-row batch."""
    whole = digits - places
    limit = Decimal(10) ** whole
    scale = Decimal(1).scaleb(-places)

    def check(value: Decimal) -> Decimal:
        if not -limit < value < limit:
            raise invalid(f"At most {whole} digits before the decimal point", f"Tối đa {whole} chữ số phần nguyên")
        if value != value.quantize(scale):
            raise invalid(f"At most {places} decimal places", f"Tối đa {places} chữ số thập phân")
        return value

    return AfterValidator(check)


class RowError(ApiModel):
    """A fault of one line of an imported file (`kit.spreadsheets.row_fault`)."""

    row: int = Field(description="line number in the file (title rows and the header counted)")
    pointer: str = Field(description="JSON pointer /rows/{index}/{field}, index of the data row counted from 0")
    field: str = Field(description="the column at fault (the API field name)")
    detail: str = Field(description="what is wrong (Vietnamese)")
    messages: dict[str, str] = Field(description="the message by language: vi, en")

    @classmethod
    def of(cls, error: FieldError) -> "RowError":
        return cls(
            row=error.extra["row"],
            pointer=error.pointer or "",
            field=error.extra["field"],
            detail=error.detail.vi,
            messages={"vi": error.detail.vi, "en": error.detail.en},
        )
