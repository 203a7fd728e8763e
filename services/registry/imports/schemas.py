import uuid
from datetime import date

from pydantic import Field

from kit.schemas import ApiModel, RowError
from services.registry.units.schemas import AdminCode, OrganCode, UnitName
from services.registry.vocabulary import UnitKind, UnitLevel


class ImportRow(ApiModel):
    """One line of a unit list. A unit is matched by its administrative code, else its organ code."""

    admin_code: AdminCode | None = None
    organ_code: OrganCode | None = None
    name: UnitName
    short_name: UnitName | None = None
    kind: UnitKind
    level: UnitLevel
    parent_code: str | None = Field(default=None, description="code of the parent (in the file or the registry)")
    parent: str | None = Field(
        default=None,
        description="the parent by name: a unique name, or a path 'Tỉnh Lạng Sơn / Huyện Bắc Sơn' (parent_code wins)",
    )
    valid_from: date | None = None

    @property
    def code(self) -> str:
        return self.admin_code or self.organ_code or ""


class ImportReport(ApiModel):
    dry_run: bool
    rows: int
    created: int = Field(description="units created (or that would be, on a dry run)")
    updated: int
    unchanged: int
    errors: list[RowError]
    created_ids: list[uuid.UUID] = Field(default=[], description="ids of the units created (not on a dry run)")
