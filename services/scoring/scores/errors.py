from kit.problems import Forbidden, InvalidInput, NotFound, Text, Unauthenticated


class ScoreNotFound(NotFound):
    slug = "score-not-found"
    title = Text("Chưa có điểm của đơn vị trong kỳ này", "No score for this unit in this period")


class NodeNotFound(NotFound):
    slug = "indicator-not-found"
    title = Text("Bộ chỉ số của kỳ không có chỉ số này", "The period's framework has no such indicator")


class ScoresNeedSignIn(Unauthenticated):
    title = Text("Điểm chưa công bố: cần đăng nhập", "Scores are not published yet: sign in")


class ScoreNotVisible(Forbidden):
    slug = "score-not-visible"
    title = Text("Điểm của đơn vị này chưa công bố với bạn", "This unit's score is not visible to you")


class NoPredecessorScores(InvalidInput):
    slug = "no-predecessor-scores"
    title = Text(
        "Các đơn vị tiền thân chưa có điểm trong kỳ này", "None of the predecessors has a score in this period"
    )
    fault = "/unit_id"
