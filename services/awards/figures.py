"""The figures an office watches on its dashboard, read by GET /metrics at each scrape."""

from datetime import date

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy.ext.asyncio import AsyncSession

from services.awards.nominations import repository as nominations
from services.awards.vocabulary import OPEN_STATUSES, Status


async def figures(session: AsyncSession) -> list[Metric]:
    counts = await nominations.count_by_status(session, overdue_on=date.today(), open_statuses=sorted(OPEN_STATUSES))
    dossiers = GaugeMetricFamily("thidua_awards_dossiers", "Nomination dossiers, by status", labels=["status"])
    overdue = GaugeMetricFamily(
        "thidua_awards_dossiers_overdue",
        "Open nomination dossiers past the working days allowed in their current status, by status",
        labels=["status"],
    )
    for status in Status:  # every status, zero included, so a dashboard's series exist from the start
        total, late = counts.get(status, (0, 0))
        dossiers.add_metric([status.value], total)
        if status in OPEN_STATUSES:
            overdue.add_metric([status.value], late)
    return [dossiers, overdue]
