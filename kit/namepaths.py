"""Finding a unit by the names an office writes: a unique name ("Huyện Bắc Sơn"), or a path of names from an ancestor
down ("Tỉnh Lạng Sơn / Huyện Bắc Sơn", `>` works too), compared without case or diacritics."""

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from typing import Generic, TypeVar

from kit.problems import Text
from kit.text import fold

K = TypeVar("K", bound=Hashable)
SEPARATOR = re.compile(r"\s*[/>]\s*")


def parts(given: str) -> list[str]:
    """The folded names of a path, ancestor first."""
    return [fold(p) for p in SEPARATOR.split(given) if p.strip()] or [fold(given)]


class NameIndex(Generic[K]):
    """Units by name; `parent_of` gives a unit's parent (None: none known), for the ancestors a path names. Where a
    name fits several units and exactly one of them is `preferred` (e.g. the one on the tree a period ranks on, when
    a merger left an old and a new unit of one name), the name means that one."""

    def __init__(
        self,
        names: Mapping[K, str],
        parent_of: Callable[[K], K | None],
        preferred: Callable[[K], bool] | None = None,
    ) -> None:
        self.name_of = {unit: fold(name) for unit, name in names.items()}
        self.by_name: dict[str, list[K]] = defaultdict(list)
        for unit, key in self.name_of.items():
            self.by_name[key].append(unit)
        self.parent_of = parent_of
        self.preferred = preferred

    def find(self, given: str) -> K | Text:
        """The one unit `given` names, or why there is none: no unit of that name, or several."""
        path = parts(given)
        found = [u for u in self.by_name.get(path[-1], ()) if self._under(u, path[:-1])]
        if len(found) > 1 and self.preferred is not None and len(chosen := list(filter(self.preferred, found))) == 1:
            found = chosen
        if len(found) == 1:
            return found[0]
        if not found:
            return Text(f"Không tìm thấy đơn vị “{given}”", f"No unit named “{given}”")
        return Text(
            f"Có {len(found)} đơn vị tên “{given}”: ghi rõ đường dẫn (Tỉnh … / Huyện …) hoặc dùng mã",
            f"{len(found)} units are named “{given}”: give the path (Tỉnh … / Huyện …) or use the code",
        )

    def _under(self, unit: K, ancestors: list[str]) -> bool:
        current: K | None = unit
        for key in reversed(ancestors):
            current = self.parent_of(current) if current is not None else None
            if current is None or self.name_of.get(current) != key:
                return False
        return True
