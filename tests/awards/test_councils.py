"""Council sessions: members only, secret ballots keep counts only, results by each form's voting rule."""

from typing import Any

import sqlalchemy as sa

from tests.awards.factories import HONG_GAI, PROVINCE, council, nomination, ok, person, secret_ballot_form, to_council
from tests.conftest import Stack
from tests.problems import assert_problem

MEMBERS = [f"tv{i}" for i in range(1, 10)]


def secret(code: str, approval: str, denominator: str) -> dict[str, Any]:
    return secret_ballot_form(code, quorum="0.6667", approval=approval, denominator=denominator)


class TestSecretBallot:
    async def test_eight_of_nine_fails_90_percent_of_all_and_passes_70_percent_of_present(
        self, stack: Stack, token_for: Any, token_as: Any, connection: Any
    ) -> None:
        regime = {
            "title": "Quy chế bỏ phiếu thử",
            "valid_from": "2024-01-01",
            "forms": [secret("ALL90", "0.9", "all"), secret("PRESENT70", "0.7", "present")],
        }
        forms = ok(await stack.awards.put("/regimes/TEST-VOTE", json=regime, headers=token_for("admin")))["forms"]
        proposer, office = token_for("lanhdao.honggai"), token_for("tdkt.snv")
        files = [
            await to_council(
                stack,
                proposer,
                office,
                await nomination(
                    stack, proposer, f["id"], [person(f"Ông Trần Văn {f['code']}", "Công chức")], documents=[]
                ),
            )
            for f in forms
        ]
        secretary = token_for("hoidong.thuky")
        c = await council(stack, secretary, files, MEMBERS)
        lines = [n["nominees"][0]["id"] for n in files]
        for i, member in enumerate(MEMBERS):
            choice = "no" if i == 0 else "yes"
            ballot = {"votes": [{"nominee_id": line, "choice": choice} for line in lines]}
            receipt = await stack.awards.post(
                f"/councils/{c['id']}/votes", json=ballot, headers=token_as(member, "council_member", unit_id=PROVINCE)
            )
            assert ok(receipt) == {"council_id": c["id"], "username": member, "votes": 2, "written": False}
        closed = ok(await stack.awards.post(f"/councils/{c['id']}/close", headers=secretary | {"If-Match": '"1"'}))
        results = {i["form_code"]: (i["yes"], i["no"], i["result"], i["share"], i["votes"]) for i in closed["items"]}
        assert results == {
            "ALL90": (8, 1, "failed", "0.8889", None),
            "PRESENT70": (8, 1, "passed", "0.8889", None),
        }
        stored = await connection.execute(sa.text("select count(*) from awards.ballots where choice is not null"))
        assert stored.scalar_one() == 0  # who voted what is never kept for a secret ballot
        after = ok(await stack.awards.get(f"/nominations/{files[0]['id']}", headers=office))
        assert after["nominees"][0]["council_result"] == "failed"

    async def test_only_members_vote_and_only_once(self, stack: Stack, token_for: Any, token_as: Any) -> None:
        proposer, office, secretary = token_for("lanhdao.honggai"), token_for("tdkt.snv"), token_for("hoidong.thuky")
        from tests.awards.factories import collective, form_id

        n = await to_council(
            stack,
            proposer,
            office,
            await nomination(
                stack, proposer, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")]
            ),
        )
        c = await council(stack, secretary, [n], ["hoidong.uyvien", "hoidong.thuky"])
        ballot = {"votes": [{"nominee_id": n["nominees"][0]["id"], "choice": "yes"}]}
        outsider = await stack.awards.post(
            f"/councils/{c['id']}/votes",
            json=ballot,
            headers=token_as("nguoi.ngoai", "council_member", unit_id=PROVINCE),
        )
        assert_problem(outsider, 403, "not-a-council-member")
        member = token_for("hoidong.uyvien")
        ok(await stack.awards.post(f"/councils/{c['id']}/votes", json=ballot, headers=member))
        twice = await stack.awards.post(f"/councils/{c['id']}/votes", json=ballot, headers=member)
        assert_problem(twice, 409, "already-voted")
        # an open ballot shows who voted what
        read = ok(await stack.awards.get(f"/councils/{c['id']}", headers=secretary))
        assert read["items"][0]["votes"] == {"hoidong.uyvien": "yes"}

    async def test_a_nomination_not_before_the_council_cannot_be_put_on_the_agenda(
        self, stack: Stack, token_for: Any
    ) -> None:
        from tests.awards.factories import collective, form_id

        n = await nomination(
            stack,
            token_for("lanhdao.honggai"),
            await form_id(stack, "BK_TINH"),
            [collective(HONG_GAI, "Phường Hồng Gai")],
        )
        response = await stack.awards.post(
            "/councils",
            json={
                "body_unit_id": PROVINCE,
                "body_name": "Hội đồng TĐKT tỉnh",
                "title": "Phiên họp",
                "meets_on": "2025-12-03",
                "place": "Quảng Ninh",
                "members": [{"username": "hoidong.thuky", "name": "Thư ký", "position": "Thư ký"}],
                "nomination_ids": [n["id"]],
            },
            headers=token_for("hoidong.thuky"),
        )
        assert_problem(response, 409, "not-on-agenda")
