"""Tools of the anonymous-surface walk: what must never leak (collected as an administrator), the ids to fill paths
and arguments with, a GraphQL query per Query field selecting every scalar to a bounded depth, and the leak finder
that reads every response body (JSON, CSV, .docx)."""

import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)

CHOICES = {"yes", "no", "abstain"}
ACCOUNT_KEYS = {"actor", "created_by", "createdBy", "updated_by", "updatedBy", "recorded_by", "recordedBy"}
# Keys of a score, a rank or a reported value: none may come back about a period that is not published.
SCORE_KEYS = {
    "total",
    "score100",
    "index_value",
    "indexValue",
    "points",
    "band_vi",
    "bandVi",
    "band_en",
    "bandEn",
    "rank",
    "value",
}


@dataclass
class Secrets:
    """What no anonymous response may hold."""

    person_ids: set[str] = field(default_factory=set)
    household_ids: set[str] = field(default_factory=set)
    household_names: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)  # council members: a {member: choice} map is a ballot
    unpublished_periods: set[str] = field(default_factory=set)

    def leaks(self, request: str, body: Any, *, refused: bool, sealed: frozenset[str] = frozenset()) -> list[str]:
        """Every leak in one response (`body`: parsed JSON, or text). `request` says what was asked (a score in the
        answer to a request naming an unpublished period is a leak); a refusal (`refused`) may echo the ids asked
        for, nothing else; `sealed`: keys that must be null."""
        found: list[str] = []
        about_unpublished = any(p in request for p in self.unpublished_periods)
        echoed = {i for i in self.person_ids | self.household_ids if refused and i in request}
        for path, key, value in _walk(body):
            text = value if isinstance(value, str) else ""
            for person in self.person_ids - echoed:
                if person in text or person == key:
                    found.append(f"person id {person} at {path}")
            for household in self.household_ids - echoed:
                if household in text or household == key:
                    found.append(f"household id {household} at {path}")
            for name in self.household_names:
                if name in text:
                    found.append(f"household name {name!r} at {path}")
            if key in ACCOUNT_KEYS and value is not None:
                found.append(f"an official's account name {value!r} at {path}")
            if key in self.members and value in CHOICES:
                found.append(f"ballot choice of {key} at {path}")
            if key in sealed and value is not None:
                found.append(f"{key} of an unpublished period at {path}")
            if key in SCORE_KEYS and value is not None and (about_unpublished or self._of_unpublished(body, path)):
                found.append(f"score {key}={value!r} of an unpublished period at {path}")
        return found

    def _of_unpublished(self, body: Any, path: str) -> bool:
        """Does the object holding `path` name an unpublished period (period_id / periodId)?"""
        holder = body
        for part in path.split("/")[1:-1]:
            holder = holder[int(part)] if isinstance(holder, list) else holder[part]
        return isinstance(holder, dict) and any(
            str(holder.get(k)) in self.unpublished_periods for k in ("period_id", "periodId")
        )


def _walk(body: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) of every value in a JSON document; text bodies are one value."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield f"{path}/{key}", key, value
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(body, list):
        for i, value in enumerate(body):
            yield from _walk(value, f"{path}/{i}")
    elif isinstance(body, str) and not path:
        yield "", "", body


def body_of(content_type: str, content: bytes) -> Any:
    """A response body as the leak finder reads it: JSON parsed, a .docx as its text, anything else decoded."""
    if "json" in content_type:
        return json.loads(content) if content else None
    if "officedocument" in content_type:
        with zipfile.ZipFile(io.BytesIO(content)) as document:
            xml = document.read("word/document.xml").decode()
        return re.sub(r"<[^>]+>", " ", xml)
    return content.decode("utf-8-sig", errors="replace")


def combos(pools: Sequence[Sequence[str]], limit: int) -> list[tuple[str, ...]]:
    """Value tuples for parameters filled from `pools`: every value of every pool appears (those listed first,
    the sensitive ones, first), at most `limit` tuples."""
    if not pools:
        return [()]
    if any(not p for p in pools):
        return []
    spread = [tuple(p[i % len(p)] for p in pools) for i in range(max(len(p) for p in pools))]
    rest = [c for c in itertools.product(*pools) if c not in spread]
    return (spread + rest)[: max(limit, len(spread))]


# GraphQL: one query per Query field and value of its arguments, selecting every scalar to a bounded depth.


def _literal(value: str, arg: GraphQLArgument) -> str:
    named = get_named_type(arg.type)
    if isinstance(named, GraphQLEnumType) or named.name in ("Int", "Boolean", "Float"):
        return value
    return json.dumps(value)


def _arguments(args: Mapping[str, GraphQLArgument], values: Mapping[str, str]) -> str | None:
    """`(a: 1, b: "x")` for the required arguments (None when one cannot be filled); optional ones keep defaults."""
    given = []
    for name, arg in args.items():
        if name in values:
            given.append(f"{name}: {_literal(values[name], arg)}")
        elif is_non_null_type(arg.type) and arg.default_value is Undefined and arg.default is None:
            return None
    return f"({', '.join(given)})" if given else ""


def selection(kind: GraphQLNamedType, depth: int, nested_args: Mapping[str, str], above: frozenset[str]) -> str:
    """Every scalar of `kind`, and its object fields down to `depth` levels (a type already above is entered once
    more, for its scalars only: a unit's children are units, whose own fields are those of the one asked)."""
    if isinstance(kind, GraphQLUnionType):
        parts = [f"... on {member.name} {selection(member, depth, nested_args, above)}" for member in kind.types]
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(kind, GraphQLObjectType | GraphQLInterfaceType), kind
    fields = ["__typename"]
    for name, f in kind.fields.items():
        args = _arguments(f.args, nested_args)
        if args is None:
            raise LookupError(f"no value for a required argument of {kind.name}.{name}")
        named = get_named_type(f.type)
        if is_leaf_type(named):
            fields.append(name + args)
        elif depth > 0:  # a type already above is entered once more for its scalars (a unit's children)
            deeper = 0 if named.name in above | {kind.name} else depth - 1
            fields.append(f"{name}{args} {selection(named, deeper, nested_args, above | {kind.name})}")
    return "{ " + " ".join(fields) + " }"


def queries(
    schema: GraphQLSchema,
    root_values: Mapping[str, list[dict[str, str]]],
    nested_args: Mapping[str, str],
    depth: int,
    first: int | None = None,
) -> Iterator[tuple[str, Mapping[str, str], str]]:
    """(field, its argument values, query) for every Query field, once per set of argument values in
    `root_values[field]` (a field without required arguments is asked once with its defaults). A list's items go
    one level deep; what lies below one item is walked by the field that reads that item by id. `first`: a smaller
    page for list fields (when a query is refused as too costly)."""
    query_type = schema.query_type
    assert query_type is not None
    for name, f in query_type.fields.items():
        for values in root_values.get(name) or [{}]:
            if first is not None and "first" in f.args:
                values = {"first": str(first), **values}
            args = _arguments(f.args, values)
            if args is None:
                raise LookupError(f"no value for a required argument of Query.{name}")
            kind = get_named_type(f.type)
            bound = depth if "id" in f.args else min(depth, 2)
            sub = "" if is_leaf_type(kind) else " " + selection(kind, bound, nested_args, frozenset({"Query"}))
            yield name, values, "{ " + name + args + sub + " }"
