from kit.problems import Conflict, NotFound, Text


class PersonNotFound(NotFound):
    slug = "person-not-found"
    title = Text("Không tìm thấy cá nhân", "Person not found")


class MembershipOverlaps(Conflict):
    slug = "membership-overlaps"
    title = Text(
        "Đã có tư cách thành viên trùng thời gian ở đơn vị này", "An overlapping membership of this unit exists"
    )
