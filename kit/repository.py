"""The statements every domain repository repeats for a table keyed by `id`: read a row (locked or not) and write a
change that counts a new version. A domain repository declares `periods: Keyed[uuid.UUID] = Keyed(pd)` and keeps
only its own queries; the statements are built once, here."""

from typing import Any, Generic, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

K = TypeVar("K")
# "share": the row must not change while this transaction runs (writers of its children share it);
# "update": this transaction changes it (and waits for those who share it).
Lock = Literal["share", "update"] | None


class Keyed(Generic[K]):
    """Get, lock and bump the rows of one table by its `id` column (of type K)."""

    def __init__(self, table: sa.Table) -> None:
        self.table = table
        one = sa.select(table).where(table.c.id == sa.bindparam("id_"))
        self._get: dict[Lock, sa.Select[Any]] = {
            None: one,
            "share": one.with_for_update(read=True),
            "update": one.with_for_update(),
        }
        touched = {"updated_at": sa.func.now()} if "updated_at" in table.c else {}
        self._bump = (
            sa.update(table).where(table.c.id == sa.bindparam("id_")).values(version=table.c.version + 1, **touched)
        )

    async def get(self, session: AsyncSession, key: K, *, lock: Lock = None) -> sa.RowMapping | None:
        """The row, or None; `lock` takes a row lock until the transaction ends."""
        row: sa.RowMapping | None = (await session.execute(self._get[lock], {"id_": key})).mappings().first()
        return row

    async def bump(self, session: AsyncSession, key: K, **values: Any) -> None:
        """Write `values` and count a new version (its ETag), touching `updated_at` where the table has one."""
        await session.execute(self._bump.values(**values) if values else self._bump, {"id_": key})
