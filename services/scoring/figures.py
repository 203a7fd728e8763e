"""The figures an office watches on its dashboard, read by GET /metrics at each scrape."""

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy.ext.asyncio import AsyncSession

from services.scoring.submissions import repository as values
from services.scoring.vocabulary import ValueStatus


async def figures(session: AsyncSession) -> list[Metric]:
    counts = await values.count_open_by_status(session)
    family = GaugeMetricFamily(
        "thidua_scoring_values",
        "Indicator values of the open periods, by status (draft, submitted, returned, accepted, adjusted)",
        labels=["status"],
    )
    for status in ValueStatus:  # every status, zero included, so a dashboard's series exist from the start
        family.add_metric([status.value], counts.get(status, 0))
    return [family]
