"""Formulas over other indicators' points, e.g. `min([1.1] + [1.2], 10)`: a safe subset of arithmetic compiled
to SQL (no names, attributes or calls other than min/max), so scores stay set-based in PostgreSQL."""

import ast
import math
import re
from collections.abc import Callable

_REF = re.compile(r"\[([^\[\]]+)\]")
_SYMBOLS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
# Compiling recurses once per level: a formula deeper than any a person writes is refused, not a RecursionError.
MAX_DEPTH = 100


class FormulaError(ValueError):
    pass


def _parse(expr: str) -> tuple[ast.Expression, dict[str, str]]:
    """The formula's tree, with each [code] as a placeholder name, and the code of each placeholder in order."""
    # A prefix the text does not contain, so no name typed in the formula can pass for a placeholder.
    prefix = "_r"
    while prefix in expr:
        prefix += "_"
    refs: dict[str, str] = {}

    def name(match: re.Match[str]) -> str:
        placeholder = f"{prefix}{len(refs)}"
        refs[placeholder] = match.group(1).strip()
        return placeholder

    try:
        tree = ast.parse(_REF.sub(name, expr), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"not a formula: {exc.msg}") from exc
    except RecursionError as exc:
        raise FormulaError(f"nested more than {MAX_DEPTH} levels deep") from exc
    if _depth(tree) > MAX_DEPTH:
        raise FormulaError(f"nested more than {MAX_DEPTH} levels deep")
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in ("min", "max")) or node.keywords:
                raise FormulaError("only min(…) and max(…) may be called")
            if not node.args:
                raise FormulaError(f"{node.func.id}() needs at least one argument")
        elif isinstance(node, ast.Name):
            if node.id not in refs and id(node) not in called:  # min and max only as the name of a call
                raise FormulaError(f"unknown name {node.id!r}: refer to indicators as [code]")
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, int | float) or isinstance(node.value, bool):
                raise FormulaError("only numbers may appear as constants")
            try:
                finite = math.isfinite(node.value)
            except OverflowError:  # an integer literal beyond any float
                finite = False
            if not finite:
                raise FormulaError(f"{str(node.value)[:20]} is not a finite number")
        elif not isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.USub
            | ast.UAdd
            | ast.Load
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div,
        ):
            raise FormulaError(f"{type(node).__name__} is not allowed")
    return tree, refs


def _depth(tree: ast.AST) -> int:
    """Levels of the tree, counted without recursion (ast.walk is breadth-first and keeps no depth)."""
    deepest, level = 0, [tree]
    while level:
        deepest += 1
        level = [child for node in level for child in ast.iter_child_nodes(node)]
    return deepest


def references(expr: str) -> list[str]:
    """Codes of the indicators the formula uses (raises FormulaError when it is not a valid formula)."""
    return list(_parse(expr)[1].values())


def to_sql(expr: str, ref: Callable[[str], str]) -> str:
    """The formula as SQL text; `ref(code)` gives the SQL for an indicator's points, NULL when it has no value.
    The text is NULL when an indicator it uses is NULL or a divisor is 0: a formula with a missing input is not
    computed (least()/greatest() would skip the NULL, so `min([a], 5)` would give 5 with no [a]). Safe to inline:
    after parsing, the text holds only numbers, operators, least/greatest, case and what `ref` returns."""
    tree, refs = _parse(expr)
    divisors: list[str] = []

    def build(node: ast.AST) -> str:
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, int | float)
            return f"({float(node.value)!r}::numeric)"
        if isinstance(node, ast.Name):
            return ref(refs[node.id])
        if isinstance(node, ast.UnaryOp):
            inner = build(node.operand)
            return f"(-{inner})" if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            left, right = build(node.left), build(node.right)
            if isinstance(node.op, ast.Div):
                divisors.append(right)
                return f"({left} / nullif({right}, 0))"  # nullif as well: the planner may fold a constant 1 / 0
            return f"({left} {_SYMBOLS[type(node.op)]} {right})"
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            name = "least" if node.func.id == "min" else "greatest"
            return f"{name}({', '.join(build(a) for a in node.args)})"
        raise FormulaError(f"{type(node).__name__} is not allowed")

    body = build(tree)
    guards = [f"{ref(code)} is not null" for code in dict.fromkeys(refs.values())] + [f"{d} <> 0" for d in divisors]
    return f"(case when {' and '.join(guards)} then {body} end)" if guards else body
