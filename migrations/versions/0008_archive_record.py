"""the archivist's record of a file (classification, retention, location); short and public labels of SOP steps

Revision ID: 0008_archive_record
Revises: 0007_reports_skm
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_archive_record"
down_revision = "0007_reports_skm"
branch_labels = None
depends_on = None


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


def downgrade():
    op.drop_table("archive_record")
    with op.batch_alter_table("sop_step") as batch_op:
        batch_op.drop_column("public_label")
        batch_op.drop_column("label")
