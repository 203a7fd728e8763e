from kit.problems import Conflict, Forbidden, InvalidInput, NotFound, Text, pointer


class UnitNotFound(NotFound):
    slug = "unit-not-found"
    title = Text("Không tìm thấy đơn vị", "Unit not found")


class UnknownUnit(InvalidInput):
    slug = "unknown-unit"

    @classmethod
    def field(cls, field: str) -> InvalidInput:
        return cls.at(pointer(*field.split("/")), Text("Đơn vị không tồn tại", "No such unit"))


class UnknownParent(InvalidInput):
    slug = "unknown-parent"

    @classmethod
    def field(cls, field: str = "parent_id") -> InvalidInput:
        return cls.at(pointer(field), Text("Đơn vị cấp trên không tồn tại", "The parent unit does not exist"))


class ParentCycle(InvalidInput):
    slug = "parent-cycle"

    @classmethod
    def field(cls) -> InvalidInput:
        return cls.at(
            pointer("parent_id"),
            Text(
                "Đơn vị cấp trên không thể là chính nó hoặc đơn vị cấp dưới của nó",
                "A unit cannot be its own parent or the parent of its ancestor",
            ),
        )


class ParentNotActive(InvalidInput):
    slug = "parent-not-active"

    @classmethod
    def field(cls) -> InvalidInput:
        return cls.at(
            pointer("parent_id"),
            Text("Đơn vị cấp trên không còn hiệu lực vào ngày bắt đầu", "The parent unit does not exist on that date"),
        )


class OverlappingValidity(Conflict):
    slug = "overlapping-validity"
    title = Text("Khoảng hiệu lực bị chồng lấn", "Validity periods overlap")
    message = Text(
        "Khoảng hiệu lực chồng lên một bản ghi đã có của đơn vị", "The period overlaps an existing record of this unit"
    )


class DuplicateCode(Conflict):
    slug = "duplicate-code"
    title = Text(
        "Mã đã được dùng cho đơn vị khác trong cùng thời gian", "The code is used by another unit in the same period"
    )
    message = Text(
        "Mã này đã thuộc về đơn vị khác trong khoảng thời gian đó", "This code belongs to another unit in that period"
    )


class RootUnitNeedsAdmin(Forbidden):
    slug = "root-unit-needs-admin"
    title = Text("Chỉ quản trị viên được tạo đơn vị gốc", "Only an administrator creates root units")
