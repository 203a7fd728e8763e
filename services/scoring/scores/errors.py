from kit.problems import NotFound, Text


class ScoreNotFound(NotFound):
    slug = "score-not-found"
    title = Text("Chưa có điểm của đơn vị trong kỳ này", "No score for this unit in this period")
