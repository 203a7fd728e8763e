"""A small scorer in plain Python, written from the rules in services/scoring/scores/compute.py's docstring (not
from its SQL), to check the set-based computation against: same inputs, points to four decimals, totals, ranks."""

import ast
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FOUR = Decimal("0.0001")
NUMERIC_METHODS = {"step", "ratio", "target", "relative"}


@dataclass(frozen=True)
class Unit:
    id: str
    kind: str
    level: str
    ranked: bool = True


@dataclass(frozen=True)
class Entry:
    """A stored value row: what the unit sent, its status, and the appraiser's figures."""

    value: Decimal | None = None
    flag: bool | None = None
    category: str | None = None
    status: str = "submitted"
    appraised_value: Decimal | None = None
    appraised_flag: bool | None = None
    appraised_category: str | None = None

    def effective(self) -> tuple[Decimal | None, bool | None, str | None]:
        """What is scored: nothing when returned to the unit, the appraiser's figures when adjusted."""
        if self.status == "returned":
            return None, None, None
        if self.status == "adjusted":
            return self.appraised_value, self.appraised_flag, self.appraised_category
        return self.value, self.flag, self.category


@dataclass
class Scored:
    points: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (unit, node code) → points
    values: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)  # (unit, indicator) → value shown
    present: dict[tuple[str, str], bool] = field(default_factory=dict)  # (unit, indicator) → has a usable input
    totals: dict[str, Decimal] = field(default_factory=dict)
    peer_ranks: dict[str, int] = field(default_factory=dict)  # ranked units only


def walk(
    nodes: Sequence[Mapping[str, Any]], parent: str | None = None
) -> Iterator[tuple[Mapping[str, Any], str | None]]:
    for node in nodes:
        yield node, parent
        yield from walk(node.get("children", []), node["code"])


def _dec(x: Any) -> Decimal:
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def _clamp(x: Decimal, top: Decimal) -> Decimal:
    return min(top, max(Decimal(0), x)).quantize(FOUR, ROUND_HALF_UP)


def _indicator(
    node: Mapping[str, Any], value: Decimal | None, flag: bool | None, category: str | None, best: Decimal | None
) -> tuple[Decimal, bool]:
    """Points (unclamped) of one indicator that is not a formula, and whether its input is there."""
    method, top, params = node["method"], _dec(node["max_points"]), node.get("params", {})
    if method == "boolean":
        return (top if flag else Decimal(0)), flag is not None
    if method == "category":
        share = params["map"].get(category) if category is not None else None
        return (_dec(share) * top if share is not None else Decimal(0)), category is not None
    if value is None or value < 0:
        return Decimal(0), False
    if method == "step":
        reached = [_dec(s["points"]) for s in params["steps"] if value >= _dec(s["min"])]
        return max(reached, default=Decimal(0)), True
    if method == "ratio":
        return min(value / 100, Decimal(1)) * top, True
    if method == "target":
        target = node["_target"]
        return (min(value / target, Decimal(1)) * top if target is not None and target > 0 else Decimal(0)), True
    assert method == "relative"
    return (value / best * top if best else Decimal(0)), True


_REF = re.compile(r"\[([^\[\]]+)\]")


def formula(expr: str, points: Mapping[str, Decimal | None]) -> Decimal | None:
    """The formula over the indicators' points; None when one of them is missing or a divisor is 0."""
    refs: list[str] = []

    def name(match: re.Match[str]) -> str:
        refs.append(match.group(1).strip())
        return f"_r{len(refs) - 1}"

    tree = ast.parse(_REF.sub(name, expr), mode="eval")

    def ev(node: ast.AST) -> Decimal | None:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, int | float)
            return _dec(float(node.value))
        if isinstance(node, ast.Name):
            return points[refs[int(node.id[2:])]]
        if isinstance(node, ast.UnaryOp):
            inner = ev(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            return None if right == 0 else left / right
        assert isinstance(node, ast.Call)
        assert isinstance(node.func, ast.Name)
        args = [ev(a) for a in node.args]
        if any(a is None for a in args):
            return None
        known = [a for a in args if a is not None]
        return min(known) if node.func.id == "min" else max(known)

    return ev(tree)


def score(
    nodes: Sequence[Mapping[str, Any]],
    targets: Mapping[tuple[str, str], Decimal],
    units: Sequence[Unit],
    entries: Mapping[tuple[str, str], Entry],
) -> Scored:
    """Every unit's points on every node, its total and its competition rank among its peers (kind and level).
    `targets`: (indicator, level) → target of the period's year; `entries`: (unit, indicator) → stored row."""
    out = Scored()
    flat = list(walk(nodes))
    children: dict[str | None, list[str]] = defaultdict(list)
    for node, parent in flat:
        children[parent].append(node["code"])
    by_code = {node["code"]: node for node, _ in flat}
    indicators = [n for n, _ in flat if n["kind"] == "indicator" and n["method"] != "formula"]
    effective = {
        (u.id, n["code"]): entries[(u.id, n["code"])].effective() if (u.id, n["code"]) in entries else (None,) * 3
        for u in units
        for n in indicators
    }
    best: dict[tuple[str, str, str], Decimal] = {}
    for u in units:
        for n in indicators:
            value = effective[(u.id, n["code"])][0]
            if n["method"] == "relative" and value is not None:
                key = (n["code"], u.kind, u.level)
                best[key] = max(best.get(key, value), value)
    for u in units:
        for n in indicators:
            value, flag, category = effective[(u.id, n["code"])]
            node = dict(n) | {"_target": targets.get((n["code"], u.level))}
            raw, present = _indicator(node, value, flag, category, best.get((n["code"], u.kind, u.level)))
            out.points[(u.id, n["code"])] = _clamp(raw, _dec(n["max_points"]))
            out.values[(u.id, n["code"])] = value
            out.present[(u.id, n["code"])] = present
        for n, _ in flat:
            if n["kind"] == "indicator" and n["method"] == "formula":
                inputs = {
                    code: out.points[(u.id, code)] if out.present.get((u.id, code)) else None
                    for code in _REF.findall(n["params"]["expr"])
                }
                result = formula(n["params"]["expr"], inputs)
                out.points[(u.id, n["code"])] = _clamp(result or Decimal(0), _dec(n["max_points"]))

        out.totals[u.id] = sum((_group(out, by_code, children, u.id, c) for c in children[None]), Decimal(0))
    for u in units:
        if u.ranked:
            peers = [v for v in units if v.ranked and (v.kind, v.level) == (u.kind, u.level)]
            out.peer_ranks[u.id] = 1 + sum(1 for v in peers if out.totals[v.id] > out.totals[u.id])
    return out


def _group(
    out: Scored,
    by_code: Mapping[str, Mapping[str, Any]],
    children: Mapping[str | None, list[str]],
    unit: str,
    code: str,
) -> Decimal:
    """A node's points: an indicator's own, a group's the sum of its children's, capped (and recorded)."""
    node = by_code[code]
    if node["kind"] == "indicator":
        return out.points[(unit, code)]
    below = sum((_group(out, by_code, children, unit, c) for c in children[code]), Decimal(0))
    out.points[(unit, code)] = points = min(below, _dec(node["max_points"]))
    return points
