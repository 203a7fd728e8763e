from kit.problems import Conflict, InvalidInput, NotFound, Text


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
