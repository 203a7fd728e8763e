"""A movement's registrations as an office files them in Excel (kit.xlsx renders it)."""

from itertools import count
from typing import Any

from kit.xlsx import Column, Sheet
from services.registry.registrations.schemas import RegistrationStatus

STATUSES = {
    RegistrationStatus.DRAFT: "Bản nháp",
    RegistrationStatus.SUBMITTED: "Đã gửi đăng ký",
    RegistrationStatus.APPROVED: "Đã duyệt",
    RegistrationStatus.REJECTED: "Bị từ chối",
}


def registrations(rows: list[dict[str, Any]]) -> tuple[Sheet, list[dict[str, Any]]]:
    """The sheet and its rows, numbered (STT) in the order of the list."""
    numbered = [row | {"stt": n} for n, row in zip(count(1), rows, strict=False)]
    sheet = Sheet(
        [
            Column("STT", "stt", "integer", width=6),
            Column("Đơn vị / cá nhân đăng ký", "subject", width=40),
            Column("Tập thể / cá nhân", "subject_type", width=12),
            Column("Trạng thái", lambda r: STATUSES[r["status"]], width=16),
            Column("Chỉ đạo điểm", "is_pilot", "flag"),
            Column("Giao ước thi đua", "commitments", width=60),
            Column("Ngày tạo", "created_at", "date"),
            Column("Ngày gửi", "submitted_at", "date"),
            Column("Lý do (nếu bị từ chối)", "reason", width=30),
            Column("Mã đăng ký (ID)", "id", width=38),
        ],
        name="Đăng ký thi đua",
    )
    return sheet, numbered
