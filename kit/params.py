"""Query parameters every service reads the same way."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from kit.problems import FieldError, InvalidInput, Text


def _id_list(
    request: Request,
    ids: Annotated[
        str | None, Query(description="comma-separated ids for a batch read (at most max_page_size)")
    ] = None,
) -> list[uuid.UUID] | None:
    if ids is None:
        return None
    parts = [p.strip() for p in ids.split(",") if p.strip()]
    limit = request.app.state.settings.max_page_size
    if len(parts) > limit:
        detail = Text(f"Tối đa {limit} mã mỗi lần", f"At most {limit} ids per request")
        raise InvalidInput(detail, errors=[FieldError(detail, parameter="ids")])
    try:
        return [uuid.UUID(p) for p in parts]
    except ValueError as exc:
        detail = Text("Danh sách mã có giá trị không phải UUID", "The id list holds a value that is not a UUID")
        raise InvalidInput(detail, errors=[FieldError(detail, parameter="ids")]) from exc


def _as_of(
    as_of: Annotated[date | None, Query(description="read dated facts on this day (default: today)")] = None,
) -> date:
    return as_of or date.today()


IdList = Annotated[list[uuid.UUID] | None, Depends(_id_list)]
AsOf = Annotated[date, Depends(_as_of)]
