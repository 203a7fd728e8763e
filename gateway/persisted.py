"""Automatic persisted queries (the Apollo protocol): a client sends the sha256 of its query; the text travels only
the first time. With `persisted_only_anonymous`, callers without a token may run only queries already known
(registered by a signed-in client, or shipped in `gateway/persisted/*.graphql`)."""

import hashlib
from collections import OrderedDict
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).parent / "persisted"


class PersistedQueryError(Exception):
    """Answered as a GraphQL error with this code, as Apollo clients expect (they then resend the text)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueries:
    def __init__(self, size: int, *, anonymous_only_known: bool) -> None:
        self._queries: OrderedDict[str, str] = OrderedDict()
        self._shipped: dict[str, str] = {}
        self._size = size
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
        known = self._shipped.get(digest) or self._queries.get(digest)
        if known is not None:
            if digest in self._queries:
                self._queries.move_to_end(digest)
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
        self._queries[digest] = query
        if len(self._queries) > self._size:
            self._queries.popitem(last=False)
        return query
