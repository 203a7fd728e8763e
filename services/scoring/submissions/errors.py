from kit.problems import Conflict, NotFound, Text


class ValueNotFound(NotFound):
    slug = "value-not-found"
    title = Text("Không tìm thấy giá trị", "Value not found")


class ValueLocked(Conflict):
    slug = "value-locked"
    title = Text("Giá trị đã gửi thẩm định, đơn vị không sửa được", "The value is with the appraiser")


class EvidenceNotFound(NotFound):
    slug = "evidence-not-found"
    title = Text("Không tìm thấy minh chứng", "Evidence file not found")
