"""Automatic persisted queries (the Apollo protocol): a client sends the sha256 of its query; the text travels only
the first time. With `persisted_only_anonymous`, callers without a token may run only queries already known
(registered by a signed-in client, or shipped in `gateway/persisted/*.graphql`).

Registered queries are kept in an LRU bounded in bytes as well as entries; the text was already bounded by the
caller's document size before it reaches here."""

import hashlib
from pathlib import Path
from typing import Any

from kit.lru import ByteBoundedLRU

SHIPPED = Path(__file__).parent / "persisted"
ENTRY_BYTES = 256  # the digest, the key and the entry around a registered text


class PersistedQueryError(Exception):
    """Answered as a GraphQL error with this code, as Apollo clients expect (they then resend the text)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueries:
    def __init__(self, size: int, max_bytes: int, *, anonymous_only_known: bool) -> None:
        self.registered: ByteBoundedLRU[str, str] = ByteBoundedLRU(max_bytes=max_bytes, max_entries=size)
        self._shipped: dict[str, str] = {}
        self.anonymous_only_known = anonymous_only_known
        for path in sorted(SHIPPED.glob("*.graphql")):
            text = path.read_text(encoding="utf-8")
            self._shipped[sha256(text)] = text

    def resolve(self, query: str | None, extensions: dict[str, Any] | None, *, anonymous: bool) -> str:
        """The query text to run, or a PersistedQueryError."""
        persisted = (extensions or {}).get("persistedQuery")
        if not isinstance(persisted, dict):
            if anonymous and self.anonymous_only_known:
                raise PersistedQueryError(
                    "PERSISTED_QUERY_REQUIRED",
                    "Anonymous callers may only run persisted queries / Khách ẩn danh chỉ chạy được truy vấn đã lưu",
                )
            if not query:
                raise PersistedQueryError("BAD_REQUEST", "No query in the request / Yêu cầu không có truy vấn")
            return query
        digest = str(persisted.get("sha256Hash", "")).lower()
        known = self._shipped.get(digest) or self.registered.get(digest)
        if known is not None:
            return known
        if not query:
            raise PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
        if sha256(query) != digest:
            raise PersistedQueryError("BAD_REQUEST", "provided sha does not match query")
        if anonymous and self.anonymous_only_known:
            raise PersistedQueryError(
                "PERSISTED_QUERY_REQUIRED",
                "Anonymous callers may not register queries / Khách ẩn danh không được lưu truy vấn mới",
            )
        self.registered.put(digest, query, ENTRY_BYTES + len(query.encode()))
        return query
