"""Idempotency-Key for creating POSTs: the first response is stored and replayed to retries.

Each service keeps the keys in its own schema (`idempotency_keys`). A key is claimed in its own short transaction
before the handler runs, so two concurrent retries cannot both create: the second sees the claim and gets 409
(still running) or the replay (done). The same key with another request body is a 422.

The response is stored before it is sent, so a retry that follows a delivered answer is always a replay. A 5xx
(or an exception) releases the key for a retry. A claim carries a lease (`locked_until`): if its request never
settled (the process died, or the database was away when the outcome was to be written), a retry with the same
body may claim the key again once the lease is over. An outcome the database could not take is also held in
memory and written before this app's next idempotent request, so a client retrying after an outage is not kept
waiting for the lease. Every claim has its own id: a late settlement never touches a newer claim of the key.
"""

import asyncio
import hashlib
import logging
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.auth import TokenVerifier
from kit.db import Database, database_lost
from kit.http import MAX_KEY_LENGTH, header, language, problem_response
from kit.middleware import request_id_var
from kit.problems import Conflict, FieldError, InvalidInput, Problem, Text

HEADER = "idempotency-key"
_REPLAYED_HEADERS = {"content-type", "location", "etag", "content-language"}
_HELD_MAX = 10_000  # outcomes kept for a database that is away; the oldest are dropped (their lease frees them)
_CLAIM_ATTEMPTS = 3

log = logging.getLogger("thidua.idempotency")


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
        # While the request runs: until when its claim holds (null once the response is stored), and which claim
        # it is (a late settlement of an older claim of the key leaves a newer one alone).
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("claim_id", sa.Uuid),
    )


@dataclass(frozen=True)
class _Stored:
    fingerprint: str
    status_code: int | None
    headers: dict[str, str] | None
    body: bytes | None


@dataclass(frozen=True)
class _Claim:
    principal: str
    key: str
    id: uuid.UUID


@dataclass(frozen=True)
class _Outcome:
    """What to write when a request ends: its response (status < 500), or None to release the key."""

    claim: _Claim
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class IdempotencyMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        table: sa.Table,
        ttl: timedelta,
        lease: timedelta = timedelta(minutes=2),
        retry_after: int = 2,
    ) -> None:
        self.app = app
        self.table = table
        self.ttl = ttl
        self.lease = lease
        self.retry_after = retry_after
        self._held: OrderedDict[uuid.UUID, _Outcome] = OrderedDict()  # by claim id
        self._held_lock = asyncio.Lock()

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
        await self._write_held(database)
        mine = _Claim(principal, key, uuid.uuid4())
        try:
            claim = await self._claim(database, mine, fingerprint)
        except Exception as exc:
            if database_lost(exc):  # the claim may have committed unseen: release it as soon as we can
                self._hold(_Outcome(mine))
            raise  # the outermost middleware answers 503
        if isinstance(claim, _Stored):
            if claim.fingerprint != fingerprint:
                detail = Text(
                    "Idempotency-Key này đã dùng cho một yêu cầu khác",
                    "This Idempotency-Key was used for another request",
                )
                await fail(InvalidInput(detail, errors=[FieldError(detail, parameter="Idempotency-Key")]))
            elif claim.status_code is None:
                await fail(
                    Conflict(
                        Text("Yêu cầu cùng Idempotency-Key đang được xử lý", "A request with this key is in progress"),
                        headers={"Retry-After": str(self.retry_after)},
                    )
                )
            else:
                await _replay(send, claim.status_code, claim.headers or {}, claim.body or b"")
            return

        async def replay_receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        response = _Buffered()
        try:
            await self.app(scope, replay_receive, response.capture)
        except Exception:
            await self._settle(database, _Outcome(claim))
            raise
        if response.status >= 500:
            await self._settle(database, _Outcome(claim))
        else:
            # Stored before it is sent: a retry right after this answer replays it.
            await self._settle(database, _Outcome(claim, response.status, response.replayed_headers(), response.body))
        await response.send_to(send)

    async def _claim(self, database: Database, mine: _Claim, fingerprint: str) -> "_Claim | _Stored":
        t = self.table
        now = sa.func.now()
        new = insert(t).values(
            principal=mine.principal,
            key=mine.key,
            fingerprint=fingerprint,
            locked_until=now + self.lease,
            claim_id=mine.id,
        )
        free_again = (
            # A claim whose request never settled, retried with the same body after its lease …
            t.c.status_code.is_(None) & (t.c.locked_until < now) & (t.c.fingerprint == fingerprint)
        ) | (t.c.created_at < now - self.ttl)  # … or any key past its time to live.
        claim = new.on_conflict_do_update(
            index_elements=[t.c.principal, t.c.key],
            set_={
                "fingerprint": new.excluded.fingerprint,
                "locked_until": new.excluded.locked_until,
                "claim_id": new.excluded.claim_id,
                "created_at": now,
                "status_code": None,
                "headers": None,
                "body": None,
            },
            where=free_again,
        ).returning(t.c.claim_id)
        stored = sa.select(t.c.fingerprint, t.c.status_code, t.c.headers, t.c.body, t.c.claim_id).where(
            t.c.principal == mine.principal, t.c.key == mine.key
        )
        for _ in range(_CLAIM_ATTEMPTS):
            async with database.sessionmaker() as session, session.begin():
                if (await session.execute(claim)).first() is not None:
                    return mine
                row = (await session.execute(stored)).first()
            if row is None:
                continue  # the holder released the key between our insert and our read: claim again
            if row.status_code is None and row.claim_id in self._held:
                # A claim of ours that died in the outage, whose release another request has not written yet.
                await self._write_held(database)
                continue
            return _Stored(row.fingerprint, row.status_code, row.headers, row.body)
        return _Stored(fingerprint, None, None, None)  # still contended: answered as in progress

    async def _settle(self, database: Database, outcome: _Outcome) -> None:
        """Write the outcome; if the database is away, hold it and write it when it is back."""
        try:
            async with database.sessionmaker() as session, session.begin():
                await self._write(session, outcome)
        except Exception as exc:
            if not database_lost(exc):
                raise
            log.warning("idempotency outcome held until the database is back", extra={"key": outcome.claim.key})
            self._hold(outcome)

    async def _write(self, session: AsyncSession, outcome: _Outcome) -> None:
        t = self.table
        claim = outcome.claim
        # Fenced: only our own claim, and only while it is unsettled.
        mine = (
            (t.c.principal == claim.principal)
            & (t.c.key == claim.key)
            & (t.c.claim_id == claim.id)
            & t.c.status_code.is_(None)
        )
        if outcome.status is None:
            await session.execute(sa.delete(t).where(mine))
        else:
            await session.execute(
                sa.update(t)
                .where(mine)
                .values(
                    status_code=outcome.status,
                    headers=outcome.headers,
                    body=outcome.body,
                    locked_until=None,
                    claim_id=None,
                )
            )

    def _hold(self, outcome: _Outcome) -> None:
        self._held[outcome.claim.id] = outcome
        while len(self._held) > _HELD_MAX:
            self._held.popitem(last=False)

    async def _write_held(self, database: Database) -> None:
        """Outcomes held during an outage, written before anything else (all or none). One request tries at a
        time; those arriving meanwhile wait for its attempt rather than each trying a database that may be away."""
        if not self._held:
            return
        if self._held_lock.locked():
            async with self._held_lock:
                return
        async with self._held_lock:
            held = list(self._held.items())
            try:
                async with database.sessionmaker() as session, session.begin():
                    for _, outcome in held:
                        await self._write(session, outcome)
            except Exception as exc:
                if database_lost(exc):
                    return
                log.exception("held idempotency outcomes dropped")  # never let them fail every later request
            for ident, outcome in held:
                if self._held.get(ident) is outcome:
                    del self._held[ident]


class _Buffered:
    """A response kept back until it is complete (so it can be stored before it is sent)."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""
        self._chunks: list[bytes] = []
        self._start: Message | None = None

    async def capture(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self._chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                self.body = b"".join(self._chunks)

    def replayed_headers(self) -> dict[str, str]:
        return {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in self.headers
            if k.decode("latin-1").lower() in _REPLAYED_HEADERS
        }

    async def send_to(self, send: Send) -> None:
        if self._start is None:
            return
        await send(self._start)
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


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
