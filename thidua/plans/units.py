"""Unit references of plan files: a name path from the top ("Tỉnh Quảng Ninh / Phường Hồng Gai"), read on a
day, resolved one segment at a time through the registry's search (names compared in NFC, exactly)."""

import uuid
from datetime import date

from kit.problems import Text
from kit.text import nfc
from services.registry.client import BATCH, RegistryClient
from services.registry.units.schemas import Unit

SEPARATOR = "/"


class UnitNotFound(Exception):
    def __init__(self, detail: Text) -> None:
        super().__init__(detail.en)
        self.detail = detail


def segments(path: str) -> list[str]:
    return [nfc(" ".join(part.split())) for part in path.split(SEPARATOR) if part.strip()]


class Units:
    """Resolves and remembers unit references for one import or one scenario."""

    def __init__(self, registry: RegistryClient) -> None:
        self.registry = registry
        self._known: dict[tuple[str, date], uuid.UUID] = {}

    async def find(self, path: str, on: date) -> uuid.UUID | None:
        parts = segments(path)
        parent: uuid.UUID | None = None
        for depth in range(1, len(parts) + 1):
            key = (" / ".join(parts[:depth]), on)
            if key in self._known:
                parent = self._known[key]
                continue
            name = parts[depth - 1]
            matches = [
                u.id
                for u in await self._named(name, parent, on)
                if u.name == name and (parent is not None or u.parent_id is None)
            ]
            if len(matches) != 1:
                if matches:
                    raise UnitNotFound(
                        Text(f"Có {len(matches)} đơn vị tên '{name}' ở đây", f"{len(matches)} units are named '{name}'")
                    )
                return None
            parent = self._known[key] = matches[0]
        return parent

    async def _named(self, name: str, parent: uuid.UUID | None, on: date) -> list[Unit]:
        """Every unit whose name contains `name` (the search matches parts: "Tỉnh Quảng Ninh" also finds "Hội Nông
        dân tỉnh Quảng Ninh"), all pages."""
        found: list[Unit] = []
        cursor: str | None = None
        while True:
            page = await self.registry.search(q=name, parent_id=parent, as_of=on, limit=BATCH, cursor=cursor)
            found += page.items
            if not (cursor := page.next_cursor):
                return found

    async def resolve(self, path: str, on: date) -> uuid.UUID:
        found = await self.find(path, on)
        if found is None:
            raise UnitNotFound(
                Text(
                    f"Không tìm thấy đơn vị '{path}' vào ngày {on:%d/%m/%Y}",
                    f"No unit '{path}' on {on:%d/%m/%Y}",
                )
            )
        return found
