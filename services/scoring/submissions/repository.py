"""Values are written a batch at a time: one statement upserts them and records every change."""

import json
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, NotRequired, Required

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict  # pydantic reads TypedDicts from here on Python < 3.12

from kit.db import any_of, table_of
from services.scoring.models import EvidenceFile, Period, Value, ValueChange
from services.scoring.submissions.schemas import Evidence
from services.scoring.vocabulary import PeriodStatus

vl = table_of(Value)
vc = table_of(ValueChange)
ef = table_of(EvidenceFile)

SNAPSHOT_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "flag",
    "category",
    "evidence",
    "status",
    "appraised_value",
    "appraised_flag",
    "appraised_category",
    "review_reason",
)
_UUIDS = ARRAY(sa.Uuid)
_TEXTS = ARRAY(sa.Text)

_STATUSES = sa.text("""
    select v.unit_id, v.indicator_code, v.status from scoring.unit_values v
    join unnest(:units, :codes) as k(unit_id, code) on v.unit_id = k.unit_id and v.indicator_code = k.code
    where v.period_id = :period
""").bindparams(sa.bindparam("units", type_=_UUIDS), sa.bindparam("codes", type_=_TEXTS))

_NUMERIC_FIELDS = ("value", "numerator", "denominator", "appraised_value")
# Numbers are kept as text ("70.0000"), as `snapshot` keeps them, so every history entry reads the same.
_SNAPSHOT_SQL = (
    "jsonb_build_object("
    + ", ".join(f"'{f}', {{t}}.{f}" + ("::text" if f in _NUMERIC_FIELDS else "") for f in SNAPSHOT_FIELDS)
    + ")"
)

# One statement (PostgreSQL 18: RETURNING old/new) upserts the batch, writes a history row per changed value (a new
# value's creation is kept on its row: created_by, created_action, created_at) and says what it found. The rows
# arrive as one JSON document, which costs far less to send than a column array per field, and a null left out
# costs less to parse than one written. A value the unit may no longer change is overwritten too and reported
# back, and the caller rolls the write back; so the common case, nothing locked, needs no read before the write.
_WRITE = sa.text(f"""
    with written as (
        insert into scoring.unit_values as v (period_id, unit_id, indicator_code, value, numerator, denominator,
                                              flag, category, evidence, status, updated_by, created_by,
                                              created_action)
        select :period, i.unit_id, i.indicator_code, i.value, i.numerator, i.denominator, i.flag, i.category,
               coalesce(i.evidence, '[]'), :status, :actor, :actor, :action
        from json_to_recordset(cast(:rows as json)) as i(unit_id uuid, indicator_code text, value numeric,
                                                         numerator numeric, denominator numeric, flag boolean,
                                                         category text, evidence jsonb)
        on conflict (period_id, unit_id, indicator_code) do update set
            value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator,
            flag = excluded.flag, category = excluded.category, evidence = excluded.evidence,
            status = excluded.status, appraised_value = null, appraised_flag = null, appraised_category = null,
            review_reason = null, version = v.version + 1, updated_by = excluded.updated_by, updated_at = now()
        returning new.unit_id, new.indicator_code, old.status as was,
                  case when old.unit_id is not null then {_SNAPSHOT_SQL.format(t="old")} end as old,
                  case when old.unit_id is not null then {_SNAPSHOT_SQL.format(t="new")} end as new
    ), logged as (
        insert into scoring.value_changes (period_id, unit_id, indicator_code, actor, action, old, new)
        select :period, unit_id, indicator_code, :actor, :action, old, new from written where old is not null
    )
    select count(*) filter (where was is null) as created,
           coalesce(array_agg(unit_id) filter (where was = any(:locked)), '{{}}') as locked_units,
           coalesce(array_agg(indicator_code) filter (where was = any(:locked)), '{{}}') as locked_codes
    from written
""").bindparams(sa.bindparam("locked", type_=_TEXTS))


class Columns(TypedDict, total=False):
    """The columns a value is stored in: those its indicator's type uses; the others are left out (null)."""

    value: Decimal
    numerator: Decimal
    denominator: Decimal
    flag: bool
    category: str


class ValueRow(Columns):
    """A value to write: its key, its columns and its evidence (left out when there is none)."""

    unit_id: Required[uuid.UUID]
    indicator_code: Required[str]
    evidence: NotRequired[list[Evidence]]


_ROWS = TypeAdapter(list[ValueRow])


class Written(NamedTuple):
    created: int
    locked: list[tuple[uuid.UUID, str]]  # values that were with the appraiser: the batch must be refused


_LOG = sa.text("""
    insert into scoring.value_changes (period_id, unit_id, indicator_code, actor, action, old, new, reason)
    select :period, t.u, t.c, :actor, :action, t.o::jsonb, t.n::jsonb, :reason
    from unnest(:units, :codes, :olds, :news) as t(u, c, o, n)
""").bindparams(
    sa.bindparam("units", type_=_UUIDS),
    sa.bindparam("codes", type_=_TEXTS),
    sa.bindparam("olds", type_=_TEXTS),
    sa.bindparam("news", type_=_TEXTS),
)


def snapshot(row: Any) -> dict[str, Any]:
    """What a value was, as kept in its history."""
    return {k: (str(row[k]) if row[k] is not None and k in _NUMERIC_FIELDS else row[k]) for k in SNAPSHOT_FIELDS}


async def statuses(
    session: AsyncSession, period_id: uuid.UUID, keys: Sequence[tuple[uuid.UUID, str]]
) -> dict[tuple[uuid.UUID, str], str]:
    """The status of the stored values among these keys (writers of a period hold its row lock)."""
    result = await session.execute(
        _STATUSES, {"period": period_id, "units": [k[0] for k in keys], "codes": [k[1] for k in keys]}
    )
    return {(r[0], r[1]): r[2] for r in result}


async def write(
    session: AsyncSession,
    period_id: uuid.UUID,
    rows: Sequence[ValueRow],
    status: str,
    actor: str,
    action: str,
    locked: Iterable[str],
) -> Written:
    """Upsert a batch of values and record each change, in one statement; `locked`: the statuses the writer may
    no longer change (those values come back in `Written.locked`)."""
    found = (
        await session.execute(
            _WRITE,
            {
                "period": period_id,
                "status": status,
                "actor": actor,
                "action": action,
                "rows": _ROWS.dump_json(list(rows)).decode(),
                "locked": list(locked),
            },
        )
    ).one()
    return Written(found.created, list(zip(found.locked_units, found.locked_codes, strict=True)))


async def log(
    session: AsyncSession,
    period_id: uuid.UUID,
    actor: str,
    action: str,
    changes: Sequence[tuple[uuid.UUID, str, dict[str, Any] | None, dict[str, Any] | None]],
    reason: str | None = None,
) -> None:
    await session.execute(
        _LOG,
        {
            "period": period_id,
            "actor": actor,
            "action": action,
            "reason": reason,
            "units": [c[0] for c in changes],
            "codes": [c[1] for c in changes],
            "olds": [json.dumps(c[2], default=str) if c[2] is not None else None for c in changes],
            "news": [json.dumps(c[3], default=str) if c[3] is not None else None for c in changes],
        },
    )


async def get(
    session: AsyncSession, period_id: uuid.UUID, unit_id: uuid.UUID, code: str, *, for_update: bool = False
) -> sa.RowMapping | None:
    query = sa.select(vl).where(vl.c.period_id == period_id, vl.c.unit_id == unit_id, vl.c.indicator_code == code)
    if for_update:
        query = query.with_for_update()
    row: sa.RowMapping | None = (await session.execute(query)).mappings().first()
    return row


async def update(session: AsyncSession, period_id: uuid.UUID, unit_id: uuid.UUID, code: str, **values: Any) -> None:
    await session.execute(
        sa.update(vl)
        .where(vl.c.period_id == period_id, vl.c.unit_id == unit_id, vl.c.indicator_code == code)
        .values(version=vl.c.version + 1, updated_at=sa.func.now(), **values)
    )


async def submit_unit(
    session: AsyncSession, period_id: uuid.UUID, unit_id: uuid.UUID, actor: str
) -> Sequence[sa.RowMapping]:
    """Send a unit's drafts and corrected values to the appraiser; returns what changed."""
    result = await session.execute(
        sa.update(vl)
        .where(vl.c.period_id == period_id, vl.c.unit_id == unit_id, vl.c.status.in_(["draft", "returned"]))
        .values(status="submitted", version=vl.c.version + 1, updated_by=actor, updated_at=sa.func.now())
        .returning(vl.c.unit_id, vl.c.indicator_code)
    )
    rows: Sequence[sa.RowMapping] = result.mappings().all()
    return rows


async def list_values(
    session: AsyncSession,
    period_id: uuid.UUID,
    unit_ids: Sequence[uuid.UUID] | None,
    code: str | None,
    status: str | None,
    after: Sequence[Any] | None,
    limit: int,
) -> Sequence[sa.RowMapping]:
    query = sa.select(vl).where(vl.c.period_id == period_id)
    if unit_ids is not None:
        query = query.where(any_of(vl.c.unit_id, unit_ids, sa.Uuid()))
    if code:
        query = query.where(vl.c.indicator_code == code)
    if status:
        query = query.where(vl.c.status == status)
    if after:
        query = query.where(
            sa.tuple_(vl.c.unit_id, vl.c.indicator_code) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1]))
        )
    rows: Sequence[sa.RowMapping] = (
        (await session.execute(query.order_by(vl.c.unit_id, vl.c.indicator_code).limit(limit + 1))).mappings().all()
    )
    return rows


async def history(session: AsyncSession, period_id: uuid.UUID, unit_id: uuid.UUID, code: str) -> list[dict[str, Any]]:
    """Every change of a value, oldest first: its creation (kept on the value's row), then each change row."""
    changes = [
        dict(r)
        for r in (
            await session.execute(
                sa.select(vc)
                .where(vc.c.period_id == period_id, vc.c.unit_id == unit_id, vc.c.indicator_code == code)
                .order_by(vc.c.id)
            )
        ).mappings()
    ]
    row = await get(session, period_id, unit_id, code)
    if row is None or row["created_by"] is None:
        return changes
    created = {
        "actor": row["created_by"],
        "action": row["created_action"],
        "old": None,
        "new": changes[0]["old"] if changes else snapshot(row),  # what was entered, before any change
        "reason": None,
        "at": row["created_at"],
    }
    return [created, *changes]


async def insert_file(session: AsyncSession, values: dict[str, Any]) -> sa.RowMapping:
    """Store the file; returns its row without the content."""
    columns = [c for c in ef.c if c.name != "content"]
    row: sa.RowMapping = (await session.execute(sa.insert(ef).values(**values).returning(*columns))).mappings().one()
    return row


async def files(session: AsyncSession, period_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """file id → unit id, for the period's evidence files among `ids`."""
    if not ids:
        return {}
    rows = await session.execute(sa.select(ef.c.id, ef.c.unit_id).where(ef.c.period_id == period_id, ef.c.id.in_(ids)))
    return {r[0]: r[1] for r in rows}


async def file(session: AsyncSession, period_id: uuid.UUID, file_id: uuid.UUID) -> sa.RowMapping | None:
    row: sa.RowMapping | None = (
        (await session.execute(sa.select(ef).where(ef.c.period_id == period_id, ef.c.id == file_id))).mappings().first()
    )
    return row


async def count_open_by_status(session: AsyncSession) -> dict[str, int]:
    """How many values of the open periods stand in each status: the progress of the reporting under way (locked
    and published periods are history). One pass over the open periods' values, by their primary key's prefix."""
    pe = table_of(Period)
    query = (
        sa.select(vl.c.status, sa.func.count())
        .join(pe, pe.c.id == vl.c.period_id)
        .where(pe.c.status == PeriodStatus.OPEN)
        .group_by(vl.c.status)
    )
    return {status: count for status, count in await session.execute(query)}
