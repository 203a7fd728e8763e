"""Demo data of scoring, entered through the API as an emulation office would: Quảng Ninh's commune-level
framework (abridged for the demo, after QĐ 311/QĐ-UBND), the 2025 period over the new wards and special zones,
plausible values, and published results. Loading twice changes nothing."""

from typing import Any

import httpx

from services.registry.demo.data import demo_id

CODE = "QN_DTI_XA"


def _ind(code: str, title: str, points: int, value_type: str, method: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "kind": "indicator",
        "title": title,
        "max_points": points,
        "value_type": value_type,
        "method": method,
        **extra,
    }


FRAMEWORK: dict[str, Any] = {
    "code": CODE,
    "title": "Bộ chỉ số đánh giá, xếp hạng mức độ chuyển đổi số cấp xã (bản rút gọn cho dữ liệu mẫu)",
    "decision": {"number": "311/QĐ-UBND", "date": "2023-02-08", "issuer": "UBND tỉnh Quảng Ninh"},
    "unit_levels": ["commune"],
    "max_points": 100,
    "bands": [
        {"lower_bound": 85, "label_vi": "Tốt", "label_en": "Good"},
        {"lower_bound": 65, "label_vi": "Khá", "label_en": "Fair"},
        {"lower_bound": 50, "label_vi": "Trung bình", "label_en": "Average"},
        {"lower_bound": 0, "label_vi": "Yếu", "label_en": "Weak"},
    ],
    "nodes": [
        {
            "code": "CQS",
            "kind": "pillar",
            "title": "Chính quyền số",
            "max_points": 40,
            "children": [
                _ind(
                    "CQS.1",
                    "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng",
                    15,
                    "percent",
                    "target",
                    evidence_required=True,
                    data_source="Hệ thống quản lý văn bản và điều hành",
                ),
                _ind(
                    "CQS.2",
                    "Tỷ lệ hồ sơ thủ tục hành chính trực tuyến toàn trình",
                    15,
                    "ratio",
                    "ratio",
                    data_source="Hệ thống thông tin giải quyết TTHC tỉnh",
                ),
                _ind(
                    "CQS.3",
                    "Số cuộc họp trực tuyến của UBND cấp xã trong năm",
                    10,
                    "count",
                    "step",
                    params={
                        "steps": [
                            {"min": 4, "points": 10},
                            {"min": 3, "points": 7.5},
                            {"min": 2, "points": 5},
                            {"min": 1, "points": 2.5},
                        ]
                    },
                ),
            ],
        },
        {
            "code": "KTS",
            "kind": "pillar",
            "title": "Kinh tế số",
            "max_points": 30,
            "children": [
                _ind(
                    "KTS.1", "Tỷ lệ hộ kinh doanh chấp nhận thanh toán không dùng tiền mặt", 15, "percent", "relative"
                ),
                _ind("KTS.2", "Sản phẩm OCOP có gian hàng trên sàn thương mại điện tử", 15, "boolean", "boolean"),
            ],
        },
        {
            "code": "XHS",
            "kind": "pillar",
            "title": "Xã hội số",
            "max_points": 30,
            "children": [
                _ind("XHS.1", "Tỷ lệ hộ gia đình có cáp quang", 15, "percent", "target"),
                _ind(
                    "XHS.2",
                    "Mức độ tuyên truyền về chuyển đổi số",
                    15,
                    "category",
                    "category",
                    params={"map": {"Đầy đủ": 1, "Một phần": 0.5, "Chưa thực hiện": 0}},
                ),
            ],
        },
    ],
    "targets": [
        {"indicator_code": "CQS.1", "year": 2025, "level": "commune", "target": 100},
        {"indicator_code": "XHS.1", "year": 2025, "level": "commune", "target": 95},
    ],
}

EVIDENCE = {
    "kind": "document",
    "number": "25/BC-UBND",
    "date": "2025-12-10",
    "subject": "Báo cáo kết quả chuyển đổi số năm 2025",
}
# unit key: CQS.1 %, CQS.2 (a, b), CQS.3 meetings, KTS.1 %, KTS.2, XHS.1 %, XHS.2
VALUES = {
    "qn/2025/honggai": (100, (930, 1000), 5, 82, True, 97, "Đầy đủ"),
    "qn/2025/halong": (96, (850, 1000), 4, 75, True, 94, "Đầy đủ"),
    "qn/2025/baichay": (92, (780, 1000), 3, 88, True, 90, "Một phần"),
    "qn/2025/hatu": (85, (640, 1000), 2, 60, False, 88, "Một phần"),
    "qn/2025/vandon": (90, (700, 1000), 4, 70, True, 80, "Đầy đủ"),
    "qn/2025/coto": (80, (520, 1000), 2, 45, False, 75, "Chưa thực hiện"),
}


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key, (hs, (a, b), meetings, cashless, ocop, fibre, outreach) in VALUES.items():
        unit = str(demo_id(key))
        rows += [
            {"unit_id": unit, "indicator_code": "CQS.1", "value": hs, "evidence": [EVIDENCE]},
            {"unit_id": unit, "indicator_code": "CQS.2", "numerator": a, "denominator": b},
            {"unit_id": unit, "indicator_code": "CQS.3", "value": meetings},
            {"unit_id": unit, "indicator_code": "KTS.1", "value": cashless},
            {"unit_id": unit, "indicator_code": "KTS.2", "flag": ocop},
            {"unit_id": unit, "indicator_code": "XHS.1", "value": fibre},
            {"unit_id": unit, "indicator_code": "XHS.2", "category": outreach},
        ]
    return rows


async def load(scoring: httpx.AsyncClient, office_token: str) -> dict[str, int]:
    """Framework, published 2025 period with values; skipped when the framework already exists."""
    auth = {"Authorization": f"Bearer {office_token}"}
    if (await scoring.get("/frameworks", params={"code": CODE})).json():
        return {"frameworks": 0, "periods": 0, "values": 0}

    async def ok(response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 300:
            raise RuntimeError(f"scoring demo: {response.status_code} {response.text[:500]}")
        body: dict[str, Any] = response.json()
        return body

    framework = await ok(await scoring.post("/frameworks", json=FRAMEWORK, headers=auth))
    await ok(await scoring.post(f"/frameworks/{framework['id']}/publish", headers=auth))
    period = await ok(
        await scoring.post(
            "/periods",
            headers=auth,
            json={
                "framework_id": framework["id"],
                "title": "Đánh giá mức độ chuyển đổi số cấp xã năm 2025",
                "kind": "year",
                "year": 2025,
                "starts_on": "2025-01-01",
                "ends_on": "2025-12-31",
                "scope_unit_id": str(demo_id("qn")),
            },
        )
    )
    rows = _rows()
    await ok(
        await scoring.post(
            f"/periods/{period['id']}/values", params={"submit": "true"}, json={"items": rows}, headers=auth
        )
    )
    for version, to in (('"1"', "locked"), ('"2"', "published")):
        await ok(
            await scoring.post(
                f"/periods/{period['id']}/transitions", json={"to": to}, headers=auth | {"If-Match": version}
            )
        )
    return {"frameworks": 1, "periods": 1, "values": len(rows)}
