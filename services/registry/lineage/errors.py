from kit.problems import InvalidInput, NotFound, Text


class EventNotFound(NotFound):
    slug = "lineage-event-not-found"
    title = Text("Không tìm thấy sự kiện", "Lineage event not found")


class PeriodReversed(InvalidInput):
    slug = "date-range-reversed"
    title = Text("Ngày cuối đứng trước ngày đầu", "effective_to is before effective_from")
