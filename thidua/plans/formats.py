"""The two file formats and their published JSON Schemas (plans/schema.json, plans/demo/schema.json), which
editors use to complete and check a file as it is typed."""

import json
from pathlib import Path

from thidua.plans.definition import Plan
from thidua.plans.scenario import Scenario
from thidua.plans.source import Source, load

ROOT = Path(__file__).resolve().parents[2] / "plans"
SCHEMAS: dict[Path, type[Plan] | type[Scenario]] = {
    ROOT / "schema.json": Plan,
    ROOT / "demo" / "schema.json": Scenario,
}


def json_schema(model: type[Plan] | type[Scenario]) -> str:
    schema = model.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": model.__name__, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def export() -> list[Path]:
    for path, model in SCHEMAS.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json_schema(model), encoding="utf-8")
    return list(SCHEMAS)


def load_any(file: Path) -> tuple[Plan | Scenario, Source]:
    """A demo scenario when the file is in a `demo` folder, else a movement definition."""
    if file.resolve().parent.name == "demo":
        return load(file, Scenario)
    return load(file, Plan)
