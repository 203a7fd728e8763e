"""Payload validation errors (pydantic) as problem field errors, worded in both languages."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kit.problems import FieldError, Text, pointer

# Vietnamese wording of the pydantic error types a user meets most; others keep pydantic's English message.
_VI = {
    "missing": "Thiếu trường bắt buộc",
    "extra_forbidden": "Trường không được phép",
    "string_too_short": "Chuỗi quá ngắn",
    "string_too_long": "Chuỗi quá dài",
    "string_pattern_mismatch": "Sai định dạng",
    "string_type": "Phải là chuỗi ký tự",
    "int_parsing": "Phải là số nguyên",
    "int_type": "Phải là số nguyên",
    "float_parsing": "Phải là số",
    "decimal_parsing": "Phải là số",
    "bool_parsing": "Phải là đúng/sai (true/false)",
    "date_from_datetime_parsing": "Phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "Phải là ngày dạng YYYY-MM-DD",
    "datetime_parsing": "Phải là thời điểm ISO 8601",
    "uuid_parsing": "Phải là UUID",
    "uuid_type": "Phải là UUID",
    "enum": "Giá trị không nằm trong danh sách cho phép",
    "literal_error": "Giá trị không nằm trong danh sách cho phép",
    "greater_than_equal": "Giá trị quá nhỏ",
    "less_than_equal": "Giá trị quá lớn",
    "greater_than": "Giá trị quá nhỏ",
    "less_than": "Giá trị quá lớn",
    "too_short": "Danh sách quá ngắn",
    "too_long": "Danh sách quá dài",
    "list_type": "Phải là danh sách",
    "dict_type": "Phải là đối tượng JSON",
    "model_attributes_type": "Phải là đối tượng JSON",
    "json_invalid": "JSON không hợp lệ",
    "value_error": "Giá trị không hợp lệ",
}
_LOCATIONS = {"query", "path", "header", "cookie"}


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Map FastAPI/pydantic error dicts to field errors: body → JSON pointer, parameters → their name."""
    out = []
    for err in errors:
        loc: Sequence[Any] = err.get("loc", ())
        message = str(err.get("msg", "invalid"))
        ctx = err.get("ctx") or {}
        vi = str(ctx.get("vi")) if ctx.get("vi") else _VI.get(str(err.get("type")), "Giá trị không hợp lệ")
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        detail = Text(vi if vi != message else message, message)
        if loc and loc[0] in _LOCATIONS:
            out.append(FieldError(detail, parameter=".".join(str(p) for p in loc[1:]) or str(loc[0])))
        else:
            parts = list(loc[1:] if loc and loc[0] == "body" else loc)
            out.append(FieldError(detail, pointer=pointer(*parts) if parts else ""))
    return out
