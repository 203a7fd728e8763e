"""API models of units and their dated names, codes and parents."""

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from kit.schemas import ApiModel, OutModel, invalid
from kit.text import Label
from services.registry.vocabulary import UnitKind, UnitLevel

ORGAN_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
ADMIN_CODE = re.compile(r"^\d{2,5}$")


def _organ_code(value: str) -> str:
    if not ORGAN_CODE.fullmatch(value):
        raise invalid(
            "Organ identification code must look like 000.00.00.H30 (QĐ 20/2020/QĐ-TTg)",
            "Mã định danh cơ quan phải có dạng 000.00.00.H30 (QĐ 20/2020/QĐ-TTg)",
        )
    return value


def _admin_code(value: str) -> str:
    if not ADMIN_CODE.fullmatch(value):
        raise invalid("Administrative code is 2 to 5 digits", "Mã đơn vị hành chính gồm 2 đến 5 chữ số")
    return value


OrganCode = Annotated[str, AfterValidator(_organ_code), Field(description="organ identification code, 000.00.00.H30")]
AdminCode = Annotated[str, AfterValidator(_admin_code), Field(description="administrative unit code (mã ĐVHC)")]
UnitName = Annotated[Label, Field(min_length=1, max_length=300, description="name with its diacritics")]


class Validity(ApiModel):
    valid_from: date | None = Field(default=None, description="first day (inclusive); null: since always")
    valid_to: date | None = Field(default=None, description="last day (inclusive); null: still valid")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise invalid("valid_to is before valid_from", "valid_to đứng trước valid_from")
        return self


class UnitFields(ApiModel):
    kind: UnitKind = Field(description="kind of unit (see GET /unit-kinds)")
    level: UnitLevel = Field(description="administrative level: central, province, district or commune")
    name: UnitName
    short_name: UnitName | None = Field(default=None, description="short name, if any")
    admin_code: AdminCode | None = Field(default=None, description="administrative unit code (mã ĐVHC), 2–5 digits")
    organ_code: OrganCode | None = Field(
        default=None, description="organ identification code (mã định danh), 000.00.00.H30"
    )
    parent_id: uuid.UUID | None = Field(default=None, description="parent unit from valid_from on")


class UnitCreate(UnitFields, Validity):
    """A new unit with its first name, codes and parent, all valid over the same period."""


class UnitUpdate(ApiModel):
    """Undated attributes. Names, codes and parents change through their dated endpoints or a lineage event."""

    kind: UnitKind | None = Field(default=None, description="new kind (leave out to keep)")
    level: UnitLevel | None = Field(default=None, description="new level (leave out to keep)")


class NameCreate(Validity):
    name: UnitName
    short_name: UnitName | None = Field(default=None, description="the new short name, if any")


class CodeCreate(Validity):
    admin_code: AdminCode | None = Field(default=None, description="administrative unit code (mã ĐVHC), 2–5 digits")
    organ_code: OrganCode | None = Field(
        default=None, description="organ identification code (mã định danh), 000.00.00.H30"
    )


class ParentCreate(Validity):
    parent_id: uuid.UUID = Field(description="the new parent unit")


class NameOut(OutModel):
    name: str = Field(description="name")
    short_name: str | None = Field(description="short name, if any")
    valid_from: date | None = Field(description="first day (inclusive, ISO 8601); null: since always")
    valid_to: date | None = Field(description="last day (inclusive); null: still valid")


class CodeOut(OutModel):
    admin_code: str | None = Field(description="administrative unit code (mã ĐVHC)")
    organ_code: str | None = Field(description="organ identification code (mã định danh)")
    valid_from: date | None = Field(description="first day (inclusive, ISO 8601); null: since always")
    valid_to: date | None = Field(description="last day (inclusive); null: still valid")


class ParentOut(OutModel):
    parent_id: uuid.UUID = Field(description="the parent unit")
    valid_from: date | None = Field(description="first day (inclusive, ISO 8601); null: since always")
    valid_to: date | None = Field(description="last day (inclusive); null: still valid")


class Unit(OutModel):
    """A unit as of a date (`as_of`): the name, codes and parent valid that day."""

    id: uuid.UUID = Field(description="unit id (immutable, survives renames and reorganisations)")
    kind: UnitKind = Field(description="kind of unit (see GET /unit-kinds)")
    kind_label: str = Field(description="the kind in Vietnamese, e.g. Sở, ban, ngành")
    level: UnitLevel = Field(description="administrative level: central, province, district or commune")
    name: str | None = Field(description="name valid on as_of (null: none that day)")
    short_name: str | None = Field(description="short name valid on as_of, if any")
    admin_code: str | None = Field(description="administrative unit code (mã ĐVHC) valid on as_of")
    organ_code: str | None = Field(description="organ identification code (mã định danh) valid on as_of")
    parent_id: uuid.UUID | None = Field(description="parent unit on as_of (null: a root)")
    valid_from: date | None = Field(description="first day the unit exists (inclusive); null: since always")
    valid_to: date | None = Field(description="last day the unit exists (inclusive); null: still exists")
    as_of: date = Field(description="the day the dated attributes are read on")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    updated_at: datetime = Field(description="last change of the unit or of its dated facts")


class UnitHistory(Unit):
    names: list[NameOut] = Field(description="every dated name, oldest first")
    codes: list[CodeOut] = Field(description="every dated code pair, oldest first")
    parents: list[ParentOut] = Field(description="every dated parent, oldest first")


class TreeNode(OutModel):
    id: uuid.UUID = Field(description="unit id")
    kind: UnitKind = Field(description="kind of unit")
    level: UnitLevel = Field(description="administrative level")
    name: str | None = Field(description="name valid on the requested day")
    admin_code: str | None = Field(description="administrative unit code (mã ĐVHC) valid that day")
    children: list["TreeNode"] = Field(description="child units on that day")


class SubtreeUnit(Unit):
    depth: int = Field(description="levels below the unit asked for (the unit itself is 0)")
