from kit.problems import Conflict, InvalidInput, NotFound, ReasonRequired, Text


class PeriodNotFound(NotFound):
    slug = "period-not-found"
    title = Text("Không tìm thấy kỳ đánh giá", "Period not found")


class ParticipantNotFound(NotFound):
    slug = "participant-not-found"
    title = Text("Đơn vị không tham gia kỳ đánh giá này", "The unit does not take part in this period")


class PeriodLocked(Conflict):
    slug = "period-locked"
    title = Text("Kỳ đánh giá đã khóa", "Period is locked")


class FrameworkNotPublished(Conflict):
    slug = "framework-not-published"
    title = Text("Bộ chỉ số chưa ban hành", "The framework is not published")


class NotAParticipant(InvalidInput):
    slug = "not-a-participant"
    title = Text("Đơn vị không tham gia kỳ đánh giá này", "The unit does not take part in this period")
    fault = "/unit_id"


class ValuesFrozen(PeriodLocked):
    title = Text(
        "Kỳ đánh giá đã khóa: không nhận thêm hay sửa số liệu", "The period is locked: values can no longer change"
    )


class ResultsFixed(PeriodLocked):
    title = Text(
        "Kỳ đánh giá đã công bố: kết quả không đổi; mở lại kỳ (nêu lý do) để sửa",
        "The period is published: its results are fixed; reopen it (with a reason) to change them",
    )


class ReorganisationFixed(PeriodLocked):
    title = Text(
        "Chỉ đổi được cách xếp hạng khi sắp xếp lại đơn vị trong lúc kỳ đánh giá đang mở",
        "The reorganisation choice changes only while the period is open",
    )


class PeriodNeedsPublishedFramework(FrameworkNotPublished):
    title = Text("Chỉ mở kỳ đánh giá với bộ chỉ số đã ban hành", "Periods use published frameworks only")


class RegisteredOnlyNeedsMovement(InvalidInput):
    slug = "registered-only-needs-movement"
    title = Text("Cần phong trào để lọc theo đăng ký", "registered_only needs the movement")
    fault = "/movement_id"


class ReopeningNeedsReason(ReasonRequired):
    title = Text("Mở lại kỳ đánh giá cần lý do", "Reopening needs a reason")
