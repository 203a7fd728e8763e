"""Base of the typed clients services use to call each other over HTTP."""

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx
from fastapi import Request
from pydantic import BaseModel, TypeAdapter

from kit.pagination import Page
from kit.problems import FieldError, Problem, Text
from kit.versioning import etag

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
C = TypeVar("C", bound="ServiceClient")


class UpstreamProblem(Problem):
    """Another service answered with a problem; it is passed on with that service's status, type and detail."""

    def __init__(self, status: int, body: Mapping[str, Any], headers: dict[str, str] | None = None) -> None:
        messages = body.get("messages") or {}
        detail = Text(
            str(messages.get("vi") or body.get("detail") or body.get("title") or status),
            str(messages.get("en") or body.get("detail") or body.get("title") or status),
        )
        extensions = {
            k: v
            for k, v in body.items()
            if k not in ("type", "title", "status", "detail", "messages", "instance", "errors")
        }
        errors = [_field_error(e) for e in body.get("errors") or [] if isinstance(e, Mapping)]
        super().__init__(detail, status=status, errors=errors, headers=headers, **extensions)
        self.upstream_type = str(body.get("type", "about:blank"))

    @property
    def type(self) -> str:
        return self.upstream_type


def _field_error(raw: Mapping[str, Any]) -> FieldError:
    """A field error of another service's problem, kept whole so it reaches the caller (e.g. /items/3/value)."""
    messages = raw.get("messages") or {}
    detail = str(raw.get("detail", ""))
    known = ("detail", "messages", "pointer", "parameter")
    return FieldError(
        Text(str(messages.get("vi", detail)), str(messages.get("en", detail))),
        pointer=raw.get("pointer"),
        parameter=raw.get("parameter"),
        extra={k: v for k, v in raw.items() if k not in known},
    )


# Who counts the calls a client sent that got no answer (kit.metrics, per app: one client may serve several apps in a
# process, as the demo loader's does). No httpx event hook runs for them.
UNANSWERED: weakref.WeakKeyDictionary[httpx.AsyncClient, list[Callable[[httpx.Request], None]]] = (
    weakref.WeakKeyDictionary()
)
UNREACHABLE_RETRY_AFTER = 2  # seconds, for a service that does not answer at all


class ServiceUnreachable(Problem):
    status = 503
    slug = "upstream-unavailable"
    title = Text("Dịch vụ liên quan không phản hồi", "A service this one depends on is unavailable")


class ServiceClient:
    """Typed JSON calls; the caller's token is forwarded so the other service applies the caller's rights."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, *, token: str | None = None) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def request(self, method: str, path: str, adapter: TypeAdapter[T], **kwargs: Any) -> T:
        headers = self._headers | kwargs.pop("headers", {})
        try:
            response = await self._http.request(method, self._base + path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            for count in UNANSWERED.get(self._http, ()):
                count(exc.request)
            raise ServiceUnreachable(service=self._base, headers={"Retry-After": str(UNREACHABLE_RETRY_AFTER)}) from exc
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"detail": response.text[:500]}
            # An outage further down (a 503 and when to retry) reaches the caller as it was told.
            passed = {k: v for k in ("Retry-After",) if (v := response.headers.get(k))}
            raise UpstreamProblem(
                response.status_code, body if isinstance(body, dict) else {"detail": str(body)}, headers=passed
            )
        return adapter.validate_json(response.content)

    async def get(self, path: str, adapter: TypeAdapter[T], **params: Any) -> T:
        clean = {k: v for k, v in params.items() if v is not None}
        return await self.request("GET", path, adapter, params=clean)

    async def batched(
        self, path: str, adapter: TypeAdapter[Page[T]], *, parameter: str, ids: Sequence[Any], batch: int, **params: Any
    ) -> list[T]:
        """A batch read of many ids (`parameter=a,b,c`, answered as one page), one call per `batch` ids."""
        out: list[T] = []
        for start in range(0, len(ids), batch):
            chunk = ",".join(str(i) for i in ids[start : start + batch])
            out += (await self.get(path, adapter, **{parameter: chunk}, **params)).items
        return out

    async def all_pages(self, path: str, adapter: TypeAdapter[Page[T]], *, limit: int, **params: Any) -> list[T]:
        """Every item of a paged list, following `next_cursor` to the last page."""
        out: list[T] = []
        cursor: str | None = None
        while True:
            page = await self.get(path, adapter, limit=limit, cursor=cursor, **params)
            out += page.items
            if not page.next_cursor:
                return out
            cursor = page.next_cursor


def idempotent(key: str | None) -> dict[str, str]:
    """Headers passing a caller's Idempotency-Key on to the service that creates."""
    return {"Idempotency-Key": key} if key else {}


def if_match(version: int) -> dict[str, str]:
    """Headers of a write to the version the caller read."""
    return {"If-Match": etag(version)}


def forwarding(client: type[C], url_setting: str) -> Callable[[Request], C]:
    """A dependency building `client` for the service at settings.`url_setting`, carrying the caller's token."""

    def build(request: Request) -> C:
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else None
        return client(request.app.state.http, getattr(request.app.state.settings, url_setting), token=token)

    return build
