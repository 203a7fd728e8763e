"""The registry's fixed vocabulary: kinds and levels of units, roles of callers (labels keep their diacritics)."""

from enum import StrEnum


class UnitKind(StrEnum):
    PROVINCE = "province"
    CITY = "city"  # centrally-run city (thành phố trực thuộc trung ương)
    DEPARTMENT = "department"
    DISTRICT = "district"
    COMMUNE = "commune"
    WARD = "ward"
    TOWNSHIP = "township"
    SPECIAL_ZONE = "special_zone"
    AGENCY = "agency"
    MASS_ORGANISATION = "mass_organisation"
    PUBLIC_SERVICE_UNIT = "public_service_unit"
    SCHOOL = "school"
    HEALTH_FACILITY = "health_facility"
    ENTERPRISE = "enterprise"
    COOPERATIVE = "cooperative"
    VILLAGE = "village"
    HOUSEHOLD = "household"
    INTERNAL_OFFICE = "internal_office"

    @property
    def label(self) -> str:
        return UNIT_KIND_LABELS[self]


UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: "Tỉnh",
    UnitKind.CITY: "Thành phố trực thuộc trung ương",
    UnitKind.DEPARTMENT: "Sở, ban, ngành",
    UnitKind.DISTRICT: "Huyện, quận, thị xã, thành phố thuộc tỉnh",
    UnitKind.COMMUNE: "Xã",
    UnitKind.WARD: "Phường",
    UnitKind.TOWNSHIP: "Thị trấn",
    UnitKind.SPECIAL_ZONE: "Đặc khu",
    UnitKind.AGENCY: "Cơ quan",
    UnitKind.MASS_ORGANISATION: "Mặt trận, đoàn thể",
    UnitKind.PUBLIC_SERVICE_UNIT: "Đơn vị sự nghiệp công lập",
    UnitKind.SCHOOL: "Trường học",
    UnitKind.HEALTH_FACILITY: "Cơ sở y tế",
    UnitKind.ENTERPRISE: "Doanh nghiệp",
    UnitKind.COOPERATIVE: "Hợp tác xã",
    UnitKind.VILLAGE: "Thôn, bản, khu phố",
    UnitKind.HOUSEHOLD: "Hộ gia đình",
    UnitKind.INTERNAL_OFFICE: "Phòng, ban, đơn vị nội bộ",
}

# Kinds whose names are personal data: never in the anonymous directory.
PRIVATE_KINDS = frozenset({UnitKind.HOUSEHOLD})


class UnitLevel(StrEnum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    GRASSROOTS = "grassroots"  # villages, households, enterprises and offices below a commune or inside a unit


class Role(StrEnum):
    """Roles a token carries. Shared by every service (they import it with the registry's client)."""

    UNIT_REPORTER = "unit_reporter"
    UNIT_HEAD = "unit_head"
    EMULATION_OFFICE = "emulation_office"  # Ban/Phòng Thi đua – Khen thưởng, also the appraiser
    COUNCIL_MEMBER = "council_member"
    COUNCIL_SECRETARY = "council_secretary"
    DECISION_SIGNER = "decision_signer"
    ADMIN = "admin"


# Who may change the registry's units (within their unit scope; an administrator anywhere).
UNIT_EDITORS = frozenset({Role.ADMIN, Role.EMULATION_OFFICE, Role.UNIT_HEAD, Role.UNIT_REPORTER})
# Who may record lineage events, import unit lists and manage blocs and movements.
REGISTRY_OFFICERS = frozenset({Role.ADMIN, Role.EMULATION_OFFICE})
# Any signed-in caller: operations whose whole rule is the scope check on the data (e.g. "is this in my scope?").
SIGNED_IN = frozenset(Role)
ADMINS = frozenset({Role.ADMIN})
