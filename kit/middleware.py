"""ASGI middleware shared by every service: request ids, access logs and the last word on errors; the body size
limit; Unicode NFC of JSON bodies."""

import json
import logging
import time
import unicodedata
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.failures import answer, nested_too_deeply
from kit.http import REQUEST_ID_HEADER, ProblemException, header, language, problem_response
from kit.logs import request_id_var as request_id_var  # where log records read it
from kit.problems import PayloadTooLarge, Text

METRICS_PATH = "/metrics"  # served by kit.metrics; scrapes would drown the access log
access_log = logging.getLogger("thidua.access")
access_log.addFilter(lambda record: getattr(record, "path", None) != METRICS_PATH)
log = logging.getLogger("thidua")


class RequestContextMiddleware:
    """Gives each request an id (taken from X-Request-ID when sent), echoes it, logs one line per request, and
    answers whatever no handler did: a problem raised in middleware, a lost database (503 with Retry-After), or an
    unexpected failure (500 logged with its stack). Every answer, a 500 included, carries the id in its header,
    its body and the log, and the connection stays open for the client's next request."""

    def __init__(self, app: ASGIApp, *, retry_after: int = 2) -> None:
        self.app = app
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(header(scope["headers"], REQUEST_ID_HEADER))
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER.encode(), rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            where = {"path": scope["path"], "request_id": rid}  # on the record itself, whoever formats it later
            if status is not None:  # the answer has begun: nothing to send but the server's own close
                log.exception("failed after the response started", extra=where)
                raise
            problem = answer(exc, retry_after=self.retry_after, where=where)
            lang = language(header(scope["headers"], "accept-language"))
            response = problem_response(problem, lang=lang, instance=scope["path"], request_id=rid)
            await response(scope, receive, send_with_id)
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


def _request_id(sent: str | None) -> str:
    """The client's id when it is a sane token (it is echoed in a header and written to logs), else a new one."""
    if sent and len(sent) <= 128 and all(c.isalnum() or c in "-_.:" for c in sent) and sent.isascii():
        return sent
    return uuid.uuid4().hex


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
            # Whoever reads the body meets the 413: a handler (FastAPI lets only an HTTPException through its
            # body reading) or a middleware (RequestContextMiddleware answers it).
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise ProblemException(self._too_large(scope))
            return message

        await self.app(scope, counting_receive, send)


class UnicodeNormalizationMiddleware:
    """Every JSON body reaches the services in Unicode NFC, whatever the client sent (NFD from a Mac, say).

    Done once at the edge on the raw text: an ASCII body (the common case) passes untouched; one with `\\u` escapes
    is decoded, normalised string by string and re-encoded, since an escaped combining mark is ASCII in the text.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = header(scope.get("headers", []), "content-type") if scope["type"] == "http" else None
        if kind is None or "json" not in kind or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = _nfc_json(b"".join(chunks))
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(dict(scope, headers=headers), replay, send)


def _nfc_json(body: bytes) -> bytes:
    if body.isascii() and b"\\u" not in body:
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body  # the JSON parser will refuse it with a clear 422
    if "\\u" not in text:
        return unicodedata.normalize("NFC", text).encode()
    try:
        return json.dumps(_nfc_value(json.loads(text)), ensure_ascii=False).encode()
    except ValueError:
        return body
    except RecursionError:
        raise nested_too_deeply() from None


def _nfc_value(value: object) -> object:
    if isinstance(value, str):
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc_value(v) for v in value]
    if isinstance(value, dict):
        return {_nfc_value(k): _nfc_value(v) for k, v in value.items()}
    return value
