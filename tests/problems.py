"""One line to check a problem+json answer: its status, its stable `type`, and the field at fault."""

from typing import Any

import httpx

from kit.problems import PROBLEM_BASE, PROBLEM_JSON


def assert_problem(
    response: httpx.Response,
    status: int,
    slug: str,
    *,
    pointer: str | None = None,
    parameter: str | None = None,
) -> dict[str, Any]:
    """The answer is problem `slug` (`https://thidua.vn/problems/<slug>`) with `status`; with `pointer` (or
    `parameter`), one of its `errors` blames that body field (or parameter). Returns the body for further checks."""
    assert (response.status_code, response.headers.get("content-type", "").split(";")[0]) == (status, PROBLEM_JSON), (
        response.text
    )
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEM_BASE + slug, body
    if pointer is not None:
        assert pointer in [e.get("pointer") for e in body.get("errors", [])], body
    if parameter is not None:
        assert parameter in [e.get("parameter") for e in body.get("errors", [])], body
    return body
