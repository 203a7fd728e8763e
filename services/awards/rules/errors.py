from kit.problems import Conflict, InvalidInput, NotFound, Text


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


class CapOverrun(CapExceeded):
    """The detail lists each group over its cap, as `OVERRUN` words it, joined by "; "."""

    message = Text("{overruns_vi}", "{overruns_en}")


OVERRUN = Text("{label}: giới hạn {limit}, được duyệt {approved}", "{label}: limit {limit}, approved {approved}")


class IndicatorRefused(InvalidInput):
    """Scoring refused an indicator a saved rule names (its framework changed): which code, and scoring's reason."""

    slug = "rule-indicator-refused"
    title = Text("Bộ chỉ số của kỳ không cho đọc chỉ số này", "The period's framework refuses this indicator")
    message = Text("Chỉ số {code}: {reason_vi}", "Indicator {code}: {reason_en}")
    fault = "/definition/code"
