"""Reading a plan file: YAML with the line of every field kept, validated against the Plan model and its own cross
references, every fault reported as `file:line field: message` in both languages. Nothing is imported from a file
with a fault."""

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kit.problems import Text
from kit.text import nfc
from kit.validation import field_errors
from services.awards.rules.schemas import SCORE_KINDS, IndicatorCondition, RuleIn
from services.scoring.frameworks.schemas import NodeIn
from services.scoring.periods.schemas import PeriodCreate
from thidua.plans.definition import Plan
from thidua.plans.scenario import Scenario

FieldPath = tuple[str | int, ...]
Located = tuple[FieldPath, Text]  # a fault at a field, before its line is looked up
M = TypeVar("M", Plan, Scenario)


@dataclass(frozen=True)
class Fault:
    line: int
    field: str  # dotted path, e.g. rules[0].form
    detail: Text

    def __str__(self) -> str:
        return f"line {self.line}, {self.field or '(file)'}: {self.detail.vi} / {self.detail.en}"


class PlanInvalid(Exception):
    def __init__(self, file: str, faults: Sequence[Fault]) -> None:
        self.file, self.faults = file, list(faults)
        super().__init__("\n".join(f"{file}:{f}" for f in self.faults))


def dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass
class Source:
    """A plan file's data with the line where each field starts."""

    file: str
    data: Any
    lines: dict[FieldPath, int]

    def fault(self, loc: Sequence[Any], detail: Text) -> Fault:
        """The fault at `loc` (a pydantic location), on the line of the deepest part the file has."""
        known: FieldPath = ()
        shown: list[str | int] = []
        for part in loc:
            if (*known, part) in self.lines:
                known = (*known, part)
                shown.append(part)
            elif not self._is_tag(known, part):  # a union's tag is not a field the author wrote
                shown.append(part)
        return Fault(self.lines.get(known, 1), dotted(shown), detail)

    def _is_tag(self, path: FieldPath, part: Any) -> bool:
        """Whether `part` is the `kind` at `path`: pydantic puts a tagged union's tag in the location."""
        node = self.data
        for p in path:
            try:
                node = node[p]
            except (KeyError, IndexError, TypeError):  # a key YAML read as a number or a date
                return False
        return isinstance(node, Mapping) and node.get("kind") == part


def _walk(node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int], faults: list[Fault]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                faults.append(
                    Fault(key.start_mark.line + 1, dotted((*path, name)), Text("Khóa bị lặp lại", "Duplicate key"))
                )
            seen.add(name)
            _walk(value, (*path, name), lines, faults)
            lines[(*path, name)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines, faults)


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, Mapping):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


# libyaml's parser when PyYAML was built with it (the wheels are): the demo reads 15 files, 10× faster than Python's.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(file: Path) -> Source:
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        unreadable = Text(f"Không đọc được tệp: {exc}", f"Cannot read the file: {exc}")
        raise PlanInvalid(name, [Fault(1, "", unreadable)]) from None
    loader = _Loader(text)
    try:  # parsed once: the nodes give each field's line, the same nodes give the data
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise PlanInvalid(name, [Fault(line, "", Text(f"YAML không hợp lệ: {exc}", f"Invalid YAML: {exc}"))]) from None
    finally:
        loader.dispose()
    lines: dict[FieldPath, int] = {}
    faults: list[Fault] = []
    if node is not None:
        _walk(node, (), lines, faults)
    if faults:
        raise PlanInvalid(name, faults)
    return Source(name, _nfc(data), lines)


PLACEHOLDER = uuid.UUID(int=0)  # ids a file names by key, resolved on import


def _as_service_takes_it(model: type[BaseModel], body: dict[str, Any], at: FieldPath) -> Iterator[Located]:
    """The faults the service would answer for `body`, placed in the file (before anything is written)."""
    try:
        model.model_validate(body)
    except ValidationError as exc:
        for err in exc.errors():
            yield (*at, *err["loc"]), field_errors([err])[0].detail


def _node_codes(nodes: Sequence[NodeIn]) -> set[str]:
    return {n.code for n in nodes} | {c for n in nodes for c in _node_codes(n.children)}


def _references(plan: Plan) -> Iterator[Located]:
    """What the model alone cannot see: names that must refer to something else in the file, and what each service
    would refuse, so that a faulty file stops before its first write."""
    m = plan.movement
    phases = [p.code for p in m.phases]
    for i, phase in enumerate(m.phases):
        if phase.code in phases[:i]:
            yield ("movement", "phases", i, "code"), Text(f"Mã giai đoạn {phase.code} bị trùng", "The phase repeats")
        if phase.start_date < m.start_date or (m.end_date is not None and phase.end_date > m.end_date):
            yield (
                ("movement", "phases", i),
                Text("Giai đoạn nằm ngoài thời gian của phong trào", "The phase lies outside the movement's dates"),
            )
    for i, milestone in enumerate(m.milestones):
        if milestone.phase_code is not None and milestone.phase_code not in phases:
            yield (
                ("movement", "milestones", i, "phase_code"),
                Text(f"Không có giai đoạn {milestone.phase_code}", f"No phase {milestone.phase_code}"),
            )
    if plan.periods and plan.framework is None:
        yield ("periods",), Text("Kỳ đánh giá cần có bộ chỉ số (framework)", "Periods need a framework")
    keys = [p.key for p in plan.periods]
    for i, period in enumerate(plan.periods):
        if period.key in keys[:i]:
            yield ("periods", i, "key"), Text(f"Khóa kỳ {period.key} bị trùng", f"Period key {period.key} repeats")
        body = period.model_dump(exclude={"key", "scope"}) | {"framework_id": PLACEHOLDER, "scope_unit_id": PLACEHOLDER}
        yield from _as_service_takes_it(PeriodCreate, body, ("periods", i))
    codes = _node_codes(plan.framework.nodes) if plan.framework else set()
    seen: set[tuple[str, str]] = set()
    for i, rule in enumerate(plan.rules):
        if rule.phase not in phases:
            yield ("rules", i, "phase"), Text(f"Không có giai đoạn {rule.phase}", f"No phase {rule.phase}")
        if rule.period is not None and rule.period not in keys:
            yield ("rules", i, "period"), Text(f"Không có kỳ đánh giá {rule.period}", f"No period {rule.period}")
        if (rule.phase, rule.form) in seen:
            yield (
                ("rules", i, "form"),
                Text("Hai quy tắc cùng giai đoạn và hình thức", "Two rules for the same phase and form"),
            )
        seen.add((rule.phase, rule.form))
        body = rule.model_dump(exclude={"phase", "form", "period", "catalogue"}) | {
            "movement_id": PLACEHOLDER,
            "phase_code": rule.phase,
            "form_id": PLACEHOLDER,
        }
        yield from _as_service_takes_it(RuleIn, body, ("rules", i))
        conditions = [(("rules", i, "conditions", c), x) for c, x in enumerate(rule.conditions)] + [
            (("rules", i, "groups", g, "conditions", c), x)
            for g, group in enumerate(rule.groups)
            for c, x in enumerate(group.conditions)
        ]
        for at, condition in conditions:
            if isinstance(condition, IndicatorCondition) and condition.code not in codes:
                yield (*at, "code"), Text(f"Bộ chỉ số không có {condition.code}", f"No indicator {condition.code}")
        for g, group in enumerate(rule.groups):
            ordered: list[tuple[tuple[str | int, ...], str | None]] = [(("order",), group.order.code)]
            ordered += [(("tie_breakers", t), b.code) for t, b in enumerate(group.tie_breakers)]
            for at_order, code in ordered:
                if code is not None and code not in codes:
                    yield (
                        ("rules", i, "groups", g, *at_order, "code"),
                        Text(f"Bộ chỉ số không có {code}", f"No indicator {code}"),
                    )
            if group.tie_breakers and rule.period is None:
                yield (
                    ("rules", i, "groups", g, "tie_breakers"),
                    Text("Tiêu chí phân định đồng hạng cần kỳ đánh giá (period)", "Tie-breakers need a period"),
                )
        by_scores = any(x.kind in SCORE_KINDS for _, x in conditions) or any(
            g.order.measure == "indicator" for g in rule.groups
        )
        if by_scores and rule.period is None:
            yield (
                ("rules", i),
                Text(
                    "Điều kiện hoặc xếp hạng theo điểm cần kỳ đánh giá (period)",
                    "Score conditions or ordering need a period",
                ),
            )


def _scenario_references(scenario: Scenario, plan: Plan) -> Iterator[Located]:
    """A scenario acts out its plan: what it names must be in the plan."""
    keys = {p.key for p in plan.periods}
    if scenario.period is not None and scenario.period not in keys:
        yield ("period",), Text(f"Kế hoạch không có kỳ {scenario.period}", f"The plan has no period {scenario.period}")
    codes = _node_codes(plan.framework.nodes) if plan.framework else set()
    for i, report in enumerate(scenario.reports):
        for code in report.values:
            if code not in codes:
                yield ("reports", i, "values", code), Text(f"Bộ chỉ số không có {code}", f"No indicator {code}")
    for i, step in enumerate(scenario.reviews):
        if step.indicator not in codes:
            yield ("reviews", i, "indicator"), Text(f"Bộ chỉ số không có {step.indicator}", "No such indicator")
    rules = {(r.phase, r.form) for r in plan.rules}
    for i, award in enumerate(scenario.awards):
        if (award.phase, award.form) not in rules:
            yield (
                ("awards", i, "form"),
                Text(
                    f"Kế hoạch không có quy tắc {award.form} ở giai đoạn {award.phase}",
                    f"The plan has no {award.form} rule in phase {award.phase}",
                ),
            )
        if sum(m.secretary for m in award.council.members) != 1:
            yield (
                ("awards", i, "council", "members"),
                Text("Hội đồng cần đúng một thư ký (secretary)", "The council needs exactly one secretary"),
            )


def load(file: Path, model: type[M]) -> tuple[M, Source]:
    """The plan (or scenario) in `file`, or PlanInvalid listing every fault with its line."""
    source = read(file)
    try:
        loaded = model.model_validate(source.data)
    except ValidationError as exc:
        faults = [source.fault(err["loc"], field_errors([err])[0].detail) for err in exc.errors()]
        raise PlanInvalid(source.file, faults) from None
    if isinstance(loaded, Plan):
        faults = [source.fault(loc, detail) for loc, detail in _references(loaded)]
    else:
        plan_file = plan_of(file, loaded)
        if not plan_file.is_file():
            faults = [source.fault(("plan",), Text(f"Không có tệp {plan_file}", f"No file {plan_file}"))]
        else:
            plan, _ = load(plan_file, Plan)
            faults = [source.fault(loc, detail) for loc, detail in _scenario_references(loaded, plan)]
    if faults:
        raise PlanInvalid(source.file, faults)
    return loaded, source


def plan_of(scenario_file: Path, scenario: Scenario) -> Path:
    """A scenario names its plan by file name, in the folder above its own (plans/demo/x.yaml → plans/…)."""
    return scenario_file.parent.parent / scenario.plan
