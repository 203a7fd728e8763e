from kit.problems import NotFound, Text


class ScoreNotFound(NotFound):
    slug = "score-not-found"
    title = Text("Chưa có điểm của đơn vị trong kỳ này", "No score for this unit in this period")


class NodeNotFound(NotFound):
    slug = "indicator-not-found"
    title = Text("Bộ chỉ số của kỳ không có chỉ số này", "The period's framework has no such indicator")
