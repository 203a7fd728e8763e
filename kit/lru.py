"""A least-recently-used cache bounded in bytes as well as in entries.

An entry count alone does not bound memory when entries come from callers (one cached 8 MB query weighs as much as
thousands of small ones): each entry here carries the weight its owner estimates, and the oldest entries leave
until the total is under the bound. An entry heavier than the whole bound is not kept at all.
"""

from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class _Entry(Generic[V]):
    value: V
    weight: int


class ByteBoundedLRU(Generic[K, V]):
    def __init__(self, *, max_bytes: int, max_entries: int) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    @property
    def bytes(self) -> int:
        """The estimated weight of every entry kept."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: K) -> bool:
        return key in self._entries

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return entry.value

    def put(self, key: K, value: V, weight: int) -> bool:
        """Keep `value` as the newest entry; False when it alone weighs more than the bound (it is not kept)."""
        self.discard(key)
        if weight > self.max_bytes or self.max_entries < 1:
            return False
        self._entries[key] = _Entry(value, weight)
        self._bytes += weight
        while self._bytes > self.max_bytes or len(self._entries) > self.max_entries:
            _, oldest = self._entries.popitem(last=False)
            self._bytes -= oldest.weight
        return True

    def discard(self, key: K) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.weight
