"""Keyset pagination: an opaque cursor holds the sort key of the last item returned."""

import base64
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field

from kit.problems import FieldError, InvalidInput, Text

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` back as `cursor` to get the next one (null: last page)."""

    items: list[T] = Field(description="the items of this page")
    next_cursor: str | None = Field(default=None, description="opaque cursor of the next page, null on the last")


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: "[[[[…" nested deep
        raise _bad_cursor() from exc
    if not isinstance(value, list):
        raise _bad_cursor()
    return value


def _bad_cursor() -> InvalidInput:
    detail = Text("Con trỏ trang không hợp lệ", "Invalid page cursor")
    return InvalidInput(detail, errors=[FieldError(detail, parameter="cursor")])


class PageParams(BaseModel):
    limit: int
    cursor: list[Any] | None

    def after(self, *parsers: Callable[[Any], Any]) -> list[Any] | None:
        """The cursor's sort key, part by part through `parsers` (e.g. str, uuid.UUID): a cursor that was not one
        of ours is a 422, not a 500 further down."""
        if self.cursor is None:
            return None
        if len(self.cursor) != len(parsers):
            raise _bad_cursor()
        try:
            return [parse(part) for parse, part in zip(parsers, self.cursor, strict=True)]
        except (TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            raise _bad_cursor() from exc

    def page_of(self, items: Sequence[T], key: Callable[[T], tuple[str | int, ...]]) -> Page[T]:
        """A page of a short list the service reads whole (a catalogue, one unit's history): the same cursor contract
        as a keyset page. `key` gives each item's unique, ascending sort key of strings and integers (negate a
        number, or a date's ordinal, for a descending part); the items are put in that order here, so the cursor
        and the order can never disagree."""
        ordered = sorted(items, key=key)
        if self.cursor is not None:
            after = tuple(self.cursor)
            if ordered and len(key(ordered[0])) != len(after):
                raise _bad_cursor()
            try:
                ordered = [item for item in ordered if key(item) > after]
            except TypeError as exc:  # a cursor of another list: ["a"] against (1, "b")
                raise _bad_cursor() from exc
        more = len(ordered) > self.limit
        shown = ordered[: self.limit]
        return Page(items=shown, next_cursor=encode_cursor(list(key(shown[-1]))) if more else None)

    def page(self, rows: list[T], key: Any) -> Page[T]:
        """Build the page from up to `limit + 1` rows; `key(row)` is the row's sort key."""
        more = len(rows) > self.limit
        rows = rows[: self.limit]
        return Page(items=rows, next_cursor=encode_cursor(list(key(rows[-1]))) if more and rows else None)


def _page_params(
    request: Request,
    limit: Annotated[
        int | None, Query(ge=1, description="page size; the maximum is the service's max_page_size")
    ] = None,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page")] = None,
) -> PageParams:
    settings = request.app.state.settings
    if limit is not None and limit > settings.max_page_size:
        detail = Text(
            f"Kích thước trang tối đa là {settings.max_page_size}", f"The maximum page size is {settings.max_page_size}"
        )
        raise InvalidInput(detail, errors=[FieldError(detail, parameter="limit")])
    return PageParams(limit=limit or settings.default_page_size, cursor=decode_cursor(cursor) if cursor else None)


Paging = Annotated[PageParams, Depends(_page_params)]
