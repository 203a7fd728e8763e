"""Every expected failure the services declare has its own stable `type` and reads in both languages."""

import importlib
import pkgutil
import re
import string
from collections.abc import Iterator
from typing import Any

import pytest

import kit.problems
import kit.spreadsheets
import kit.workflow
import services
from kit.problems import Problem, Text


def _errors_modules() -> Iterator[str]:
    """Every `errors.py` under `services/` (the domains' and the services' own)."""
    for found in pkgutil.walk_packages(services.__path__, "services."):
        if found.name.endswith(".errors"):
            yield found.name


def _problems() -> list[type[Problem]]:
    for name in _errors_modules():
        importlib.import_module(name)
    seen: list[type[Problem]] = []
    todo = [Problem]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return seen


PROBLEMS = _problems()
OWN_MODULES = {kit.problems.__name__, kit.spreadsheets.__name__, kit.workflow.__name__, *_errors_modules()}


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_services_declare_their_failures() -> None:
    assert len(list(_errors_modules())) >= 16
    assert sum(1 for p in PROBLEMS if p.__module__.startswith("services.")) >= 80


def test_each_type_is_declared_by_one_class() -> None:
    """A subclass may reword its parent's message and keep its `type`; a class that names a type names a new one."""
    owners: dict[str, list[str]] = {}
    for cls in PROBLEMS:
        if "slug" in vars(cls) and cls.__module__ in OWN_MODULES:
            owners.setdefault(cls.slug, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {slug: names for slug, names in owners.items() if len(names) > 1} == {}


@pytest.mark.parametrize("cls", [p for p in PROBLEMS if p.__module__ in OWN_MODULES], ids=lambda c: c.__qualname__)
def test_a_failure_has_a_slug_a_status_and_both_languages(cls: type[Problem]) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cls.slug), cls.slug
    assert 400 <= cls.status < 600
    for text in (cls.title, cls.message):
        if text is None:
            continue
        assert isinstance(text, Text)
        assert text.vi.strip()
        assert text.en.strip()
        assert text.vi != text.en or not re.search(r"[a-zA-Z]{3}", text.vi), text  # not an untranslated copy
    if cls.message is not None:
        # both languages name the same things, a word each language has its own of as `{form_vi}` / `{form_en}`
        vi = {f.removesuffix("_vi") for f in _fields(cls.message.vi)}
        assert vi == {f.removesuffix("_en") for f in _fields(cls.message.en)}, cls.message
    if cls.fault is not None:
        assert cls.fault.startswith("/"), cls.fault


@pytest.mark.parametrize("cls", [p for p in PROBLEMS if p.message is not None], ids=lambda c: c.__qualname__)
def test_a_message_fills_in_and_blames_the_field(cls: type[Problem]) -> None:
    assert cls.message is not None
    names = _fields(cls.message.vi) | _fields(cls.message.en)
    fields: dict[str, Any] = dict.fromkeys(names, _Any())
    problem = cls.of(**fields)
    assert "{" not in problem.detail.vi + problem.detail.en
    if cls.fault is not None:
        assert [e.pointer for e in problem.errors] == [cls.fault]


class _Any:
    """Stands for any field value, whatever format spec the message gives it (`{on:%d/%m/%Y}`)."""

    def __format__(self, spec: str) -> str:
        return "x"
