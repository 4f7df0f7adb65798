"""the counter's intake links a queue ticket to the application registered from it

Revision ID: 0009_counter_ticket_link
Revises: 0008_archive_record
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_counter_ticket_link"
down_revision = "0008_archive_record"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("queue_ticket") as batch_op:
        batch_op.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_queue_ticket_application_id", ["application_id"])
        batch_op.create_foreign_key("fk_queue_ticket_application_id", "application", ["application_id"], ["id"])


def downgrade():
    with op.batch_alter_table("queue_ticket") as batch_op:
        batch_op.drop_constraint("fk_queue_ticket_application_id", type_="foreignkey")
        batch_op.drop_index("ix_queue_ticket_application_id")
        batch_op.drop_column("application_id")
