"""awards: one award per nominee, form and achievement (not per form for ever)

`uq_nominees_achievement` held (form, movement, phase, subject) with nulls not distinct, so a subject nominated for a
form outside a movement could never be nominated for it again, not even for a later year. Each line now carries an
achievement key (services/awards/nominations/achievement.py): the movement's phase; outside a movement, the year for
a title, the year and the achievement text for an award. A nomination keeps the year its achievement belongs to.

Back-fill: the year is the one of a paper dossier's filing day (logged as "filed on paper on YYYY-MM-DD"), else the
year the dossier was entered. Lines of withdrawn nominations are marked withdrawn (nothing did so before, so a
withdrawn dossier blocked its subjects for ever). Every key is at least as fine as the old index's columns, so the
existing rows cannot collide under the new index.

Downgrade restores the old index; it refuses (and changes nothing) while live lines would collide under it.

Revision ID: 20261202_council_achievement
Revises: 20261202_faults_awards
Create Date: 2026-12-02 11:30:00
"""

import hashlib
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_council_achievement"
down_revision: str | None = "20261202_faults_awards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "outcome is distinct from 'refused' and not withdrawn"


def _fold(text: str) -> str:
    """kit.text.fold as of this revision (a released migration does not follow later changes of the code)."""
    decomposed = unicodedata.normalize("NFD", text.translate(str.maketrans({"đ": "d", "Đ": "d"})))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def upgrade() -> None:
    op.add_column("nominations", sa.Column("achievement_year", sa.Integer()), schema="awards")
    op.execute("""
        update awards.nominations n set achievement_year = coalesce(
            (select substring(e.reason from '^filed on paper on ([0-9]{4})')::int from awards.nomination_events e
             where e.nomination_id = n.id and e.reason like 'filed on paper on %' order by e.id limit 1),
            extract(year from n.created_at)::int)
    """)
    op.alter_column("nominations", "achievement_year", nullable=False, schema="awards")

    op.add_column("nominees", sa.Column("achievement_key", sa.Text()), schema="awards")
    op.execute("""
        update awards.nominees l set achievement_key = case
            when l.movement_id is not null then 'phase:' || l.movement_id || '/' || l.phase_code
            else 'year:' || n.achievement_year end
        from awards.nominations n where n.id = l.nomination_id
    """)
    bind = op.get_bind()
    worded = bind.execute(
        sa.text("""
            select n.id, n.achievement_year, n.achievement from awards.nominations n
            join awards.award_forms f on f.id = n.form_id
            where n.movement_id is null and f.kind = 'award' and coalesce(n.achievement, '') <> ''
        """)
    ).all()
    keys = [
        {
            "id": row.id,
            "key": f"year:{row.achievement_year}/achievement:{hashlib.sha256(folded.encode()).hexdigest()[:32]}",
        }
        for row in worded
        if (folded := _fold(row.achievement))
    ]
    if keys:
        bind.execute(sa.text("update awards.nominees set achievement_key = :key where nomination_id = :id"), keys)
    op.alter_column("nominees", "achievement_key", nullable=False, schema="awards")

    op.execute("""
        update awards.nominees l set withdrawn = true from awards.nominations n
        where n.id = l.nomination_id and n.status = 'withdrawn' and not l.withdrawn
    """)
    op.drop_index("uq_nominees_achievement", table_name="nominees", schema="awards")
    op.create_index(
        "uq_nominees_achievement",
        "nominees",
        ["form_code", "subject_key", "achievement_key"],
        unique=True,
        schema="awards",
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    clashes = op.get_bind().execute(
        sa.text(f"""
            select count(*) from (
                select 1 from awards.nominees where {LIVE}
                group by form_code, movement_id, phase_code, subject_key having count(*) > 1) c
        """)
    )
    if n := clashes.scalar_one():
        raise RuntimeError(
            f"{n} nominee(s) hold the same form in several achievements outside a movement; the old index allows "
            "one award per form for ever. Refuse or withdraw those lines first. Nothing was changed."
        )
    op.drop_index("uq_nominees_achievement", table_name="nominees", schema="awards")
    op.create_index(
        "uq_nominees_achievement",
        "nominees",
        ["form_code", "movement_id", "phase_code", "subject_key"],
        unique=True,
        schema="awards",
        postgresql_where=sa.text(LIVE),
        postgresql_nulls_not_distinct=True,
    )
    op.drop_column("nominees", "achievement_key", schema="awards")
    op.drop_column("nominations", "achievement_year", schema="awards")
