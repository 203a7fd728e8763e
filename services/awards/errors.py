"""Failures of awards that are not one domain's: the caller's unit scope."""

from kit.problems import Forbidden, Text


class OutsideUnitScope(Forbidden):
    slug = "outside-unit-scope"
    title = Text("Hồ sơ này nằm ngoài phạm vi đơn vị của bạn", "This is outside your unit's scope")
