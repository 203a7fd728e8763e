from kit.problems import Conflict, NotFound, Text


class BlocNotFound(NotFound):
    slug = "bloc-not-found"
    title = Text("Không tìm thấy cụm/khối thi đua", "Bloc not found")


class BlocCodeExists(Conflict):
    slug = "bloc-code-exists"
    title = Text("Mã cụm/khối đã tồn tại", "A bloc with this code exists")
    fault = "/code"


class MembershipOverlaps(Conflict):
    slug = "bloc-membership-overlaps"
    title = Text(
        "Đơn vị đã là thành viên trong khoảng thời gian chồng lấn",
        "The unit is already a member in an overlapping period",
    )
