"""Demo data of the embedded default: Quảng Ninh before and after the 2025 reorganisation.

Names are real; the groupings of wards into the new units are abridged for the demo and cite Nghị quyết
1679/NQ-UBTVQH15 (16/6/2025) on the rearrangement of Quảng Ninh's commune-level units; the district level ends
under Luật Tổ chức chính quyền địa phương 72/2025/QH15. Only the province carries an administrative code (22):
other codes are left empty rather than invented. Ids are stable (uuid5 of the key) so reloading changes nothing.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date

from services.registry.vocabulary import Role, UnitKind, UnitLevel

NAMESPACE = uuid.UUID("8f5d3c9e-2b7a-4f61-9a0e-6c2d1b7e4a10")
REFORM = date(2025, 7, 1)
LAST_OLD_DAY = date(2025, 6, 30)


def demo_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


@dataclass(frozen=True)
class DemoUnit:
    key: str
    name: str
    kind: UnitKind
    level: UnitLevel
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    admin_code: str | None = None


@dataclass(frozen=True)
class DemoEvent:
    key: str
    kind: str
    predecessors: list[tuple[str, float | None]] = field(default_factory=list)
    successor: str | None = None
    unit: str | None = None
    act: tuple[str, date, str] = ("1679/NQ-UBTVQH15", date(2025, 6, 16), "Ủy ban Thường vụ Quốc hội")


P, D, C, G = UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE, UnitLevel.GRASSROOTS
QN = "qn"

UNITS: list[DemoUnit] = [
    DemoUnit(QN, "Tỉnh Quảng Ninh", UnitKind.PROVINCE, P, admin_code="22"),
    DemoUnit("qn/snv", "Sở Nội vụ", UnitKind.DEPARTMENT, P, QN),
    DemoUnit("qn/stttt", "Sở Thông tin và Truyền thông", UnitKind.DEPARTMENT, P, QN, valid_to=date(2025, 2, 28)),
    DemoUnit("qn/skhcn", "Sở Khoa học và Công nghệ", UnitKind.DEPARTMENT, P, QN),
    DemoUnit("qn/vpubnd", "Văn phòng UBND tỉnh", UnitKind.AGENCY, P, QN),
    DemoUnit("qn/bqlvhl", "Ban Quản lý vịnh Hạ Long", UnitKind.AGENCY, P, QN),
    DemoUnit("qn/bqlvhl/vp", "Văn phòng Ban Quản lý vịnh Hạ Long", UnitKind.INTERNAL_OFFICE, G, "qn/bqlvhl"),
    DemoUnit("qn/bqlvhl/khtc", "Phòng Kế hoạch - Tài chính", UnitKind.INTERNAL_OFFICE, G, "qn/bqlvhl"),
    # District level, until 30/6/2025.
    *[
        DemoUnit(f"qn/{key}", name, kind, D, QN, valid_to=LAST_OLD_DAY)
        for key, name, kind in [
            ("halong", "Thành phố Hạ Long", UnitKind.DISTRICT),
            ("campha", "Thành phố Cẩm Phả", UnitKind.DISTRICT),
            ("uongbi", "Thành phố Uông Bí", UnitKind.DISTRICT),
            ("mongcai", "Thành phố Móng Cái", UnitKind.DISTRICT),
            ("dongtrieu", "Thành phố Đông Triều", UnitKind.DISTRICT),
            ("quangyen", "Thị xã Quảng Yên", UnitKind.DISTRICT),
            ("vandon", "Huyện Vân Đồn", UnitKind.DISTRICT),
            ("coto", "Huyện Cô Tô", UnitKind.DISTRICT),
            ("tienyen", "Huyện Tiên Yên", UnitKind.DISTRICT),
            ("binhlieu", "Huyện Bình Liêu", UnitKind.DISTRICT),
            ("damha", "Huyện Đầm Hà", UnitKind.DISTRICT),
            ("haiha", "Huyện Hải Hà", UnitKind.DISTRICT),
            ("bache", "Huyện Ba Chẽ", UnitKind.DISTRICT),
        ]
    ],
    # Commune level before the reform (ended by the merges below).
    *[
        DemoUnit(f"qn/halong/{key}", name, UnitKind.WARD, C, "qn/halong")
        for key, name in [
            ("honggai", "Phường Hồng Gai"),
            ("bachdang", "Phường Bạch Đằng"),
            ("tranhungdao", "Phường Trần Hưng Đạo"),
            ("yetkieu", "Phường Yết Kiêu"),
            ("honghai", "Phường Hồng Hải"),
            ("hongha", "Phường Hồng Hà"),
            ("baichay", "Phường Bãi Cháy"),
            ("giengday", "Phường Giếng Đáy"),
            ("hungthang", "Phường Hùng Thắng"),
            ("hatu", "Phường Hà Tu"),
            ("haphong", "Phường Hà Phong"),
        ]
    ],
    DemoUnit("qn/vandon/cairong", "Thị trấn Cái Rồng", UnitKind.TOWNSHIP, C, "qn/vandon"),
    DemoUnit("qn/vandon/halong", "Xã Hạ Long", UnitKind.COMMUNE, C, "qn/vandon"),
    DemoUnit("qn/vandon/dongxa", "Xã Đông Xá", UnitKind.COMMUNE, C, "qn/vandon"),
    DemoUnit("qn/coto/coto", "Thị trấn Cô Tô", UnitKind.TOWNSHIP, C, "qn/coto"),
    DemoUnit("qn/coto/dongtien", "Xã Đồng Tiến", UnitKind.COMMUNE, C, "qn/coto"),
    DemoUnit("qn/coto/thanhlan", "Xã Thanh Lân", UnitKind.COMMUNE, C, "qn/coto"),
    # Commune level from 1/7/2025, directly under the province.
    DemoUnit("qn/2025/honggai", "Phường Hồng Gai", UnitKind.WARD, C, QN, valid_from=REFORM),
    DemoUnit("qn/2025/halong", "Phường Hạ Long", UnitKind.WARD, C, QN, valid_from=REFORM),
    DemoUnit("qn/2025/baichay", "Phường Bãi Cháy", UnitKind.WARD, C, QN, valid_from=REFORM),
    DemoUnit("qn/2025/hatu", "Phường Hà Tu", UnitKind.WARD, C, QN, valid_from=REFORM),
    DemoUnit("qn/2025/vandon", "Đặc khu Vân Đồn", UnitKind.SPECIAL_ZONE, C, QN, valid_from=REFORM),
    DemoUnit("qn/2025/coto", "Đặc khu Cô Tô", UnitKind.SPECIAL_ZONE, C, QN, valid_from=REFORM),
]

EVENTS: list[DemoEvent] = [
    DemoEvent(
        "merge/honggai",
        "merge",
        [
            ("qn/halong/honggai", None),
            ("qn/halong/bachdang", None),
            ("qn/halong/tranhungdao", None),
            ("qn/halong/yetkieu", 0.4),
        ],
        "qn/2025/honggai",
    ),
    DemoEvent(
        "merge/halong",
        "merge",
        [("qn/halong/yetkieu", None), ("qn/halong/honghai", None), ("qn/halong/hongha", None)],
        "qn/2025/halong",
    ),
    DemoEvent(
        "merge/baichay",
        "merge",
        [("qn/halong/baichay", None), ("qn/halong/giengday", None), ("qn/halong/hungthang", None)],
        "qn/2025/baichay",
    ),
    DemoEvent("merge/hatu", "merge", [("qn/halong/hatu", None), ("qn/halong/haphong", None)], "qn/2025/hatu"),
    DemoEvent(
        "merge/vandon",
        "merge",
        [("qn/vandon/cairong", None), ("qn/vandon/halong", None), ("qn/vandon/dongxa", None)],
        "qn/2025/vandon",
    ),
    DemoEvent(
        "merge/coto",
        "merge",
        [("qn/coto/coto", None), ("qn/coto/dongtien", None), ("qn/coto/thanhlan", None)],
        "qn/2025/coto",
    ),
]

# Accounts of the embedded default (password "demo"), each with its scope unit.
USERS: list[tuple[str, str, list[Role], str | None]] = [
    ("admin", "Quản trị hệ thống", [Role.ADMIN], None),
    ("tdkt.snv", "Ban Thi đua – Khen thưởng, Sở Nội vụ", [Role.EMULATION_OFFICE], QN),
    ("baocao.honggai", "Cán bộ báo cáo, Phường Hồng Gai", [Role.UNIT_REPORTER], "qn/2025/honggai"),
    ("lanhdao.honggai", "Chủ tịch UBND Phường Hồng Gai", [Role.UNIT_HEAD], "qn/2025/honggai"),
    ("baocao.baichay", "Cán bộ báo cáo, Phường Bãi Cháy", [Role.UNIT_REPORTER], "qn/2025/baichay"),
    ("baocao.bqlvhl", "Cán bộ báo cáo, Ban Quản lý vịnh Hạ Long", [Role.UNIT_REPORTER], "qn/bqlvhl"),
    ("hoidong.uyvien", "Ủy viên Hội đồng TĐKT tỉnh", [Role.COUNCIL_MEMBER], QN),
    ("hoidong.thuky", "Thư ký Hội đồng TĐKT tỉnh", [Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER], QN),
    ("chutich.ubnd", "Chủ tịch UBND tỉnh", [Role.DECISION_SIGNER], QN),
]
