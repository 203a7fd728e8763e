from kit.problems import NotFound, Text


class EventNotFound(NotFound):
    slug = "lineage-event-not-found"
    title = Text("Không tìm thấy sự kiện", "Lineage event not found")
