"""Idempotency-Key for creating POSTs: the first response is stored and replayed to retries.

Each service keeps the keys in its own schema (`idempotency_keys`). A key is claimed in its own short transaction
before the handler runs, so two concurrent retries cannot both create: the second sees the claim and gets 409
(still running) or the replay (done). The same key with another request body is a 422. A 5xx releases the key.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.auth import TokenVerifier
from kit.db import Database
from kit.http import header, language, problem_response
from kit.middleware import request_id_var
from kit.problems import Conflict, FieldError, InvalidInput, Problem, Text

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
_REPLAYED_HEADERS = {"content-type", "location", "etag", "content-language"}


def idempotency_table(metadata: sa.MetaData) -> sa.Table:
    """The key table, declared in a service's own MetaData (and so in its schema and migrations)."""
    return sa.Table(
        "idempotency_keys",
        metadata,
        sa.Column("principal", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("headers", JSONB),
        sa.Column("body", sa.LargeBinary),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, table: sa.Table, ttl: timedelta) -> None:
        self.app = app
        self.table = table
        self.ttl = ttl

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = header(scope.get("headers", []), HEADER) if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        lang = language(header(scope["headers"], "accept-language"))

        async def fail(problem: Problem) -> None:
            await problem_response(problem, lang=lang, instance=scope["path"], request_id=request_id_var.get())(
                scope, receive, send
            )

        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            detail = Text(
                f"Idempotency-Key phải dài từ 1 đến {MAX_KEY_LENGTH} ký tự",
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters",
            )
            await fail(InvalidInput(detail, errors=[FieldError(detail, parameter="Idempotency-Key")]))
            return

        body = await _read_body(receive)
        app = scope["app"]
        principal = await _principal(app.state.verifier, header(scope["headers"], "authorization"))
        digest = hashlib.sha256()
        for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode(), body.decode("latin-1")):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        fingerprint = digest.hexdigest()

        database: Database = app.state.database
        stored = await self._claim(database, principal, key, fingerprint)
        if stored is not None:
            if stored.fingerprint != fingerprint:
                detail = Text(
                    "Idempotency-Key này đã dùng cho một yêu cầu khác",
                    "This Idempotency-Key was used for another request",
                )
                await fail(InvalidInput(detail, errors=[FieldError(detail, parameter="Idempotency-Key")]))
            elif stored.status_code is None:
                await fail(
                    Conflict(
                        Text("Yêu cầu cùng Idempotency-Key đang được xử lý", "A request with this key is in progress")
                    )
                )
            else:
                await _replay(send, stored.status_code, stored.headers or {}, stored.body or b"")
            return

        captured: dict[str, object] = {"status": 500, "headers": [], "body": bytearray()}

        async def replay_receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def capturing_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                buf = captured["body"]
                assert isinstance(buf, bytearray)
                buf.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capturing_send)
        finally:
            await self._settle(database, principal, key, captured)

    async def _claim(self, database: Database, principal: str, key: str, fingerprint: str) -> "_Stored | None":
        t = self.table
        async with database.sessionmaker() as session, session.begin():
            # An expired key is free again.
            await session.execute(
                sa.delete(t).where(
                    t.c.principal == principal, t.c.key == key, t.c.created_at < datetime.now(UTC) - self.ttl
                )
            )
            claimed = await session.execute(
                insert(t)
                .values(principal=principal, key=key, fingerprint=fingerprint)
                .on_conflict_do_nothing()
                .returning(t.c.key)
            )
            if claimed.first() is not None:
                return None
            row = await session.execute(
                sa.select(t.c.fingerprint, t.c.status_code, t.c.headers, t.c.body).where(
                    t.c.principal == principal, t.c.key == key
                )
            )
            fp, status, headers, body = row.one()
            return _Stored(fp, status, headers, body)

    async def _settle(self, database: Database, principal: str, key: str, captured: dict[str, object]) -> None:
        t = self.table
        status = captured["status"]
        assert isinstance(status, int)
        where = (t.c.principal == principal) & (t.c.key == key)
        async with database.sessionmaker() as session, session.begin():
            if status >= 500:
                await session.execute(sa.delete(t).where(where))
                return
            raw_headers = captured["headers"]
            assert isinstance(raw_headers, list)
            headers = {
                k.decode("latin-1"): v.decode("latin-1")
                for k, v in raw_headers
                if k.decode("latin-1").lower() in _REPLAYED_HEADERS
            }
            body = captured["body"]
            assert isinstance(body, bytearray)
            await session.execute(
                sa.update(t).where(where).values(status_code=status, headers=headers, body=bytes(body))
            )


@dataclass(frozen=True)
class _Stored:
    fingerprint: str
    status_code: int | None
    headers: dict[str, str] | None
    body: bytes | None


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _principal(verifier: TokenVerifier, authorization: str | None) -> str:
    """Keys are per caller; an unverifiable token is left for the handler to refuse."""
    if not authorization or not authorization.lower().startswith("bearer "):
        return "anonymous"
    try:
        caller = await verifier.verify(authorization[7:].strip())
    except Problem:
        return "unverified:" + hashlib.sha256(authorization.encode()).hexdigest()
    return caller.subject


async def _replay(send: Send, status: int, headers: dict[str, str], body: bytes) -> None:
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    raw.append((b"idempotent-replayed", b"true"))
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})
