"""The formula compiler: a safe subset of arithmetic over indicators' points, compiled to SQL.

The SQL is checked by evaluating it with exact fractions (its few SQL words mapped to Python) against the formula
read as ordinary arithmetic: NULL when an indicator has no value or a divisor is 0."""

import re
from collections.abc import Mapping
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from services.scoring.frameworks.formula import MAX_DEPTH, FormulaError, references, to_sql

Value = Fraction | None
COLUMNS = {"a": "va", "b": "vb", "c": "vc", "1.1": "v11", "1.2": "v12"}


def sql_value(expr: str, values: Mapping[str, Value]) -> Value:
    """What PostgreSQL computes from the formula's SQL, for the indicators' `values` (None for NULL)."""
    sql = to_sql(expr, COLUMNS.__getitem__)
    py = re.sub(r"\(([-+.\deE]+)::numeric\)", r"F('\1')", sql)
    py = py.replace(" is not null", " is not None").replace(" <> ", " != ")
    guarded = re.fullmatch(r"\(case when (.*) then (.*) end\)", py)
    scope = {"F": Fraction, "least": _min, "greatest": _max, "nullif": lambda x, z: None if x == z else x}
    scope |= {COLUMNS[code]: v for code, v in values.items()}
    if guarded is None:
        return Fraction(eval(py, scope))
    guards, body = guarded.groups()
    return Fraction(eval(body, scope)) if eval(guards, scope) else None


def arithmetic(expr: str, values: Mapping[str, Value]) -> Value:
    """The formula read as ordinary arithmetic with exact fractions: None with a missing input or a 0 divisor."""
    codes = _ref_codes(expr)
    if any(values[code] is None for code in codes):
        return None
    py = re.sub(r"\d+(\.\d+)?", lambda m: f"F('{m.group()}')", re.sub(r"\[([^\]]+)\]", r"\1", expr))
    try:
        return Fraction(eval(py, {"F": Fraction, "min": _min, "max": _max, **values}))
    except ZeroDivisionError:
        return None


def _min(*xs: Fraction) -> Fraction:
    return min(xs)


def _max(*xs: Fraction) -> Fraction:
    return max(xs)


def _ref_codes(expr: str) -> list[str]:
    return [m.strip() for m in re.findall(r"\[([^\]]+)\]", expr)]


F = Fraction


@pytest.mark.parametrize(
    ("expr", "values", "result"),
    [
        ("[a] + [b] * 2", {"a": F(1), "b": F(3)}, F(7)),
        ("([a] + [b]) * 2", {"a": F(1), "b": F(3)}, F(8)),
        ("[a] - [b] - [c]", {"a": F(10), "b": F(3), "c": F(2)}, F(5)),
        ("[a] / [b] / [c]", {"a": F(12), "b": F(3), "c": F(2)}, F(2)),
        ("[a] / ([b] / [c])", {"a": F(12), "b": F(3), "c": F(2)}, F(8)),
        ("-[a] * 2", {"a": F(3)}, F(-6)),
        ("[a] - -[b]", {"a": F(3), "b": F(4)}, F(7)),
        ("+[a]", {"a": F(3)}, F(3)),
        ("[a] / 4", {"a": F(3)}, F(3, 4)),
        ("[a] * 0.5", {"a": F(3)}, F(3, 2)),
        ("min([1.1] + [1.2], 10)", {"1.1": F(6), "1.2": F(7)}, F(10)),
        ("min([1.1] + [1.2], 10)", {"1.1": F(2), "1.2": F(3)}, F(5)),
        ("max([a], [b], [c])", {"a": F(1), "b": F(9), "c": F(4)}, F(9)),
        ("max(min([a], 5), 1)", {"a": F(0)}, F(1)),
        # division by zero gives no value, never an error
        ("[a] / [b]", {"a": F(1), "b": F(0)}, None),
        ("[a] / ([b] - [c])", {"a": F(1), "b": F(2), "c": F(2)}, None),
        ("[a] / (1 - 1)", {"a": F(1)}, None),
        ("[a] / ([b] / [c])", {"a": F(1), "b": F(2), "c": F(0)}, None),
        # a missing input gives no value, even where min() could skip it
        ("min([a], 5)", {"a": None}, None),
        ("[a] + [b]", {"a": F(1), "b": None}, None),
    ],
)
def test_the_sql_computes_the_formula(expr: str, values: dict[str, Value], result: Value) -> None:
    assert sql_value(expr, values) == result


@pytest.mark.parametrize(
    ("expr", "codes"),
    [
        ("min([1.1] + [1.2], 10)", ["1.1", "1.2"]),
        ("[ a ] * 2", ["a"]),
        ("[a] + [a]", ["a", "a"]),
        ("[Chỉ tiêu 1] / 2", ["Chỉ tiêu 1"]),
        ("10", []),
    ],
)
def test_references_are_the_codes_in_brackets(expr: str, codes: list[str]) -> None:
    assert references(expr) == codes


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ("", "not a formula"),
        ("[a] +", "not a formula"),
        ("([a]", "not a formula"),
        ("[a] ** 2", "Pow is not allowed"),
        ("[a] // 2", "FloorDiv is not allowed"),
        ("[a] % 2", "Mod is not allowed"),
        ("[a] < 1", "Compare is not allowed"),
        ("[a] if [b] else 1", "IfExp is not allowed"),
        ("abs([a])", "only min(…) and max(…) may be called"),
        ("min()", "min() needs at least one argument"),
        ("max([a], default=0)", "only min(…) and max(…) may be called"),
        ("points + 1", "unknown name 'points'"),
        ("min + [a]", "unknown name 'min'"),
        ("True", "only numbers"),
        ("None", "only numbers"),
        ("'10'", "only numbers"),
        ("1e999", "not a finite number"),
        ("1" + "0" * 400, "not a finite number"),
        ("-" * 200 + "[a]", "nested more than"),
        ("+".join(["[a]"] * 2000), "nested more than"),
        # injection attempts: only numbers, operators and references get through
        ("__import__('os').system('true')", "only min(…) and max(…) may be called"),
        ("[a].__class__", "Attribute is not allowed"),
        ("[a]; drop table scoring.nodes", "not a formula"),
        ("[a] -- comment", "unknown name 'comment'"),
        ("1); drop table scoring.nodes; --", "not a formula"),
        ("[x for x in [a]]", "not allowed"),
        ("lambda: [a]", "Lambda is not allowed"),
        # the placeholders a [code] becomes cannot be typed by hand
        ("[a] + _r0", "unknown name '_r0'"),
        ("_r1 * 100", "unknown name '_r1'"),
    ],
)
def test_a_formula_outside_the_subset_is_refused(expr: str, reason: str) -> None:
    with pytest.raises(FormulaError, match=re.escape(reason)):
        references(expr)


def test_a_depth_a_person_writes_is_accepted() -> None:
    assert references("-" * (MAX_DEPTH // 4) + "[a]") == ["a"]


numbers = st.integers(0, 20).map(str) | st.integers(0, 99).map(lambda n: f"{n // 10}.{n % 10}")
leaves = st.sampled_from(["[a]", "[b]", "[c]"]) | numbers


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(" ".join)
        | inner.map(lambda e: f"({e})")
        | inner.map(lambda e: f"-{e}")
        | st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        )
    )


formulas = st.recursive(leaves, _combine, max_leaves=12)
inputs = st.fixed_dictionaries({code: st.none() | st.integers(-5, 5).map(Fraction) for code in "abc"})


@given(formulas, inputs)
def test_the_sql_means_what_the_formula_says(expr: str, values: dict[str, Value]) -> None:
    assert sql_value(expr, values) == arithmetic(expr, values)


ALLOWED_SQL = re.compile(r"::numeric|least|greatest|nullif|case|when|then|end|is|not|null|and|v\d+|[\d.e+\-*/(), <>=]")


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40) | formulas | formulas.map(lambda f: f + " ; x"))
@example("max([a] / [b], 1e20)")
def test_any_text_is_refused_or_compiles_to_numbers_operators_and_columns(text: str) -> None:
    try:
        sql = to_sql(text, lambda code: f"v{abs(hash(code))}")
    except FormulaError:
        return
    assert ALLOWED_SQL.sub("", sql) == ""
