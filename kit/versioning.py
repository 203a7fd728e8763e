"""Optimistic concurrency: a resource's integer version is its ETag; writes must send it back in If-Match."""

from typing import Annotated

from fastapi import Depends, Header, Response

from kit.problems import PreconditionFailed, PreconditionRequired, Text


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


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


def stale(current: int) -> PreconditionFailed:
    """The 412 to raise when the stored version is not the one the caller read."""
    return PreconditionFailed(
        Text(
            "Bản ghi đã được cập nhật sau khi bạn đọc; hãy tải lại rồi sửa",
            "The record changed since you read it; reload and try again",
        ),
        current_etag=etag(current),
    )


ExpectedVersion = Annotated[int, Depends(_if_match)]
