"""The ranking as an office files it in Excel (kit.xlsx renders it)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from kit.xlsx import Column, Sheet
from services.registry.vocabulary import UnitKind
from services.scoring.periods import service as periods
from services.scoring.scores.schemas import RankOut, UnitScore
from services.scoring.vocabulary import GroupKind

RANKING = Sheet(
    [
        Column("Hạng", "rank", "integer"),
        Column("Đơn vị", "name", width=40),
        Column("Tổng điểm", "total", "score"),
        Column("Điểm (thang 100)", "score100", "score"),
        Column("Chỉ số", "index_value", "index"),
        Column("Xếp loại", "band_vi", width=16),
        Column("Điểm suy ra sau sắp xếp", "derived", "flag"),
        Column(
            "Suy ra từ",
            lambda r: "; ".join(f"{d.name or d.unit_id} ({d.weight.normalize()})" for d in r.derived_from) or None,
        ),
        Column("Tính lúc", "computed_at", "datetime"),
        Column("Mã đơn vị (ID)", "unit_id", width=38),
    ],
    name="Xếp hạng",
)


def _peer(score: UnitScore) -> RankOut | None:
    return next((r for r in score.ranks if r.group_kind == GroupKind.PEER), None)


SCORES = Sheet(
    [
        Column("Đơn vị", "name", width=40),
        Column("Tổng điểm", "total", "score"),
        Column("Điểm tối đa", "max_points", "score"),
        Column("Điểm (thang 100)", "score100", "score"),
        Column("Chỉ số", "index_value", "index"),
        Column("Xếp loại", "band_vi", width=16),
        Column("Được xếp hạng", "ranked", "flag"),
        Column("Nhóm so sánh", lambda s: _group(GroupKind.PEER, p.group_key) if (p := _peer(s)) else None, width=24),
        Column("Hạng trong nhóm", lambda s: p.rank if (p := _peer(s)) else None, "integer"),
        Column("Số đơn vị trong nhóm", lambda s: p.group_size if (p := _peer(s)) else None, "integer"),
        Column("Điểm suy ra sau sắp xếp", "derived", "flag"),
        Column("Tính lúc", "computed_at", "datetime"),
        Column("Mã đơn vị (ID)", "unit_id", width=38),
    ],
    name="Kết quả",
)


LEVELS = {"central": "trung ương", "province": "tỉnh", "district": "huyện", "commune": "xã", "grassroots": "cơ sở"}


def _group(group_kind: GroupKind, key: str) -> str:
    """A ranking group as a reader says it: a peer group 'ward|commune' is "Phường, cấp xã"."""
    kind, _, level = key.partition("|")
    if group_kind == GroupKind.PEER and kind in UnitKind.__members__.values() and level in LEVELS:
        return f"{UnitKind(kind).label}, cấp {LEVELS[level]}"
    return key


async def scores_names(session: AsyncSession, period_id: uuid.UUID) -> dict[str, str]:
    """The workbook's file name and title row of a period's results, from the period."""
    title = (await periods.get_row(session, period_id))["title"]
    return {"filename": f"Kết quả {title}", "title": f"Kết quả đánh giá: {title}"}


async def ranking_names(session: AsyncSession, period_id: uuid.UUID, group_kind: GroupKind, key: str) -> dict[str, str]:
    """The workbook's file name and title row, from the period (read after the caller was let in)."""
    title, group = (await periods.get_row(session, period_id))["title"], _group(group_kind, key)
    return {"filename": f"Xếp hạng {title} - {group}", "title": f"Kết quả xếp hạng: {title} ({group})"}
