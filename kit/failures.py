"""What an exception means for the caller: the problem it is answered with, whichever layer raised it.

Used by the app's exception handlers and by the outermost middleware, which answers what escapes every handler
(errors raised in middleware, e.g. reading a body or claiming an Idempotency-Key) instead of leaving it to
Starlette's ServerErrorMiddleware: that one runs outside our middleware (no request id) and re-raises, so the
server closes the connection after its 500."""

from sqlalchemy.exc import DBAPIError

from kit.db import database_lost
from kit.http import ProblemException
from kit.problems import InternalError, InvalidInput, Problem, ServiceUnavailable, Text


def database_unavailable(retry_after: int) -> ServiceUnavailable:
    """503 for a database that cannot be reached now; the client may retry after `retry_after` seconds."""
    return ServiceUnavailable(
        Text(
            "Cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau ít giây",
            "The database is unreachable for now; retry in a few seconds",
        ),
        headers={"Retry-After": str(retry_after)},
    )


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
    if database_lost(exc):
        return database_unavailable(retry_after)
    # SQLSTATE class 22 (data exception: a NUL in text, a number out of range …) is the caller's input.
    state = str(getattr(getattr(exc, "orig", None), "sqlstate", "") or "")
    if isinstance(exc, DBAPIError) and state.startswith("22"):
        return InvalidInput(
            Text(
                "Có giá trị không lưu được (ký tự NUL, số quá lớn …)",
                "A value cannot be stored (a NUL character, a number out of range …)",
            ),
            sqlstate=state,
        )
    return None
