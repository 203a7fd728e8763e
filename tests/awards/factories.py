"""Builders for awards tests, all through the services' APIs: units, a published scoring period, a movement, the
catalogue's forms, and a nomination walked to any step."""

from typing import Any

import httpx

from services.registry.demo.data import demo_id
from tests.conftest import Stack
from tests.scoring.factories import BANDS, framework, group, indicator, values

Headers = dict[str, str]
PROVINCE = str(demo_id("qn"))
HONG_GAI = str(demo_id("qn/2025/honggai"))
BAI_CHAY = str(demo_id("qn/2025/baichay"))
HA_LONG = str(demo_id("qn/2025/halong"))
HA_TU = str(demo_id("qn/2025/hatu"))


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def unit(stack: Stack, admin: Headers, name: str, kind: str, level: str, parent: str | None = None) -> str:
    body = {"kind": kind, "level": level, "name": name} | ({"parent_id": parent} if parent else {})
    created: str = ok(await stack.registry.post("/units", json=body, headers=admin), 201)["id"]
    return created


async def movement(stack: Stack, admin: Headers, issuer: str, code: str, phases: list[str]) -> dict[str, Any]:
    body = {
        "code": code,
        "title": f"Phong trào thi đua chuyển đổi số {code}",
        "issuer_unit_id": issuer,
        "kind": "thematic",
        "legal_basis": {"number": "86/KH-UBND", "date": "2022-03-18"},
        "start_date": "2022-01-01",
        "end_date": "2025-12-31",
        "subject_types": ["collective", "individual"],
        "phases": [
            {"code": p, "title": f"Giai đoạn {p}", "start_date": "2022-01-01", "end_date": "2025-12-31"} for p in phases
        ],
    }
    result: dict[str, Any] = ok(await stack.registry.post("/movements", json=body, headers=admin), 201)
    return result


async def published_period(
    stack: Stack,
    office: Headers,
    scope: str,
    rows: dict[str, Any],
    *,
    code: str,
    bands: bool = True,
    more: dict[str, dict[str, Any]] | None = None,
    **fw: Any,
) -> dict[str, Any]:
    """A one-indicator framework ("X", percent, 100 points) scored on `rows` (unit → value) and published; `more`
    gives the values of other indicators (code → unit → value) when `nodes` is given too."""
    body = {
        "code": code,
        "title": "Bộ chỉ số thử",
        "max_points": 100,
        "nodes": [group("P", "pillar", 100, [indicator("X", 100, "percent", "ratio")])],
        **({"bands": BANDS} if bands else {}),
        **fw,
    }
    created = await framework(stack.scoring, office, body)
    period = ok(
        await stack.scoring.post(
            "/periods",
            json={
                "framework_id": created["id"],
                "title": "Tổng kết",
                "kind": "year",
                "year": 2025,
                "starts_on": "2025-01-01",
                "ends_on": "2025-12-31",
                "scope_unit_id": scope,
            },
            headers=office,
        ),
        201,
    )
    items = [{"unit_id": u, "indicator_code": "X", "value": v} for u, v in rows.items()]
    items += [{"unit_id": u, "indicator_code": c, "value": v} for c, by in (more or {}).items() for u, v in by.items()]
    ok(await values(stack.scoring, office, period["id"], items))
    for to, version in (("locked", '"1"'), ("published", '"2"')):
        ok(
            await stack.scoring.post(
                f"/periods/{period['id']}/transitions", json={"to": to}, headers=office | {"If-Match": version}
            )
        )
    result: dict[str, Any] = period
    return result


async def form_id(stack: Stack, code: str, on: str = "2026-01-10") -> str:
    forms = ok(await stack.awards.get("/forms", params={"on": on, "limit": 500}))["items"]
    found: str = next(f["id"] for f in forms if f["code"] == code)
    return found


def dossier(nominees: int = 1, *, skip: str | None = None) -> list[dict[str, Any]]:
    """Documents of a complete Bằng khen dossier, leaving out the code `skip`."""
    docs = [
        {"code": "to_trinh", "title": "Tờ trình số 52/TTr-UBND", "number": "52/TTr-UBND", "issued_on": "2025-12-01"},
        {"code": "bien_ban_hoi_dong", "title": "Biên bản họp Hội đồng TĐKT phường", "issued_on": "2025-11-28"},
    ] + [
        {"code": "bao_cao_thanh_tich", "title": f"Báo cáo thành tích {i}", "nominee_position": i}
        for i in range(1, nominees + 1)
    ]
    return [d for d in docs if d["code"] != skip]


async def nomination(
    stack: Stack, proposer: Headers, form: str, nominees: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    body = {
        "form_id": form,
        "proposer_unit_id": HONG_GAI,
        "authority_unit_id": PROVINCE,
        "title": "Đề nghị tặng Bằng khen phong trào chuyển đổi số",
        "nominees": nominees,
        "documents": dossier(len(nominees)),
        **extra,
    }
    result: dict[str, Any] = ok(await stack.awards.post("/nominations", json=body, headers=proposer), 201)
    return result


async def move(stack: Stack, who: Headers, n: dict[str, Any], to: str, **body: Any) -> dict[str, Any]:
    response = await stack.awards.post(
        f"/nominations/{n['id']}/transitions",
        json={"to": to, **body},
        headers=who | {"If-Match": f'"{n["version"]}"'},
    )
    result: dict[str, Any] = ok(response)
    return result


async def to_council(stack: Stack, proposer: Headers, office: Headers, n: dict[str, Any]) -> dict[str, Any]:
    for who, to in ((proposer, "submitted"), (office, "received"), (office, "appraising"), (office, "council")):
        n = await move(stack, who, n, to)
    return n


def secret_ballot_form(
    code: str, *, quorum: str = "0.5", approval: str = "0.5", denominator: str = "present"
) -> dict[str, Any]:
    """A province title for individuals that its council votes on by secret ballot."""
    return {
        "code": code,
        "kind": "title",
        "name_vi": f"Danh hiệu thử {code}",
        "name_en": f"Test title {code}",
        "subject_types": ["individual"],
        "conferred_by": [{"level": "province", "title_vi": "Chủ tịch UBND tỉnh", "title_en": "Province chairman"}],
        "voting": {"ballot": "secret", "quorum": quorum, "approval": approval, "denominator": denominator},
    }


def collective(unit_id: str, name: str) -> dict[str, Any]:
    return {"subject_type": "collective", "unit_id": unit_id, "name": name}


def person(name: str, detail: str) -> dict[str, Any]:
    return {"subject_type": "individual", "name": name, "detail": detail}


async def council(
    stack: Stack, secretary: Headers, nominations: list[dict[str, Any]], members: list[str], **extra: Any
) -> dict[str, Any]:
    body = {
        "body_unit_id": PROVINCE,
        "body_name": "Hội đồng Thi đua – Khen thưởng tỉnh Quảng Ninh",
        "title": "Xét khen thưởng phong trào chuyển đổi số",
        "meets_on": "2025-12-03",
        "place": "Quảng Ninh",
        "members": [
            {"username": m, "name": f"Thành viên {m}", "position": "Chủ tịch Hội đồng" if i == 0 else "Ủy viên"}
            for i, m in enumerate(members)
        ],
        "nomination_ids": [n["id"] for n in nominations],
        **extra,
    }
    result: dict[str, Any] = ok(await stack.awards.post("/councils", json=body, headers=secretary), 201)
    return result


async def decided(
    stack: Stack, token_for: Any, form: str, nominees: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    """A nomination of Hồng Gai to the province, through an open-ballot council of two, approved line by line."""
    n = await at_signer(stack, token_for, form, nominees, **extra)
    outcomes = [{"nominee_id": line["id"], "outcome": "approved"} for line in n["nominees"]]
    return await move(stack, token_for("chutich.ubnd"), n, "decided", outcomes=outcomes)


async def at_signer(
    stack: Stack, token_for: Any, form: str, nominees: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    """A nomination of Hồng Gai to the province, every line passed by an open-ballot council of two, at the signer."""
    proposer, office, secretary = token_for("lanhdao.honggai"), token_for("tdkt.snv"), token_for("hoidong.thuky")
    n = await to_council(stack, proposer, office, await nomination(stack, proposer, form, nominees, **extra))
    c = await council(stack, secretary, [n], ["hoidong.uyvien", "hoidong.thuky"])
    votes = [{"nominee_id": line["id"], "choice": "yes"} for line in n["nominees"]]
    for member in ("hoidong.uyvien", "hoidong.thuky"):
        ok(await stack.awards.post(f"/councils/{c['id']}/votes", json={"votes": votes}, headers=token_for(member)))
    ok(await stack.awards.post(f"/councils/{c['id']}/close", headers=secretary | {"If-Match": f'"{c["version"]}"'}))
    n = ok(await stack.awards.get(f"/nominations/{n['id']}", headers=office))
    return await move(stack, secretary, n, "to_signer")


async def split_vote(stack: Stack, token_for: Any) -> dict[str, Any]:
    """A nomination with the signer after a secret ballot of two members on a province title (70% needed): Ông Trần
    Văn Một got 1 yes and 1 no (failed), Bà Lê Thị Hai 2 yes (passed)."""
    regime = {
        "title": "Quy chế thử",
        "valid_from": "2024-01-01",
        "forms": [secret_ballot_form("KIN70", approval="0.7")],
    }
    [form] = ok(await stack.awards.put("/regimes/TEST-SPLIT", json=regime, headers=token_for("admin")))["forms"]
    proposer, office, secretary = token_for("lanhdao.honggai"), token_for("tdkt.snv"), token_for("hoidong.thuky")
    people = [person("Ông Trần Văn Một", "Công chức"), person("Bà Lê Thị Hai", "Công chức")]
    n = await to_council(stack, proposer, office, await nomination(stack, proposer, form["id"], people, documents=[]))
    c = await council(stack, secretary, [n], ["hoidong.uyvien", "hoidong.thuky"])
    one, two = (x["id"] for x in n["nominees"])
    for member, first in (("hoidong.uyvien", "yes"), ("hoidong.thuky", "no")):
        votes = [{"nominee_id": one, "choice": first}, {"nominee_id": two, "choice": "yes"}]
        ok(await stack.awards.post(f"/councils/{c['id']}/votes", json={"votes": votes}, headers=token_for(member)))
    ok(await stack.awards.post(f"/councils/{c['id']}/close", headers=secretary | {"If-Match": f'"{c["version"]}"'}))
    n = ok(await stack.awards.get(f"/nominations/{n['id']}", headers=office))
    assert [x["council_result"] for x in n["nominees"]] == ["failed", "passed"]
    return await move(stack, secretary, n, "to_signer")


def decision_body(nominee_ids: list[str], signed_on: str = "2025-12-05") -> dict[str, Any]:
    return {
        "issuer_unit_id": PROVINCE,
        "issuer_name": "Ủy ban nhân dân tỉnh Quảng Ninh",
        "notation": "QĐ-UBND",
        "place": "Quảng Ninh",
        "signed_on": signed_on,
        "subject": "Về việc tặng Bằng khen của Chủ tịch UBND tỉnh",
        "authority": "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ninh",
        "legal_bases": [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ",
        ],
        "signer": {"prefix": "KT. CHỦ TỊCH", "position": "PHÓ CHỦ TỊCH", "name": "Nguyễn Văn A"},
        "recipients": ["Như Điều 3", "CT, các PCT UBND tỉnh", "Sở Nội vụ"],
        "nominee_ids": nominee_ids,
    }
