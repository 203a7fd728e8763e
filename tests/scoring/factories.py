"""Small builders for scoring tests: frameworks, periods and values through the API."""

from collections.abc import Callable
from typing import Any

import httpx

from services.registry.demo.data import demo_id

Auth = Callable[[str], dict[str, str]]
PROVINCE = str(demo_id("qn"))
HONG_GAI = str(demo_id("qn/2025/honggai"))
BAI_CHAY = str(demo_id("qn/2025/baichay"))
HA_LONG = str(demo_id("qn/2025/halong"))
HA_TU = str(demo_id("qn/2025/hatu"))
BANDS = [
    {"lower_bound": 85, "label_vi": "Tốt", "label_en": "Good"},
    {"lower_bound": 65, "label_vi": "Khá", "label_en": "Fair"},
    {"lower_bound": 50, "label_vi": "Trung bình", "label_en": "Average"},
    {"lower_bound": 0, "label_vi": "Yếu", "label_en": "Weak"},
]


def indicator(code: str, points: float, value_type: str, method: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "kind": "indicator",
        "title": f"Chỉ số {code}",
        "max_points": points,
        "value_type": value_type,
        "method": method,
        **extra,
    }


def group(code: str, kind: str, points: float, children: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": code, "kind": kind, "title": f"Nhóm {code}", "max_points": points, "children": children}


async def framework(
    client: httpx.AsyncClient, auth: dict[str, str], body: dict[str, Any], *, publish: bool = True
) -> dict[str, Any]:
    created = await client.post("/frameworks", json=body, headers=auth)
    assert created.status_code == 201, created.text
    if not publish:
        result: dict[str, Any] = created.json()
        return result
    published = await client.post(f"/frameworks/{created.json()['id']}/publish", headers=auth)
    assert published.status_code == 200, published.text
    out: dict[str, Any] = published.json()
    return out


async def period(client: httpx.AsyncClient, auth: dict[str, str], framework_id: str, **extra: Any) -> dict[str, Any]:
    body = {
        "framework_id": framework_id,
        "title": "Đánh giá năm 2025",
        "kind": "year",
        "year": 2025,
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "scope_unit_id": PROVINCE,
        **extra,
    }
    created = await client.post("/periods", json=body, headers=auth)
    assert created.status_code == 201, created.text
    out: dict[str, Any] = created.json()
    return out


async def values(
    client: httpx.AsyncClient, auth: dict[str, str], period_id: str, items: list[dict[str, Any]], **params: str
) -> httpx.Response:
    return await client.post(f"/periods/{period_id}/values", json={"items": items}, params=params, headers=auth)
