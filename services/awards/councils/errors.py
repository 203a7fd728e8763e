from kit.problems import Conflict, NotFound, Text


class CouncilNotFound(NotFound):
    slug = "council-not-found"
    title = Text("Không tìm thấy phiên họp Hội đồng", "Council session not found")


class CouncilClosed(Conflict):
    slug = "council-closed"
    title = Text("Phiên họp đã kết thúc", "The council session is closed")


class AlreadyVoted(Conflict):
    slug = "already-voted"
    title = Text("Thành viên đã bỏ phiếu cho đối tượng này", "The member has already voted on this nominee")


class NotOnAgenda(Conflict):
    slug = "not-on-agenda"
    title = Text("Hồ sơ chưa ở bước trình Hội đồng của cơ quan này", "The nomination is not before this council")
