"""Query parameters every service reads the same way."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from kit.problems import FieldError, InvalidInput, Text
from kit.schemas import IsoDate


def id_list(parameter: str = "ids") -> Callable[..., list[uuid.UUID] | None]:
    """A dependency reading `parameter` as comma-separated UUIDs for a batch read (at most max_page_size)."""

    def read(
        request: Request,
        raw: Annotated[
            str | None,
            Query(alias=parameter, description="comma-separated ids for a batch read (at most max_page_size)"),
        ] = None,
    ) -> list[uuid.UUID] | None:
        if raw is None:
            return None
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        limit = request.app.state.settings.max_page_size
        if len(parts) > limit:
            detail = Text(f"Tối đa {limit} mã mỗi lần", f"At most {limit} ids per request")
            raise InvalidInput(detail, errors=[FieldError(detail, parameter=parameter)])
        try:
            return [uuid.UUID(p) for p in parts]
        except ValueError as exc:
            detail = Text("Danh sách mã có giá trị không phải UUID", "The id list holds a value that is not a UUID")
            raise InvalidInput(detail, errors=[FieldError(detail, parameter=parameter)]) from exc

    return read


def _as_of(
    as_of: Annotated[IsoDate | None, Query(description="read dated facts on this day (default: today)")] = None,
) -> date:
    return as_of or date.today()


IdList = Annotated[list[uuid.UUID] | None, Depends(id_list("ids"))]
UnitIdList = Annotated[list[uuid.UUID] | None, Depends(id_list("unit_ids"))]
AsOf = Annotated[date, Depends(_as_of)]
