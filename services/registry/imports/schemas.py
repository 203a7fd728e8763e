import uuid
from datetime import date

from pydantic import Field

from kit.schemas import ApiModel, RowError
from services.registry.units.schemas import AdminCode, OrganCode, UnitName
from services.registry.vocabulary import UnitKind, UnitLevel


class ImportRow(ApiModel):
    """One line of a unit list. A unit is matched by its administrative code, else its organ code."""

    admin_code: AdminCode | None = Field(
        default=None, description="administrative unit code (mã ĐVHC); matches an existing unit first"
    )
    organ_code: OrganCode | None = Field(
        default=None, description="organ identification code (000.00.00.H30); matches when there is no admin_code"
    )
    name: UnitName
    short_name: UnitName | None = Field(default=None, description="short name, if any")
    kind: UnitKind = Field(description="kind of unit (see GET /unit-kinds)")
    level: UnitLevel = Field(description="administrative level (central, province, district, commune)")
    parent_code: str | None = Field(default=None, description="code of the parent (in the file or the registry)")
    parent: str | None = Field(
        default=None,
        description="the parent by name: a unique name, or a path 'Tỉnh Lạng Sơn / Huyện Bắc Sơn' (parent_code wins)",
    )
    valid_from: date | None = Field(
        default=None, description="first day of the unit, its name, codes and parent (ISO 8601); null: since always"
    )

    @property
    def code(self) -> str:
        return self.admin_code or self.organ_code or ""


class ImportReport(ApiModel):
    dry_run: bool = Field(description="true: nothing was stored, the counts say what would happen")
    rows: int = Field(description="data rows read from the file")
    created: int = Field(description="units created (or that would be, on a dry run)")
    updated: int = Field(description="existing units whose kind, level, name, codes or parent changed")
    unchanged: int = Field(description="rows that matched a unit as it already is")
    errors: list[RowError] = Field(
        description="faults per row (outside a dry run any fault is a 422 and nothing is stored)"
    )
    created_ids: list[uuid.UUID] = Field(default=[], description="ids of the units created (not on a dry run)")
