"""Read GET /metrics as Prometheus does: the text parsed by prometheus-client's own parser."""

from dataclasses import dataclass

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample


@dataclass
class Scrape:
    families: dict[str, str]  # family name → its type (counter, gauge, histogram, info)
    samples: list[Sample]

    def value(self, name: str, **labels: str) -> float:
        """The value of the one sample `name` whose labels include these (0 when there is none)."""
        found = [
            s.value for s in self.samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
        ]
        assert len(found) <= 1, f"{name}{labels} names {len(found)} samples"
        return found[0] if found else 0.0

    def label_values(self, name: str, label: str) -> set[str]:
        """Every value the samples `name` give `label`."""
        return {s.labels[label] for s in self.samples if s.name == name and label in s.labels}


async def scrape(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> Scrape:
    response = await client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    families = list(text_string_to_metric_families(response.text))
    return Scrape({f.name: f.type for f in families}, [s for f in families for s in f.samples])


@pytest.fixture
def fresh_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps built after this re-read their domain figures at every scrape (a test scrapes before and after)."""
    monkeypatch.setenv("THIDUA_METRICS_FIGURES_SECONDS", "0")
