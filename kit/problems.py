"""RFC 9457 problem details: every error the API returns is one of these.

A `Problem` carries its HTTP status, a stable `type` slug, a title and detail in Vietnamese and English, and
optional field errors (JSON pointers into the request body, or the name of the parameter at fault).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

PROBLEM_BASE = "https://thidua.vn/problems/"
PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Text:
    """A message in both languages of the product."""

    vi: str
    en: str

    def pick(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def format(self, **fields: Any) -> Text:
        """Both languages with their `{fields}` filled in (a field unused by one language is ignored there)."""
        return Text(self.vi.format(**fields), self.en.format(**fields))


@dataclass(frozen=True)
class FieldError:
    """One fault in the request: `pointer` into the JSON body (`/items/3/value`) or a named `parameter`."""

    detail: Text
    pointer: str | None = None
    parameter: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. the spreadsheet row number

    def render(self, lang: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "detail": self.detail.pick(lang),
            "messages": {"vi": self.detail.vi, "en": self.detail.en},
        }
        if self.pointer is not None:
            out["pointer"] = self.pointer
        if self.parameter is not None:
            out["parameter"] = self.parameter
        out.update(self.extra)
        return out


def pointer(*parts: str | int) -> str:
    """JSON pointer (RFC 6901) from path parts: pointer("items", 3, "value") == "/items/3/value"."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class Problem(Exception):
    """Base of every expected failure. Subclasses set `status`, `slug` and `title`; a failure whose detail names
    things sets `message`, a template filled by `of(**fields)`, and one about a body field sets `fault`.
    """

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[Text] = Text("Yêu cầu không hợp lệ", "Bad request")
    message: ClassVar[Text | None] = None
    fault: ClassVar[str | None] = None  # JSON pointer of the body field at fault

    def __init__(
        self,
        detail: Text | None = None,
        *,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        status: int | None = None,
        **extensions: Any,
    ) -> None:
        self.code = status or self.status
        self.detail = detail or self.title
        self.errors = list(errors)
        if not self.errors and self.fault is not None:
            self.errors = [FieldError(self.detail, pointer=self.fault)]
        self.headers = headers or {}
        self.extensions = extensions
        super().__init__(self.detail.en)

    @classmethod
    def of(
        cls,
        *,
        at: str | None = None,
        parameter: str | None = None,
        errors: Sequence[FieldError] = (),
        extensions: dict[str, Any] | None = None,
        **fields: Any,
    ) -> Self:
        """This failure with the fields of its `message` filled in (`{code}`, `{deadline:%d/%m/%Y}`), blaming the
        body field `at` (default: the class's own) or the `parameter`, or listing `errors`; `extensions` join the
        body."""
        template = cls.message or cls.title
        detail = template.format(**fields)
        blamed = at if at is not None else (None if parameter else cls.fault)
        if not errors and (blamed is not None or parameter is not None):
            errors = [FieldError(detail, pointer=blamed, parameter=parameter)]
        return cls(detail, errors=errors, **(extensions or {}))

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug

    def render(self, lang: str, *, instance: str | None = None, request_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title.pick(lang),
            "status": self.code,
            "detail": self.detail.pick(lang),
            "messages": {"vi": self.detail.vi, "en": self.detail.en},
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.render(lang) for e in self.errors]
        if request_id:
            body["request_id"] = request_id
        body.update(self.extensions)
        return body


class InvalidInput(Problem):
    status = 422
    slug = "invalid-input"
    title = Text("Dữ liệu gửi lên không hợp lệ", "The request data is invalid")

    @classmethod
    def at(cls, ptr: str, detail: Text, **extensions: Any) -> InvalidInput:
        """One invalid field of the body."""
        return cls(detail, errors=[FieldError(detail, pointer=ptr)], **extensions)

    @classmethod
    def fields(cls, faults: Sequence[tuple[str, Text]]) -> InvalidInput:
        """Several invalid fields of the body at once, each (pointer, detail)."""
        return cls(errors=[FieldError(detail, pointer=ptr) for ptr, detail in faults])


class Unauthenticated(Problem):
    status = 401
    slug = "unauthenticated"
    title = Text("Cần đăng nhập", "Authentication required")

    def __init__(self, detail: Text | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="thidua"'})


class Forbidden(Problem):
    status = 403
    slug = "forbidden"
    title = Text("Không có quyền thực hiện", "Not allowed")


class NotFound(Problem):
    status = 404
    slug = "not-found"
    title = Text("Không tìm thấy", "Not found")


class Conflict(Problem):
    status = 409
    slug = "conflict"
    title = Text("Xung đột với dữ liệu hiện có", "Conflicts with the current state")


class PreconditionFailed(Problem):
    status = 412
    slug = "stale-version"
    title = Text("Dữ liệu đã bị người khác thay đổi", "The resource was changed by someone else")


class PayloadTooLarge(Problem):
    status = 413
    slug = "payload-too-large"
    title = Text("Dữ liệu gửi lên quá lớn", "Request body too large")


class UnsupportedMediaType(Problem):
    status = 415
    slug = "unsupported-media-type"
    title = Text("Định dạng tệp không được hỗ trợ", "Unsupported media type")


class PreconditionRequired(Problem):
    status = 428
    slug = "if-match-required"
    title = Text("Cần gửi kèm ETag (If-Match)", "If-Match header required")


class ServiceUnavailable(Problem):
    status = 503
    slug = "service-unavailable"
    title = Text("Dịch vụ tạm thời không sẵn sàng", "Service temporarily unavailable")


class InternalError(Problem):
    status = 500
    slug = "internal-error"
    title = Text("Lỗi hệ thống", "Internal server error")


@dataclass
class ErrorList:
    """Collects field errors while validating a batch, then raises them all at once."""

    items: list[FieldError] = field(default_factory=list)

    def add(self, ptr: str, detail: Text) -> None:
        self.items.append(FieldError(detail, pointer=ptr))

    def extend(self, errors: Iterable[FieldError]) -> None:
        self.items.extend(errors)

    def raise_if_any(self, detail: Text | None = None) -> None:
        if self.items:
            raise InvalidInput(detail, errors=self.items)


class ReasonRequired(InvalidInput):
    """A step that must be explained (a refusal, a reopening) came without `reason`; subclasses say which step."""

    slug = "reason-required"
    title = Text("Cần nêu lý do", "A reason is required")
    fault = "/reason"
