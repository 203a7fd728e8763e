"""Rendering problems on the wire, and reading what every request carries (language, request id)."""

from collections.abc import Iterable
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse

from kit.problems import PROBLEM_JSON, Problem

REQUEST_ID_HEADER = "x-request-id"
MAX_KEY_LENGTH = 255  # an Idempotency-Key's length, checked by the gateway and by the service that keeps it


def language(accept_language: str | None) -> str:
    """'en' when the caller prefers English over Vietnamese, else 'vi' (the product's language)."""
    best, best_q = "vi", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("vi", "en") and q > best_q:
            best, best_q = primary, q
    return best


def header(headers: Iterable[tuple[bytes, bytes]], name: str) -> str | None:
    wanted = name.lower().encode()
    for key, value in headers:
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None


def problem_response(problem: Problem, *, lang: str, instance: str | None, request_id: str | None) -> JSONResponse:
    body: dict[str, Any] = problem.render(lang, instance=instance, request_id=request_id)
    headers = {"Content-Language": lang, **problem.headers}
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)


class ProblemException(HTTPException):
    """A problem raised where the framework lets only an HTTPException through: while FastAPI reads a body, any
    other exception becomes its own 400 (a body over the size limit must stay a 413)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code, problem.detail.en, problem.headers or None)
        self.problem = problem
