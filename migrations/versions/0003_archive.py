"""digital archive: the text of each document page

Revision ID: 0003_archive
Revises: 5755a71c5b19
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_archive"
down_revision = "0002_workflow"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ocr", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "number"),
    )
    with op.batch_alter_table("document_page", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_page_document_id"), ["document_id"], unique=False)


def downgrade():
    with op.batch_alter_table("document_page", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_page_document_id"))
    op.drop_table("document_page")
