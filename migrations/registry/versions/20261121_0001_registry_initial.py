"""registry: units, lineage, people, blocs, movements, registrations

Revision ID: 20261121_0001
Revises:
Create Date: 2026-11-21 05:27:35.441782
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261121_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # btree_gist lets exclusion constraints combine `unit_id =` with `during &&` (no overlapping validity).
    op.execute("create extension if not exists btree_gist")
    op.create_table(
        "blocs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("decision_number", sa.Text(), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("decision_issuer", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocs")),
        sa.UniqueConstraint("code", name=op.f("uq_blocs_code")),
        schema="registry",
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_idempotency_keys")),
        schema="registry",
    )
    op.create_table(
        "lineage_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("act_number", sa.Text(), nullable=False),
        sa.Column("act_date", sa.Date(), nullable=False),
        sa.Column("act_issuer", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), server_default="{}", nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_events")),
        schema="registry",
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        schema="registry",
    )
    op.create_index(op.f("ix_people_search_key"), "people", ["search_key"], unique=False, schema="registry")
    op.create_table(
        "units",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column(
            "during",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[]')", persisted=True),
            nullable=False,
        ),
        sa.CheckConstraint(
            "valid_to is null or valid_from is null or valid_to >= valid_from", name=op.f("ck_units_dates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        schema="registry",
    )
    op.create_table(
        "bloc_members",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("bloc_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column(
            "during",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[]')", persisted=True),
            nullable=False,
        ),
        postgresql.ExcludeConstraint(
            (sa.column("bloc_id"), "="),
            (sa.column("unit_id"), "="),
            (sa.column("during"), "&&"),
            using="gist",
            name="ex_bloc_members_overlap",
        ),
        sa.ForeignKeyConstraint(
            ["bloc_id"], ["registry.blocs.id"], name=op.f("fk_bloc_members_bloc_id_blocs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["registry.units.id"], name=op.f("fk_bloc_members_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bloc_members")),
        schema="registry",
    )
    op.create_index(op.f("ix_bloc_members_bloc_id"), "bloc_members", ["bloc_id"], unique=False, schema="registry")
    op.create_index(op.f("ix_bloc_members_unit_id"), "bloc_members", ["unit_id"], unique=False, schema="registry")
    op.create_table(
        "bloc_officers",
        sa.Column("bloc_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bloc_id"], ["registry.blocs.id"], name=op.f("fk_bloc_officers_bloc_id_blocs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["registry.units.id"], name=op.f("fk_bloc_officers_unit_id_units")),
        sa.PrimaryKeyConstraint("bloc_id", "year", "role", "unit_id", name=op.f("pk_bloc_officers")),
        schema="registry",
    )
    op.create_table(
        "lineage_links",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("predecessor_id", sa.Uuid(), nullable=False),
        sa.Column("successor_id", sa.Uuid(), nullable=False),
        sa.Column("share", sa.Numeric(precision=5, scale=4), nullable=True),
        sa.CheckConstraint("share is null or (share > 0 and share <= 1)", name=op.f("ck_lineage_links_share")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["registry.lineage_events.id"], name=op.f("fk_lineage_links_event_id_lineage_events")
        ),
        sa.ForeignKeyConstraint(
            ["predecessor_id"], ["registry.units.id"], name=op.f("fk_lineage_links_predecessor_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"], ["registry.units.id"], name=op.f("fk_lineage_links_successor_id_units")
        ),
        sa.PrimaryKeyConstraint("event_id", "predecessor_id", "successor_id", name=op.f("pk_lineage_links")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_lineage_links_predecessor_id"), "lineage_links", ["predecessor_id"], unique=False, schema="registry"
    )
    op.create_index(
        op.f("ix_lineage_links_successor_id"), "lineage_links", ["successor_id"], unique=False, schema="registry"
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column(
            "during",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[]')", persisted=True),
            nullable=False,
        ),
        postgresql.ExcludeConstraint(
            (sa.column("person_id"), "="),
            (sa.column("unit_id"), "="),
            (sa.column("during"), "&&"),
            using="gist",
            name="ex_memberships_overlap",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["registry.people.id"], name=op.f("fk_memberships_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["registry.units.id"], name=op.f("fk_memberships_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        schema="registry",
    )
    op.create_index(op.f("ix_memberships_person_id"), "memberships", ["person_id"], unique=False, schema="registry")
    op.create_index(op.f("ix_memberships_unit_id"), "memberships", ["unit_id"], unique=False, schema="registry")
    op.create_table(
        "movements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("issuer_unit_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("basis_number", sa.Text(), nullable=False),
        sa.Column("basis_date", sa.Date(), nullable=False),
        sa.Column("basis_signer", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("subject_types", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("unit_kinds", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("end_date is null or end_date >= start_date", name=op.f("ck_movements_dates")),
        sa.ForeignKeyConstraint(
            ["issuer_unit_id"], ["registry.units.id"], name=op.f("fk_movements_issuer_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movements")),
        sa.UniqueConstraint("code", name=op.f("uq_movements_code")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_movements_issuer_unit_id"), "movements", ["issuer_unit_id"], unique=False, schema="registry"
    )
    op.create_table(
        "unit_codes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("admin_code", sa.Text(), nullable=True),
        sa.Column("organ_code", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column(
            "during",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[]')", persisted=True),
            nullable=False,
        ),
        postgresql.ExcludeConstraint(
            (sa.column("admin_code"), "="),
            (sa.column("during"), "&&"),
            where=sa.text("admin_code is not null"),
            using="gist",
            name="ex_unit_codes_admin_code",
        ),
        postgresql.ExcludeConstraint(
            (sa.column("organ_code"), "="),
            (sa.column("during"), "&&"),
            where=sa.text("organ_code is not null"),
            using="gist",
            name="ex_unit_codes_organ_code",
        ),
        postgresql.ExcludeConstraint(
            (sa.column("unit_id"), "="), (sa.column("during"), "&&"), using="gist", name="ex_unit_codes_overlap"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["registry.units.id"], name=op.f("fk_unit_codes_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_codes")),
        schema="registry",
    )
    op.create_index(op.f("ix_unit_codes_unit_id"), "unit_codes", ["unit_id"], unique=False, schema="registry")
    op.create_table(
        "unit_names",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("short_name", sa.Text(), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column(
            "during",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[]')", persisted=True),
            nullable=False,
        ),
        postgresql.ExcludeConstraint(
            (sa.column("unit_id"), "="), (sa.column("during"), "&&"), using="gist", name="ex_unit_names_overlap"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["registry.units.id"], name=op.f("fk_unit_names_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_names")),
        schema="registry",
    )
    op.create_index(op.f("ix_unit_names_search_key"), "unit_names", ["search_key"], unique=False, schema="registry")
    op.create_index(op.f("ix_unit_names_unit_id"), "unit_names", ["unit_id"], unique=False, schema="registry")
    op.create_table(
        "unit_parents",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column(
            "during",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[]')", persisted=True),
            nullable=False,
        ),
        postgresql.ExcludeConstraint(
            (sa.column("unit_id"), "="), (sa.column("during"), "&&"), using="gist", name="ex_unit_parents_overlap"
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["registry.units.id"], name=op.f("fk_unit_parents_parent_id_units")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["registry.units.id"], name=op.f("fk_unit_parents_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_parents")),
        schema="registry",
    )
    op.create_index(op.f("ix_unit_parents_parent_id"), "unit_parents", ["parent_id"], unique=False, schema="registry")
    op.create_index(op.f("ix_unit_parents_unit_id"), "unit_parents", ["unit_id"], unique=False, schema="registry")
    op.create_table(
        "movement_milestones",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("movement_id", sa.Uuid(), nullable=False),
        sa.Column("phase_code", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["registry.movements.id"],
            name=op.f("fk_movement_milestones_movement_id_movements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement_milestones")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_movement_milestones_movement_id"),
        "movement_milestones",
        ["movement_id"],
        unique=False,
        schema="registry",
    )
    op.create_table(
        "movement_phases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("movement_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["registry.movements.id"],
            name=op.f("fk_movement_phases_movement_id_movements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement_phases")),
        sa.UniqueConstraint("movement_id", "code", name=op.f("uq_movement_phases_movement_id_code")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_movement_phases_movement_id"), "movement_phases", ["movement_id"], unique=False, schema="registry"
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("movement_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("commitments", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("is_pilot", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("(unit_id is null) <> (person_id is null)", name=op.f("ck_registrations_one_subject")),
        sa.ForeignKeyConstraint(
            ["movement_id"], ["registry.movements.id"], name=op.f("fk_registrations_movement_id_movements")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["registry.people.id"], name=op.f("fk_registrations_person_id_people")),
        sa.ForeignKeyConstraint(["unit_id"], ["registry.units.id"], name=op.f("fk_registrations_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_registrations_movement_id"), "registrations", ["movement_id"], unique=False, schema="registry"
    )
    op.create_index(
        "uq_registrations_person",
        "registrations",
        ["movement_id", "person_id"],
        unique=True,
        schema="registry",
        postgresql_where=sa.text("person_id is not null"),
    )
    op.create_index(
        "uq_registrations_unit",
        "registrations",
        ["movement_id", "unit_id"],
        unique=True,
        schema="registry",
        postgresql_where=sa.text("unit_id is not null"),
    )
    op.create_table(
        "registration_transitions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("registration_id", sa.Uuid(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text(), nullable=True),
        sa.Column("to_status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registry.registrations.id"],
            name=op.f("fk_registration_transitions_registration_id_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_transitions")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_registration_transitions_registration_id"),
        "registration_transitions",
        ["registration_id"],
        unique=False,
        schema="registry",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_registration_transitions_registration_id"), table_name="registration_transitions", schema="registry"
    )
    op.drop_table("registration_transitions", schema="registry")
    op.drop_index(
        "uq_registrations_unit",
        table_name="registrations",
        schema="registry",
        postgresql_where=sa.text("unit_id is not null"),
    )
    op.drop_index(
        "uq_registrations_person",
        table_name="registrations",
        schema="registry",
        postgresql_where=sa.text("person_id is not null"),
    )
    op.drop_index(op.f("ix_registrations_movement_id"), table_name="registrations", schema="registry")
    op.drop_table("registrations", schema="registry")
    op.drop_index(op.f("ix_movement_phases_movement_id"), table_name="movement_phases", schema="registry")
    op.drop_table("movement_phases", schema="registry")
    op.drop_index(op.f("ix_movement_milestones_movement_id"), table_name="movement_milestones", schema="registry")
    op.drop_table("movement_milestones", schema="registry")
    op.drop_index(op.f("ix_unit_parents_unit_id"), table_name="unit_parents", schema="registry")
    op.drop_index(op.f("ix_unit_parents_parent_id"), table_name="unit_parents", schema="registry")
    op.drop_table("unit_parents", schema="registry")
    op.drop_index(op.f("ix_unit_names_unit_id"), table_name="unit_names", schema="registry")
    op.drop_index(op.f("ix_unit_names_search_key"), table_name="unit_names", schema="registry")
    op.drop_table("unit_names", schema="registry")
    op.drop_index(op.f("ix_unit_codes_unit_id"), table_name="unit_codes", schema="registry")
    op.drop_table("unit_codes", schema="registry")
    op.drop_index(op.f("ix_movements_issuer_unit_id"), table_name="movements", schema="registry")
    op.drop_table("movements", schema="registry")
    op.drop_index(op.f("ix_memberships_unit_id"), table_name="memberships", schema="registry")
    op.drop_index(op.f("ix_memberships_person_id"), table_name="memberships", schema="registry")
    op.drop_table("memberships", schema="registry")
    op.drop_index(op.f("ix_lineage_links_successor_id"), table_name="lineage_links", schema="registry")
    op.drop_index(op.f("ix_lineage_links_predecessor_id"), table_name="lineage_links", schema="registry")
    op.drop_table("lineage_links", schema="registry")
    op.drop_table("bloc_officers", schema="registry")
    op.drop_index(op.f("ix_bloc_members_unit_id"), table_name="bloc_members", schema="registry")
    op.drop_index(op.f("ix_bloc_members_bloc_id"), table_name="bloc_members", schema="registry")
    op.drop_table("bloc_members", schema="registry")
    op.drop_table("units", schema="registry")
    op.drop_index(op.f("ix_people_search_key"), table_name="people", schema="registry")
    op.drop_table("people", schema="registry")
    op.drop_table("lineage_events", schema="registry")
    op.drop_table("idempotency_keys", schema="registry")
    op.drop_table("blocs", schema="registry")
