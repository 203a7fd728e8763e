"""Real concurrency against live services on loopback: one approval wins, decision numbers never collide."""

import asyncio
import uuid
from typing import Any

import httpx

from kit.auth import Caller
from services.registry.demo.data import demo_id
from services.registry.vocabulary import Role

PROVINCE = demo_id("qn")
HONG_GAI = demo_id("qn/2025/honggai")


def _auth(live_database: Any, subject: str, role: str, unit: Any) -> dict[str, str]:
    from kit.auth import TokenIssuer

    _, data_dir = live_database
    issuer = TokenIssuer(data_dir / "keys", issuer="thidua", audience="thidua")
    return {"Authorization": "Bearer " + issuer.issue(Caller(subject, frozenset({role}), unit, subject))}


async def _ok(response: Any) -> Any:
    result = await response
    assert result.status_code < 300, result.text
    return result.json()


async def _to_signer(client: httpx.AsyncClient, tokens: dict[str, dict[str, str]], nominees: int) -> dict[str, Any]:
    """A Giấy khen dossier of Hồng Gai with `nominees` people, voted through by a council of one."""
    batch = uuid.uuid4().hex[:6]  # the live database is shared by the tests of a run
    forms = (await client.get("/forms", params={"limit": 500})).json()["items"]
    form = next(f["id"] for f in forms if f["code"] == "GIAY_KHEN")
    body = {
        "form_id": form,
        "proposer_unit_id": str(HONG_GAI),
        "authority_unit_id": str(HONG_GAI),
        "title": "Đề nghị tặng Giấy khen",
        "nominees": [
            {"subject_type": "individual", "name": f"Người lao động {batch}-{i}", "detail": "Phường Hồng Gai"}
            for i in range(nominees)
        ],
        "documents": [
            {"code": "to_trinh", "title": "Tờ trình"},
            {"code": "bien_ban_hoi_dong", "title": "Biên bản"},
            *(
                {"code": "bao_cao_thanh_tich", "title": "Báo cáo", "nominee_position": i}
                for i in range(1, nominees + 1)
            ),
        ],
    }
    n = await _ok(client.post("/nominations", json=body, headers=tokens["head"]))
    for who, to in (("head", "submitted"), ("office", "received"), ("office", "appraising"), ("office", "council")):
        n = await _ok(
            client.post(
                f"/nominations/{n['id']}/transitions",
                json={"to": to},
                headers=tokens[who] | {"If-Match": f'"{n["version"]}"'},
            )
        )
    council = await _ok(
        client.post(
            "/councils",
            json={
                "body_unit_id": str(HONG_GAI),
                "body_name": "Hội đồng TĐKT phường Hồng Gai",
                "title": "Xét Giấy khen",
                "meets_on": "2025-12-01",
                "place": "Hồng Gai",
                "members": [{"username": "ct.hoidong", "name": "Chủ tịch Hội đồng", "position": "Chủ tịch Hội đồng"}],
                "nomination_ids": [n["id"]],
            },
            headers=tokens["secretary"],
        )
    )
    votes = {"votes": [{"nominee_id": x["id"], "choice": "yes"} for x in n["nominees"]]}
    await _ok(client.post(f"/councils/{council['id']}/votes", json=votes, headers=tokens["member"]))
    await _ok(client.post(f"/councils/{council['id']}/close", headers=tokens["secretary"] | {"If-Match": '"1"'}))
    n = await _ok(client.get(f"/nominations/{n['id']}", headers=tokens["office"]))
    result: dict[str, Any] = await _ok(
        client.post(
            f"/nominations/{n['id']}/transitions",
            json={"to": "to_signer"},
            headers=tokens["secretary"] | {"If-Match": f'"{n["version"]}"'},
        )
    )
    return result


def _tokens(live_database: Any) -> dict[str, dict[str, str]]:
    return {
        "head": _auth(live_database, "lanhdao.hg", Role.UNIT_HEAD, HONG_GAI),
        "office": _auth(live_database, "vanphong.hg", Role.EMULATION_OFFICE, HONG_GAI),
        "secretary": _auth(live_database, "thuky.hg", Role.COUNCIL_SECRETARY, HONG_GAI),
        "member": _auth(live_database, "ct.hoidong", Role.COUNCIL_MEMBER, HONG_GAI),
        "signer": _auth(live_database, "chutich.hg", Role.DECISION_SIGNER, HONG_GAI),
    }


async def test_twenty_concurrent_approvals_let_exactly_one_through(
    live_awards: tuple[str, str], live_database: Any
) -> None:
    base, _ = live_awards
    tokens = _tokens(live_database)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        n = await _to_signer(client, tokens, 1)
        decide = {"to": "decided", "outcomes": [{"nominee_id": n["nominees"][0]["id"], "outcome": "approved"}]}
        answers = await asyncio.gather(
            *(
                client.post(
                    f"/nominations/{n['id']}/transitions",
                    json=decide,
                    headers=tokens["signer"] | {"If-Match": f'"{n["version"]}"'},
                )
                for _ in range(20)
            )
        )
        assert (
            sorted(a.status_code for a in answers)[:2] == [200, 409] or sorted(a.status_code for a in answers)[0] == 200
        )
        assert [a.status_code for a in answers].count(200) == 1
        assert all(a.status_code in (200, 409, 412) for a in answers)
        timeline = (await client.get(f"/nominations/{n['id']}", headers=tokens["office"])).json()["timeline"]
        assert [e["to_status"] for e in timeline].count("decided") == 1


async def test_fifty_concurrent_decisions_get_fifty_consecutive_numbers(
    live_awards: tuple[str, str], live_database: Any
) -> None:
    base, _ = live_awards
    tokens = _tokens(live_database)
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        n = await _to_signer(client, tokens, 50)
        lines = n["nominees"]
        n = await _ok(
            client.post(
                f"/nominations/{n['id']}/transitions",
                json={"to": "decided", "outcomes": [{"nominee_id": x["id"], "outcome": "approved"} for x in lines]},
                headers=tokens["signer"] | {"If-Match": f'"{n["version"]}"'},
            )
        )

        def body(line: dict[str, Any]) -> dict[str, Any]:
            return {
                "issuer_unit_id": str(HONG_GAI),
                "issuer_parent": "Ủy ban nhân dân tỉnh Quảng Ninh",
                "issuer_name": "Ủy ban nhân dân phường Hồng Gai",
                "notation": "QĐ-UBND",
                "place": "Hồng Gai",
                "signed_on": "2026-03-02",
                "subject": "Về việc tặng Giấy khen",
                "authority": "Chủ tịch Ủy ban nhân dân phường Hồng Gai",
                "signer": {"position": "Chủ tịch", "name": "Trần Văn B"},
                "recipients": ["Như Điều 3"],
                "nominee_ids": [line["id"]],
            }

        answers = await asyncio.gather(
            *(client.post("/decisions", json=body(line), headers=tokens["signer"]) for line in lines)
        )
        assert [a.status_code for a in answers] == [201] * 50, [a.text for a in answers if a.status_code != 201][:1]
        numbers = sorted(a.json()["number"] for a in answers)
        assert numbers == list(range(numbers[0], numbers[0] + 50))


async def test_ten_concurrent_identical_dossiers_store_one_and_name_it_to_the_others(
    live_awards: tuple[str, str], live_database: Any
) -> None:
    """One achievement, one award holds under a race: the unique index decides, not a check before the insert."""
    base, _ = live_awards
    tokens = _tokens(live_database)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        forms = (await client.get("/forms", params={"limit": 500})).json()["items"]
        form = next(f["id"] for f in forms if f["code"] == "GIAY_KHEN")
        body = {
            "form_id": form,
            "proposer_unit_id": str(HONG_GAI),
            "authority_unit_id": str(HONG_GAI),
            "title": "Đề nghị tặng Giấy khen (gửi trùng)",
            "nominees": [
                {"subject_type": "individual", "name": f"Người lao động {uuid.uuid4().hex[:6]}", "detail": "Hồng Gai"}
            ],
        }
        answers = await asyncio.gather(
            *(client.post("/nominations", json=body, headers=tokens["head"]) for _ in range(10))
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [201] + [409] * 9, [a.text for a in answers if a.status_code not in (201, 409)][:1]
        [stored] = [a.json() for a in answers if a.status_code == 201]
        for refused in (a.json() for a in answers if a.status_code == 409):
            assert refused["type"].endswith("/already-nominated")
            assert refused["blocked_by"]["nomination_id"] == stored["id"]
