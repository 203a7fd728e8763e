"""Frameworks are validated whole, stored as a flat node table with each node's ancestors, and frozen when
published: a change makes a new version."""

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.pagination import Page, PageParams, encode_cursor
from kit.problems import ErrorList, Text, pointer
from services.scoring.frameworks import formula
from services.scoring.frameworks import repository as repo
from services.scoring.frameworks.errors import (
    FrameworkExists,
    FrameworkNotFound,
    PublishedNeedsNewVersion,
)
from services.scoring.frameworks.schemas import Decision, Framework, FrameworkCreate, Node, NodeIn
from services.scoring.vocabulary import Method, NodeKind, ValueType

NUMERIC = {ValueType.PERCENT, ValueType.RATIO, ValueType.COUNT}
METHOD_TYPES: dict[Method, set[ValueType]] = {
    Method.STEP: NUMERIC,
    Method.RATIO: {ValueType.PERCENT, ValueType.RATIO},
    Method.CATEGORY: {ValueType.CATEGORY},
    Method.BOOLEAN: {ValueType.BOOLEAN},
    Method.TARGET: NUMERIC,
    Method.RELATIVE: NUMERIC,
    Method.FORMULA: set(ValueType),
}
PUBLISHED = "published"


def _walk(
    nodes: list[NodeIn], path: tuple[str | int, ...], ancestors: tuple[str, ...]
) -> Iterator[tuple[NodeIn, tuple[str | int, ...], tuple[str, ...]]]:
    for i, node in enumerate(nodes):
        here = (*path, i)
        yield node, here, ancestors
        yield from _walk(node.children, (*here, "children"), (*ancestors, node.code))


def validate(body: FrameworkCreate) -> list[dict[str, Any]]:
    """Check the whole tree (every fault at once) and return its flat rows."""
    errors = ErrorList()
    rows: list[dict[str, Any]] = []
    flat = list(_walk(body.nodes, ("nodes",), ()))
    indicators = {n.code: n for n, _, _ in flat if n.kind == NodeKind.INDICATOR}
    seen: set[str] = set()
    for position, (node, path, ancestors) in enumerate(flat):
        at = partial(pointer, *path)
        if node.code in seen:
            errors.add(at("code"), Text("Mã chỉ tiêu bị trùng", "Duplicate node code"))
        seen.add(node.code)
        if node.kind == NodeKind.INDICATOR:
            if node.children:
                errors.add(at("children"), Text("Chỉ số thành phần không có cấp con", "An indicator has no children"))
            if node.value_type is None:
                errors.add(
                    at("value_type"), Text("Chỉ số thành phần cần kiểu giá trị", "An indicator needs a value type")
                )
            if node.method is None:
                errors.add(
                    at("method"),
                    Text("Chỉ số thành phần cần phương pháp tính điểm", "An indicator needs a scoring method"),
                )
            if node.method and node.value_type and node.value_type not in METHOD_TYPES[node.method]:
                errors.add(
                    at("method"),
                    Text(
                        f"Phương pháp {node.method.value} không dùng cho kiểu {node.value_type.value}",
                        f"Method {node.method.value} does not apply to value type {node.value_type.value}",
                    ),
                )
            _check_params(node, indicators, at, errors)
        else:
            if node.method or node.value_type:
                errors.add(
                    at("method"),
                    Text(
                        "Chỉ tiêu nhóm không có phương pháp riêng; điểm là tổng cấp con",
                        "A group node scores as the sum of its children",
                    ),
                )
            if not node.children:
                errors.add(at("children"), Text("Nhóm chỉ tiêu cần ít nhất một cấp con", "A group needs children"))
        rows.append(
            {
                "id": uuid.uuid4(),
                "code": node.code,
                "parent_code": ancestors[-1] if ancestors else None,
                "ancestors": list(ancestors),
                "kind": node.kind,
                "title": node.title,
                "max_points": node.max_points,
                "position": position,
                "value_type": node.value_type,
                "method": node.method,
                "params": node.params,
                "evidence_required": node.evidence_required,
                "evidence_note": node.evidence_note,
                "data_source": node.data_source,
                "verifying_unit": node.verifying_unit,
            }
        )
    top = sum((n.max_points for n in body.nodes), Decimal(0))
    if top != body.max_points:
        errors.add(
            pointer("max_points"),
            Text(f"Tổng điểm các nhóm cấp cao nhất ({top}) khác điểm tối đa", f"The top-level nodes add up to {top}"),
        )
    for i, target in enumerate(body.targets):
        if target.indicator_code not in indicators:
            errors.add(pointer("targets", i, "indicator_code"), Text("Không có chỉ số này", "No such indicator"))
    errors.raise_if_any()
    return rows


def _check_params(node: NodeIn, indicators: dict[str, NodeIn], at: Callable[..., str], errors: ErrorList) -> None:
    params = node.params
    bad = Text("Tham số phương pháp không hợp lệ", "Invalid method parameters")
    if node.method == Method.STEP:
        steps = params.get("steps")
        if (
            not isinstance(steps, list)
            or not steps
            or not all(
                isinstance(s, dict)
                and isinstance(s.get("min"), int | float)
                and isinstance(s.get("points"), int | float)
                and 0 <= s["points"] <= node.max_points
                for s in steps
            )
        ):
            errors.add(
                at("params", "steps"),
                Text(
                    "Bảng bậc cần danh sách {min, points} với points không vượt điểm tối đa",
                    "A step table needs [{min, points}] with points within the maximum",
                ),
            )
    elif node.method == Method.CATEGORY:
        mapping = params.get("map")
        if (
            not isinstance(mapping, dict)
            or not mapping
            or not all(isinstance(v, int | float) and 0 <= v <= 1 for v in mapping.values())
        ):
            errors.add(
                at("params", "map"),
                Text("Bảng phân loại cần {nhãn: tỷ lệ 0..1}", "A category map needs {label: share 0..1}"),
            )
    elif node.method == Method.FORMULA:
        expr = params.get("expr")
        try:
            refs = formula.references(expr) if isinstance(expr, str) else None
        except formula.FormulaError as exc:
            errors.add(at("params", "expr"), Text(f"Công thức không hợp lệ: {exc}", f"Invalid formula: {exc}"))
            return
        if refs is None:
            errors.add(at("params", "expr"), bad)
            return
        if not refs:  # a constant would give points to every unit, whatever it sent
            errors.add(
                at("params", "expr"),
                Text("Công thức phải dùng ít nhất một chỉ số", "A formula uses at least one indicator"),
            )
        for ref in refs:
            other = indicators.get(ref)
            if other is None or other.method == Method.FORMULA:
                errors.add(
                    at("params", "expr"),
                    Text(
                        f"Công thức dùng [{ref}]: phải là chỉ số thành phần không tính bằng công thức",
                        f"The formula uses [{ref}]: it must be an indicator that is not itself a formula",
                    ),
                )


def _tree(rows: list[dict[str, Any]]) -> list[Node]:
    nodes = {r["code"]: Node.model_validate(r | {"children": []}) for r in rows}
    roots: list[Node] = []
    for r in rows:
        (nodes[r["parent_code"]].children if r["parent_code"] else roots).append(nodes[r["code"]])
    return roots


def _out(row: dict[str, Any]) -> Framework:
    decision = (
        Decision(number=row["decision_number"], date=row["decision_date"], issuer=row["decision_issuer"])
        if row["decision_number"]
        else None
    )
    return Framework.model_validate(row | {"decision": decision, "nodes": _tree(row["nodes"])})


def _columns(body: FrameworkCreate) -> dict[str, Any]:
    d = body.decision
    return {
        "code": body.code,
        "title": body.title,
        "unit_kinds": body.unit_kinds,
        "unit_levels": body.unit_levels,
        "max_points": body.max_points,
        "decision_number": d.number if d else None,
        "decision_date": d.date if d else None,
        "decision_issuer": d.issuer if d else None,
    }


async def create(session: AsyncSession, caller: Caller, body: FrameworkCreate) -> Framework:
    rows = validate(body)
    framework_id = uuid.uuid4()
    version = await repo.latest_version(session, body.code) + 1
    try:
        async with session.begin_nested():
            await repo.insert(
                session,
                _columns(body) | {"id": framework_id, "version": version, "created_by": caller.subject},
                [b.model_dump() for b in body.bands],
                rows,
                [t.model_dump() for t in body.targets],
            )
    except IntegrityError as exc:
        raise FrameworkExists() from exc
    return await read(session, framework_id)


async def read(session: AsyncSession, framework_id: uuid.UUID) -> Framework:
    row = await repo.get(session, framework_id)
    if row is None:
        raise FrameworkNotFound(framework_id=str(framework_id))
    return _out(row)


async def list_page(session: AsyncSession, paging: PageParams, code: str | None) -> Page[Framework]:
    keys = await repo.list_keys(session, code, after=paging.after(str, int), limit=paging.limit)
    shown = keys[: paging.limit]
    found = {row["id"]: _out(row) for row in await repo.get_many(session, [k.id for k in shown])}
    more = len(keys) > paging.limit
    return Page(
        items=[found[k.id] for k in shown],
        next_cursor=encode_cursor([shown[-1].code, shown[-1].version]) if more else None,
    )


async def replace(session: AsyncSession, caller: Caller, framework_id: uuid.UUID, body: FrameworkCreate) -> Framework:
    """Rewrite a draft (its code stays)."""
    row = await repo.lock(session, framework_id)
    if row is None:
        raise FrameworkNotFound(framework_id=str(framework_id))
    if row["status"] == PUBLISHED:
        raise PublishedNeedsNewVersion()
    rows = validate(body)
    await repo.update(session, framework_id, **(_columns(body) | {"code": row["code"]}))
    await repo.replace_content(
        session, framework_id, [b.model_dump() for b in body.bands], rows, [t.model_dump() for t in body.targets]
    )
    return await read(session, framework_id)


async def publish(session: AsyncSession, caller: Caller, framework_id: uuid.UUID) -> Framework:
    row = await repo.lock(session, framework_id)
    if row is None:
        raise FrameworkNotFound(framework_id=str(framework_id))
    if row["status"] != PUBLISHED:
        await repo.update(session, framework_id, status=PUBLISHED, published_at=datetime.now(UTC))
    return await read(session, framework_id)


async def new_version(session: AsyncSession, caller: Caller, framework_id: uuid.UUID) -> Framework:
    """A draft copy of a framework, numbered after the latest version of its code."""
    current = await read(session, framework_id)
    body = FrameworkCreate.model_validate(
        current.model_dump(
            include={
                "code",
                "title",
                "decision",
                "unit_kinds",
                "unit_levels",
                "max_points",
                "bands",
                "nodes",
                "targets",
            },
            mode="json",
        )
    )
    return await create(session, caller, body)


async def indicators(session: AsyncSession, framework_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The framework's indicators by code (flat rows: value type, method, params, evidence rule)."""
    row = await repo.get(session, framework_id)
    if row is None:
        raise FrameworkNotFound(framework_id=str(framework_id))
    return {n["code"]: n for n in row["nodes"] if n["kind"] == NodeKind.INDICATOR}
