from kit.problems import Conflict, NotFound, Text


class RuleNotFound(NotFound):
    slug = "award-rule-not-found"
    title = Text("Không tìm thấy quy định khen thưởng", "Award rule not found")


class RuleExists(Conflict):
    slug = "award-rule-exists"
    title = Text(
        "Giai đoạn này đã có quy định cho hình thức khen thưởng này", "This phase already has a rule for this form"
    )


class ScoresNotPublished(Conflict):
    slug = "scores-not-published"
    title = Text("Kết quả chấm điểm của kỳ chưa được công bố", "The period's scores are not published yet")


class CapExceeded(Conflict):
    slug = "award-cap-exceeded"
    title = Text(
        "Số được duyệt vượt giới hạn (số lượng, tỷ lệ) của quy định khen thưởng",
        "More approved than the award rule's cap or quota allows",
    )
