"""ORM of the awards schema. Units and people are referenced by their registry UUIDs only."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import service_metadata, table_of, timestamp
from kit.idempotency import idempotency_table
from kit.workflow import transition_log

SCHEMA = "awards"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


idempotency_keys = idempotency_table(Base.metadata)


class Regime(Base):
    """A legal regime of commendation (e.g. Law 06/2022 with Decree 98/2023), effective-dated."""

    __tablename__ = "regimes"

    code: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text)
    legal_basis: Mapped[list[str]] = mapped_column(ARRAY(sa.Text))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    version: Mapped[int] = mapped_column(server_default="1")
    updated_at: Mapped[datetime] = timestamp()


class AwardForm(Base):
    """An award form or emulation title under one regime, with everything the law leaves to data."""

    __tablename__ = "award_forms"
    __table_args__ = (sa.UniqueConstraint("regime_code", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    regime_code: Mapped[str] = mapped_column(sa.ForeignKey("regimes.code", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    name_vi: Mapped[str] = mapped_column(sa.Text)
    name_en: Mapped[str] = mapped_column(sa.Text)
    subject_types: Mapped[list[str]] = mapped_column(ARRAY(sa.Text))
    conferred_by: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    copies: Mapped[int]
    reward_multiple: Mapped[dict[str, Any]] = mapped_column(JSONB)
    voting: Mapped[dict[str, Any]] = mapped_column(JSONB)
    deadlines: Mapped[dict[str, Any]] = mapped_column(JSONB)
    public_notice_days: Mapped[int | None]


class BaseSalary(Base):
    """Mức lương cơ sở from a date (reward amounts are multiples of it)."""

    __tablename__ = "base_salaries"

    valid_from: Mapped[date] = mapped_column(primary_key=True)
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 0))
    legal_basis: Mapped[str] = mapped_column(sa.Text)


class Holiday(Base):
    """A public holiday (or a day off moved by decision): not a working day."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)


class Rule(Base):
    """The award rule of a movement's phase for one form: conditions, order, caps and quotas, as data."""

    __tablename__ = "rules"
    __table_args__ = (sa.UniqueConstraint("movement_id", "phase_code", "form_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    movement_id: Mapped[uuid.UUID]
    phase_code: Mapped[str] = mapped_column(sa.Text)
    form_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("award_forms.id"))
    title: Mapped[str] = mapped_column(sa.Text)
    scope_path: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid))
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(server_default="1")
    updated_by: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = timestamp()


class SubjectRecord(Base):
    """A fact about a unit or a person that rules look back on: a rating, a title, an initiative, a discipline."""

    __tablename__ = "subject_records"
    __table_args__ = (sa.Index("ix_subject_records_subject", "subject_id", "kind", "year"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    kind: Mapped[str] = mapped_column(sa.Text)
    year: Mapped[int]
    value: Mapped[str] = mapped_column(sa.Text)
    reference: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by: Mapped[str] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = timestamp()


class Nomination(Base):
    """Hồ sơ đề nghị khen thưởng: a proposing unit asks an authority for one form for one or more nominees."""

    __tablename__ = "nominations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    form_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("award_forms.id"))
    movement_id: Mapped[uuid.UUID | None]
    phase_code: Mapped[str | None] = mapped_column(sa.Text)
    proposer_unit_id: Mapped[uuid.UUID]
    proposer_path: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid))
    authority_unit_id: Mapped[uuid.UUID]
    authority_path: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid))
    title: Mapped[str] = mapped_column(sa.Text)
    achievement: Mapped[str | None] = mapped_column(sa.Text)
    achievement_year: Mapped[int]  # the year the achievement belongs to (a yearly title's year)
    status: Mapped[str] = mapped_column(sa.Text, server_default="draft")
    due_on: Mapped[date | None]
    escalated_from: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("nominations.id"))
    version: Mapped[int] = mapped_column(server_default="1")
    created_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()

    __table_args__ = (sa.Index("ix_nominations_status_due", "status", "due_on"),)


class Nominee(Base):
    """One line of a nomination. One achievement, one award: a subject has one live line per form and achievement
    (nominations/achievement.py); a refused or withdrawn line frees it."""

    __tablename__ = "nominees"
    __table_args__ = (
        sa.Index(
            "uq_nominees_achievement",
            "form_code",
            "subject_key",
            "achievement_key",
            unique=True,
            postgresql_where=sa.text("outcome is distinct from 'refused' and not withdrawn"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    nomination_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    subject_type: Mapped[str] = mapped_column(sa.Text)
    unit_id: Mapped[uuid.UUID | None]
    person_id: Mapped[uuid.UUID | None]
    name: Mapped[str] = mapped_column(sa.Text)
    detail: Mapped[str | None] = mapped_column(sa.Text)
    subject_key: Mapped[str] = mapped_column(sa.Text)
    form_code: Mapped[str] = mapped_column(sa.Text)
    movement_id: Mapped[uuid.UUID | None]
    phase_code: Mapped[str | None] = mapped_column(sa.Text)
    achievement_key: Mapped[str] = mapped_column(sa.Text)
    withdrawn: Mapped[bool] = mapped_column(server_default=sa.false())
    council_result: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    outcome_reason: Mapped[str | None] = mapped_column(sa.Text)


class DossierDocument(Base):
    """A document of the dossier: Tờ trình, Biên bản, Báo cáo thành tích … (a reference, or a file's link)."""

    __tablename__ = "dossier_documents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    nomination_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.Text)
    nominee_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("nominees.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.Text)
    number: Mapped[str | None] = mapped_column(sa.Text)
    issued_on: Mapped[date | None]
    url: Mapped[str | None] = mapped_column(sa.Text)
    added_by: Mapped[str] = mapped_column(sa.Text)
    added_at: Mapped[datetime] = timestamp()


# A nomination's timeline: who moved it, from where to where, and why.
nomination_transitions = transition_log(Base.metadata, "nomination_transitions", table_of(Nomination))


class Council(Base):
    """A session of a Hội đồng Thi đua – Khen thưởng."""

    __tablename__ = "councils"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    body_unit_id: Mapped[uuid.UUID]
    body_path: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid))
    body_name: Mapped[str] = mapped_column(sa.Text)
    title: Mapped[str] = mapped_column(sa.Text)
    meets_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.Text, server_default="open")
    version: Mapped[int] = mapped_column(server_default="1")
    created_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = timestamp()
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class CouncilMember(Base):
    __tablename__ = "council_members"

    council_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[str] = mapped_column(sa.Text)
    present: Mapped[bool] = mapped_column(server_default=sa.true())


class CouncilItem(Base):
    """A nominee before the council: tallies only (a secret ballot never keeps who voted what) and the result."""

    __tablename__ = "council_items"

    council_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True)
    nominee_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("nominees.id"), primary_key=True)
    nomination_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("nominations.id"))
    yes: Mapped[int] = mapped_column(server_default="0")
    no: Mapped[int] = mapped_column(server_default="0")
    abstain: Mapped[int] = mapped_column(server_default="0")
    written_yes: Mapped[int] = mapped_column(server_default="0")
    result: Mapped[str | None] = mapped_column(sa.Text)


class Ballot(Base):
    """That a member voted on a nominee (so nobody votes twice); the choice is kept for open ballots only."""

    __tablename__ = "ballots"

    council_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    nominee_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    written: Mapped[bool] = mapped_column(server_default=sa.false())
    choice: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["council_id", "nominee_id"], ["council_items.council_id", "council_items.nominee_id"], ondelete="CASCADE"
        ),
    )


class DecisionCounter(Base):
    """The last number an issuing body gave in a year (numbers restart at 1 each year, without gaps)."""

    __tablename__ = "decision_counters"

    issuer_unit_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int]


class Decision(Base):
    """Quyết định khen thưởng."""

    __tablename__ = "decisions"
    __table_args__ = (sa.UniqueConstraint("issuer_unit_id", "year", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    issuer_unit_id: Mapped[uuid.UUID]
    issuer_path: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid))
    year: Mapped[int]
    number: Mapped[int]
    notation: Mapped[str] = mapped_column(sa.Text)
    issuer_parent: Mapped[str | None] = mapped_column(sa.Text)
    issuer_name: Mapped[str] = mapped_column(sa.Text)
    place: Mapped[str] = mapped_column(sa.Text)
    signed_on: Mapped[date]
    subject: Mapped[str] = mapped_column(sa.Text)
    authority: Mapped[str] = mapped_column(sa.Text)
    legal_bases: Mapped[list[str]] = mapped_column(ARRAY(sa.Text))
    signer: Mapped[dict[str, Any]] = mapped_column(JSONB)
    recipients: Mapped[list[str]] = mapped_column(ARRAY(sa.Text))
    base_salary: Mapped[Decimal] = mapped_column(sa.Numeric(14, 0))
    status: Mapped[str] = mapped_column(sa.Text, server_default="signed")
    version: Mapped[int] = mapped_column(server_default="1")
    created_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = timestamp()
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Award(Base):
    """One awardee of a decision: the history of units and people is read from here."""

    __tablename__ = "awards"
    __table_args__ = (
        sa.Index("ix_awards_unit", "unit_id"),
        sa.Index("ix_awards_person", "person_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    decision_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    nominee_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("nominees.id"), unique=True)
    nomination_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("nominations.id"))
    form_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("award_forms.id"))
    subject_type: Mapped[str] = mapped_column(sa.Text)
    unit_id: Mapped[uuid.UUID | None]
    person_id: Mapped[uuid.UUID | None]
    name: Mapped[str] = mapped_column(sa.Text)
    detail: Mapped[str | None] = mapped_column(sa.Text)
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 0))
    status: Mapped[str] = mapped_column(sa.Text, server_default="issued")
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)
    revoked_by: Mapped[str | None] = mapped_column(sa.Text)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
