"""Failures of the registry that are not one domain's: the caller's unit scope."""

from kit.problems import Forbidden, Text


class UnitOutOfScope(Forbidden):
    slug = "unit-out-of-scope"
    title = Text("Đơn vị này nằm ngoài phạm vi quản lý của bạn", "This unit is outside your scope")


class UnitsOutOfScope(Forbidden):
    slug = "units-out-of-scope"
    title = Text("Có đơn vị nằm ngoài phạm vi quản lý của bạn", "Some units are outside your scope")
    message = Text("{count} đơn vị nằm ngoài phạm vi quản lý của bạn", "{count} units are outside your scope")
