"""ORM of the registry schema. Dated facts carry `valid_from`/`valid_to` (inclusive, null = open) and a generated
`during` range that exclusion constraints keep from overlapping and that as-of queries test with `@>`."""

import uuid
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, DATERANGE, ExcludeConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import service_metadata, table_of, timestamp
from kit.idempotency import idempotency_table
from kit.workflow import transition_log

SCHEMA = "registry"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


idempotency_keys = idempotency_table(Base.metadata)


def _during() -> Mapped[object]:
    return mapped_column(DATERANGE, sa.Computed("daterange(valid_from, valid_to, '[]')", persisted=True))


def _no_overlap(name: str, *keys: str) -> ExcludeConstraint:
    return ExcludeConstraint(*[(k, "=") for k in keys], ("during", "&&"), name=name, using="gist")


class _Dated:
    valid_from: Mapped[date | None] = mapped_column(sa.Date)
    valid_to: Mapped[date | None] = mapped_column(sa.Date)
    during: Mapped[object] = _during()


class Unit(_Dated, Base):
    __tablename__ = "units"
    __table_args__ = (sa.CheckConstraint("valid_to is null or valid_from is null or valid_to >= valid_from", "dates"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.Text)
    level: Mapped[str] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()


class UnitName(_Dated, Base):
    __tablename__ = "unit_names"
    __table_args__ = (_no_overlap("ex_unit_names_overlap", "unit_id"), sa.Index(None, "search_key"))

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.Text)
    short_name: Mapped[str | None] = mapped_column(sa.Text)
    search_key: Mapped[str] = mapped_column(sa.Text)


class UnitCode(_Dated, Base):
    __tablename__ = "unit_codes"
    __table_args__ = (
        _no_overlap("ex_unit_codes_overlap", "unit_id"),
        ExcludeConstraint(
            ("admin_code", "="),
            ("during", "&&"),
            name="ex_unit_codes_admin_code",
            using="gist",
            where=sa.text("admin_code is not null"),
        ),
        ExcludeConstraint(
            ("organ_code", "="),
            ("during", "&&"),
            name="ex_unit_codes_organ_code",
            using="gist",
            where=sa.text("organ_code is not null"),
        ),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)
    admin_code: Mapped[str | None] = mapped_column(sa.Text)
    organ_code: Mapped[str | None] = mapped_column(sa.Text)


class UnitParent(_Dated, Base):
    __tablename__ = "unit_parents"
    __table_args__ = (_no_overlap("ex_unit_parents_overlap", "unit_id"),)

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id"), index=True)


class LineageEvent(Base):
    __tablename__ = "lineage_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.Text)
    effective_date: Mapped[date] = mapped_column(sa.Date)
    act_number: Mapped[str] = mapped_column(sa.Text)
    act_date: Mapped[date] = mapped_column(sa.Date)
    act_issuer: Mapped[str] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    details: Mapped[dict[str, object]] = mapped_column(sa.JSON, server_default="{}")
    created_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = timestamp()


class LineageLink(Base):
    __tablename__ = "lineage_links"
    __table_args__ = (sa.CheckConstraint("share is null or (share > 0 and share <= 1)", "share"),)

    event_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("lineage_events.id"), primary_key=True)
    predecessor_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id"), primary_key=True, index=True)
    successor_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id"), primary_key=True, index=True)
    share: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 4))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.Text)
    search_key: Mapped[str] = mapped_column(sa.Text, index=True)
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    gender: Mapped[str | None] = mapped_column(sa.Text)
    email: Mapped[str | None] = mapped_column(sa.Text)
    phone: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = timestamp()


class Membership(_Dated, Base):
    __tablename__ = "memberships"
    __table_args__ = (_no_overlap("ex_memberships_overlap", "person_id", "unit_id"),)

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id"), index=True)
    title: Mapped[str | None] = mapped_column(sa.Text)


class Bloc(Base):
    __tablename__ = "blocs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.Text, unique=True)
    name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    decision_number: Mapped[str | None] = mapped_column(sa.Text)
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_issuer: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = timestamp()


class BlocMember(_Dated, Base):
    __tablename__ = "bloc_members"
    __table_args__ = (_no_overlap("ex_bloc_members_overlap", "bloc_id", "unit_id"),)

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    bloc_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("blocs.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id"), index=True)


class BlocOfficer(Base):
    """Leader (trưởng cụm/khối) and deputies of a bloc for one year."""

    __tablename__ = "bloc_officers"

    bloc_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("blocs.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)


class Movement(Base):
    __tablename__ = "movements"
    __table_args__ = (sa.CheckConstraint("end_date is null or end_date >= start_date", "dates"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.Text, unique=True)
    title: Mapped[str] = mapped_column(sa.Text)
    search_key: Mapped[str] = mapped_column(sa.Text)
    issuer_unit_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.Text)
    basis_number: Mapped[str] = mapped_column(sa.Text)
    basis_date: Mapped[date] = mapped_column(sa.Date)
    basis_signer: Mapped[str | None] = mapped_column(sa.Text)
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    subject_types: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    unit_kinds: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    description: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()


class Phase(Base):
    __tablename__ = "movement_phases"
    __table_args__ = (sa.UniqueConstraint("movement_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    movement_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.Text)
    title: Mapped[str] = mapped_column(sa.Text)
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date] = mapped_column(sa.Date)


class Milestone(Base):
    __tablename__ = "movement_milestones"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    movement_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    phase_code: Mapped[str | None] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    due_date: Mapped[date] = mapped_column(sa.Date)
    title: Mapped[str | None] = mapped_column(sa.Text)


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (
        sa.CheckConstraint("(unit_id is null) <> (person_id is null)", "one_subject"),
        sa.Index(
            "uq_registrations_unit",
            "movement_id",
            "unit_id",
            unique=True,
            postgresql_where=sa.text("unit_id is not null"),
        ),
        sa.Index(
            "uq_registrations_person",
            "movement_id",
            "person_id",
            unique=True,
            postgresql_where=sa.text("person_id is not null"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    movement_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("movements.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("units.id"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("people.id"))
    commitments: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    status: Mapped[str] = mapped_column(sa.Text, server_default="draft")
    is_pilot: Mapped[bool] = mapped_column(server_default=sa.false())
    reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(server_default="1")
    created_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()


registration_transitions = transition_log(
    Base.metadata, "registration_transitions", table_of(Registration), cascade=False
)
