from kit.problems import Conflict, NotFound, Text


class DecisionNotFound(NotFound):
    slug = "decision-not-found"
    title = Text("Không tìm thấy quyết định", "Decision not found")


class AwardNotFound(NotFound):
    slug = "award-not-found"
    title = Text("Không tìm thấy khen thưởng", "Award not found")


class NotDecidable(Conflict):
    slug = "line-not-approved"
    title = Text(
        "Chỉ đưa vào quyết định các đối tượng đã được phê duyệt và chưa có quyết định",
        "Only approved lines not yet in a decision can be listed",
    )


class AlreadyRevoked(Conflict):
    slug = "award-revoked"
    title = Text("Khen thưởng đã bị hủy", "The award is already revoked")
