"""Submitting values: batches all-or-nothing with a per-row report, scope, locked periods, review and history."""

import io
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.problems import assert_problem
from tests.scoring.factories import BAI_CHAY, BANDS, HONG_GAI, Auth, framework, group, indicator, period, values

FOUR: dict[str, Any] = {
    "code": "SCHOOL-DTI",
    "title": "Chuyển đổi số trường học",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["school"],
    "nodes": [group("P", "pillar", 100, [indicator(f"S{i}", 25, "percent", "ratio") for i in range(4)])],
}
WARDS: dict[str, Any] = {
    "code": "WARD-DTI",
    "title": "Chuyển đổi số cấp xã",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["ward"],
    "nodes": [
        group(
            "P",
            "pillar",
            100,
            [indicator("HS", 50, "ratio", "ratio", evidence_required=True), indicator("KS", 50, "percent", "ratio")],
        )
    ],
}


@pytest.fixture
async def schools(scoring: httpx.AsyncClient, registry_app: FastAPI, token_for: Auth) -> dict[str, Any]:
    """2,500 schools imported into the registry, and a period over them with four indicators."""
    csv = "admin_code,name,kind,level,parent_code\n" + "".join(
        f"{40000 + i},Trường THCS số {i},school,grassroots,22\n" for i in range(2500)
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=registry_app), base_url="http://r") as registry:
        imported = await registry.post(
            "/units/import", headers=token_for("admin"), files={"file": ("truong.csv", csv.encode(), "text/csv")}
        )
    assert imported.status_code == 200, imported.text
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, FOUR)
    p = await period(scoring, office, fw["id"])
    assert p["participants"] == 2500
    return {"period": p, "units": imported.json()["created_ids"]}


class TestBatch:
    def _rows(self, units: list[str]) -> list[dict[str, Any]]:
        return [{"unit_id": u, "indicator_code": f"S{k}", "value": 50 + k} for u in units for k in range(4)]

    async def test_10000_rows_with_three_bad_ones_name_exactly_those_and_write_nothing(
        self, scoring: httpx.AsyncClient, token_for: Auth, schools: dict[str, Any]
    ) -> None:
        rows = self._rows(schools["units"])
        assert len(rows) == 10_000
        rows[17]["value"] = 150  # percent over 100
        rows[5000]["indicator_code"] = "S9"  # no such indicator
        rows[9999]["unit_id"] = HONG_GAI  # not a participant of this period
        office = token_for("tdkt.snv")
        period_id = schools["period"]["id"]
        refused = await values(scoring, office, period_id, rows)
        assert_problem(refused, 422, "batch-has-errors")
        expected = ["/items/17/value", "/items/5000/indicator_code", "/items/9999/unit_id"]
        assert [e["pointer"] for e in refused.json()["errors"]] == expected
        listed = (await scoring.get(f"/periods/{period_id}/values", headers=office)).json()
        assert listed["items"] == []
        dry = await values(scoring, office, period_id, rows, dry_run="true")
        assert dry.status_code == 200
        assert [e["pointer"] for e in dry.json()["errors"]] == expected
        assert dry.json()["written"] == 0

    async def test_a_valid_batch_is_written_and_scored(
        self, scoring: httpx.AsyncClient, token_for: Auth, schools: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        period_id = schools["period"]["id"]
        report = (await values(scoring, office, period_id, self._rows(schools["units"]))).json()
        assert (report["written"], report["created"], report["errors"]) == (10_000, 10_000, [])
        score = (await scoring.get(f"/periods/{period_id}/scores/{schools['units'][0]}", headers=office)).json()
        assert score["score100"] == "51.50"  # (50 + 51 + 52 + 53) % of 25 points each


@pytest.fixture
async def wards(scoring: httpx.AsyncClient, token_for: Auth) -> dict[str, Any]:
    office = token_for("tdkt.snv")
    fw = await framework(scoring, office, WARDS)
    return await period(scoring, office, fw["id"])


def _doc() -> dict[str, Any]:
    return {"kind": "document", "number": "15/BC-UBND", "date": "2025-11-30", "subject": "Báo cáo chuyển đổi số"}


async def _as_hong_gai(
    scoring: httpx.AsyncClient, token_for: Auth, period_id: str, row: dict[str, Any]
) -> httpx.Response:
    """One row sent by Hồng Gai's reporter."""
    return await values(scoring, token_for("baocao.honggai"), period_id, [row])


class TestRules:
    async def test_reporter_cannot_submit_for_another_unit(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        response = await _as_hong_gai(
            scoring, token_for, wards["id"], {"unit_id": BAI_CHAY, "indicator_code": "KS", "value": 50}
        )
        assert_problem(response, 403, "participants-out-of-scope")

    async def test_ratio_checks_and_required_evidence(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        response = await _as_hong_gai(
            scoring,
            token_for,
            wards["id"],
            {"unit_id": HONG_GAI, "indicator_code": "HS", "numerator": 120, "denominator": 100},
        )
        assert_problem(response, 422, "batch-has-errors")
        assert {e["pointer"] for e in response.json()["errors"]} == {"/items/0/evidence", "/items/0/numerator"}

    async def test_more_than_four_decimals_is_refused_in_both_languages(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        response = await _as_hong_gai(
            scoring, token_for, wards["id"], {"unit_id": HONG_GAI, "indicator_code": "KS", "value": "85.12345"}
        )
        assert_problem(response, 422, "invalid-input", pointer="/items/0/value")
        (error,) = response.json()["errors"]
        assert (error["pointer"], error["messages"]["vi"]) == ("/items/0/value", "Tối đa 4 chữ số thập phân")

    async def test_a_body_that_is_not_json_is_refused(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        response = await scoring.post(
            f"/periods/{wards['id']}/values",
            content=b'{"items": [',
            headers=token_for("baocao.honggai") | {"Content-Type": "application/json"},
        )
        assert_problem(response, 422, "invalid-input", pointer="")
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["messages"]["vi"] == "JSON không hợp lệ"
        as_text = await scoring.post(
            f"/periods/{wards['id']}/values",
            content=b'{"items": []}',
            headers=token_for("baocao.honggai") | {"Content-Type": "text/plain"},
        )
        assert_problem(as_text, 415, "unsupported-media-type")

    async def test_locked_period_refuses_new_values(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        locked = await scoring.post(
            f"/periods/{wards['id']}/transitions",
            json={"to": "locked"},
            headers=token_for("tdkt.snv") | {"If-Match": '"1"'},
        )
        assert locked.status_code == 200, locked.text
        response = await values(
            scoring,
            token_for("baocao.honggai"),
            wards["id"],
            [{"unit_id": HONG_GAI, "indicator_code": "KS", "value": 50}],
        )
        assert response.status_code == 409
        assert response.json()["type"].endswith("/period-locked")

    async def test_reopening_needs_a_reason(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        office = token_for("tdkt.snv")
        await scoring.post(
            f"/periods/{wards['id']}/transitions", json={"to": "locked"}, headers=office | {"If-Match": '"1"'}
        )
        bare = await scoring.post(
            f"/periods/{wards['id']}/transitions", json={"to": "open"}, headers=office | {"If-Match": '"2"'}
        )
        assert_problem(bare, 422, "reason-required", pointer="/reason")
        reopened = await scoring.post(
            f"/periods/{wards['id']}/transitions",
            json={"to": "open", "reason": "Bổ sung số liệu quý IV"},
            headers=office | {"If-Match": '"2"'},
        )
        assert reopened.status_code == 200
        assert [h["to_status"] for h in reopened.json()["history"]] == ["open", "locked", "open"]


class TestReview:
    async def test_returning_one_value_leaves_the_others_locked(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        reporter, office = token_for("baocao.honggai"), token_for("tdkt.snv")
        sent = await values(
            scoring,
            reporter,
            wards["id"],
            [
                {
                    "unit_id": HONG_GAI,
                    "indicator_code": "HS",
                    "numerator": 80,
                    "denominator": 100,
                    "evidence": [_doc()],
                },
                {"unit_id": HONG_GAI, "indicator_code": "KS", "value": 70},
            ],
            submit="true",
        )
        assert sent.status_code == 200, sent.text
        returned = await scoring.post(
            f"/periods/{wards['id']}/values/{HONG_GAI}/KS/review",
            json={"action": "return", "reason": "Thiếu số liệu tháng 12"},
            headers=office | {"If-Match": '"1"'},
        )
        assert returned.status_code == 200, returned.text
        assert returned.json()["status"] == "returned"
        fixed = await values(
            scoring, reporter, wards["id"], [{"unit_id": HONG_GAI, "indicator_code": "KS", "value": 75}]
        )
        assert fixed.status_code == 200, fixed.text
        still_locked = await values(
            scoring,
            reporter,
            wards["id"],
            [{"unit_id": HONG_GAI, "indicator_code": "HS", "numerator": 90, "denominator": 100, "evidence": [_doc()]}],
        )
        assert_problem(still_locked, 422, "batch-has-errors", pointer="/items/0/indicator_code")
        assert still_locked.json()["errors"][0]["pointer"] == "/items/0/indicator_code"

    async def test_a_batch_touching_a_value_with_the_appraiser_writes_none_of_its_rows(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        reporter = token_for("baocao.honggai")
        hs = {"unit_id": HONG_GAI, "indicator_code": "HS", "numerator": 80, "denominator": 100, "evidence": [_doc()]}
        sent = await values(scoring, reporter, wards["id"], [hs], submit="true")
        assert sent.status_code == 200, sent.text
        ks = {"unit_id": HONG_GAI, "indicator_code": "KS", "value": 60}
        draft = await values(scoring, reporter, wards["id"], [ks])
        assert draft.status_code == 200, draft.text
        # The write itself finds HS with the appraiser: the whole batch is refused, KS's new value included.
        refused = await values(
            scoring,
            reporter,
            wards["id"],
            [ks | {"value": 65}, hs | {"numerator": 90}],
        )
        assert_problem(refused, 422, "batch-has-errors", pointer="/items/1/indicator_code")
        assert [e["pointer"] for e in refused.json()["errors"]] == ["/items/1/indicator_code"]
        assert refused.json()["report"]["written"] == 0
        stored = (await scoring.get(f"/periods/{wards['id']}/values", headers=reporter)).json()["items"]
        assert {(v["indicator_code"], v["value"], v["version"]) for v in stored} == {
            ("HS", "80.0000", 1),
            ("KS", "60.0000", 1),
        }
        history = await scoring.get(f"/periods/{wards['id']}/values/{HONG_GAI}/KS/history", headers=reporter)
        assert [h["action"] for h in history.json()] == ["draft"]

    async def test_adjusted_value_is_kept_beside_the_unit_value_and_scored(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        reporter, office = token_for("baocao.honggai"), token_for("tdkt.snv")
        await values(
            scoring, reporter, wards["id"], [{"unit_id": HONG_GAI, "indicator_code": "KS", "value": 70}], submit="true"
        )
        adjusted = await scoring.post(
            f"/periods/{wards['id']}/values/{HONG_GAI}/KS/review",
            json={"action": "adjust", "value": 60, "reason": "Theo số liệu hệ thống"},
            headers=office | {"If-Match": '"1"'},
        )
        assert adjusted.status_code == 200, adjusted.text
        body = adjusted.json()
        assert (body["value"], body["appraised_value"], body["status"]) == ("70.0000", "60.0000", "adjusted")
        explained = (await scoring.get(f"/periods/{wards['id']}/scores/{HONG_GAI}/explain", headers=office)).json()
        assert next(r for r in explained["indicators"] if r["code"] == "KS")["points"] == "30.0000"
        history = (await scoring.get(f"/periods/{wards['id']}/values/{HONG_GAI}/KS/history", headers=office)).json()
        assert [(h["action"], h["actor"]) for h in history] == [("submit", "baocao.honggai"), ("adjust", "tdkt.snv")]
        created, appraised = history
        assert (created["old"], created["new"]["value"], created["new"]["status"]) == (None, "70.0000", "submitted")
        assert (appraised["old"]["appraised_value"], appraised["new"]["appraised_value"]) == (None, "60.0000")

    async def test_reporter_cannot_review(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        reporter = token_for("baocao.honggai")
        await values(
            scoring, reporter, wards["id"], [{"unit_id": HONG_GAI, "indicator_code": "KS", "value": 70}], submit="true"
        )
        response = await scoring.post(
            f"/periods/{wards['id']}/values/{HONG_GAI}/KS/review",
            json={"action": "accept"},
            headers=reporter | {"If-Match": '"1"'},
        )
        assert_problem(response, 403, "forbidden")


class TestEvidence:
    async def test_pdf_upload_is_referenced_by_a_value(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        reporter = token_for("baocao.honggai")
        uploaded = await scoring.post(
            f"/periods/{wards['id']}/evidence",
            headers=reporter,
            data={"unit_id": HONG_GAI},
            files={"file": ("bao-cao.pdf", io.BytesIO(b"%PDF-1.7 ..."), "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
        file_id = uploaded.json()["id"]
        sent = await values(
            scoring,
            reporter,
            wards["id"],
            [
                {
                    "unit_id": HONG_GAI,
                    "indicator_code": "HS",
                    "numerator": 8,
                    "denominator": 10,
                    "evidence": [{"kind": "file", "file_id": file_id}],
                }
            ],
        )
        assert sent.status_code == 200, sent.text
        downloaded = await scoring.get(f"/periods/{wards['id']}/evidence/{file_id}", headers=reporter)
        assert downloaded.content == b"%PDF-1.7 ..."

    async def test_a_file_that_is_not_what_it_claims_is_415(
        self, scoring: httpx.AsyncClient, token_for: Auth, wards: dict[str, Any]
    ) -> None:
        response = await scoring.post(
            f"/periods/{wards['id']}/evidence",
            headers=token_for("baocao.honggai"),
            data={"unit_id": HONG_GAI},
            files={"file": ("x.pdf", io.BytesIO(b"MZ\x90\x00"), "application/pdf")},
        )
        assert_problem(response, 415, "unsupported-media-type")
