"""ASGI middleware shared by every service: request ids with structured access logs, and the body size limit."""

import logging
import time
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.http import REQUEST_ID_HEADER, header, language, problem_response
from kit.problems import PayloadTooLarge, Text

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
access_log = logging.getLogger("thidua.access")


class RequestContextMiddleware:
    """Gives each request an id (taken from X-Request-ID when sent), echoes it, and logs one line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = header(scope["headers"], REQUEST_ID_HEADER) or uuid.uuid4().hex
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER.encode(), rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)


class BodySizeLimitMiddleware:
    """Answers 413 before reading more than `max_bytes` of a request body (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self, scope: Scope) -> PayloadTooLarge:
        return PayloadTooLarge(
            Text(
                f"Dữ liệu vượt quá giới hạn {self.max_bytes} byte", f"The body exceeds the {self.max_bytes}-byte limit"
            ),
            max_bytes=self.max_bytes,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang = language(header(scope["headers"], "accept-language"))
        declared = header(scope["headers"], "content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            response = problem_response(
                self._too_large(scope), lang=lang, instance=scope["path"], request_id=request_id_var.get()
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            # Raised inside the app, so the problem handler renders it like any other error.
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise self._too_large(scope)
            return message

        await self.app(scope, counting_receive, send)
