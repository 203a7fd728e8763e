"""Workflow transitions: which moves are allowed from a state, and the 409 that lists them when one is not."""

from collections.abc import Iterable
from enum import StrEnum

from kit.problems import Conflict, Text


class TransitionNotAllowed(Conflict):
    slug = "transition-not-allowed"
    title = Text("Không chuyển được trạng thái", "Transition not allowed")


def require_transition(allowed: Iterable[tuple[StrEnum, StrEnum]], current: StrEnum, to: StrEnum) -> None:
    """Raise a 409 naming the allowed targets unless (current → to) is one of `allowed`."""
    pairs = set(allowed)
    if (current, to) in pairs:
        return
    targets = sorted(t.value for f, t in pairs if f == current)
    listed_vi, listed_en = ", ".join(targets) or "không", ", ".join(targets) or "none"
    raise TransitionNotAllowed(
        Text(
            f"Không thể chuyển từ {current.value} sang {to.value}; được phép: {listed_vi}",
            f"Cannot go from {current.value} to {to.value}; allowed: {listed_en}",
        ),
        allowed=targets,
        current=current.value,
    )
