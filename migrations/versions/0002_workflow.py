"""workflow: SOP flows, where an application is in its track, step data, assistance problem flag

Revision ID: 0002_workflow
Revises: 5755a71c5b19
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_workflow"
down_revision = "5755a71c5b19"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sop") as batch_op:
        batch_op.add_column(sa.Column("flow", sa.JSON(), nullable=True))
    with op.batch_alter_table("application") as batch_op:
        batch_op.add_column(sa.Column("problem_solved_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("track", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("current_node", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("step_started_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("step_history") as batch_op:
        batch_op.add_column(sa.Column("node", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("data", sa.JSON(), nullable=True))
    with op.batch_alter_table("assistance_log") as batch_op:
        batch_op.add_column(sa.Column("problem_flag", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("assistance_log") as batch_op:
        batch_op.drop_column("problem_flag")
    with op.batch_alter_table("step_history") as batch_op:
        batch_op.drop_column("data")
        batch_op.drop_column("node")
    with op.batch_alter_table("application") as batch_op:
        batch_op.drop_column("step_started_at")
        batch_op.drop_column("current_node")
        batch_op.drop_column("track")
        batch_op.drop_column("problem_solved_at")
    with op.batch_alter_table("sop") as batch_op:
        batch_op.drop_column("flow")
