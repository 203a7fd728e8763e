"""Who may see what of a response: each service declares, in one module, which records and which fields of its
response models hold personal or sealed data and on what facts they are shown; the services apply that table to
every record before it leaves, and the table is what the README and the tests read.

A rule names facts (plain strings the service defines, e.g. "in_scope"); the service establishes, for one caller and
one record, which facts hold, and the rule shows the record or field when any of its facts does. A field hidden
from a caller is sent as null (the declaration refuses a field whose type cannot be null); a record hidden from a
caller is left out of lists and answered as not found on its own.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Rule:
    """Shown when one of `facts` holds (`facts` None: shown to anyone, anonymous callers included)."""

    facts: frozenset[str] | None

    def allows(self, facts: Iterable[str]) -> bool:
        return self.facts is None or not self.facts.isdisjoint(facts)

    def describe(self) -> str:
        if self.facts is None:
            return "anyone"
        return " or ".join(sorted(self.facts)) if self.facts else "nobody"


ANYONE = Rule(None)
NOBODY = Rule(frozenset())


def when(*facts: str) -> Rule:
    """Shown when the service established one of `facts` for this caller and record."""
    return Rule(frozenset(facts))


def _nullable(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _nullable(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(a is type(None) or _nullable(a) for a in typing.get_args(annotation))
    return annotation is None or annotation is type(None) or annotation is Any


@dataclass(frozen=True)
class Disclosure:
    """One response model: who sees a record of it at all, and who sees each guarded field (the others go to whoever
    sees the record)."""

    model: type[BaseModel]
    record: Rule = ANYONE
    fields: Mapping[str, Rule] = field(default_factory=dict)
    why: str = ""

    def __post_init__(self) -> None:
        for name in self.fields:
            info = self.model.model_fields.get(name)
            if info is None:
                raise TypeError(f"{self.model.__name__} has no field {name!r}")
            if not _nullable(info.annotation):
                raise TypeError(f"{self.model.__name__}.{name} is guarded, so it must accept null")


class Policy:
    """The disclosure table of one service."""

    def __init__(self, *declarations: Disclosure) -> None:
        self._by_model = {d.model: d for d in declarations}
        if len(self._by_model) != len(declarations):
            raise TypeError("a model is declared twice")

    def _of(self, model: type[BaseModel]) -> Disclosure:
        for cls in model.__mro__:  # a subclass (e.g. a unit with its history) follows its base's declaration
            if cls in self._by_model:
                return self._by_model[cls]
        raise KeyError(f"{model.__name__} has no disclosure declared")

    def shows(self, model: type[BaseModel], facts: Iterable[str]) -> bool:
        """May a caller for whom `facts` hold see a record of `model` at all?"""
        return self._of(model).record.allows(frozenset(facts))

    def shape(self, record: M, facts: Iterable[str]) -> M:
        """The record as this caller may see it: guarded fields they may not see are null."""
        held = frozenset(facts)
        hidden = {
            name: None
            for name, rule in self._of(type(record)).fields.items()
            if not rule.allows(held) and getattr(record, name) is not None
        }
        return record.model_copy(update=hidden) if hidden else record

    def table(self) -> list[tuple[str, str, str]]:
        """(model, field or '*' for the record, who sees it): the policy as a reviewer reads it."""
        rows = []
        for d in self._by_model.values():
            rows.append((d.model.__name__, "*", d.record.describe()))
            rows += [(d.model.__name__, name, rule.describe()) for name, rule in d.fields.items()]
        return rows
