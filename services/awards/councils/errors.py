from kit.problems import Conflict, Forbidden, InvalidInput, NotFound, Text


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


class MemberTwice(InvalidInput):
    slug = "council-member-twice"
    title = Text("Thành viên bị lặp", "A member is listed twice")
    fault = "/members"


class NotAMember(Forbidden):
    slug = "not-a-council-member"
    title = Text("Chỉ thành viên Hội đồng được bỏ phiếu", "Only members of the council vote")


class WrongBallotKind(InvalidInput):
    slug = "wrong-ballot-kind"
    title = Text(
        "Thành viên có mặt bỏ phiếu tại họp; vắng mặt thì bỏ phiếu bằng văn bản",
        "Present members vote in the meeting; absent members vote in writing",
    )
    fault = "/written"
