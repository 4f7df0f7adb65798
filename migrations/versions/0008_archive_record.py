"""the archivist's record of a file (classification, retention, location); short and public labels of SOP steps;
Kadis's decision in the stored SOP-003 flow

Revision ID: 0008_archive_record
Revises: 0007_reports_skm
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_archive_record"
down_revision = "0007_reports_skm"
branch_labels = None
depends_on = None

# Where Kadis's "return" sends a file, per track (the step before Kadis's; app/workflow/sops.yaml).
KADIS_RETURNS_TO = {"sicantik": "technical_assessment", "non_permit": "kasi_verification"}


def _kadis_decides():
    """The stored SOP-003 flows get Kadis's outcomes as sops.yaml now has them (the loader then finds the
    stored revision unchanged, and adds the step labels)."""
    sop = sa.table("sop", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("flow", sa.JSON))
    bind = op.get_bind()
    for sop_id, flow in bind.execute(sa.select(sop.c.id, sop.c.flow).where(sop.c.code == "SOP-003")).all():
        for track in (flow or {}).get("tracks", []):
            for node in track["nodes"]:
                if node["id"] == "kadis_approval" and not node.get("outcomes"):
                    node["outcomes"] = {"approve": {}, "return": {"to": KADIS_RETURNS_TO[track["code"]]},
                                        "reject": {"status": "rejected"}}
        bind.execute(sop.update().where(sop.c.id == sop_id).values(flow=flow))


def upgrade():
    with op.batch_alter_table("sop_step") as batch_op:
        batch_op.add_column(sa.Column("label", sa.String(80)))
        batch_op.add_column(sa.Column("public_label", sa.String(120)))
    op.create_table(
        "archive_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("application.id"), nullable=False, unique=True),
        sa.Column("classification_id", sa.Integer(), sa.ForeignKey("archive_classification.id"), nullable=False),
        sa.Column("active_until", sa.Date(), nullable=False),
        sa.Column("inactive_until", sa.Date(), nullable=False),
        sa.Column("disposition", sa.Enum("musnah", "permanen", "dinilai_kembali", name="ck_disposition",
                                         native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column("room", sa.String(100), nullable=False),
        sa.Column("shelf", sa.String(50), nullable=False),
        sa.Column("box", sa.String(50), nullable=False),
        sa.Column("archived_by_id", sa.Integer(), sa.ForeignKey("ab_user.id")),
        sa.Column("archived_at", sa.DateTime(), nullable=False),
    )
    for column in ("classification_id", "active_until", "inactive_until"):
        op.create_index(f"ix_archive_record_{column}", "archive_record", [column])
    _kadis_decides()


def downgrade():
    op.drop_table("archive_record")
    with op.batch_alter_table("sop_step") as batch_op:
        batch_op.drop_column("public_label")
        batch_op.drop_column("label")
