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


class AlreadyPublished(NotDecidable):
    title = Text("Quyết định đã được công bố", "The decision is already published")


class InAnotherDecision(NotDecidable):
    title = Text("Đối tượng đã có trong một quyết định khác", "A line is already in another decision")
