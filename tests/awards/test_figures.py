"""What an office's dashboard reads from the awards service's /metrics: dossiers by status, and the overdue ones."""

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.awards.factories import HONG_GAI, collective, form_id, move, nomination
from tests.conftest import Stack
from tests.scrape import fresh_figures, scrape  # noqa: F401 (fresh_figures: a fixture used by name)

pytestmark = pytest.mark.usefixtures("fresh_figures")  # before the app fixtures build their apps

DOSSIERS, OVERDUE = "thidua_awards_dossiers", "thidua_awards_dossiers_overdue"


class TestDossiers:
    async def test_a_filed_dossier_shows_in_its_status_and_overdue_once_its_days_run_out(
        self, stack: Stack, token_for: Any, connection: AsyncConnection
    ) -> None:
        proposer = token_for("lanhdao.honggai")
        before = await scrape(stack.awards)
        n = await nomination(
            stack, proposer, await form_id(stack, "BK_TINH"), [collective(HONG_GAI, "Phường Hồng Gai")]
        )
        n = await move(stack, proposer, n, "submitted")
        filed = await scrape(stack.awards)
        assert filed.value(DOSSIERS, status="submitted") == before.value(DOSSIERS, status="submitted") + 1
        assert filed.value(OVERDUE, status="submitted") == before.value(OVERDUE, status="submitted")
        # the office let it sit: its working day to log the dossier in ran out last week
        await connection.execute(
            sa.text("update awards.nominations set due_on = current_date - 7 where id = :id"), {"id": n["id"]}
        )
        late = await scrape(stack.awards)
        assert late.value(OVERDUE, status="submitted") == before.value(OVERDUE, status="submitted") + 1

    async def test_every_status_has_its_series_and_closed_ones_are_never_overdue(self, stack: Stack) -> None:
        scraped = await scrape(stack.awards)
        statuses = scraped.label_values(DOSSIERS, "status")
        assert {"draft", "submitted", "council", "decided", "issued", "withdrawn"} <= statuses
        assert scraped.label_values(OVERDUE, "status") == statuses - {"decided", "issued", "withdrawn"}
        assert scraped.value("thidua_figures_up") == 1
