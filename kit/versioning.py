"""Optimistic concurrency: a resource's integer version is its ETag; writes must send it back in If-Match."""

import uuid
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, Header, Response

from kit.problems import PreconditionFailed, PreconditionRequired, Text


def etag(version: int) -> str:
    return f'"{version}"'


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


class Identified(Versioned, Protocol):
    @property
    def id(self) -> uuid.UUID: ...


V = TypeVar("V", bound=Versioned)
I = TypeVar("I", bound=Identified)  # noqa: E741


def with_etag(response: Response, resource: V) -> V:
    """Send the resource's version as its ETag, and hand the resource back."""
    response.headers["ETag"] = etag(resource.version)
    return resource


def created(response: Response, resource: I, collection: str) -> I:
    """A 201's headers: Location of the new resource and its ETag."""
    response.headers["Location"] = f"{collection}/{resource.id}"
    return with_etag(response, resource)


def _if_match(
    if_match: Annotated[str | None, Header(description="the ETag of the version being changed")] = None,
) -> int:
    if if_match is None:
        raise PreconditionRequired(
            Text("Gửi kèm tiêu đề If-Match với ETag của bản đang sửa", "Send If-Match with the ETag you are changing")
        )
    raw = if_match.strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise PreconditionFailed(Text("If-Match không khớp phiên bản nào", "If-Match matches no version"))
    return int(raw)


def require_version(current: int, expected: int) -> None:
    """412 when the stored version is not the one the caller read (and sent in If-Match)."""
    if current != expected:
        raise _stale(current)


def _stale(current: int) -> PreconditionFailed:
    return PreconditionFailed(
        Text(
            "Bản ghi đã được cập nhật sau khi bạn đọc; hãy tải lại rồi sửa",
            "The record changed since you read it; reload and try again",
        ),
        current_etag=etag(current),
    )


ExpectedVersion = Annotated[int, Depends(_if_match)]
