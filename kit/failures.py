"""What an exception means for the caller: the problem it is answered with, whichever layer raised it.

Used by the app's exception handlers and by the outermost middleware, which answers what escapes every handler
(errors raised in middleware, e.g. reading a body or claiming an Idempotency-Key) instead of leaving it to
Starlette's ServerErrorMiddleware: that one runs outside our middleware (no request id) and re-raises, so the
server closes the connection after its 500."""

import logging
import sys
from typing import Any

from kit.http import ProblemException
from kit.problems import FieldError, InternalError, InvalidInput, Problem, ServiceUnavailable, Text

log = logging.getLogger("thidua")


def database_unavailable(retry_after: int) -> ServiceUnavailable:
    """503 for a database that cannot be reached now; the client may retry after `retry_after` seconds."""
    return ServiceUnavailable(
        Text(
            "Cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau ít giây",
            "The database is unreachable for now; retry in a few seconds",
        ),
        headers={"Retry-After": str(retry_after)},
    )


def nested_too_deeply() -> InvalidInput:
    """422 for a JSON body nested deeper than the parser goes (Python's recursion limit)."""
    detail = Text("JSON lồng nhau quá sâu", "The JSON is nested too deeply")
    return InvalidInput(detail, errors=[FieldError(detail, pointer="")])


def unexpected() -> InternalError:
    return InternalError(
        Text(
            "Đã có lỗi không mong muốn; hãy báo mã yêu cầu (request_id) cho quản trị viên",
            "Something unexpected failed; give the request id (request_id) to the administrator",
        )
    )


def problem_for(exc: BaseException, *, retry_after: int) -> Problem | None:
    """The problem answering `exc`, or None for an unexpected failure (a 500, logged with its stack)."""
    if isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        return problem_for(exc.exceptions[0], retry_after=retry_after)
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, ProblemException):
        return exc.problem
    # Only an app that loaded kit.db can fail in its database; looked up, not imported, so the gateway loads none.
    db = sys.modules.get("kit.db")
    return db.database_problem(exc, retry_after=retry_after) if db is not None else None


def answer(exc: BaseException, *, retry_after: int, where: dict[str, Any]) -> Problem:
    """The problem answering `exc`, logged when it is the server's: an outage as one line, anything unexpected
    with its stack (`where` goes on the record: path and request id)."""
    problem = problem_for(exc, retry_after=retry_after)
    if problem is None:
        log.exception("unhandled error", extra=where)
        return unexpected()
    if problem.code >= 500:
        log.warning("%s: %s", problem.slug, f"{type(exc).__name__}: {exc}"[:300], extra=where)
    return problem
