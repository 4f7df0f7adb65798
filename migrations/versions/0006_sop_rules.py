"""the decree's time rules stored with each SOP revision

Revision ID: 0006_sop_rules
Revises: 0005_auth_security
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_sop_rules"
down_revision = "0005_auth_security"
branch_labels = None
depends_on = None


def upgrade():
    # Filled by `flask sigap init` (app/workflow/sop_loader.py) for the revisions already stored.
    with op.batch_alter_table("sop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rules", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("sop", schema=None) as batch_op:
        batch_op.drop_column("rules")
