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
    kind: UnitKind
    level: UnitLevel
    name: UnitName
    short_name: UnitName | None = None
    admin_code: AdminCode | None = None
    organ_code: OrganCode | None = None
    parent_id: uuid.UUID | None = Field(default=None, description="parent unit from valid_from on")


class UnitCreate(UnitFields, Validity):
    """A new unit with its first name, codes and parent, all valid over the same period."""


class UnitUpdate(ApiModel):
    """Undated attributes. Names, codes and parents change through their dated endpoints or a lineage event."""

    kind: UnitKind | None = None
    level: UnitLevel | None = None


class NameCreate(Validity):
    name: UnitName
    short_name: UnitName | None = None


class CodeCreate(Validity):
    admin_code: AdminCode | None = None
    organ_code: OrganCode | None = None


class ParentCreate(Validity):
    parent_id: uuid.UUID


class NameOut(OutModel):
    name: str
    short_name: str | None
    valid_from: date | None
    valid_to: date | None


class CodeOut(OutModel):
    admin_code: str | None
    organ_code: str | None
    valid_from: date | None
    valid_to: date | None


class ParentOut(OutModel):
    parent_id: uuid.UUID
    valid_from: date | None
    valid_to: date | None


class Unit(OutModel):
    """A unit as of a date (`as_of`): the name, codes and parent valid that day."""

    id: uuid.UUID
    kind: UnitKind
    kind_label: str
    level: UnitLevel
    name: str | None
    short_name: str | None
    admin_code: str | None
    organ_code: str | None
    parent_id: uuid.UUID | None
    valid_from: date | None
    valid_to: date | None
    as_of: date = Field(description="the day the dated attributes are read on")
    version: int
    updated_at: datetime = Field(description="last change of the unit or of its dated facts")


class UnitHistory(Unit):
    names: list[NameOut]
    codes: list[CodeOut]
    parents: list[ParentOut]


class TreeNode(OutModel):
    id: uuid.UUID
    kind: UnitKind
    level: UnitLevel
    name: str | None
    admin_code: str | None
    children: list["TreeNode"]


class SubtreeUnit(Unit):
    depth: int
