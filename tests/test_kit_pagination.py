"""A short list a service reads whole pages with the keyset cursor contract (kit.pagination.PageParams.page_of):
pages follow each other to the last, in the key's order, and a cursor that was not made for this list is a 422."""

from typing import Any

import pytest

from kit.pagination import PageParams, decode_cursor, encode_cursor
from kit.problems import InvalidInput

# (year, code): newest year first, then by code; the key negates the year for a descending part.
ROWS = [(2024, "b"), (2025, "a"), (2024, "a"), (2023, "z"), (2025, "c")]
ORDER = [(2025, "a"), (2025, "c"), (2024, "a"), (2024, "b"), (2023, "z")]


def _key(row: tuple[int, str]) -> tuple[int, str]:
    return (-row[0], row[1])


def _walk(limit: int) -> list[list[tuple[int, str]]]:
    pages, cursor = [], None
    while True:
        page = PageParams(limit=limit, cursor=decode_cursor(cursor) if cursor else None).page_of(ROWS, _key)
        pages.append(page.items)
        if not (cursor := page.next_cursor):
            return pages


@pytest.mark.parametrize(
    ("limit", "sizes"), [(1, [1, 1, 1, 1, 1]), (2, [2, 2, 1]), (5, [5]), (6, [5])], ids=["1", "2", "5", "6"]
)
def test_pages_follow_each_other_in_the_keys_order(limit: int, sizes: list[int]) -> None:
    pages = _walk(limit)
    assert [len(p) for p in pages] == sizes
    assert [row for page in pages for row in page] == ORDER


def test_an_empty_list_is_one_empty_last_page() -> None:
    empty: list[str] = []
    page = PageParams(limit=3, cursor=["x"]).page_of(empty, lambda row: (row,))
    assert (page.items, page.next_cursor) == ([], None)


def test_the_cursor_is_the_last_items_key() -> None:
    page = PageParams(limit=2, cursor=None).page_of(ROWS, _key)
    assert page.next_cursor == encode_cursor([-2025, "c"])


@pytest.mark.parametrize(
    "cursor",
    [["a"], [-2025, "a", "extra"], ["a", -2025], [-2025, None], [-2025, ["a"]], [{"a": 1}, "a"]],
    ids=["short", "long", "swapped", "null", "nested", "object"],
)
def test_a_cursor_of_another_list_is_invalid_input(cursor: list[Any]) -> None:
    with pytest.raises(InvalidInput) as raised:
        PageParams(limit=2, cursor=cursor).page_of(ROWS, _key)
    assert raised.value.errors[0].parameter == "cursor"
