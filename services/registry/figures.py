"""The figures an office watches on its dashboard, read by GET /metrics at each scrape."""

from datetime import date

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy.ext.asyncio import AsyncSession

from services.registry.units import repository as units


async def figures(session: AsyncSession) -> list[Metric]:
    family = GaugeMetricFamily(
        "thidua_registry_units", "Units that exist today, by kind and level", labels=["kind", "level"]
    )
    for (kind, level), count in sorted((await units.count_by_kind(session, date.today())).items()):
        family.add_metric([kind, level], count)
    return [family]
