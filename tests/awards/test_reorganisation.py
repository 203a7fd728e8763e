"""Award candidates after a merger inside the scored period: the units of the tree the period ranks on."""

from typing import Any

import pytest

from tests.awards.factories import PROVINCE, form_id, movement, ok
from tests.conftest import Stack
from tests.scoring.mergers import founded


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("end", ["Xã Đông Hải Mới", "Xã Quảng Tân"]),  # the merged units are not awarded anew
        ("start", ["Xã Đông Ngũ", "Xã Quảng Tân", "Xã Đông Hải"]),  # the new unit did not exist all period
    ],
)
async def test_candidates_are_the_units_of_the_tree_the_period_ranks_on(
    stack: Stack, token_for: Any, choice: str, expected: list[str]
) -> None:
    office, admin = token_for("tdkt.snv"), token_for("admin")
    world = await founded(stack.scoring, stack.registry, office, admin)
    await world.open(reorganisation=choice)
    await world.send(A=95, B=85, X=88)
    await world.merge()
    await world.move("locked")
    await world.move("published")
    mv = await movement(stack, admin, PROVINCE, f"QN-REORG-{choice.upper()}", ["P2"])
    body = {
        "movement_id": mv["id"],
        "phase_code": "P2",
        "year": 2025,
        "period_id": world.period["id"],
        "form_id": await form_id(stack, "BK_TINH"),
        "title": "Bằng khen của Chủ tịch UBND tỉnh: xã xếp loại Tốt",
        "conditions": [{"kind": "band", "labels": ["Tốt"]}],
        "groups": [{"key": "xa", "label": "Xã", "unit_kinds": ["commune"]}],
    }
    created = ok(await stack.awards.post("/rules", json=body, headers=office), 201)
    evaluation = ok(await stack.awards.get(f"/rules/{created['id']}/candidates", headers=office))
    candidates = evaluation["groups"][0]["candidates"]
    assert [c["name"] for c in candidates] == expected
    assert all(c["eligible"] for c in candidates)
