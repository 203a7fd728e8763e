"""Scores over generated frameworks and value sets, computed by the real statement in the real PostgreSQL and
checked against tests/scoring/reference.py: a missing or returned value scores 0, no indicator exceeds its maximum,
no group its cap, totals are the sum of their parts, ranks are competition ranks over exact totals.

Each example is written straight to the tables inside a savepoint (a framework through the frameworks service, so
it passes the same validation as the API's), recomputed with compute.recompute, read back and rolled back: figures
the API refuses (negative, huge, categories outside the map, appraised values missing) are inputs too."""

import itertools
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncConnection

from kit.auth import Caller
from kit.db import Database, table_of
from services.scoring.frameworks import service as frameworks
from services.scoring.frameworks.schemas import FrameworkCreate
from services.scoring.models import Participant, Period, Value
from services.scoring.periods import service as periods
from services.scoring.scores import compute
from services.scoring.scores import repository as scores_repo
from tests.scoring import reference
from tests.scoring.reference import FOUR, Entry, Unit

YEAR = 2025
LEVELS = ["commune", "district"]
KINDS = ["ward", "commune"]
STATUSES = ["draft", "submitted", "accepted", "adjusted", "returned"]
CATEGORIES = ["Đầy đủ", "Một phần", "Không"]
BASE_METHODS = ["step", "ratio", "category", "boolean", "target", "relative"]
VALUE_TYPES = {
    "step": ["count", "percent"],
    "ratio": ["percent"],
    "category": ["category"],
    "boolean": ["boolean"],
    "target": ["percent", "count"],
    "relative": ["percent", "count"],
    "formula": ["percent"],
}
OFFICE = Caller(subject="property-tests", roles=frozenset(), name="property tests")
EXAMPLES = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

quarters = st.integers(1, 80).map(lambda k: k / 4)  # points that float and Decimal agree on (0.25 … 20)
figures = st.one_of(
    st.none(),
    st.sampled_from([Decimal(0), Decimal(-5), Decimal("-0.0001"), Decimal("99999999999999.9999")]),
    st.decimals(min_value=0, max_value=150, places=4),
)


@st.composite
def expressions(draw: st.DrawFn, refs: list[str], depth: int = 0) -> str:
    """A formula over the indicators' points: arithmetic, min/max, divisions by an indicator or a constant."""
    leaf = st.one_of(st.sampled_from(refs).map(lambda r: f"[{r}]"), st.sampled_from(["0", "1", "2", "0.5", "10"]))
    shape = draw(st.sampled_from(["leaf", "+", "-", "*", "/", "min", "max", "neg"] if depth < 2 else ["leaf"]))
    if shape == "leaf":
        return draw(leaf)
    if shape == "neg":
        return f"-({draw(expressions(refs, depth + 1))})"
    left = draw(expressions(refs, depth + 1))
    if shape in ("min", "max"):
        return f"{shape}({left}, {draw(expressions(refs, depth + 1))})"
    right = draw(leaf) if shape == "/" else draw(expressions(refs, depth + 1))
    return f"({left} {shape} {right})"


@st.composite
def indicators(draw: st.DrawFn, code: str, method: str, refs: list[str]) -> dict[str, Any]:
    top = draw(quarters)
    params: dict[str, Any] = {}
    if method == "step":
        steps = draw(st.lists(st.tuples(st.integers(0, 120), st.integers(0, int(top * 4))), min_size=1, max_size=4))
        params = {"steps": [{"min": m, "points": p / 4} for m, p in steps]}
    elif method == "category":
        labels = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True))
        params = {"map": {label: draw(st.sampled_from([0, 0.25, 0.3, 0.5, 1])) for label in labels}}
    elif method == "formula":
        params = {"expr": draw(expressions(refs).filter(lambda e: "[" in e))}
    value_type = draw(st.sampled_from(VALUE_TYPES[method]))
    return {"code": code, "kind": "indicator", "title": code, "max_points": top, "value_type": value_type,
            "method": method, "params": params}  # fmt: skip


def _group(code: str, kind: str, children: list[dict[str, Any]], factor: Decimal) -> dict[str, Any]:
    total = sum((Decimal(str(c["max_points"])) for c in children), Decimal(0))
    cap = max(Decimal("0.25"), (total * factor).quantize(Decimal("0.25")))
    return {"code": code, "kind": kind, "title": code, "max_points": str(cap), "children": children}


@st.composite
def frameworks_(draw: st.DrawFn) -> dict[str, Any]:
    """A tree of up to three pillars (some with an index level, some capped below their children's sum) over
    indicators of every method, formulas over the others, and targets for some levels."""
    methods = draw(st.lists(st.sampled_from(BASE_METHODS), min_size=1, max_size=6))
    codes = [f"I{i}" for i in range(len(methods))]
    leaves = [draw(indicators(c, m, [])) for c, m in zip(codes, methods, strict=True)]
    leaves += [draw(indicators(f"F{i}", "formula", codes)) for i in range(draw(st.integers(0, 2)))]
    leaves = draw(st.permutations(leaves))
    cuts = sorted(draw(st.sets(st.integers(1, len(leaves) - 1), max_size=2))) if len(leaves) > 1 else []
    chunks = [leaves[a:b] for a, b in itertools.pairwise([0, *cuts, len(leaves)])]
    caps = st.sampled_from([Decimal("0.5"), Decimal("0.8"), Decimal(1), Decimal(1), Decimal("1.25")])
    nodes = []
    for i, chunk in enumerate(chunks):
        shape = draw(st.sampled_from(["pillar", "nested"] + (["indicator"] if len(chunk) == 1 else [])))
        if shape == "indicator":
            nodes.append(chunk[0])
        elif shape == "pillar" or len(chunk) == 1:
            nodes.append(_group(f"P{i}", "pillar", chunk, draw(caps)))
        else:
            half = len(chunk) // 2
            index = _group(f"P{i}.1", "index", chunk[:half], draw(caps))
            nodes.append(_group(f"P{i}", "pillar", [index, *chunk[half:]], draw(caps)))
    targets = [
        {"indicator_code": leaf["code"], "year": YEAR, "level": level, "target": str(target)}
        for leaf in leaves
        if leaf["method"] == "target"
        for level in LEVELS
        if (target := draw(st.none() | st.decimals(min_value="0.5", max_value=120, places=1))) is not None
    ]
    top = sum((Decimal(str(n["max_points"])) for n in nodes), Decimal(0))
    return {"code": "PROP", "title": "Bộ chỉ số sinh ngẫu nhiên", "max_points": str(top), "nodes": nodes,
            "targets": targets}  # fmt: skip


@st.composite
def entries(draw: st.DrawFn, node: Mapping[str, Any]) -> Entry | None:
    """A stored value row (or none) for one indicator: any status, with figures of the indicator's kind or not."""
    if draw(st.integers(0, 4)) == 0:
        return None
    method = node["method"]
    categories = st.none() | st.sampled_from([*node["params"].get("map", {}), "Khác"])
    flags = st.none() | st.booleans()
    numeric, boolean, category = method in reference.NUMERIC_METHODS, method == "boolean", method == "category"

    def figures_of_its_kind() -> tuple[Decimal | None, bool | None, str | None]:
        return (
            draw(figures) if numeric else None,
            draw(flags) if boolean else None,
            draw(categories) if category else None,
        )

    status = draw(st.sampled_from(STATUSES))
    value, flag, label = figures_of_its_kind()
    appraised = figures_of_its_kind() if status == "adjusted" else (None, None, None)
    return Entry(value, flag, label, status, *appraised)


@dataclass
class Case:
    framework: dict[str, Any]
    units: list[Unit]
    entries: dict[tuple[str, str], Entry]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    body = draw(frameworks_())
    count = draw(st.integers(1, 6))
    units = [
        Unit(str(uuid.UUID(int=i + 1)), draw(st.sampled_from(KINDS)), draw(st.sampled_from(LEVELS)),
             draw(st.booleans() | st.just(True)))
        for i in range(count)
    ]  # fmt: skip
    found: dict[tuple[str, str], Entry] = {}
    for unit in units:
        for node, _ in reference.walk(body["nodes"]):
            if node["kind"] == "indicator" and node["method"] != "formula":
                entry = draw(entries(node))
                if entry is not None:
                    found[(unit.id, node["code"])] = entry
    return Case(body, units, found)


@dataclass
class Stored:
    scores: dict[tuple[str, str], tuple[Decimal, Decimal, Decimal | None]]  # (unit, node) → points, max, value
    totals: dict[str, Decimal]
    over: dict[str, tuple[Decimal, Decimal, Decimal]]  # unit → score over 100, index value, exact total ÷ max
    peer_ranks: dict[str, int]
    explained: dict[str, dict[str, Any]]  # node → the explanation's row, for the first unit


async def _computed(connection: AsyncConnection, case: Case) -> Stored:
    """The case written to the tables, scored by the real statement, and read back (then rolled back)."""
    savepoint = await connection.begin_nested()
    try:
        async with Database.bound_to(connection).sessionmaker() as session:
            framework = await frameworks.create(session, OFFICE, FrameworkCreate.model_validate(case.framework))
            period_id = uuid.uuid4()
            await session.execute(
                sa.insert(table_of(Period)).values(
                    id=period_id, framework_id=framework.id, title="Kỳ sinh ngẫu nhiên", kind="year", year=YEAR,
                    starts_on=date(YEAR, 1, 1), ends_on=date(YEAR, 12, 31), scope_unit_id=uuid.uuid4(),
                )
            )  # fmt: skip
            await session.execute(
                sa.insert(table_of(Participant)),
                [
                    {"period_id": period_id, "unit_id": uuid.UUID(u.id), "name": u.id, "kind": u.kind,
                     "level": u.level, "ranked": u.ranked}
                    for u in case.units
                ],
            )  # fmt: skip
            if case.entries:
                await session.execute(
                    sa.insert(table_of(Value)),
                    [
                        {"period_id": period_id, "unit_id": uuid.UUID(unit), "indicator_code": code,
                         "updated_by": "property-tests"} | vars(entry)
                        for (unit, code), entry in case.entries.items()
                    ],
                )  # fmt: skip
            period = await periods.get_row(session, period_id)  # the whole row, as the service passes it
            await compute.recompute(session, period, framework.max_points)
            scores = await session.execute(
                sa.text(
                    "select unit_id, node_code, points, max_points, value from scoring.scores where period_id = :p"
                ),
                {"p": period_id},
            )
            results = await session.execute(
                sa.text(
                    "select unit_id, total, max_points, score100, index_value from scoring.results where period_id = :p"
                ),
                {"p": period_id},
            )
            ranks = await session.execute(
                sa.text("select unit_id, rank from scoring.ranks where period_id = :p and group_kind = 'peer'"),
                {"p": period_id},
            )
            rows = results.all()
            first = uuid.UUID(case.units[0].id)
            explained = await scores_repo.explain(session, period_id, framework.id, first)
            return Stored(
                scores={(str(u), c): (p, m, v) for u, c, p, m, v in scores},
                totals={str(u): t for u, t, *_ in rows},
                over={str(u): (s, i, t / m) for u, t, m, s, i in rows},
                peer_ranks={str(u): r for u, r in ranks},
                explained={r["code"]: dict(r) for r in explained},
            )
    finally:
        await savepoint.rollback()


def _parents(nodes: list[dict[str, Any]]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for node, parent in reference.walk(nodes):
        children[parent or ""].append(node["code"])
    return children


def _note_coverage(case: Case, stored: Stored, children: Mapping[str, list[str]]) -> None:
    """What the example exercised (shown by `pytest --hypothesis-show-statistics`)."""
    for (_, code), (points, top, _) in stored.scores.items():
        if code.startswith("F") and points > 0:
            event("a formula scored")
        if code in children and 0 < points == top:
            event("a group at its cap")
    if len(set(stored.peer_ranks.values())) < len(stored.peer_ranks):
        event("a tie in a ranking")
    if any(e.status == "returned" for e in case.entries.values()):
        event("a returned value")


@EXAMPLES
@given(case=cases())
async def test_scores_follow_the_rules_and_the_reference(connection: AsyncConnection, case: Case) -> None:
    stored = await _computed(connection, case)
    targets = {(t["indicator_code"], t["level"]): Decimal(t["target"]) for t in case.framework["targets"]}
    expected = reference.score(case.framework["nodes"], targets, case.units, case.entries)
    nodes = {n["code"]: n for n, _ in reference.walk(case.framework["nodes"])}
    children = _parents(case.framework["nodes"])

    # A missing, returned or negative input scores 0 (an appraisal that left the figure out is missing too).
    for (unit_id, code), present in expected.present.items():
        points, _, value = stored.scores[(unit_id, code)]
        if not present:
            assert points == 0, (unit_id, code, case.entries.get((unit_id, code)))
        if expected.values[(unit_id, code)] is None:
            assert value is None
    # No indicator above its maximum, no group above its cap; a group is the capped sum of its children.
    for (unit_id, code), (points, top, _) in stored.scores.items():
        assert 0 <= points <= top == Decimal(str(nodes[code]["max_points"]))
        if code in children:
            assert points == min(sum(stored.scores[(unit_id, c)][0] for c in children[code]), top)
    # A total is the sum of the top-level nodes' stored points.
    for unit in case.units:
        assert stored.totals[unit.id] == sum(stored.scores[(unit.id, c)][0] for c in children[""])
    # Every figure as the reference scorer's, to four decimals.
    assert {k: p for k, (p, _, _) in stored.scores.items()} == expected.points
    assert stored.totals == expected.totals
    # Score over 100 and index value are the exact total ÷ max, rounded once (two and four decimals).
    for score100, index, exact in stored.over.values():
        assert (score100, index) == (
            (exact * 100).quantize(Decimal("0.01"), ROUND_HALF_UP),
            exact.quantize(FOUR, ROUND_HALF_UP),
        )
    # Competition ranks (1, 1, 3) over the exact totals, among the ranked units of the same kind and level.
    assert stored.peer_ranks == expected.peer_ranks
    _note_coverage(case, stored, children)
    # The explanation shows a missing value as missing: value null, 0 points.
    first = case.units[0].id
    for code, row in stored.explained.items():
        assert (row["points"], row["value"]) == (stored.scores[(first, code)][0], stored.scores[(first, code)][2])


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expr=expressions([f"I{i}" for i in range(3)]), points=st.lists(st.none() | st.decimals(0, 20, places=4),
       min_size=3, max_size=3))  # fmt: skip
async def test_a_formula_with_a_missing_input_or_a_zero_divisor_is_null_in_sql_as_in_the_reference(
    connection: AsyncConnection, expr: str, points: list[Decimal | None]
) -> None:
    """formula.to_sql alone, over every shape of formula: NULL exactly when the reference says it is missing."""
    from services.scoring.frameworks import formula

    columns = {f"I{i}": f"(:r{i})::numeric" for i in range(3)}
    sql = formula.to_sql(expr, columns.__getitem__)
    got = await connection.scalar(sa.text(f"select {sql}"), {f"r{i}": p for i, p in enumerate(points)})
    want = reference.formula(expr, {f"I{i}": p for i, p in enumerate(points)})
    if want is None:
        assert got is None
    else:
        assert got is not None, (expr, want)
        assert abs(got - want) < Decimal("1e-12"), (expr, got, want)
