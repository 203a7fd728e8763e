"""Reading a plan file: YAML with the line of every field kept, validated against the Plan model and its own cross
references, every fault reported as `file:line field: message` in both languages. Nothing is imported from a file
with a fault."""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from kit.problems import Text
from kit.text import nfc
from kit.validation import field_errors
from services.plans.definition import Plan
from services.plans.scenario import Scenario

Path_ = tuple[str | int, ...]
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
    lines: dict[Path_, int]

    def fault(self, loc: Sequence[Any], detail: Text) -> Fault:
        """The fault at `loc` (a pydantic location), on the line of the deepest part the file has."""
        known: Path_ = ()
        shown: list[str | int] = []
        for part in loc:
            if (*known, part) in self.lines:
                known = (*known, part)
                shown.append(part)
            elif not self._is_tag(known, part):  # a union's tag is not a field the author wrote
                shown.append(part)
        return Fault(self.lines.get(known, 1), dotted(shown), detail)

    def _is_tag(self, path: Path_, part: Any) -> bool:
        node = self.data
        for p in path:
            node = node[p]
        return isinstance(node, Mapping) and node.get("kind") == part


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], faults: list[Fault]) -> None:
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


def read(file: Path) -> Source:
    text = file.read_text(encoding="utf-8")
    name = str(file)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise PlanInvalid(name, [Fault(line, "", Text(f"YAML không hợp lệ: {exc}", f"Invalid YAML: {exc}"))]) from None
    lines: dict[Path_, int] = {}
    faults: list[Fault] = []
    if node is not None:
        _walk(node, (), lines, faults)
    if faults:
        raise PlanInvalid(name, faults)
    return Source(name, _nfc(data), lines)


def _references(plan: Plan) -> Iterator[tuple[Path_, Text]]:
    """What the model alone cannot see: names that must refer to something else in the file."""
    phases = [p.code for p in plan.movement.phases]
    for i, code in enumerate(phases):
        if code in phases[:i]:
            yield ("movement", "phases", i, "code"), Text(f"Mã giai đoạn {code} bị trùng", f"Phase {code} repeats")
    for i, m in enumerate(plan.movement.milestones):
        if m.phase_code is not None and m.phase_code not in phases:
            yield (
                ("movement", "milestones", i, "phase_code"),
                Text(f"Không có giai đoạn {m.phase_code}", f"No phase {m.phase_code}"),
            )
    if plan.periods and plan.framework is None:
        yield ("periods",), Text("Kỳ đánh giá cần có bộ chỉ số (framework)", "Periods need a framework")
    keys = [p.key for p in plan.periods]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            yield ("periods", i, "key"), Text(f"Khóa kỳ {key} bị trùng", f"Period key {key} repeats")
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
        if faults:
            raise PlanInvalid(source.file, faults)
    return loaded, source
