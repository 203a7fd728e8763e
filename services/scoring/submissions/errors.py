from kit.problems import Conflict, InvalidInput, NotFound, PayloadTooLarge, Text, UnsupportedMediaType


class ValueNotFound(NotFound):
    slug = "value-not-found"
    title = Text("Không tìm thấy giá trị", "Value not found")


class ValueLocked(Conflict):
    slug = "value-locked"
    title = Text("Giá trị đã gửi thẩm định, đơn vị không sửa được", "The value is with the appraiser")


class EvidenceNotFound(NotFound):
    slug = "evidence-not-found"
    title = Text("Không tìm thấy minh chứng", "Evidence file not found")


class NotSubmitted(ValueLocked):
    title = Text("Chỉ thẩm định giá trị đơn vị đã gửi", "Only submitted values are appraised")


class BatchTooLarge(InvalidInput):
    slug = "batch-too-many-rows"
    title = Text("Lô số liệu có quá nhiều dòng", "The batch has too many rows")
    message = Text("Tối đa {limit} dòng mỗi lần", "At most {limit} rows")
    fault = "/items"


class BatchHasErrors(InvalidInput):
    """Some rows of a batch are wrong: `errors` points at each, and nothing was written."""

    slug = "batch-has-errors"
    title = Text("Lô số liệu có lỗi; chưa ghi gì", "The batch has errors; nothing was written")
    message = Text("Lô số liệu có {count} lỗi; chưa ghi gì", "The batch has {count} errors; nothing was written")


class EvidenceTooLarge(PayloadTooLarge):
    message = Text("Tệp minh chứng tối đa {limit} byte", "Evidence files are at most {limit} bytes")


class EvidenceTypeRefused(UnsupportedMediaType):
    message = Text(
        "Chỉ nhận minh chứng dạng: {types} (nội dung phải đúng định dạng)",
        "Evidence must be one of: {types} (and its content must match)",
    )
