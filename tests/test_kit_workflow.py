"""The workflow log every service builds with `transition_log`, and the keyed get and bump of `kit.repository`, on
tables of their own (created in the test's transaction, gone with its rollback)."""

import uuid
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from kit import workflow
from kit.db import Database, service_metadata
from kit.repository import Keyed

metadata = service_metadata("kit_workflow_test")
cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("status", sa.Text, nullable=False, server_default="draft"),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
case_transitions = workflow.transition_log(metadata, "case_transitions", cases)
tags = sa.Table(  # no updated_at: a bump counts the version alone
    "tags",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    await connection.execute(sa.text("create schema kit_workflow_test"))
    await connection.run_sync(metadata.create_all)
    async with Database.bound_to(connection).sessionmaker() as session:
        yield session


async def _case(session: AsyncSession) -> uuid.UUID:
    case_id = uuid.uuid4()
    await session.execute(sa.insert(cases).values(id=case_id))
    return case_id


class TestTransitionLog:
    async def test_entries_come_back_per_subject_in_the_order_they_were_recorded(self, session: AsyncSession) -> None:
        first, second, silent = await _case(session), await _case(session), await _case(session)
        await workflow.record(session, case_transitions, first, "a", None, "draft")
        await workflow.record(session, case_transitions, second, "b", None, "draft")
        await workflow.record(session, case_transitions, first, "c", "draft", "sent", "ready", detail={"copies": 2})

        found = await workflow.histories(session, case_transitions, [first, second, silent])

        assert {
            k: [(e["actor"], e["from_status"], e["to_status"], e["reason"], e["detail"]) for e in v]
            for k, v in found.items()
        } == {
            first: [("a", None, "draft", None, None), ("c", "draft", "sent", "ready", {"copies": 2})],
            second: [("b", None, "draft", None, None)],
        }
        assert all(e["at"] is not None for e in found[first])

    async def test_an_entry_needs_an_existing_subject(self, session: AsyncSession) -> None:
        with pytest.raises(sa.exc.IntegrityError, match="fk_case_transitions_subject_id_cases"):
            async with session.begin_nested():
                await workflow.record(session, case_transitions, uuid.uuid4(), "a", None, "draft")

    async def test_the_entries_go_with_their_subject(self, session: AsyncSession) -> None:
        case_id = await _case(session)
        await workflow.record(session, case_transitions, case_id, "a", None, "draft")

        await session.execute(sa.delete(cases).where(cases.c.id == case_id))

        assert await workflow.histories(session, case_transitions, [case_id]) == {}


class TestKeyed:
    async def test_get_finds_a_row_by_id_or_none(self, session: AsyncSession) -> None:
        case_id = await _case(session)
        keyed: Keyed[uuid.UUID] = Keyed(cases)

        found = await keyed.get(session, case_id, lock="update")

        assert found is not None
        assert (found["id"], found["status"]) == (case_id, "draft")
        assert await keyed.get(session, uuid.uuid4()) is None

    async def test_bump_writes_the_values_counts_a_version_and_touches_the_row(self, session: AsyncSession) -> None:
        case_id = await _case(session)
        await session.execute(sa.update(cases).values(updated_at=sa.func.now() - sa.text("interval '1 day'")))
        keyed: Keyed[uuid.UUID] = Keyed(cases)
        before = await keyed.get(session, case_id)

        await keyed.bump(session, case_id, status="sent")
        await keyed.bump(session, case_id)

        after = await keyed.get(session, case_id)
        assert before is not None
        assert after is not None
        assert (after["status"], after["version"]) == ("sent", 3)
        assert after["updated_at"] > before["updated_at"]

    async def test_a_table_without_updated_at_is_bumped_by_its_version(self, session: AsyncSession) -> None:
        await session.execute(sa.insert(tags).values(id="x"))
        keyed: Keyed[str] = Keyed(tags)

        await keyed.bump(session, "x")

        found = await keyed.get(session, "x", lock="share")
        assert found is not None
        assert dict(found) == {"id": "x", "version": 2}
