"""A rule's candidates as an office files them in Excel: one line per candidate, one column per condition."""

from typing import Any

from kit.xlsx import Column, Sheet
from services.awards.rules.schemas import Candidate, Check, Evaluation, Standing

STANDINGS = {
    Standing.SELECTED: "Được chọn",
    Standing.TIED: "Bằng nhau ở giới hạn (Hội đồng quyết định)",
    Standing.BEYOND: "Ngoài số lượng",
    Standing.INELIGIBLE: "Không đủ điều kiện",
}


def _explain(check: Check | None) -> str | None:
    if check is None:
        return None
    verdict = "Đạt" if check.passed else "Không đạt"
    actual = check.actual if check.actual is not None else "không có số liệu"
    return f"{verdict}: {actual} (yêu cầu {check.expected})"


def candidates(evaluation: Evaluation) -> tuple[Sheet, list[dict[str, Any]]]:
    """The sheet and its rows: the groups one under the other, each candidate with every condition explained."""
    conditions: list[str] = []  # every group's conditions, in the order they first appear
    for group in evaluation.groups:
        for candidate in group.candidates:
            for check in candidate.checks:
                if check.description_vi not in conditions:
                    conditions.append(check.description_vi)
    rows = []
    for group in evaluation.groups:
        for c in group.candidates:
            rows.append(
                {"group": group.label, "candidate": c} | {f"c{i}": _check(c, d) for i, d in enumerate(conditions)}
            )
    columns = [
        Column("Nhóm", "group", width=18),
        Column("Hạng", lambda r: r["candidate"].rank, "integer"),
        Column("Tên", lambda r: r["candidate"].name, width=36),
        Column("Giá trị xếp thứ tự", lambda r: r["candidate"].order_value, "score"),
        Column("Đủ điều kiện", lambda r: r["candidate"].eligible, "flag"),
        Column("Được chọn", lambda r: r["candidate"].selected, "flag"),
        Column("Tình trạng", lambda r: STANDINGS[r["candidate"].status], width=22),
        *(Column(d, f"c{i}", width=32) for i, d in enumerate(conditions)),
        Column("Lý do", lambda r: r["candidate"].reason_vi, width=48),
    ]
    return Sheet(columns, name="Danh sách xét"), rows


def _check(candidate: Candidate, description: str) -> str | None:
    return _explain(next((k for k in candidate.checks if k.description_vi == description), None))
