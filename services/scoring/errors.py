"""Failures of scoring that are not one domain's: the caller's scope over a period and its units."""

from kit.problems import Forbidden, Text


class PeriodOutOfScope(Forbidden):
    slug = "period-out-of-scope"
    title = Text("Kỳ đánh giá nằm ngoài phạm vi của bạn", "This period is outside your scope")


class ParticipantOutOfScope(Forbidden):
    slug = "participant-out-of-scope"
    title = Text("Đơn vị nằm ngoài phạm vi của bạn", "The unit is outside your scope")


class ParticipantsOutOfScope(Forbidden):
    slug = "participants-out-of-scope"
    title = Text("Có đơn vị ngoài phạm vi của bạn trong lô số liệu", "The batch has units outside your scope")
