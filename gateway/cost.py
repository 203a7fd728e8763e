"""What a query would cost, measured on its document before anything runs, in time linear in the document.

Each fragment is measured once (memoised by name and by the page size it is spread under) and its measures are
added wherever it is spread, so nine fragments each spreading the next ten times cost nine small measurements,
not 10^9 walks. A spread that closes a cycle ends the walk there and the document is refused (the spec forbids
cycles; refusing them here also spares the other rules the paths through them). Counts saturate at `CAP` so that
no number grows without bound.

- depth: the deepest nesting of fields (introspection fields excluded, as GraphiQL's schema query is deep);
- aliases: aliased fields of an operation, each fragment counted wherever it is spread;
- selections: fields and fragments selected in the whole document, each fragment counted wherever it is spread
  (the size of the document once fragments are written out);
- repeats: the most selections merged into one field of the response (`{ units {…} units {…} … }`); the spec's
  rule that checks merged fields agree compares them pairwise, so this bounds its quadratic work;
- cost: the fields resolved, a list field multiplying what it selects by its page size: its `first` (a literal,
  at most `page_max`; a variable counts as `page_max`) or, for the list a paged field returns (`units(first: 20)
  { items }`), the page size of that field; any other list counts as `list_size` items.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    get_named_type,
)

from kit.problems import Text

CAP = 10**15  # counts stop growing here (still far above any limit, and exact in JSON)
MAX_NESTING = 100  # selection sets and fragment spreads inside one another; beyond this the document is refused
PAGE_ARGUMENTS = ("first", "last", "limit")


@dataclass(frozen=True)
class Measures:
    nesting: int
    depth: int
    aliases: int
    selections: int
    repeats: int
    cost: int
    cycle: str | None = None  # a fragment spread within itself


@dataclass(frozen=True)
class Limits:
    """The most a caller may ask for in one document (anonymous callers get smaller ones)."""

    max_depth: int
    max_aliases: int
    max_selections: int
    max_repeats: int
    max_cost: int

    def refusal(self, measures: Measures, *, anonymous: bool) -> GraphQLError | None:
        """The error refusing a document over a limit (the first one exceeded), or None."""
        if measures.cycle is not None:
            return GraphQLError(
                f"Cannot spread fragment '{measures.cycle}' within itself / "
                f"Không được dùng fragment '{measures.cycle}' bên trong chính nó",
                extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
            )
        checks = (
            ("nesting", measures.nesting, MAX_NESTING),
            ("depth", measures.depth, self.max_depth),
            ("aliases", measures.aliases, self.max_aliases),
            ("selections", measures.selections, self.max_selections),
            ("repeats", measures.repeats, self.max_repeats),
            ("cost", measures.cost, self.max_cost),
        )
        for measure, value, limit in checks:
            if value > limit:
                return _refuse(measure, value, limit, anonymous)
        return None


WHY = {
    "nesting": Text("lồng trường và fragment quá sâu", "nests fields and fragments too deeply"),
    "depth": Text("lồng quá sâu", "is too deep"),
    "aliases": Text("có quá nhiều bí danh", "has too many aliases"),
    "selections": Text("chọn quá nhiều trường", "selects too many fields"),
    "repeats": Text("chọn một trường quá nhiều lần", "selects one field too many times"),
    "cost": Text("tốn quá nhiều (số trường phải tính, nhân theo cỡ trang)", "costs too much (fields resolved × pages)"),
}


def _refuse(measure: str, value: int, limit: int, anonymous: bool) -> GraphQLError:
    why = WHY[measure]
    message = (
        f"The query {why.en}: {measure} {value}, over the limit of {limit} / "
        f"Truy vấn {why.vi}: {measure} {value}, tối đa {limit}"
    )
    if anonymous:
        message += " (signed-in callers have higher limits / người dùng đã đăng nhập có giới hạn cao hơn)"
    code = "QUERY_TOO_DEEP" if measure in ("nesting", "depth") else "QUERY_TOO_COMPLEX"
    extensions = {"code": code, "measure": measure, "value": value, "limit": limit, "anonymous": anonymous}
    return GraphQLError(message, extensions=extensions)


def _sat(value: int) -> int:
    return value if value < CAP else CAP


@dataclass
class _Sum:
    """Measures of one selection set, relative to one resolution of its parent."""

    depth: int = 0
    aliases: int = 0
    selections: int = 0
    cost: int = 0

    def add(self, other: "_Sum", *, depth_offset: int = 0, times: int = 1) -> None:
        self.depth = max(self.depth, other.depth + depth_offset)
        self.aliases = _sat(self.aliases + other.aliases)
        self.selections = _sat(self.selections + other.selections)
        self.cost = _sat(self.cost + _sat(times * other.cost))


class _TooNested(Exception):
    pass


class _Measurer:
    def __init__(
        self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], *, page_max: int, list_size: int
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.page_max = page_max
        self.list_size = list_size
        self.memo: dict[tuple[str, int | None], _Sum] = {}
        self.active: set[str] = set()
        self.nesting = 0
        self.cycle: str | None = None

    def selection_set(
        self, node: SelectionSetNode, parent: GraphQLNamedType | None, carry: int | None, level: int
    ) -> _Sum:
        """`carry`: the page size of the paged field above, for the list it returns."""
        if level > MAX_NESTING:
            raise _TooNested
        self.nesting = max(self.nesting, level)
        total = _Sum()
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total.add(self.field(selection, parent, carry, level))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition else parent
                total.add(self.selection_set(selection.selection_set, scope, carry, level + 1))
                total.selections = _sat(total.selections + 1)
            elif isinstance(selection, FragmentSpreadNode):
                total.add(self.spread(selection.name.value, carry, level + 1))
                total.selections = _sat(total.selections + 1)
        return total

    def spread(self, name: str, carry: int | None, level: int) -> _Sum:
        key = (name, carry)
        if key in self.memo:
            return self.memo[key]
        fragment = self.fragments.get(name)
        if name in self.active:
            self.cycle = name
            return _Sum()
        if fragment is None:  # unknown: the spec's rules report it
            return _Sum()
        self.active.add(name)
        scope = self.schema.get_type(fragment.type_condition.name.value)
        measured = self.selection_set(fragment.selection_set, scope, carry, level)
        self.active.discard(name)
        self.memo[key] = measured
        return measured

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, carry: int | None, level: int) -> _Sum:
        own = _Sum(aliases=1 if node.alias else 0, selections=1, cost=1)
        definition = _definition(parent, node.name.value)
        if definition is None or node.selection_set is None:
            own.depth = 0 if node.name.value.startswith("__") else 1
            return own
        returned = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else definition.type
        page = self.page_size(node, definition)
        if isinstance(returned, GraphQLList):
            times, inner_carry = page or carry or self.list_size, None
        else:
            times, inner_carry = 1, page
        inner = self.selection_set(node.selection_set, get_named_type(definition.type), inner_carry, level + 1)
        introspection = node.name.value.startswith("__")
        own.add(inner, depth_offset=0 if introspection else 1, times=times)
        own.depth = 0 if introspection else max(own.depth, 1)
        return own

    def page_size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        for name in PAGE_ARGUMENTS:
            if name not in definition.args:
                continue
            given = next((a.value for a in node.arguments or () if a.name.value == name), None)
            if isinstance(given, IntValueNode):
                return max(1, min(int(given.value), self.page_max))
            default: object = definition.args[name].default_value
            if given is None and isinstance(default, int):
                return max(1, min(default, self.page_max))
            return self.page_max  # a variable (or anything else): the largest page
        return None


def _definition(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None  # __typename, an unknown field (reported by the spec's rules), or a field of a union


def measure(
    schema: GraphQLSchema, document: DocumentNode, *, page_max: int, list_size: int, repeats_budget: int
) -> Measures:
    """Measure `document`: the largest depth, aliases and cost of its operations, the selections of all of it
    written out; repeats are counted only when those are at most `repeats_budget` (the walk is that long; a larger
    document is refused for its size anyway)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    measurer = _Measurer(schema, fragments, page_max=page_max, list_size=list_size)
    worst = _Sum()
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    try:
        for operation in operations:
            root = schema.get_root_type(operation.operation)
            measured = measurer.selection_set(operation.selection_set, root, None, 1)
            worst.depth = max(worst.depth, measured.depth)
            worst.aliases = max(worst.aliases, measured.aliases)
            worst.selections = _sat(worst.selections + measured.selections)
            worst.cost = max(worst.cost, measured.cost)
        # a fragment no operation spreads is still validated by the spec's rules: measure it on its own
        unreached = fragments.keys() - {name for name, _ in measurer.memo}
        for name in unreached:
            measured = measurer.spread(name, None, 1)
            worst.depth = max(worst.depth, measured.depth)
            worst.selections = _sat(worst.selections + measured.selections)
    except _TooNested:
        return Measures(nesting=MAX_NESTING + 1, depth=CAP, aliases=CAP, selections=CAP, repeats=CAP, cost=CAP)
    repeats = 0
    if measurer.cycle is None and worst.selections <= repeats_budget:
        # a reached fragment's repeats are counted where it is spread (merged with more, so no fewer)
        roots = [o.selection_set for o in operations] + [fragments[name].selection_set for name in unreached]
        repeats = max((_repeats([root], fragments) for root in roots), default=0)
    return Measures(
        nesting=measurer.nesting,
        depth=worst.depth,
        aliases=worst.aliases,
        selections=worst.selections,
        repeats=repeats,
        cost=worst.cost,
        cycle=measurer.cycle,
    )


def _repeats(merged: Sequence[SelectionSetNode], fragments: dict[str, FragmentDefinitionNode]) -> int:
    """The most fields sharing one response key at one place of the response, over the query written out (its
    size is bounded by the caller: at most the selection budget)."""
    groups: defaultdict[str, list[FieldNode]] = defaultdict(list)
    for selection_set in merged:
        _collect(selection_set, fragments, groups, frozenset())
    worst = max((len(fields) for fields in groups.values()), default=0)
    for fields in groups.values():
        below = [f.selection_set for f in fields if f.selection_set is not None]
        if below:
            worst = max(worst, _repeats(below, fragments))
    return worst


def _collect(
    node: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    groups: defaultdict[str, list[FieldNode]],
    active: frozenset[str],
) -> None:
    for selection in node.selections:
        if isinstance(selection, FieldNode):
            groups[(selection.alias or selection.name).value].append(selection)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set, fragments, groups, active)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in active:
                _collect(fragments[name].selection_set, fragments, groups, active | {name})
