"""What an office's dashboard reads from the scoring service's /metrics: the values of the open periods by status."""

import httpx
import pytest

from tests.scoring.factories import BANDS, HA_LONG, HONG_GAI, Auth, framework, group, indicator, period, values
from tests.scrape import fresh_figures, scrape  # noqa: F401 (fresh_figures: a fixture used by name)

pytestmark = pytest.mark.usefixtures("fresh_figures")  # before the app fixtures build their apps

VALUES = "thidua_scoring_values"
ONE_INDICATOR = {
    "code": "FIGURES",
    "title": "Một chỉ số",
    "max_points": 100,
    "bands": BANDS,
    "unit_kinds": ["ward"],
    "nodes": [group("P", "pillar", 100, [indicator("KS", 100, "percent", "ratio")])],
}


class TestValuesByStatus:
    async def test_a_submitted_value_and_a_draft_show_in_their_status(
        self, scoring: httpx.AsyncClient, token_for: Auth
    ) -> None:
        office, reporter = token_for("tdkt.snv"), token_for("baocao.honggai")
        p = await period(scoring, office, (await framework(scoring, office, ONE_INDICATOR))["id"])
        before = await scrape(scoring)
        sent = await values(scoring, reporter, p["id"], [{"unit_id": HONG_GAI, "indicator_code": "KS", "value": 70}])
        assert sent.status_code == 200, sent.text
        sent = await values(scoring, office, p["id"], [{"unit_id": HA_LONG, "indicator_code": "KS", "value": 80}])
        assert sent.status_code == 200, sent.text
        submitted = await scoring.post(f"/periods/{p['id']}/units/{HONG_GAI}/submit", headers=reporter)
        assert submitted.status_code == 200, submitted.text
        after = await scrape(scoring)

        def delta(status: str) -> float:
            return after.value(VALUES, status=status) - before.value(VALUES, status=status)

        assert (delta("submitted"), delta("draft"), delta("accepted")) == (1, 1, 0)
        assert after.label_values(VALUES, "status") == {"draft", "submitted", "accepted", "adjusted", "returned"}
        assert after.value("thidua_figures_up") == 1

    async def test_values_of_a_locked_period_are_history(self, scoring: httpx.AsyncClient, token_for: Auth) -> None:
        office = token_for("tdkt.snv")
        p = await period(scoring, office, (await framework(scoring, office, ONE_INDICATOR))["id"])
        sent = await values(scoring, office, p["id"], [{"unit_id": HONG_GAI, "indicator_code": "KS", "value": 70}])
        assert sent.status_code == 200, sent.text
        before = await scrape(scoring)
        locked = await scoring.post(
            f"/periods/{p['id']}/transitions", json={"to": "locked"}, headers=office | {"If-Match": '"1"'}
        )
        assert locked.status_code == 200, locked.text
        after = await scrape(scoring)
        assert after.value(VALUES, status="draft") == before.value(VALUES, status="draft") - 1
