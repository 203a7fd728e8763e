"""HTTP caching, declared per operation and applied by one middleware.

Each GET operation declares who may keep its answer, with `@cache(POLICY)` on its handler, the way it declares who
may call it with `requires(...)`; the policy is published in the operation's OpenAPI as `x-cache`. The policy has two
halves, since a CDN keys by URL and never by token: what an anonymous caller's answer says (`public, max-age, s-maxage,
stale-while-revalidate` for open data: a CDN absorbs the publication-day spike) and what a signed-in caller's says
(never `public`: `private, no-cache` to revalidate, `private, no-store` where it can hold personal data).

`CachingMiddleware` applies it to every GET: a 200 without an ETag gets a strong one from its body's hash (one that
carries a version ETag for If-Match keeps it); `If-None-Match` (a list, `*`, compared weakly as RFC 9110 §13.1.2 says)
answers 304 with the ETag, Cache-Control and Vary and no body; `Vary: Authorization` goes on every 200; a problem is
`no-store`. A Cache-Control the handler set itself wins (the gateway's GraphQL result with errors).

`remember(request, *tags)` lets a handler keep an anonymous answer in the process (`Answers`, bounded in bytes) for
the shared max age, so the next anonymous GET of the same URL, with or without If-None-Match, is answered before
any dependency runs: no database round trip. `forget(request, *tags)` drops a tag's answers in this process at once
(call it after the commit that changes them, `kit.db.after_commit`); other processes keep theirs until they expire,
as a CDN does.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.lru import ByteBoundedLRU

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC, REVALIDATE, NO_STORE = "public", "private, no-cache", "no-store"
PRIVATE_NO_STORE = "private, no-store"
_REMEMBER = "thidua.remember"  # the scope key a handler's `remember` writes
_KEPT_ON_304 = {b"etag", b"cache-control", b"vary", b"content-location", b"expires", b"date", b"age"}
NOT_MODIFIED = "Not modified: If-None-Match names the current ETag (no body)"
_MAX_ETAG_BODY = 32 * 1024 * 1024  # a larger answer streams on without an ETag rather than sit in memory


@dataclass(frozen=True)
class Policy:
    """Who may keep an operation's 200: `anonymous` and `signed_in` are PUBLIC (shared caches, with the configured
    ages), REVALIDATE (the caller's own cache, checked each time) or a `no-store` directive."""

    name: str
    anonymous: str
    signed_in: str
    why: str


OPEN_DATA = Policy("open-data", PUBLIC, REVALIDATE, "open data: the same answer for every caller")
OPEN_DATA_AND_PERSONAL = Policy(
    "open-data-and-personal",
    PUBLIC,
    PRIVATE_NO_STORE,
    "open data to anonymous callers; a signed-in caller's answer may hold personal data of their scope "
    "(households, people, officials' account names)",
)
SIGNED_IN = Policy("signed-in", REVALIDATE, REVALIDATE, "for signed-in callers; no personal data")
PERSONAL = Policy("personal", PRIVATE_NO_STORE, PRIVATE_NO_STORE, "personal data: never stored")
UNCACHED = Policy("uncached", NO_STORE, NO_STORE, "the process's state now (health)")
UNDECLARED = Policy("undeclared", NO_STORE, NO_STORE, "no policy declared: nothing is kept")


def cache(policy: Policy) -> Callable[[F], F]:
    """Declare an operation's cache policy: `@cache(OPEN_DATA)` on its handler (above or below the route's own
    decorator); published in OpenAPI as `x-cache` (`declare_caching`)."""

    def mark(handler: F) -> F:
        handler.cache_policy = policy  # type: ignore[attr-defined]
        return handler

    return mark


def declared_policy(handler: Any) -> Policy | None:
    found = getattr(handler, "cache_policy", None)
    return found if isinstance(found, Policy) else None


@dataclass(frozen=True)
class Ages:
    """The ages a PUBLIC answer carries (settings `cache_*_seconds`)."""

    max_age: int
    shared_max_age: int
    stale_while_revalidate: int

    def directive(self, kind: str) -> str:
        if kind != PUBLIC:
            return kind
        return (
            f"public, max-age={self.max_age}, s-maxage={self.shared_max_age}, "
            f"stale-while-revalidate={self.stale_while_revalidate}"
        )


def declare_caching(routes: Iterable[Any], ages: Ages) -> None:
    """Publish each GET operation's policy as `x-cache` (its Cache-Control for anonymous and signed-in callers) and
    document the 304 it answers to If-None-Match."""
    for route in routes:
        policy = declared_policy(route.endpoint)
        if "GET" not in route.methods or policy is None:
            continue
        extra = route.openapi_extra or {}
        route.openapi_extra = {
            **extra,
            "x-cache": {
                "policy": policy.name,
                "why": policy.why,
                "anonymous": ages.directive(policy.anonymous),
                "signed_in": ages.directive(policy.signed_in),
            },
            "responses": {**extra.get("responses", {}), "304": {"description": NOT_MODIFIED}},
        }


def strong_etag(body: bytes) -> str:
    """A strong validator of a body: its hash (128 bits of BLAKE2b, in hex)."""
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def none_match(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match list names `etag` (weak comparison: `W/"x"` matches `"x"`), or is `*`."""
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


# --- answers kept in the process ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str
    vary: tuple[tuple[bytes, bytes | None], ...]  # the request headers it varies by, as they were
    stored: float
    generations: tuple[tuple[str, int], ...]


class Answers:
    """Anonymous 200s that handlers chose to `remember`, by URL, for `ttl` seconds, bounded in bytes. A tag's
    generation grows on `forget`: an answer stamped with an older one is dropped when next asked for (and one read
    before a `forget` but finished after it is never kept)."""

    def __init__(self, *, ttl: float, max_bytes: int, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self._kept: ByteBoundedLRU[str, Answer] = ByteBoundedLRU(max_bytes=max_bytes, max_entries=max_entries)
        self._generations: dict[str, int] = {}

    def stamp(self, tags: Iterable[str]) -> tuple[tuple[str, int], ...]:
        return tuple((tag, self._generations.get(tag, 0)) for tag in tags)

    def _current(self, generations: tuple[tuple[str, int], ...]) -> bool:
        return all(self._generations.get(tag, 0) == seen for tag, seen in generations)

    def get(self, key: str, request_headers: list[tuple[bytes, bytes]]) -> Answer | None:
        answer = self._kept.get(key)
        if answer is None:
            return None
        if answer.stored + self.ttl <= time.monotonic() or not self._current(answer.generations):
            self._kept.discard(key)
            return None
        if any(_header(request_headers, name) != value for name, value in answer.vary):
            return None
        return answer

    def put(self, key: str, answer: Answer) -> None:
        if self.ttl > 0 and self._current(answer.generations):
            self._kept.put(key, answer, len(answer.body) + 64 * (len(answer.headers) + 4) + len(key))

    def forget(self, *tags: str) -> None:
        for tag in tags:
            self._generations[tag] = self._generations.get(tag, 0) + 1

    def __len__(self) -> int:
        return len(self._kept)


def remember(request: Request, *tags: str) -> None:
    """Keep this request's answer in the process if it is an anonymous 200 whose Cache-Control is public, until
    `forget(request, tag)` for one of `tags` or the shared max age. Call it before reading what the answer shows."""
    answers: Answers | None = getattr(request.app.state, "answers", None)
    if answers is not None:
        request.scope[_REMEMBER] = answers.stamp(tags)


async def forget(request: Request, *tags: str) -> None:
    """Drop this process's kept answers of `tags` (an async job, for `kit.db.after_commit`)."""
    answers: Answers | None = getattr(request.app.state, "answers", None)
    if answers is not None:
        answers.forget(*tags)


# --- the middleware -------------------------------------------------------------------------------------------------


def _header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _url(scope: Scope) -> str:
    query: bytes = scope.get("query_string", b"")
    path: str = scope["path"]
    return path + ("?" + query.decode("latin-1") if query else "")


def _vary_with_authorization(value: bytes) -> bytes:
    names = [n.strip() for n in value.split(b",") if n.strip()]
    if b"authorization" in (n.lower() for n in names):
        return value
    return b", ".join([*names, b"Authorization"])


class CachingMiddleware:
    """ETag, If-None-Match and Cache-Control on every GET, by the operation's declared `Policy`; answers a kept
    anonymous answer (`Answers`) without calling the app."""

    def __init__(self, app: ASGIApp, *, ages: Ages, answers: Answers | None = None) -> None:
        self.app = app
        self.ages = ages
        self.answers = answers
        self._directives: dict[tuple[Policy, bool], bytes] = {}

    def _directive(self, scope: Scope, anonymous: bool) -> bytes:
        route = scope.get("route")
        policy = declared_policy(getattr(route, "endpoint", None) or scope.get("endpoint")) or UNDECLARED
        found = self._directives.get((policy, anonymous))
        if found is None:
            found = self.ages.directive(policy.anonymous if anonymous else policy.signed_in).encode()
            self._directives[(policy, anonymous)] = found
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        anonymous, conditional = True, None
        for key, value in scope["headers"]:
            key = key.lower()
            if key == b"authorization":
                anonymous = False
            elif key == b"if-none-match":
                conditional = value.decode("latin-1")
        if anonymous and self.answers:
            kept = self.answers.get(_url(scope), scope["headers"])
            if kept is not None:  # as a cache does, it says how old the answer is (RFC 9111 §5.1)
                age = str(int(time.monotonic() - kept.stored)).encode()
                await self._answer(send, [*kept.headers, (b"age", age)], kept.body, kept.etag, conditional)
                return

        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False

        async def buffered(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if message["status"] != 200:
                    if message["status"] >= 400 and _header(headers, b"cache-control") is None:
                        headers.append((b"cache-control", b"no-store"))  # a problem is never kept
                    passing = True
                    await send({**message, "headers": headers})
                    return
                start = {**message, "headers": headers}
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if message.get("more_body", False):
                if size > _MAX_ETAG_BODY:  # too large to hold: it goes on without an ETag
                    passing = True
                    self._label(scope, start["headers"], anonymous, None)
                    await send(start)
                    await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
                return
            body = b"".join(chunks) if len(chunks) > 1 else chunks[0]
            await self._finish(scope, send, start["headers"], body, anonymous, conditional)

        await self.app(scope, receive, buffered)

    def _label(
        self, scope: Scope, headers: list[tuple[bytes, bytes]], anonymous: bool, body: bytes | None
    ) -> tuple[str | None, bytes, bytes]:
        """Complete a 200's headers in one pass: Cache-Control (unless the handler set one), Authorization in Vary,
        an ETag of `body` (unless it has one; none without a body). Returns the ETag, Cache-Control and Vary."""
        etag: str | None = None
        control = vary = None
        for i, (key, value) in enumerate(headers):
            key = key.lower()
            if key == b"etag":
                etag = value.decode("latin-1")
            elif key == b"cache-control":
                control = value
            elif key == b"vary":
                vary = _vary_with_authorization(value)
                headers[i] = (b"vary", vary)
        if control is None:
            control = self._directive(scope, anonymous)
            headers.append((b"cache-control", control))
        if vary is None:
            vary = b"Authorization"
            headers.append((b"vary", vary))
        if etag is None and body is not None:
            etag = strong_etag(body)
            headers.append((b"etag", etag.encode()))
        return etag, control, vary

    async def _finish(
        self,
        scope: Scope,
        send: Send,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        anonymous: bool,
        conditional: str | None,
    ) -> None:
        etag, control, vary = self._label(scope, headers, anonymous, body)
        assert etag is not None
        stamp = scope.get(_REMEMBER)
        if stamp is not None and anonymous and self.answers is not None and control.startswith(b"public"):
            names = [n.strip().lower() for n in vary.split(b",")]
            varies = tuple((n, _header(scope["headers"], n)) for n in names if n and n != b"authorization")
            self.answers.put(_url(scope), Answer(list(headers), body, etag, varies, time.monotonic(), stamp))
        await self._answer(send, headers, body, etag, conditional)

    @staticmethod
    async def _answer(
        send: Send, headers: list[tuple[bytes, bytes]], body: bytes, etag: str, conditional: str | None
    ) -> None:
        if conditional is not None and none_match(conditional, etag):
            kept = [(k, v) for k, v in headers if k.lower() in _KEPT_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
